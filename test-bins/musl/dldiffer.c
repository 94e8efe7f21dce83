/*
 * dldiffer: what a loader does where glibc's and musl's differ, printed
 * rather than checked.  tests/integration/dl.sh compares the glibc-built
 * program with glibc's loader, and states what ld-teach does for the
 * musl-built one.  The argument names the case:
 *   noload   dlerror after dlopen with RTLD_NOLOAD of a library not loaded
 *   pinned   whether a library stays after its last dlclose once the
 *            program found one of its symbols through dlsym(RTLD_DEFAULT)
 *   bigie    dlerror after a dlopen refused for initial-exec TLS that does
 *            not fit in the static TLS surplus
 *   origin   dlopen of $ORIGIN/lib/libmu-g1.so (musl's loader expands no
 *            token in a dlopen name; glibc's does, but in a set-user-id
 *            program only into a trusted directory)
 *   finiorder  the order of destructors at exit: glibc's loader sorts the
 *            objects (each before what it needs or bound to, else in load
 *            order), musl's runs them in the reverse of construction
 *   self     dlopen of the program's own file, by the name it was started
 *            by: glibc's loader refuses it as any executable, musl's
 *            returns the program
 *   adds     dl_iterate_phdr's dlpi_adds: glibc's loader counts the objects
 *            added (start-up's too), musl's every dlopen that succeeds,
 *            from 0
 *   progorigin  dlinfo(RTLD_DI_ORIGIN) of the program: glibc's loader
 *            leaves its directory unset unless a $ORIGIN of the program's
 *            own needed it, and its dlinfo then crashes; musl has no
 *            RTLD_DI_ORIGIN
 *   chdirorigin  a library opened by a relative path, after the working
 *            directory changed: its RTLD_DI_ORIGIN, and a $ORIGIN name it
 *            gives dlopen.  glibc's loader made its directory absolute
 *            when it loaded it; musl's keeps names relative
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <link.h>
#include "maps.h"

static void noload(void)
{
	void *h = dlopen("libmu-dl.so", RTLD_NOW | RTLD_NOLOAD);
	const char *e = dlerror();
	printf("RTLD_NOLOAD of a library not loaded gives %s; dlerror: %s\n", h ? "a handle" : "NULL",
	       e ? e : "(none)");
}

static void pinned(void)
{
	void *h = dlopen("libmu-g1.so", RTLD_NOW | RTLD_GLOBAL);
	void *found = dlsym(RTLD_DEFAULT, "g_value");
	dlclose(h);
	printf("g_value found through RTLD_DEFAULT: %s; after the last dlclose libmu-g1.so is %s\n",
	       found ? "yes" : "no", mapped("libmu-g1.so") ? "still mapped" : "unmapped");
}

static void bigie(void)
{
	puts(dlopen("libmu-bigie.so", RTLD_NOW) ? "libmu-bigie.so was loaded" : dlerror());
}

static void origin(void)
{
	puts(dlopen("$ORIGIN/lib/libmu-g1.so", RTLD_NOW) ? "$ORIGIN/lib/libmu-g1.so was loaded" : dlerror());
}

/* (Printed without the name: the glibc-built program and its -lt twin say the same.) */
static void self(const char *me)
{
	void *h = dlopen(me, RTLD_NOW);
	const char *why = h ? "" : dlerror(), *reason = why ? strstr(why, ": ") : 0;
	printf("dlopen of the program's own file: %s\n",
	       h ? (h == dlopen(0, RTLD_NOW) ? "the program's handle" : "another handle")
		 : reason ? reason + 2 : "NULL");
}

static unsigned long long dlpi_adds;

static int read_adds(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size, (void)data;
	dlpi_adds = info->dlpi_adds;
	return 1;
}

static unsigned long long adds_now(void)
{
	dl_iterate_phdr(read_adds, 0);
	return dlpi_adds;
}

static void adds(void)
{
	unsigned long long start = adds_now();
	int opened = !!dlopen("libmu-c.so", RTLD_NOW);
	unsigned long long after_new = adds_now();
	opened += !!dlopen("libmu-c.so", RTLD_NOW);
	unsigned long long after_again = adds_now();
	opened += !!dlopen("libmu-a.so", RTLD_NOW);
	/* (The start-up objects glibc counts: ld-teach's link_maps have one more, ld-teach.so's own.) */
	printf("dlpi_adds: %s at start; a new library +%llu, the same again +%llu, another +%llu (%d opened)\n",
	       start ? "some" : "0", after_new - start, after_again - after_new, adds_now() - after_again,
	       opened);
}

/* libmu-y.so binds to libmu-x.so, loaded after libmu-fini5.so; all stay open. */
static void finiorder(void)
{
	int opened = !!dlopen("libmu-fini5.so", RTLD_NOW) + !!dlopen("libmu-x.so", RTLD_NOW | RTLD_GLOBAL) +
		     !!dlopen("libmu-y.so", RTLD_NOW);
	printf("returning with %d libraries open\n", opened);
}

#define DI_ORIGIN 6  /* RTLD_DI_ORIGIN, glibc's value: musl's <dlfcn.h> lacks it */

static void progorigin(void)
{
	char dir[4096];
	void *h = dlopen(0, RTLD_NOW);
	if (h && dlinfo(h, DI_ORIGIN, dir) == 0)
		printf("the program's origin: %s\n", dir);
	else
		printf("no origin; dlerror: %s\n", dlerror());
}

static void chdirorigin(void)
{
	char dir[4096];
	void *h = dlopen("lib/sub/libmu-dstopen.so", RTLD_NOW);
	void *(*open_for_it)(const char *) = h ? (void *(*)(const char *))dlsym(h, "dst_open") : 0;
	if (!open_for_it || chdir("/")) {
		printf("cannot set up: %s\n", h ? "dst_open or chdir" : dlerror());
		return;
	}
	printf("after chdir(\"/\"), its origin: %s\n", dlinfo(h, DI_ORIGIN, dir) == 0 ? dir : dlerror());
	puts(open_for_it("$ORIGIN/libmu-leaf.so") ? "$ORIGIN/libmu-leaf.so was loaded" : dlerror());
}

int main(int argc, char **argv)
{
	const char *which = argc > 1 ? argv[1] : "";
	if (!strcmp(which, "noload"))
		noload();
	else if (!strcmp(which, "pinned"))
		pinned();
	else if (!strcmp(which, "bigie"))
		bigie();
	else if (!strcmp(which, "origin"))
		origin();
	else if (!strcmp(which, "finiorder"))
		finiorder();
	else if (!strcmp(which, "self"))
		self(argv[0]);
	else if (!strcmp(which, "adds"))
		adds();
	else if (!strcmp(which, "progorigin"))
		progorigin();
	else if (!strcmp(which, "chdirorigin"))
		chdirorigin();
	else {
		fprintf(stderr, "dldiffer: no case named '%s' (noload, pinned, bigie, origin, finiorder, self, adds, progorigin, chdirorigin)\n", which);
		return 2;
	}
	return 0;
}
