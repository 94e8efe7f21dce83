/* libmu-scb.so: needs libmu-scc.so, and defines what it calls. */
int sc_hook(void) { return 20; }
