/* libmu-c.so: the bottom of the diamond. */
#include <stdio.h>

__attribute__((constructor)) static void c_init(void) { puts("ctor: libmu-c"); }
__attribute__((destructor)) static void c_fini(void) { puts("dtor: libmu-c"); }

int c_value(void) { return 3; }
