/* libmu-g2.so: uses g_value without needing the library that defines it;
 * it loads only where g_value is in the global scope. */
int g_value(void);
int g2_calls(void) { return g_value() + 10; }
/* Its data refers to g_value too, so RTLD_LAZY cannot defer the lookup. */
int (*g2_pointer)(void) = g_value;
