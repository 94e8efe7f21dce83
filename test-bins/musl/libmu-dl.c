/*
 * libmu-dl.so: a library only ever reached through dlopen.  Constructor
 * and destructor, general-dynamic and initial-exec TLS (musl's own loader
 * refuses the latter in a dlopen'ed library; ld-teach serves it from the
 * static TLS surplus).
 */
#include <stdio.h>

__thread int dl_tls = 5;
__thread int dl_tls_ie __attribute__((tls_model("initial-exec"))) = 6;
__thread char dl_tls_zero[100];

__attribute__((constructor)) static void dl_init(void) { puts("libmu-dl: constructor"); }
__attribute__((destructor)) static void dl_fini(void) { puts("libmu-dl: destructor"); }

int dl_add(int x, int y) { return x + y; }
int *dl_tls_address(void) { return &dl_tls; }
int dl_get_ie(void) { return dl_tls_ie; }
void dl_set_ie(int v) { dl_tls_ie = v; }

int dl_zero_ok(void)
{
	for (int i = 0; i < 100; i++)
		if (dl_tls_zero[i])
			return 0;
	return 1;
}
