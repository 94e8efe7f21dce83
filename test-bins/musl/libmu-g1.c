/* libmu-g1.so: defines g_value, for RTLD_LOCAL/RTLD_GLOBAL tests. */
int g_value(void) { return 1; }
