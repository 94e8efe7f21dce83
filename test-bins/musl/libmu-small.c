/* libmu-small.so: a little TLS, some of it initial-exec (so it must go in
 * the static surplus), and no output: for loops that open and close it. */
__thread int small_tls = 5;
__thread int small_ie __attribute__((tls_model("initial-exec"))) = 6;
int small_add(int x, int y) { return x + y + small_ie - 6; }
int *small_address(void) { return &small_tls; }
