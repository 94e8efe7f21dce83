/* libmu-fini5.so: opened and closed by libmu-fini4.so. */
#include <stdio.h>
__attribute__((destructor)) static void fini5_fini(void) { printf("libmu-fini5: destructor\n"); }
