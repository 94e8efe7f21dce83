/* libmu-a.so: one side of the diamond; needs libmu-c. */
#include <stdio.h>

int c_value(void);
__attribute__((constructor)) static void a_init(void) { puts("ctor: libmu-a"); }
__attribute__((destructor)) static void a_fini(void) { puts("dtor: libmu-a"); }

int a_value(void) { return 10 + c_value(); }

/* Overridden by the program, then by a preload. */
const char *mu_whoami(void) { return "libmu-a"; }
const char *a_asks_whoami(void) { return mu_whoami(); }
