/*
 * dlleak LIB FUNCTION [N [BOUND]]: dlopen LIB, a library with TLS, call its
 * FUNCTION (which returns the address of one of its thread-local
 * variables: the thread's block of the module then exists) and dlclose it,
 * N times (5000 by default), then N times more.  Memory must stay flat:
 * over the second round the resident set (VmRSS in /proc/self/status) may
 * grow by less than BOUND bytes a cycle (8 by default: a quarter of a
 * 32-byte leak).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rss.h"

static int open_use_and_close(const char *lib, const char *function, int n)
{
	for (int i = 0; i < n; i++) {
		void *h = dlopen(lib, RTLD_NOW);
		void *(*tls_address)(void) = h ? (void *(*)(void))dlsym(h, function) : 0;
		if (!tls_address) {
			printf("%s: %s: FAIL\n", h ? function : lib, dlerror());
			return 0;
		}
		*(volatile char *)tls_address() += 1;
		dlclose(h);
	}
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int n = argc > 3 ? atoi(argv[3]) : 5000;
	long bound = argc > 4 ? atol(argv[4]) : 8;
	if (!open_use_and_close(argv[1], argv[2], n))
		return 1;
	long first = rss_kib();
	if (!open_use_and_close(argv[1], argv[2], n))
		return 1;
	long second = rss_kib();
	printf("VmRSS after %d cycles: %ld KiB, after %d: %ld KiB\n", n, first, 2 * n, second);
	printf("memory stays flat over dlopen, use and dlclose of %s: %s\n", argv[1],
	       (second - first) * 1024 < n * bound ? "ok" : "FAIL");
	return 0;
}
