/*
 * dlcases: the dl* behaviours where ld-teach follows glibc for every libc,
 * one case per run, printed rather than checked.  tests/integration/dl.sh
 * runs the glibc-built program under glibc's loader for the reference and
 * both flavours under ld-teach, and compares.  Paths are printed without
 * their directories, so that both flavours print the same.  The argument
 * names the case:
 *   nodelete   a library linked -z nodelete survives dlclose, with its state
 *   rtdeps     a library that found a definition through dlsym, or bound
 *              one on a lazy call, keeps its definer loaded
 *   finiexit   a destructor that dlcloses, at exit, a library bound to it
 *   finiclose  a destructor that dlcloses, inside a dlclose
 *   unique     STB_GNU_UNIQUE: one definition across RTLD_LOCAL libraries
 *   scope      a later dlopen of a library that needs one already loaded
 *              adds its scope to that library's
 *   dst        $ORIGIN, $LIB and $PLATFORM in names given to dlopen
 *   refuse     dlopen of -z nodlopen libraries and of executables
 *   noload     RTLD_NOLOAD of a name the libc may fold into itself
 *   tls        dynamic TLS exists in a thread once the thread uses it
 *   tlschurn   and goes when the thread exits
 *   middle     a library closed out of the middle of the global scope
 *              leaves the one opened after it there
 *   aliases    a library loaded already, opened by a symbolic link and by
 *              a hard link to its file: the same object
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "maps.h"
#include "rss.h"

#define RTLD_DI_TLS_DATA 10

int noopen_value(void);  /* from libmu-noopen.so, linked -z nodlopen: loaded at start-up */

/* Print `text` with every path shortened to its last component. */
static void print_tidy(const char *text)
{
	const char *word = text;
	for (const char *p = text;; p++) {
		if (*p && *p != ' ' && *p != ':' && *p != '\n')
			continue;
		const char *slash = memrchr(word, '/', p - word);
		const char *from = slash ? slash + 1 : word;
		fwrite(from, 1, p - from, stdout);
		if (!*p)
			break;
		putchar(*p);
		word = p + 1;
	}
	putchar('\n');
}

/* What dlopen said: "opened", or dlerror's text. */
static void print_open(const char *what, void *h)
{
	printf("%s: ", what);
	print_tidy(h ? "opened" : dlerror());
}

static void *sym(void *h, const char *name)
{
	return h ? dlsym(h, name) : 0;
}

/* Opens LIB and finds NAME in it; when either fails, says what dlopen said
 * and returns NULL.  *HANDLE is the handle either way. */
static void *open_and_find(const char *lib, int flags, const char *name, void **handle)
{
	*handle = dlopen(lib, flags);
	void *found = sym(*handle, name);
	if (!found)
		print_open(lib, *handle);
	return found;
}

static const char *mapped_or_not(const char *name)
{
	return mapped(name) ? "mapped" : "unmapped";
}

static void nodelete(void)
{
	void *h;
	int (*bump)(void) = (int (*)(void))open_and_find("libmu-znodel.so", RTLD_NOW, "znodel_bump", &h);
	if (!bump)
		return;
	bump();
	printf("before dlclose: count %d\n", bump());
	dlclose(h);
	printf("after dlclose: libmu-znodel.so is %s\n", mapped_or_not("libmu-znodel.so"));
	h = dlopen("libmu-znodel.so", RTLD_NOW | RTLD_NOLOAD);
	bump = (int (*)(void))sym(h, "znodel_bump");
	printf("opened again with RTLD_NOLOAD: %s, count %d\n", h ? "a handle" : "NULL", bump ? bump() : -1);
}

