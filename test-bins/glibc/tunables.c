/*
 * What two tunables change: glibc.rtld.optional_static_tls (the static TLS
 * block libc gives each thread) and glibc.malloc.perturb (the bytes malloc
 * hands out), read through the loader's answers to libc.
 */
#include <stdio.h>
#include <stdlib.h>

void _dl_get_tls_static_info(size_t *size, size_t *align);

int main(void)
{
	size_t size, align;
	_dl_get_tls_static_info(&size, &align);
	volatile unsigned char *p = malloc(100);  /* (what malloc left there is the point) */
	printf("static TLS %zu bytes, aligned %zu; fresh malloc byte %#x\n", size, align, p[50]);
	free((void *)p);
	return 0;
}
