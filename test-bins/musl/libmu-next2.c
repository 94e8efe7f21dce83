/* libmu-next2.so: the definition after libmu-next1's. */
const char *nx(void) { return "libmu-next2"; }
