/* libmu-bigie.so: initial-exec TLS larger than the static surplus: dlopen
 * must fail, saying how much it needed and how much was left. */
__thread char bigie_tls[4096] __attribute__((tls_model("initial-exec")));
char *bigie_address(void) { return bigie_tls; }