static void rtdeps(void)
{
	void *a = dlopen("libmu-rta.so", RTLD_NOW | RTLD_GLOBAL);
	void *b = dlopen("libmu-rtb.so", RTLD_NOW), *c = dlopen("libmu-rtc.so", RTLD_LAZY);
	int (*b_find)(void) = (int (*)(void))sym(b, "rtb_find");
	int (*b_call)(void) = (int (*)(void))sym(b, "rtb_call");
	int (*c_call)(void) = (int (*)(void))sym(c, "rtc_call");
	if (!a || !b_find || !b_call || !c_call) {
		print_open("libmu-rta.so, libmu-rtb.so, libmu-rtc.so", 0);
		return;
	}
	printf("libmu-rtb.so found rta_value: %s\n", b_find() ? "yes" : "no");
	printf("libmu-rtc.so calls it: %d\n", c_call());
	dlclose(a);
	printf("after closing libmu-rta.so: it is %s; through libmu-rtb.so %d, through libmu-rtc.so %d\n",
	       mapped_or_not("libmu-rta.so"), b_call(), c_call());
	dlclose(b);
	printf("after closing libmu-rtb.so: libmu-rta.so is %s\n", mapped_or_not("libmu-rta.so"));
	dlclose(c);
	printf("after closing libmu-rtc.so: libmu-rta.so is %s\n", mapped_or_not("libmu-rta.so"));
}

/* The program returns with both libraries loaded: their destructors run at exit. */
static void finiexit(void)
{
	void *h;
	int (*run)(void) = (int (*)(void))open_and_find("libmu-fini2.so", RTLD_LAZY | RTLD_GLOBAL, "fini2_run", &h);
	if (!run)
		return;
	printf("fini2_run: %d\n", run());
	dlclose(h);
	printf("closed libmu-fini2.so: it is %s, libmu-fini3.so is %s\n", mapped_or_not("libmu-fini2.so"),
	       mapped_or_not("libmu-fini3.so"));
}

static void finiclose(void)
{
	void *h = dlopen("libmu-fini4.so", RTLD_NOW);
	if (!h) {
		print_open("libmu-fini4.so", h);
		return;
	}
	dlclose(h);
	printf("closed libmu-fini4.so: it is %s, libmu-fini5.so is %s\n", mapped_or_not("libmu-fini4.so"),
	       mapped_or_not("libmu-fini5.so"));
}

static void unique(void)
{
	print_open("libmu-uniqfail.so (needs libmu-uniq1.so, calls what nothing defines)",
		   dlopen("libmu-uniqfail.so", RTLD_NOW));
	printf("after it: libmu-uniq1.so is %s\n", mapped_or_not("libmu-uniq1.so"));
	void *u1 = dlopen("libmu-uniq1.so", RTLD_NOW), *u2 = dlopen("libmu-uniq2.so", RTLD_NOW);
	int *(*addr1)(void) = (int *(*)(void))sym(u1, "uniq1_address");
	int *(*addr2)(void) = (int *(*)(void))sym(u2, "uniq2_address");
	if (!addr1 || !addr2) {
		print_open("libmu-uniq1.so, libmu-uniq2.so", 0);
		return;
	}
	printf("uniq_counter: one object: %s; value %d\n", addr1() == addr2() ? "yes" : "no", *addr2());
	printf("dlsym through each handle finds it: %s\n",
	       dlsym(u1, "uniq_counter") == addr1() && dlsym(u2, "uniq_counter") == addr1() ? "yes" : "no");
	dlclose(u1);
	printf("after closing libmu-uniq1.so: it is %s; the value through libmu-uniq2.so %d\n",
	       mapped_or_not("libmu-uniq1.so"), *addr2());
	dlclose(u2);
	void *many = dlopen("libmu-uniqmany.so", RTLD_NOW);
	int (*sum)(void) = (int (*)(void))sym(many, "uniq_many_sum");
	if (sum)
		printf("a hundred unique objects in one library: sum %d\n", sum());
	else
		print_open("libmu-uniqmany.so", many);
}

/* libmu-rpb.so, loaded by libmu-rpa.so (through its DT_RPATH) and kept by
 * a handle of its own after libmu-rpa.so is closed, searches for what it
 * dlopens as if the program had loaded it: libmu-rpc.so, found only
 * through libmu-rpa.so's DT_RPATH, is not found any more. */
