/*
 * dlmeta: what debuggers and unwinders see.  The r_debug structure that
 * DT_DEBUG points to lists every object and is consistent between calls;
 * dl_iterate_phdr's dlpi_adds and dlpi_subs count objects added and removed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
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

static void check(const char *what, int ok) { printf("%s: %s\n", what, ok ? "ok" : "FAIL"); }

int main(void)
{
	struct r_debug *r = r_debug_from_dt_debug();
	check("DT_DEBUG points at r_debug", r && r->r_version == 1 && r->r_brk);
	check("r_debug is consistent", r && r->r_state == RT_CONSISTENT);
	check("r_map lists libc.so", r && listed(r, "libc.so"));
	dl_iterate_phdr(counters, NULL);
	unsigned long long adds0 = adds, subs0 = subs;
	void *h = dlopen("libmu-small.so", RTLD_NOW);
	dl_iterate_phdr(counters, NULL);
	check("dlopen: r_map lists it", h && listed(r, "libmu-small.so") && r->r_state == RT_CONSISTENT);
	check("dlopen: dlpi_adds grows", adds > adds0 && subs == subs0);
	dlclose(h);
	dl_iterate_phdr(counters, NULL);
	check("dlclose: r_map drops it", !listed(r, "libmu-small.so") && r->r_state == RT_CONSISTENT);
	check("dlclose: dlpi_subs grows", subs > subs0);
	return 0;
}
