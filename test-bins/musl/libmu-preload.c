/* libmu-preload.so: for LD_PRELOAD; overrides libmu-a's a_value. */
int a_value(void) { return 1000; }
