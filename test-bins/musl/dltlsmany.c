/*
 * dltlsmany LIB...: dlopen each LIB (copies of libmu-dtls.so, each a TLS
 * module of its own) and reach its dynamic TLS through dtls_touch in the
 * main thread, one after the other: the thread's dtv fills its spare
 * slots and grows.  Then each module's block again: a grown dtv keeps
 * every block it had, with what was written there.
 */
#include <dlfcn.h>
#include <stdio.h>

#define MAX_LIBS 64

int main(int argc, char **argv)
{
	int *(*touch[MAX_LIBS])(void) = {0};
	int good = 0, kept = 0, n = argc - 1 < MAX_LIBS ? argc - 1 : MAX_LIBS;
	for (int i = 0; i < n; i++) {
		void *h = dlopen(argv[i + 1], RTLD_NOW);
		int *(*f)(void) = h ? (int *(*)(void))dlsym(h, "dtls_touch") : 0;
		int *var = f ? f() : 0;
		good += var && *var == 5;
		if (var)
			*var = 100 + i;  /* each module has a block of its own */
		touch[i] = f;
	}
	for (int i = 0; i < n; i++)
		kept += touch[i] && *touch[i]() == 100 + i;
	printf("%d of %d modules read their initial value; %d kept what was written\n", good, n, kept);
	return good != n || kept != n;
}