static void loadergone(void)
{
	void *a = dlopen("libmu-rpa.so", RTLD_NOW);
	void *b = dlopen("libmu-rpb.so", RTLD_NOW | RTLD_NOLOAD);
	void *(*rpb_open)(const char *) = (void *(*)(const char *))sym(b, "rpb_open");
	if (!a || !rpb_open) {
		print_open("libmu-rpa.so", a);
		return;
	}
	dlclose(a);
	printf("libmu-rpb.so's dlopen of libmu-rpc.so once libmu-rpa.so is closed: ");
	void *c = rpb_open("libmu-rpc.so");
	print_tidy(c ? "opened" : dlerror());
}

/* A thread's dynamic TLS block keeps its values when a later dlopen makes
 * every thread's dtv out of date: the next access brings the dtv up to
 * date and finds the same block. */
static void tlskeep(void)
{
	void *h;
	int *(*touch)(void) = (int *(*)(void))open_and_find("libmu-dtls.so", RTLD_NOW, "dtls_touch", &h);
	if (!touch)
		return;
	int *before = touch();
	*before = 42;
	void *later = dlopen("libmu-tls.so", RTLD_NOW);
	int *after = touch();
	printf("libmu-dtls.so's variable after libmu-tls.so was opened: %s, value %d\n",
	       !later ? "(libmu-tls.so not opened)" : after == before ? "the same place" : "elsewhere", *after);
}

/* RTLD_GLOBAL for a library first loaded as another's dependency: it and
 * what it needs become global, not the library that brought it. */
static void promote(void)
{
	void *a = dlopen("libmu-a.so", RTLD_NOW);
	if (!a) {
		print_open("libmu-a.so", a);
		return;
	}
	void *c = dlopen("libmu-c.so", RTLD_NOW | RTLD_GLOBAL);
	if (!c) {
		print_open("libmu-c.so", c);
		return;
	}
	printf("libmu-c.so made global after libmu-a.so needed it: c_value found by default: %s, "
	       "a_value: %s\n", dlsym(RTLD_DEFAULT, "c_value") ? "yes" : "no",
	       dlsym(RTLD_DEFAULT, "a_value") ? "yes" : "no");
}

/* A library opened RTLD_GLOBAL whose constructor opens another one
 * RTLD_GLOBAL: both join the global scope, the second first. */
static void ctorglobal(void)
{
	void *g = dlopen("libmu-ctorg.so", RTLD_NOW | RTLD_GLOBAL);
	if (!g) {
		print_open("libmu-ctorg.so", g);
		return;
	}
	printf("libmu-ctorg.so made global after its constructor opened libmu-ctorm.so: found by "
	       "default: ctorg_value %s, wide_19 (its last library's) %s, ctorm_value %s\n",
	       dlsym(RTLD_DEFAULT, "ctorg_value") ? "yes" : "no", dlsym(RTLD_DEFAULT, "wide_19") ? "yes" : "no",
	       dlsym(RTLD_DEFAULT, "ctorm_value") ? "yes" : "no");
}

/* A library whose 33 objects join the global scope at once. */
static void wide(void)
{
	void *h;
	int (*sum)(void) = (int (*)(void))open_and_find("libmu-wide.so", RTLD_NOW | RTLD_GLOBAL, "wide_sum", &h);
	if (!sum)
		return;
	int (*last)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "wide_32");
	printf("libmu-wide.so and the 32 libraries it needs, global: sum %d, wide_32 found by default: %d\n",
	       sum(), last ? last() : -1);
}

/*
 * Eight threads make their first calls through libmu-widecall.so at once,
 * each to a function of another library it does not need, opened
 * RTLD_GLOBAL: eight bindings noted for one object at the same moment.
 * Each binding must keep its library once that library's handle is closed.
 */
#define RACERS 8
static pthread_barrier_t start_line;

