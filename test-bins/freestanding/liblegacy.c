/* libfs-legacy.so: DT_INIT and DT_FINI (linked with -init and -fini) next
 * to an initializer and a finalizer array. */
#include "rt.h"

void legacy_init(void) { rt_printf("DT_INIT\n"); }
void legacy_fini(void) { rt_printf("DT_FINI\n"); }
__attribute__((constructor)) static void array_init(void) { rt_printf("init array\n"); }
__attribute__((destructor)) static void array_fini(void) { rt_printf("fini array\n"); }
