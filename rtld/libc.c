#include "libc.h"
#include "debug.h"
#include "str.h"

static int needs(const struct lt_object *o, const char *lib)
{
	for (size_t i = 0; i < o->nneeded_names; i++)
		if (!strcmp(o->needed_names[i], lib))
			return 1;
	return 0;
}

/*
 * The program's own DT_NEEDED entries tell: musl-gcc programs need
 * "libc.so", glibc programs "libc.so.6".  PT_INTERP does not: a program
 * without any libc, linked by plain gcc, still names glibc's loader.
 */
enum lt_flavour lt_libc_detect(const struct lt_object *main)
{
	if (needs(main, "libc.so"))
		return LT_MUSL;
	if (needs(main, "libc.so.6"))
		return LT_GLIBC;
	return LT_FREESTANDING;
}

const char *lt_libc_name(void)
{
	static const char *const names[] = {"freestanding", "musl", "glibc"};
	return names[lt.flavour];
}

const char *lt_libc_library(const char *name)
{
	return lt.flavour == LT_MUSL ? lt_musl_library(name) : 0;
}

int lt_libc_supported(void)
{
	if (lt.flavour == LT_GLIBC) {
		lt_error("%s: programs built for glibc are not supported yet: they need the glibc "
			 "adapter (musl and freestanding programs work)", lt.main->path);
		return 0;
	}
	return 1;
}

/* A program with no libc: the core sets up TLS and runs the libraries' constructors. */
static void start_freestanding(struct lt_handoff *out)
{
	const uint64_t *random = (const uint64_t *)lt.aux[AT_RANDOM];
	lt_tls_setup_minimal(random ? *random : 0);
	lt_run_initializers(0);
	out->fini = lt_run_finalizers;
}

void lt_libc_start(struct lt_handoff *out)
{
	lt_debug(LT_DBG_FILES, "libc flavour: %s", lt_libc_name());
	if (lt.flavour == LT_MUSL)
		lt_musl_start(out);
	else
		start_freestanding(out);
}