static void *first_call(void *call)
{
	pthread_barrier_wait(&start_line);
	return (void *)(long)((int (*)(void))call)();
}

static int one_race(void)
{
	char name[RACERS][40];
	void *wide[RACERS], *calls[RACERS];
	pthread_t t[RACERS];
	int lost = 0;
	for (int i = 0; i < RACERS; i++) {
		snprintf(name[i], sizeof name[i], "lib/wide/libmu-w%d.so", i + 1);
		wide[i] = dlopen(name[i], RTLD_NOW | RTLD_GLOBAL);
	}
	void *h = dlopen("libmu-widecall.so", RTLD_LAZY);
	for (int i = 0; i < RACERS; i++) {
		char call[16];
		snprintf(call, sizeof call, "call_%d", i + 1);
		if (!wide[i] || !h || !(calls[i] = dlsym(h, call)))
			return -1;
	}
	pthread_barrier_init(&start_line, 0, RACERS);
	for (int i = 0; i < RACERS; i++)
		pthread_create(&t[i], 0, first_call, calls[i]);
	for (int i = 0; i < RACERS; i++) {
		void *answer;
		pthread_join(t[i], &answer);
		if ((long)answer != i + 1)
			return -1;
	}
	pthread_barrier_destroy(&start_line);
	for (int i = 0; i < RACERS; i++)
		dlclose(wide[i]);
	for (int i = 0; i < RACERS; i++) {
		void *still = dlopen(name[i], RTLD_NOW | RTLD_NOLOAD);
		if (still)
			dlclose(still);
		else
			lost++;
	}
	dlclose(h);
	return lost;
}

static void race(void)
{
	const int rounds = 200;
	int lost = 0;
	for (int r = 0; r < rounds; r++) {
		int n = one_race();
		if (n < 0) {
			printf("race: a library, a function or an answer was missing: %s\n", dlerror());
			return;
		}
		lost += n;
	}
	printf("%d rounds of %d first calls at once: libraries lost %d\n", rounds, RACERS, lost);
}

static void scope(void)
{
	void *a = dlopen("libmu-sca.so", RTLD_LAZY);
	print_open("libmu-sca.so", a);
	void *b = dlopen("libmu-scb.so", RTLD_LAZY);
	print_open("libmu-scb.so", b);
	int (*call)(void) = (int (*)(void))sym(a, "sca_call");
	if (call && b)
		printf("sca_call, through libmu-scc.so to libmu-scb.so's sc_hook: %d\n", call());
}

static void middle(void)
{
	void *first = dlopen("libmu-small.so", RTLD_NOW | RTLD_GLOBAL);
	print_open("libmu-small.so, RTLD_GLOBAL", first);
	void *second = dlopen("libmu-g1.so", RTLD_NOW | RTLD_GLOBAL);
	print_open("libmu-g1.so, RTLD_GLOBAL", second);
	printf("dlclose of libmu-small.so: %d; it is %s\n", first ? dlclose(first) : -1,
	       mapped_or_not("libmu-small.so"));
	int (*g_value)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "g_value");
	printf("g_value through the global scope: %d\n", g_value ? g_value() : -1);
	printf("small_add through it: %s\n", dlsym(RTLD_DEFAULT, "small_add") ? "found" : "gone");
}

