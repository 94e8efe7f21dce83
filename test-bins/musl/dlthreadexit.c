/*
 * dlthreadexit [N [BOUND]]: threads that each use the dynamic TLS of two
 * libraries (libmu-bigtls.so through __tls_get_addr, libmu-bigdesc.so
 * through TLS descriptors), one block of over 4 KiB each, and exit, one
 * thread after another, N times (2000 by default), then N times more.  A
 * thread's blocks go when it exits: over the second round the resident set
 * (VmRSS) may grow by less than BOUND bytes a thread (64 by default).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "rss.h"

static char *(*big_address)(void), *(*desc_address)(void);

static void *use_both(void *arg)
{
	(void)arg;
	big_address()[1] += 1;
	desc_address()[1] += 1;
	return 0;
}

static int threads(int n)
{
	for (int i = 0; i < n; i++) {
		pthread_t t;
		if (pthread_create(&t, 0, use_both, 0) || pthread_join(t, 0)) {
			printf("thread %d: FAIL\n", i);
			return 0;
		}
	}
	return 1;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	long bound = argc > 2 ? atol(argv[2]) : 64;
	void *big = dlopen("libmu-bigtls.so", RTLD_NOW), *desc = dlopen("libmu-bigdesc.so", RTLD_NOW);
	big_address = big ? (char *(*)(void))dlsym(big, "big_address") : 0;
	desc_address = desc ? (char *(*)(void))dlsym(desc, "desc_address") : 0;
	if (!big_address || !desc_address) {
		printf("%s: FAIL\n", dlerror());
		return 1;
	}
	if (!threads(n))
		return 1;
	long first = rss_kib();
	if (!threads(n))
		return 1;
	long second = rss_kib();
	printf("VmRSS after %d threads: %ld KiB, after %d: %ld KiB\n", n, first, 2 * n, second);
	printf("memory stays flat over threads that use dynamic TLS and exit: %s\n",
	       (second - first) * 1024 < n * bound ? "ok" : "FAIL");
	return 0;
}
