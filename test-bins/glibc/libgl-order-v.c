/* libgl-order-v.so: needs libgl-order-d.so; says when its constructor and destructor run. */
#include <stdio.h>
void order_d(void);
__attribute__((constructor)) static void init(void) { puts("constructor: v"); }
__attribute__((destructor)) static void fini(void) { puts("destructor: v"); }
void order_v(void) { order_d(); }
