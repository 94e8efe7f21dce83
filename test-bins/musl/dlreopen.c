/* dlreopen: three rounds of opening libmu-next1.so and libmu-next2.so with
 * RTLD_GLOBAL (both define nx), asking for nx, and closing them.  Under the
 * checked build (symindex.sh) the global symbol index gives nx a list of
 * candidates, frees its nodes at each dlclose and takes them again at the
 * next dlopen. */
#include <dlfcn.h>
#include <stdio.h>

int main(void)
{
	for (int round = 1; round <= 3; round++) {
		void *a = dlopen("libmu-next1.so", RTLD_NOW | RTLD_GLOBAL);
		void *b = dlopen("libmu-next2.so", RTLD_NOW | RTLD_GLOBAL);
		const char *(*nx)(void) = (const char *(*)(void))dlsym(RTLD_DEFAULT, "nx");
		printf("round %d: %s\n", round, nx ? nx() : dlerror());
		if (b)
			dlclose(b);
		if (a)
			dlclose(a);
	}
	return 0;
}
