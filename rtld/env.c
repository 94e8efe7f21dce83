#include "rtld.h"
#include "string.h"

const char *lt_getenv(const char *name)
{
	size_t len = strlen(name);
	for (char **e = lt.envp; e && *e; e++)
		if (!strncmp(*e, name, len) && (*e)[len] == '=')
			return *e + len + 1;
	return 0;
}
