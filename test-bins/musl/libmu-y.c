/* libmu-y.so: binds x_fn (from libmu-x.so, opened RTLD_GLOBAL before it)
 * without needing it: libmu-x.so must stay while libmu-y.so does. */
#include <stdio.h>
int x_fn(void);
int (*y_pointer)(void) = x_fn;
int y_calls(void) { return y_pointer() * 2; }
__attribute__((destructor)) static void y_fini(void) { puts("libmu-y: destructor"); }
