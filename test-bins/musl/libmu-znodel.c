/* libmu-znodel.so: linked -z nodelete (DF_1_NODELETE): it survives
 * dlclose, with its state. */
#include <stdio.h>
static int count;
int znodel_bump(void) { return ++count; }
__attribute__((destructor)) static void znodel_fini(void) { printf("libmu-znodel: destructor, count %d\n", count); }
