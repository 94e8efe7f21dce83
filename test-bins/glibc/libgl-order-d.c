/* libgl-order-d.so: what every other libgl-order library needs. */
#include <stdio.h>
__attribute__((constructor)) static void init(void) { puts("constructor: d"); }
__attribute__((destructor)) static void fini(void) { puts("destructor: d"); }
void order_d(void) {}