static void dst(void)
{
	print_open("$ORIGIN/lib/libmu-g1.so", dlopen("$ORIGIN/lib/libmu-g1.so", RTLD_NOW));
	print_open("${ORIGIN}/lib/sub/libmu-leaf.so", dlopen("${ORIGIN}/lib/sub/libmu-leaf.so", RTLD_NOW));
	print_open("$ORIGIN/libmu-leaf.so", dlopen("$ORIGIN/libmu-leaf.so", RTLD_NOW));
	void *opener = dlopen("$ORIGIN/lib/sub/libmu-dstopen.so", RTLD_NOW);
	void *(*dst_open)(const char *) = (void *(*)(const char *))sym(opener, "dst_open");
	if (!dst_open) {
		print_open("libmu-dstopen.so", opener);
		return;
	}
	print_open("$ORIGIN/libmu-leaf.so, from lib/sub/libmu-dstopen.so",
		   dst_open("$ORIGIN/libmu-leaf.so"));
	const char *tokens[] = {"$ORIGIN/dst/$LIB/libmu-dst.so", "$ORIGIN/dst/$PLATFORM/libmu-dst.so",
				"$ORIGIN/dst/${PLATFORM}/libmu-dst.so", "$ORIGIN/dst/$UNKNOWN/libmu-dst.so"};
	for (size_t i = 0; i < sizeof tokens / sizeof *tokens; i++) {
		void *h = dlopen(tokens[i], RTLD_NOW);
		const char *(*where)(void) = (const char *(*)(void))sym(h, "dst_where");
		if (where)
			printf("%s: the copy under %s\n", tokens[i], where());
		else
			print_open(tokens[i], h);
	}
}

static void refuse(void)
{
	print_open("libmu-noopen2.so (-z nodlopen)", dlopen("libmu-noopen2.so", RTLD_NOW));
	printf("libmu-noopen2.so is %s\n", mapped_or_not("libmu-noopen2.so"));
	print_open("libmu-needsnoopen.so, which needs it", dlopen("libmu-needsnoopen.so", RTLD_NOW));
	printf("libmu-needsnoopen.so is %s\n", mapped_or_not("libmu-needsnoopen.so"));
	void *h = dlopen("libmu-noopen.so", RTLD_NOW);
	print_open("libmu-noopen.so (-z nodlopen, loaded at start-up)", h);
	printf("its noopen_value: %d\n", sym(h, "noopen_value") == (void *)noopen_value ? noopen_value() : -1);
	print_open("./hello (an executable, PIE)", dlopen("./hello", RTLD_NOW));
	print_open("./copyreloc (an executable, not PIE)", dlopen("./copyreloc", RTLD_NOW));
	printf("after the refusals: hello is %s\n", mapped_or_not("/hello"));
}

static void noload(void)
{
	void *h = dlopen("libm.so.6", RTLD_NOW);
	print_open("libm.so.6", h);
	void *again = dlopen("libm.so.6", RTLD_NOW | RTLD_NOLOAD);
	printf("RTLD_NOLOAD: %s; cos found: %s\n", !again ? "NULL" : again == h ? "the same handle" : "another handle",
	       sym(again, "cos") ? "yes" : "no");
}

/* Has this thread a block of the module yet?  Then is it where its variable is? */
static struct tls_module {
	const char *name;
	void *handle;
	int *(*touch)(void);
} tls_modules[] = {{"libmu-dtls.so", 0, 0}, {"libmu-dtlsdesc.so", 0, 0}};

/* (`modules`: how many of tls_modules to show: in the thread that opened
 * libmu-dtlsdesc.so glibc's dtv does not show the static block it gave it.) */
static void print_tls_data(const char *thread, size_t modules)
{
	for (size_t i = 0; i < modules; i++) {
		const struct tls_module *m = &tls_modules[i];
		void *data = (void *)1;
		dlinfo(m->handle, RTLD_DI_TLS_DATA, &data);
		printf("%s, %s before using it: %s\n", thread, m->name, data ? "a block" : "NULL");
		int *var = m->touch();
		dlinfo(m->handle, RTLD_DI_TLS_DATA, &data);
		printf("%s, %s after: %s, value %d\n", thread, m->name,
		       data == (void *)var ? "its block" : "something else", *var);
	}
}

static void *tls_thread(void *arg)
{
	print_tls_data(arg, sizeof tls_modules / sizeof *tls_modules);
	return 0;
}

/* General-dynamic TLS, allocated in each thread on first use; and TLS
 * descriptors, for which glibc takes static TLS while a little is left. */
