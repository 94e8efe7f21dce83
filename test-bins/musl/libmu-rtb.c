/* libmu-rtb.so: finds rta_value through dlsym(RTLD_DEFAULT) and keeps the
 * pointer: it now depends on libmu-rta.so. */
#define _GNU_SOURCE
#include <dlfcn.h>
static int (*found)(void);
int rtb_find(void) { return (found = (int (*)(void))dlsym(RTLD_DEFAULT, "rta_value")) != 0; }
int rtb_call(void) { return found(); }
