/* libmu-fini3.so: opened by libmu-fini2.so's constructor; calls back into it. */
#include <stdio.h>
int fini2_callback(int x);
int fini3_compute(int x) { return fini2_callback(x) + 1; }
__attribute__((destructor)) static void fini3_fini(void) { printf("libmu-fini3: destructor\n"); }
