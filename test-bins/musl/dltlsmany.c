/*
 * dltlsmany LIB...: dlopen each LIB (copies of libmu-dtls.so, each a TLS
 * module of its own) and reach its dynamic TLS through dtls_touch in the
 * main thread, one after the other: the thread's dtv fills its spare
 * slots and grows.
 */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	int good = 0;
	for (int i = 1; i < argc; i++) {
		void *h = dlopen(argv[i], RTLD_NOW);
		int *(*touch)(void) = h ? (int *(*)(void))dlsym(h, "dtls_touch") : 0;
		int *var = touch ? touch() : 0;
		good += var && *var == 5;
		if (var)
			*var = i;  /* each module has a block of its own */
	}
	printf("%d of %d modules read their initial value\n", good, argc - 1);
	return good != argc - 1;
}
