/*
 * What the loader that started this glibc program told glibc about the
 * CPU, for tests/integration/glibc-cpu.sh to compare glibc's loader with
 * ld-teach under emulated CPUs: struct cpu_features, _dl_hwcap, _dl_hwcap2
 * and _dl_platform from _rtld_global_ro (where layout.h says they are),
 * and libc's sysconf answers about the caches, which it takes from them.
 *
 * Prints one line each: "cpu_features" and its bytes in hex, "hwcap",
 * "hwcap2", "platform", then "NAME VALUE" for each cache query.
 */
#include <dlfcn.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "layout.h"

#define GLRO(member) (glro + GLIBC_OFF_rtld_global_ro___dl_##member)

static uint64_t word_at(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

#define QUERY(name) { #name, name }
static const struct {
	const char *name;
	int query;
} cache_queries[] = {
	QUERY(_SC_LEVEL1_ICACHE_SIZE), QUERY(_SC_LEVEL1_ICACHE_ASSOC), QUERY(_SC_LEVEL1_ICACHE_LINESIZE),
	QUERY(_SC_LEVEL1_DCACHE_SIZE), QUERY(_SC_LEVEL1_DCACHE_ASSOC), QUERY(_SC_LEVEL1_DCACHE_LINESIZE),
	QUERY(_SC_LEVEL2_CACHE_SIZE),  QUERY(_SC_LEVEL2_CACHE_ASSOC),  QUERY(_SC_LEVEL2_CACHE_LINESIZE),
	QUERY(_SC_LEVEL3_CACHE_SIZE),  QUERY(_SC_LEVEL3_CACHE_ASSOC),  QUERY(_SC_LEVEL3_CACHE_LINESIZE),
	QUERY(_SC_LEVEL4_CACHE_SIZE),  QUERY(_SC_LEVEL4_CACHE_ASSOC),  QUERY(_SC_LEVEL4_CACHE_LINESIZE),
};

int main(void)
{
	const unsigned char *glro = dlsym(RTLD_DEFAULT, "_rtld_global_ro");
	if (!glro) {
		printf("no _rtld_global_ro: %s\n", dlerror());
		return 1;
	}
	const char *platform = (const char *)word_at(GLRO(platform));

	printf("cpu_features ");
	for (size_t i = 0; i < GLIBC_SIZEOF_rtld_global_ro___dl_x86_cpu_features; i++)
		printf("%02x", GLRO(x86_cpu_features)[i]);
	printf("\nhwcap %#" PRIx64 "\nhwcap2 %#" PRIx64 "\nplatform %s\n", word_at(GLRO(hwcap)),
	       word_at(GLRO(hwcap2)), platform ? platform : "(null)");
	for (size_t i = 0; i < sizeof cache_queries / sizeof cache_queries[0]; i++)
		printf("%s %ld\n", cache_queries[i].name, sysconf(cache_queries[i].query));
	return 0;
}
