/* libmu-fini2.so: its constructor opens libmu-fini3.so, its destructor
 * closes it; libmu-fini3.so calls back into it, so each is bound to the
 * other.  (Not with LD_BIND_NOW: a library opened RTLD_GLOBAL joins the
 * global scope after its constructors, so libmu-fini3.so cannot bind its
 * callback at load time, and its dlopen fails.) */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
static void *fini3;
static int (*compute)(int);
int fini2_callback(int x) { return x * 10; }
int fini2_run(void) { return compute ? compute(4) : -1; }
__attribute__((constructor)) static void fini2_init(void)
{
	fini3 = dlopen("libmu-fini3.so", RTLD_LAZY | RTLD_GLOBAL);
	compute = (int (*)(int))dlsym(RTLD_DEFAULT, "fini3_compute");
	printf("libmu-fini2: constructor, libmu-fini3.so %s\n", compute ? "opened" : "not opened");
}
__attribute__((destructor)) static void fini2_fini(void)
{
	printf("libmu-fini2: destructor, closing libmu-fini3.so\n");
	if (fini3)
		dlclose(fini3);
	printf("libmu-fini2: destructor done\n");
}
