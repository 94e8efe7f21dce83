/* libgl-order-c.so: needs libgl-order-d.so; says when its constructor and destructor run. */
#include <stdio.h>
void order_d(void);
__attribute__((constructor)) static void init(void) { puts("constructor: c"); }
__attribute__((destructor)) static void fini(void) { puts("destructor: c"); }
void order_c(void) { order_d(); }
