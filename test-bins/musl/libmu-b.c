/* libmu-b.so: the other side of the diamond; needs libmu-c. */
#include <stdio.h>

int c_value(void);
__attribute__((constructor)) static void b_init(void) { puts("ctor: libmu-b"); }
__attribute__((destructor)) static void b_fini(void) { puts("dtor: libmu-b"); }

int b_value(void) { return 20 + c_value(); }
