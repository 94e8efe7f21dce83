/*
 * dlloop N LIBRARY SYMBOL: N times, dlopen LIBRARY, look SYMBOL up, call
 * it with 0, dlclose.  The dlopen/dlsym/dlclose benchmark workload.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: dlloop N LIBRARY SYMBOL\n");
		return 2;
	}
	long sum = 0;
	for (int i = atoi(argv[1]); i > 0; i--) {
		void *h = dlopen(argv[2], RTLD_NOW);
		int (*f)(int) = h ? (int (*)(int))dlsym(h, argv[3]) : 0;
		if (!f) {
			fprintf(stderr, "dlloop: %s\n", dlerror());
			return 1;
		}
		sum += f(0);
		dlclose(h);
	}
	printf("%ld\n", sum);
	return 0;
}
