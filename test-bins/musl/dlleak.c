/*
 * dlleak [LIB [N]]: dlopen and dlclose LIB, a library with TLS
 * (libmu-tls.so by default), N times (5000 by default), then N times more.  Memory must stay flat: over the second
 * round the resident set (VmRSS in /proc/self/status) may not grow by a
 * quarter of what leaking 32 bytes a cycle would add.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long rss_kib(void)
{
	char line[128];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6))
			kib = atol(line + 6);
	if (f)
		fclose(f);
	return kib;
}

static int open_and_close(const char *lib, int n)
{
	for (int i = 0; i < n; i++) {
		void *h = dlopen(lib, RTLD_NOW);
		if (!h) {
			printf("dlopen %s: %s: FAIL\n", lib, dlerror());
			return 0;
		}
		dlclose(h);
	}
	return 1;
}

int main(int argc, char **argv)
{
	const char *lib = argc > 1 ? argv[1] : "libmu-tls.so";
	int n = argc > 2 ? atoi(argv[2]) : 5000;
	if (!open_and_close(lib, n))
		return 1;
	long first = rss_kib();
	if (!open_and_close(lib, n))
		return 1;
	long second = rss_kib();
	printf("VmRSS after %d cycles: %ld KiB, after %d: %ld KiB\n", n, first, 2 * n, second);
	printf("memory stays flat over dlopen and dlclose of a library with TLS: %s\n",
	       (second - first) * 1024 < n * 32 / 4 ? "ok" : "FAIL");
	return 0;
}
