/*
 * maplimit LIB: fills this process's mappings up to the kernel's limit
 * (vm.max_map_count), one page at a time, then gives them back one by one,
 * trying dlopen of LIB after each, and prints every distinct failure
 * (dlerror) on the way, until LIB opens.  Whatever step of loading LIB
 * needs one mapping more than there is room for fails there, cleanly.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: maplimit LIB\n");
		return 2;
	}
	size_t cap = 1 << 20, n = 0;
	void **maps = malloc(cap * sizeof *maps);
	char last[512] = "";
	setvbuf(stdout, 0, _IONBF, 0);
	/* Neighbours of other protections never merge: each page is a mapping. */
	while (maps && n < cap) {
		void *p = mmap(0, 4096, n % 2 ? PROT_READ : PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			break;
		maps[n++] = p;
	}
	for (size_t given = 1; given <= 64 && given <= n; given++) {
		munmap(maps[n - given], 4096);
		void *h = dlopen(argv[1], RTLD_NOW);
		if (h) {
			printf("opened once %zu mappings were given back\n", given);
			return 0;
		}
		const char *why = dlerror();
		if (why && strcmp(why, last)) {
			printf("failed: %s\n", why);
			snprintf(last, sizeof last, "%s", why);
		}
	}
	printf("never opened\n");
	return 1;
}
