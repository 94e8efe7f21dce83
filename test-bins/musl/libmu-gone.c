/* Link-time stand-in for missing-lib and missing-sym; never next to them at run time. */
int gone(void) { return 0; }
int c_gone(void) { return 0; }
