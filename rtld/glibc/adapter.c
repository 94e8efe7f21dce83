/*
 * The glibc adapter, core side: for now it only recognises glibc's
 * objects, so that a glibc program is refused with one clear line.
 */
#include "rtld.h"
#include "libc.h"

static int claims(const struct lt_object *obj)
{
	return lt_object_needs(obj, "libc.so.6") || lt_object_needs(obj, "ld-linux-x86-64.so.2");
}

static int supported(void)
{
	lt_error("%s: programs built for glibc are not supported yet: they need the glibc "
		 "adapter (musl and freestanding programs work)", lt.main->path);
	return 0;
}

const struct lt_libc_adapter lt_glibc_adapter = {
	.name = "glibc",
	.claims = claims,
	.system_dirs = "/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib:/usr/lib",
	.supported = supported,
};
