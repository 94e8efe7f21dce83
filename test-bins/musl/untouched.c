/*
 * untouched OFFSET...: for each offset (hex) into ld-teach.so's memory, is
 * its page still untouched when main runs?  (mincore: a page the loader
 * never read or wrote is not resident.)  For the tests of what a small
 * start leaves alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static unsigned long loader_base(void)
{
	char line[4096];
	FILE *maps = fopen("/proc/self/maps", "r");
	unsigned long base = 0;
	while (maps && !base && fgets(line, sizeof line, maps)) {
		size_t n = strlen(line);
		if (n > 13 && !strcmp(line + n - 13, "/ld-teach.so\n"))
			base = strtoul(line, 0, 16);
	}
	if (maps)
		fclose(maps);
	return base;
}

int main(int argc, char **argv)
{
	unsigned long base = loader_base(), page = sysconf(_SC_PAGESIZE);
	if (!base) {
		puts("ld-teach.so is not mapped");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		unsigned long at = (base + strtoul(argv[i], 0, 16)) & ~(page - 1);
		unsigned char in;
		if (mincore((void *)at, page, &in) < 0) {
			perror("mincore");
			return 1;
		}
		printf("%s %s\n", argv[i], in & 1 ? "touched" : "untouched");
	}
	return 0;
}
