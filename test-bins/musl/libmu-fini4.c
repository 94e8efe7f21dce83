/* libmu-fini4.so: its constructor opens libmu-fini5.so, its destructor
 * closes it, so closing libmu-fini4.so closes libmu-fini5.so from inside a
 * dlclose. */
#include <dlfcn.h>
#include <stdio.h>
static void *fini5;
__attribute__((constructor)) static void fini4_init(void) { fini5 = dlopen("libmu-fini5.so", RTLD_NOW); }
__attribute__((destructor)) static void fini4_fini(void)
{
	printf("libmu-fini4: destructor, closing libmu-fini5.so\n");
	dlclose(fini5);
	printf("libmu-fini4: destructor done\n");
}
