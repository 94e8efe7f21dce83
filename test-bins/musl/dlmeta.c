/*
 * dlmeta: what debuggers and unwinders see.  The r_debug structure that
 * DT_DEBUG points to lists every object and is consistent between calls;
 * dl_iterate_phdr's dlpi_adds and dlpi_subs count objects added and removed,
 * and its dlpi_phdr points where each object maps its program headers.
 * The library opened is libmu-small.so, or argv[1].
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern Elf64_Dyn _DYNAMIC[];

static struct r_debug *r_debug_from_dt_debug(void)
{
	for (Elf64_Dyn *d = _DYNAMIC; d->d_tag != DT_NULL; d++)
		if (d->d_tag == DT_DEBUG)
			return (struct r_debug *)d->d_un.d_ptr;
	return NULL;
}

static int listed(struct r_debug *r, const char *name)
{
	for (struct link_map *m = r->r_map; m; m = m->l_next)
		if (strstr(m->l_name, name))
			return 1;
	return 0;
}

static unsigned long long adds, subs;
static int counters(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size, (void)data;
	adds = info->dlpi_adds;
	subs = info->dlpi_subs;
	return 1;
}

/*
 * Where an object maps its program headers, from what dl_iterate_phdr
 * says of it: its ELF header is where its PT_LOAD of offset 0 maps it,
 * and the headers where a PT_LOAD holding e_phoff and all the headers
 * maps them.  0 when no PT_LOAD does (the loader then keeps a copy).
 */
static uintptr_t where_mapped(const struct dl_phdr_info *info)
{
	const ElfW(Phdr) *ph = info->dlpi_phdr;
	const ElfW(Ehdr) *eh = NULL;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0 && ph[i].p_filesz >= sizeof *eh)
			eh = (const ElfW(Ehdr) *)(info->dlpi_addr + ph[i].p_vaddr);
	if (!eh || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return 0;
	size_t size = (size_t)eh->e_phnum * sizeof *ph;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (ph[i].p_type == PT_LOAD && eh->e_phoff >= ph[i].p_offset &&
		    eh->e_phoff + size <= ph[i].p_offset + ph[i].p_filesz)
			return info->dlpi_addr + ph[i].p_vaddr + (eh->e_phoff - ph[i].p_offset);
	return 0;
}

/* Objects whose dlpi_phdr is not where they map their headers, and whether the library was seen. */
static int misplaced, library_seen;
static const char *library;
static int phdrs_in_place(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size, (void)data;
	uintptr_t want = where_mapped(info);
	if (want && (uintptr_t)info->dlpi_phdr != want) {
		printf("%s: dlpi_phdr %p, its headers mapped at %#lx\n", info->dlpi_name ? info->dlpi_name : "?",
		       (void *)info->dlpi_phdr, (unsigned long)want);
		misplaced++;
	}
	if (info->dlpi_name && strstr(info->dlpi_name, library) && want)
		library_seen = 1;
	return 0;
}

static void check(const char *what, int ok) { printf("%s: %s\n", what, ok ? "ok" : "FAIL"); }

int main(int argc, char **argv)
{
	library = argc > 1 ? argv[1] : "libmu-small.so";
	struct r_debug *r = r_debug_from_dt_debug();
	check("DT_DEBUG points at r_debug", r && r->r_version == 1 && r->r_brk);
	check("r_debug is consistent", r && r->r_state == RT_CONSISTENT);
	check("r_map lists libc.so", r && listed(r, "libc.so"));
	dl_iterate_phdr(counters, NULL);
	unsigned long long adds0 = adds, subs0 = subs;
	void *h = dlopen(library, RTLD_NOW);
	dl_iterate_phdr(counters, NULL);
	check("dlopen: r_map lists it", h && listed(r, library) && r->r_state == RT_CONSISTENT);
	check("dlopen: dlpi_adds grows", adds > adds0 && subs == subs0);
	dl_iterate_phdr(phdrs_in_place, NULL);
	check("dlopen: every dlpi_phdr is where its object maps its headers", h && library_seen && !misplaced);
	dlclose(h);
	dl_iterate_phdr(counters, NULL);
	check("dlclose: r_map drops it", !listed(r, library) && r->r_state == RT_CONSISTENT);
	check("dlclose: dlpi_subs grows", subs > subs0);
	return 0;
}
