/*
 * What libc and debuggers can read of every link_map, beyond <link.h>'s
 * public head: the private fields at the offsets of glibc's own layout
 * (build/glibc/layout.h), one line per object, after a dlopen with
 * RTLD_GLOBAL (libgl-order-a.so, which needs libgl-order-d.so) and one
 * without (libgl-inline1.so).  Addresses are printed from l_addr (but
 * l_relro_addr, which glibc keeps unrelocated), so that
 * glibc's loader and ld-teach give the same lines, and names and origins
 * by their last part (which path leads to them depends on how the program
 * was started); the loaders' own maps and the vDSO's, which differ by
 * design, are left out.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "layout.h"

#define FIELD(m, f, T) (*(T *)((char *)(m) + GLIBC_OFF_link_map__##f))
#define BITS(m, f) bits(m, GLIBC_BITOFF_link_map__##f, GLIBC_BITSIZE_link_map__##f)

static unsigned bits(const struct link_map *m, unsigned off, unsigned n)
{
	uint64_t word;
	memcpy(&word, (const char *)m + off / 64 * 8, sizeof word);
	return (word >> (off % 64)) & ((1ULL << n) - 1);
}

/* An address of the object, from its l_addr; 0 stays 0. */
static uintptr_t rel(const struct link_map *m, uintptr_t addr)
{
	return addr ? addr - m->l_addr : 0;
}

static const char *last_part(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static int is_a_loader_or_the_vdso(const char *name)
{
	return strstr(name, "ld-linux") || strstr(name, "ld-teach") || strstr(name, "vdso");
}

static void show(const struct link_map *m)
{
	printf("%s: type %u relocated %u global %u real %d phnum %u entry %#lx flags_1 %#x"
	       " relro %#lx+%#zx",
	       *m->l_name ? last_part(m->l_name) : "(program)", BITS(m, l_type), BITS(m, l_relocated),
	       BITS(m, l_global), FIELD(m, l_real, const void *) == m, FIELD(m, l_phnum, uint16_t),
	       rel(m, FIELD(m, l_entry, uintptr_t)), FIELD(m, l_flags_1, uint32_t),
	       FIELD(m, l_relro_addr, uintptr_t), FIELD(m, l_relro_size, size_t));
	if (*m->l_name) {
		/* (The program's span and origin depend on how it was started, in glibc too.) */
		const char *origin = FIELD(m, l_origin, const char *);
		printf(" span %#lx-%#lx text to %#lx origin %s", rel(m, FIELD(m, l_map_start, uintptr_t)),
		       rel(m, FIELD(m, l_map_end, uintptr_t)), rel(m, FIELD(m, l_text_end, uintptr_t)),
		       origin ? last_part(origin) : "(none)");
	}
	if (FIELD(m, l_tls_modid, size_t))
		printf(" tls module %zu: %zu bytes (image %zu) align %zu first byte %zu",
		       FIELD(m, l_tls_modid, size_t), FIELD(m, l_tls_blocksize, size_t),
		       FIELD(m, l_tls_initimage_size, size_t), FIELD(m, l_tls_align, size_t),
		       FIELD(m, l_tls_firstbyte_offset, size_t));
	printf("\n");
}

int main(void)
{
	struct link_map *m;
	if (!dlopen("libgl-order-a.so", RTLD_NOW | RTLD_GLOBAL) ||
	    !dlopen("libgl-inline1.so", RTLD_LAZY) ||
	    dlinfo(dlopen(NULL, RTLD_NOW), RTLD_DI_LINKMAP, &m) != 0) {
		printf("%s\n", dlerror());
		return 1;
	}
	for (; m; m = m->l_next)
		if (!is_a_loader_or_the_vdso(m->l_name))
			show(m);
	return 0;
}
