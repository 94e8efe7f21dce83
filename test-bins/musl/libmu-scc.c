/* libmu-scc.so: needed by libmu-sca.so and libmu-scb.so; calls sc_hook,
 * which only libmu-scb.so defines, through its PLT. */
int sc_hook(void);
int scc_call(void) { return sc_hook() + 1; }
