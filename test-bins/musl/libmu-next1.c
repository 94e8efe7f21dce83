/* libmu-next1.so: nx() reaches the next definition with RTLD_NEXT. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

const char *nx(void)
{
	static char buf[64];
	const char *(*next)(void) = (const char *(*)(void))dlsym(RTLD_NEXT, "nx");
	snprintf(buf, sizeof buf, "libmu-next1 -> %s", next ? next() : "nothing");
	return buf;
}
