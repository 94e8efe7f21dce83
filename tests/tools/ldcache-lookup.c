/*
 * ld-teach's reading of an ld.so.cache file (rtld/glibc/cache.c), for
 * tests/integration/ldcache.sh:
 *
 *   ldcache-lookup CACHE ISA-LEVEL HWCAP PLATFORM NAME...
 *
 * prints "NAME FILE" for each name ("-" when the cache has none for it),
 * for a CPU of ISA-LEVEL (0-4), glibc's masked hwcap bits HWCAP and
 * PLATFORM ("-" for none).  A refused cache: its reason, exit status 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "glibc/cache.h"

static unsigned char *read_whole(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return perror(path), NULL;
	fseek(f, 0, SEEK_END);
	*size = ftell(f);
	rewind(f);
	unsigned char *p = malloc(*size ? *size : 1);
	if (fread(p, 1, *size, f) != *size)
		return perror(path), NULL;
	fclose(f);
	return p;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: %s CACHE ISA-LEVEL HWCAP PLATFORM NAME...\n", argv[0]);
		return 2;
	}
	size_t size;
	unsigned char *file = read_whole(argv[1], &size);
	if (!file)
		return 2;
	struct lt_glibc_cache c;
	const char *why;
	if (lt_glibc_cache_parse(&c, file, size, &why) < 0) {
		printf("%s: refused: %s\n", argv[1], why);
		return 1;
	}
	struct lt_glibc_cpu cpu = {strtoul(argv[2], 0, 0), strtoull(argv[3], 0, 0),
				   strcmp(argv[4], "-") ? argv[4] : NULL};
	for (int i = 5; i < argc; i++) {
		const char *found = lt_glibc_cache_lookup(&c, argv[i], &cpu);
		printf("%s %s\n", argv[i], found ? found : "-");
	}
	free(file);
	return 0;
}
