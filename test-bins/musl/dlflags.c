/*
 * dlflags: what each dlopen flag means.  RTLD_LOCAL keeps a library's
 * symbols out of the global scope; RTLD_GLOBAL (or a later dlopen with it)
 * puts them in; RTLD_NODELETE keeps a library after dlclose; RTLD_DEEPBIND
 * puts a library's own definitions before the program's; RTLD_NEXT finds
 * the next definition; dlvsym picks a version; a dlopen'ed library's own
 * dependencies are found through its $ORIGIN; a library another one bound
 * to stays until that one is gone.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include "maps.h"

/* glibc's extensions, which ld-teach's libc.so for musl provides (musl's
 * own does not: dlvsym is looked up at run time). */
#ifndef RTLD_DEEPBIND
#define RTLD_DEEPBIND 8
#endif
typedef void *dlvsym_fn(void *handle, const char *name, const char *version);

const char *mu_whoami(void) { return "the program"; }

static void check(const char *what, int ok) { printf("%s: %s\n", what, ok ? "ok" : "FAIL"); }

static void local_and_global(void)
{
	void *g1 = dlopen("libmu-g1.so", RTLD_NOW | RTLD_LOCAL);
	check("RTLD_LOCAL: dlsym through the handle", g1 && dlsym(g1, "g_value"));
	check("RTLD_LOCAL: not in the global scope", !dlsym(RTLD_DEFAULT, "g_value"));
	const char *e;
	check("RTLD_LOCAL: others cannot bind to it",
	      !dlopen("libmu-g2.so", RTLD_NOW) && (e = dlerror()) && strstr(e, "g_value"));
	void *again = dlopen("libmu-g1.so", RTLD_NOW | RTLD_GLOBAL);
	/* Not through RTLD_DEFAULT, which keeps g1 loaded under glibc (see dldiffer.c). */
	void *global = dlopen(NULL, RTLD_NOW);
	check("promoted to RTLD_GLOBAL by a second dlopen", again == g1 && dlsym(global, "g_value"));
	void *g2 = dlopen("libmu-g2.so", RTLD_NOW);
	int (*g2_calls)(void) = g2 ? (int (*)(void))dlsym(g2, "g2_calls") : 0;
	check("now others bind to it", g2_calls && g2_calls() == 11);
	dlclose(g2);
	dlclose(again);
	dlclose(g1);
	check("closed three times, gone", !mapped("libmu-g1.so") && !mapped("libmu-g2.so"));
}

static void nodelete(void)
{
	void *h = dlopen("libmu-nodel.so", RTLD_NOW | RTLD_NODELETE);
	dlclose(h);
	check("RTLD_NODELETE: still there after dlclose", mapped("libmu-nodel.so"));
	void *h2 = dlopen("libmu-nodel.so", RTLD_NOW | RTLD_NOLOAD);
	int (*v)(void) = h2 ? (int (*)(void))dlsym(h2, "nodel_value") : 0;
	check("RTLD_NODELETE: and usable", v && v() == 99);
}

static void deepbind(void)
{
	void *plain = dlopen("libmu-deep.so", RTLD_NOW);
	const char *(*ask)(void) = (const char *(*)(void))dlsym(plain, "deep_asks");
	check("without RTLD_DEEPBIND the program's definition wins", ask && !strcmp(ask(), "the program"));
	dlclose(plain);
	void *deep = dlopen("libmu-deep.so", RTLD_NOW | RTLD_DEEPBIND);
	ask = (const char *(*)(void))dlsym(deep, "deep_asks");
	check("with RTLD_DEEPBIND its own definition wins", ask && !strcmp(ask(), "libmu-deep"));
	dlclose(deep);
}

static void next_and_versions(void)
{
	const char *(*nx)(void) = (const char *(*)(void))dlsym(RTLD_DEFAULT, "nx");
	check("RTLD_NEXT", nx && !strcmp(nx(), "libmu-next1 -> libmu-next2"));
	void *h = dlopen("libmu-vers.so", RTLD_NOW);
	dlvsym_fn *dlvsym = (dlvsym_fn *)dlsym(RTLD_DEFAULT, "dlvsym");
	int (*def)(void) = (int (*)(void))dlsym(h, "v_fn");
	int (*old)(void) = dlvsym ? (int (*)(void))dlvsym(h, "v_fn", "V1") : 0;
	check("dlsym gives the default version, dlvsym the one asked", def && old && def() == 2 && old() == 1);
	check("dlvsym of a missing version fails", dlvsym && !dlvsym(h, "v_fn", "V9") && dlerror());
	dlclose(h);
	void *self = dlopen(NULL, RTLD_NOW);
	check("dlopen(NULL) searches the global scope", self && dlsym(self, "mu_whoami") == (void *)mu_whoami);
}

static void origin(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/lib/sub/libmu-root.so", dir);
	void *h = dlopen(path, RTLD_NOW);
	int (*root)(void) = h ? (int (*)(void))dlsym(h, "root_value") : 0;
	check("a dlopen'ed library finds its own dependency through $ORIGIN", root && root() == 50);
	dlclose(h);
	check("and both go with it", !mapped("libmu-root.so") && !mapped("libmu-leaf.so"));
}

static void bound_to_stays(void)
{
	void *x = dlopen("libmu-x.so", RTLD_NOW | RTLD_GLOBAL);
	void *y = dlopen("libmu-y.so", RTLD_NOW);
	int (*y_calls)(void) = y ? (int (*)(void))dlsym(y, "y_calls") : 0;
	check("libmu-y bound to libmu-x", y_calls && y_calls() == 14);
	fflush(stdout);
	dlclose(x);
	check("libmu-x stays while libmu-y is bound to it", mapped("libmu-x.so") && y_calls() == 14);
	fflush(stdout);
	dlclose(y);
	check("both gone once libmu-y is closed", !mapped("libmu-x.so") && !mapped("libmu-y.so"));
}

int main(int argc, char **argv)
{
	(void)argc;
	char dir[4096];
	snprintf(dir, sizeof dir, "%.4000s", argv[0]);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	local_and_global();
	nodelete();
	deepbind();
	next_and_versions();
	origin(dir);
	bound_to_stays();
	return 0;
}
