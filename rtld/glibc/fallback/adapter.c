/*
 * The glibc adapter when the build could not generate glibc's layouts
 * (no libc6-dbg for the installed glibc): it recognises glibc's objects,
 * so that a glibc program is refused with one clear line.
 */
#include "rtld.h"
#include "libc.h"

static int claims(const struct lt_object *obj)
{
	return lt_object_needs(obj, "libc.so.6") || lt_object_needs(obj, "ld-linux-x86-64.so.2");
}

static int supported(void)
{
	lt_error("%s: a glibc program, but this ld-teach was built without glibc's layouts: "
		 "install libc6-dbg for the installed glibc and rebuild (make)", lt.main->path);
	return 0;
}

static void hand_off(struct lt_handoff *out)
{
	(void)out;  /* never reached: supported() refuses first */
}

const struct lt_libc_adapter lt_glibc_adapter = {
	.name = "glibc",
	.claims = claims,
	.system_dirs = "/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib:/usr/lib",
	.supported = supported,
	.hand_off = hand_off,
};
