/* libmu-x.so: opened RTLD_GLOBAL; libmu-y.so binds to its x_fn. */
#include <stdio.h>
int x_fn(void) { return 7; }
__attribute__((destructor)) static void x_fini(void) { puts("libmu-x: destructor"); }
