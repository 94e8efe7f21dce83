/* libmu-dtls.so: general-dynamic TLS, the default for a library. */
__thread int dtls_var = 5;
int *dtls_touch(void) { return &dtls_var; }
