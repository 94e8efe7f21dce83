/* libmu-bigdesc.so: like libmu-bigtls.so, through TLS descriptors
 * (built with -mtls-dialect=gnu2), so they resolve dynamically. */
__thread char desc_tls[4096] = {7};
__thread int desc_counter = 20;
char *desc_address(void) { return desc_tls; }
int desc_bump(void) { return ++desc_counter; }
