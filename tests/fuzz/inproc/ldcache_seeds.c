/*
 * Seeds for the ldcache harness (ldcache.c): small caches in the three
 * formats, with glibc-hwcaps and legacy hwcap entries, written by the unit
 * tests' writer into the directory given.
 */
#include <stdio.h>
#include <stdlib.h>
#include "ldcache_writer.h"

static const char *const subdirs[] = {"x86-64-v2", "x86-64-v3", "x86-64-v4"};
static const struct ldc_entry entries[] = {
	{LDC_X86_64, "libz.so.1", "/v3/libz.so.1", LDC_HWCAPS(1, 2)},
	{LDC_X86_64, "libz.so.1", "/lib/libz.so.1", 0},
	{LDC_X86_64, "libfoo.so.10", "/lib/libfoo.so.10", 0},
	{LDC_X86_64, "libfoo.so.9", "/tls/libfoo.so.9", 1ull << 63},
	{LDC_I386, "libc.so.6", "/lib32/libc.so.6", 0},
	{LDC_X86_64, "libc.so.6", "/haswell/libc.so.6", (1ull << 50) | 2},
	{LDC_X86_64, "libc.so.6", "/lib/libc.so.6", 0},
};

int main(int argc, char **argv)
{
	static const char *const names[] = {"new", "old", "combined"};
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIRECTORY\n", argv[0]);
		return 2;
	}
	for (int format = LDC_NEW; format <= LDC_COMBINED; format++) {
		char path[4096];
		size_t size;
		unsigned char *file = ldc_write(format, entries, sizeof entries / sizeof *entries,
						subdirs, 3, &size, 0);
		snprintf(path, sizeof path, "%s/%s.cache", argv[1], names[format]);
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(file, 1, size, f) != size || fclose(f))
			return perror(path), 1;
		free(file);
	}
	return 0;
}
