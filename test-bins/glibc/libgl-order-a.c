/* libgl-order-a.so: needs libgl-order-d.so; says when its constructor and destructor run. */
#include <stdio.h>
void order_d(void);
__attribute__((constructor)) static void init(void) { puts("constructor: a"); }
__attribute__((destructor)) static void fini(void) { puts("destructor: a"); }
void order_a(void) { order_d(); }
