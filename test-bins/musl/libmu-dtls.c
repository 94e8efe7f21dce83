/* libmu-dtls.so: general-dynamic TLS, the default for a library; built again
 * as libmu-dtlsdesc.so, reached through TLS descriptors. */
__thread int dtls_var = 5;
int *dtls_touch(void) { return &dtls_var; }
