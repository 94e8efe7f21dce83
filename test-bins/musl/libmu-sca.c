/* libmu-sca.so: needs libmu-scc.so. */
int scc_call(void);
int sca_call(void) { return scc_call() * 2; }
