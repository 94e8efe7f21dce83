/* For the dlopen test programs: is an object whose path contains `name` mapped? */
#ifndef MU_MAPS_H
#define MU_MAPS_H

#include <stdio.h>
#include <string.h>

static int mapped(const char *name)
{
	char line[512];
	int found = 0;
	FILE *f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof line, f))
		found |= strstr(line, name) != NULL;
	if (f)
		fclose(f);
	return found;
}

#endif
