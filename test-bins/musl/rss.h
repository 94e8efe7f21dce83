/* For the test programs that measure their memory: the resident set size, in KiB (-1 if unknown). */
#ifndef MU_RSS_H
#define MU_RSS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline long rss_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6))
			kib = atol(line + 6);
	if (f)
		fclose(f);
	return kib;
}

#endif
