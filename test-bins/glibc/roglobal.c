/* The loader's read-only data stays read-only: writing _rtld_global_ro (the
 * table through which libc calls dlopen, dlsym and dlclose) after start-up
 * kills the program, under glibc's loader and under ld-teach's stand-in. */
#include <dlfcn.h>
#include <stdio.h>

int main(void)
{
	volatile char *glro = dlsym(RTLD_DEFAULT, "_rtld_global_ro");
	if (!glro) {
		printf("no _rtld_global_ro: %s\n", dlerror());
		return 1;
	}
	printf("found _rtld_global_ro\n");
	fflush(stdout);
	glro[0] = glro[0];
	printf("_rtld_global_ro is writable\n");
	return 0;
}