static void tls(void)
{
	for (size_t i = 0; i < sizeof tls_modules / sizeof *tls_modules; i++) {
		struct tls_module *m = &tls_modules[i];
		m->handle = dlopen(m->name, RTLD_NOW);
		if (!(m->touch = (int *(*)(void))sym(m->handle, "dtls_touch"))) {
			print_open(m->name, m->handle);
			return;
		}
	}
	print_tls_data("main thread", 1);
	pthread_t t;
	pthread_create(&t, 0, tls_thread, "a new thread");
	pthread_join(t, 0);
}

static char *(*big_tls)(void);

static void *use_big_tls(void *arg)
{
	(void)arg;
	big_tls()[1000] = 1;
	return 0;
}

/* Threads that used a dynamic module, one after the other: each block goes with its thread. */
static void tlschurn(void)
{
	void *h = dlopen("libmu-bigtls.so", RTLD_NOW);
	if (!(big_tls = (char *(*)(void))sym(h, "big_address"))) {
		print_open("libmu-bigtls.so", h);
		return;
	}
	const int threads = 2000;  /* 4 KiB each: 8 MiB if their blocks stayed */
	long before = rss_kib();
	for (int i = 0; i < threads; i++) {
		pthread_t t;
		pthread_create(&t, 0, use_big_tls, 0);
		pthread_join(t, 0);
	}
	printf("%d threads used libmu-bigtls.so's TLS and exited: memory %s\n", threads,
	       rss_kib() - before < 4096 ? "given back" : "kept");
}

/* Three libraries, each opened by its name and then by two other names
 * of its file, lib/alias/soft-NAME (a symbolic link) and hard-NAME (a
 * hard link; test-bins.mk makes both).  The names match none of the
 * object's, so only the file's device and inode can say it is loaded. */
static void aliases(void)
{
	static const char *const libs[] = {"libmu-c.so", "libmu-data.so", "libmu-g1.so"};
	void *handles[3][3];
	for (size_t i = 0; i < 3; i++) {
		handles[i][0] = dlopen(libs[i], RTLD_NOW);
		print_open(libs[i], handles[i][0]);
		for (int k = 1; k < 3; k++) {
			char name[64];
			snprintf(name, sizeof name, "lib/alias/%s-%s", k == 1 ? "soft" : "hard", libs[i]);
			void *h = handles[i][k] = dlopen(name, RTLD_NOW);
			printf("%s: ", name);
			print_tidy(!h ? dlerror() : h == handles[i][0] ? "the same handle" : "another handle");
		}
	}
	/* One copy of libmu-data.so's data: bumped through one name, read through the others. */
	void (*bump)(void) = (void (*)(void))sym(handles[1][0], "mu_bump");
	if (bump)
		bump();
	for (int k = 1; k < 3; k++) {
		int (*get)(void) = (int (*)(void))sym(handles[1][k], "mu_read");
		printf("mu_counter, bumped through libmu-data.so, read through its %s link: %d\n",
		       k == 1 ? "symbolic" : "hard", get ? get() : -1);
	}
}

static const struct {
	const char *name;
	void (*run)(void);
} cases[] = {
	{"nodelete", nodelete}, {"rtdeps", rtdeps}, {"finiexit", finiexit}, {"finiclose", finiclose},
	{"unique", unique},     {"scope", scope},   {"dst", dst},           {"refuse", refuse},
	{"noload", noload},     {"tls", tls},       {"tlschurn", tlschurn}, {"middle", middle},
	{"wide", wide},         {"race", race},     {"promote", promote},   {"tlskeep", tlskeep},
	{"loadergone", loadergone}, {"ctorglobal", ctorglobal}, {"aliases", aliases},
};

int main(int argc, char **argv)
{
	const char *which = argc > 1 ? argv[1] : "";
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (!strcmp(which, cases[i].name)) {
			cases[i].run();
			return 0;
		}
	fprintf(stderr, "dlcases: no case named '%s'\n", which);
	return 2;
}
