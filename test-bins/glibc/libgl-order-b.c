/* libgl-order-b.so: needs libgl-order-d.so; says when its constructor and destructor run. */
#include <stdio.h>
void order_d(void);
__attribute__((constructor)) static void init(void) { puts("constructor: b"); }
__attribute__((destructor)) static void fini(void) { puts("destructor: b"); }
void order_b(void) { order_d(); }
