/*
 * dlglobal LIB...: dlopen of each LIB in turn with RTLD_GLOBAL, until the
 * global scope has had to grow.  The out-of-memory scan of
 * tests/integration/dl.sh fails each allocation in turn: a dlopen that
 * fails must leave nothing of its library behind.
 */
#include <dlfcn.h>
#include <stdio.h>
#include "maps.h"

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!dlopen(argv[i], RTLD_NOW | RTLD_GLOBAL)) {
			printf("dlopen of %s failed (%s); it is %s\n", argv[i], dlerror(),
			       mapped(argv[i]) ? "still mapped" : "unmapped");
			return 1;
		}
	printf("%d libraries opened with RTLD_GLOBAL\n", argc - 1);
	return 0;
}
