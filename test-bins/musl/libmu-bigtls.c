/* libmu-bigtls.so: more TLS than the static surplus holds, so it becomes a
 * dynamic module; accessed general-dynamic (__tls_get_addr). */
__thread char big_tls[4096] = {1, 2, 3};
__thread int big_counter = 10;
char *big_address(void) { return big_tls; }
int big_bump(void) { return ++big_counter; }
