/*
 * Library search for glibc programs (rtld/glibc/search.c, through the
 * core's rtld/search.c): the subdirectories tried in each directory,
 * checked against glibc's own loader on this machine and against glibc
 * 2.36's rules for other CPUs; the order cache, then system directories;
 * --inhibit-cache; DF_1_NODEFLIB; a corrupt or missing cache; and the
 * LD_DEBUG=libs lines, against glibc's.
 *
 * The test seam: an adapter of the tests' own, whose search_default and
 * search_subdirs are the glibc ones, and lt_glibc_search_setup's cache file.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include "rtld.h"
#include "audit.h"
#include "libc.h"
#include "load.h"
#include "trace.h"
#include "glibc/search.h"
#include "ldcache_writer.h"

/* seams.c's stand-in for audit.c's la_objsearch: what it was asked, and a name it refuses. */
extern FILE *lt_audit_seam_log;
extern const char *lt_audit_seam_refuse;

#define SYSTEM_DIRS "/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib:/usr/lib"
#define NOWHERE "/nonexistent-ld-teach"  /* the LD_LIBRARY_PATH of libs-trace.txt (unit.mk) */

static struct lt_libc_adapter adapter = {
	.name = "glibc-test",
	.system_dirs = SYSTEM_DIRS,
	.search_default = lt_glibc_search_default,
	.search_subdirs = lt_glibc_search_subdirs,
};

static char tree[64];  /* a directory of the test's own */

static void setup_tree(void)
{
	strcpy(tree, "/tmp/ld-teach-unit-XXXXXX");
	cr_assert(mkdtemp(tree) != NULL);
	lt = (struct lt_state){0};
	lt.libc = &adapter;
	adapter.system_dirs = SYSTEM_DIRS;
}

static void remove_tree(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tree);
	cr_expect(eq(int, system(cmd), 0));
	lt_debug_mask = 0;
}

/* tree/relative, with every directory on the way. */
static const char *in_tree(const char *relative)
{
	static char path[4][512];
	static int next;
	char *p = path[next++ % 4];
	snprintf(p, sizeof path[0], "%s/%s", tree, relative);
	return p;
}

static void make_file(const char *relative)
{
	char path[512];
	snprintf(path, sizeof path, "%s", in_tree(relative));
	for (char *slash = strchr(path + strlen(tree) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = 0;
		mkdir(path, 0755);
		*slash = '/';
	}
	int fd = open(path, O_WRONLY | O_CREAT, 0644);
	cr_assert(ge(int, fd, 0), "cannot create %s", path);
	close(fd);
}

/* The buffer a search builds its paths in, at the start of a page whose
 * predecessor cannot be read: a read before a path (the missing-directory
 * memo's end-of-path arithmetic gone wrong) faults at once, not only under
 * valgrind. */
static char *path_buffer(void)
{
	static char *path;
	if (!path) {
		size_t page = sysconf(_SC_PAGESIZE), size = page + (LT_PATH_MAX + page - 1) / page * page;
		char *base = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		cr_assert(ne(ptr, base, MAP_FAILED));
		cr_assert(eq(int, mprotect(base, page, PROT_NONE), 0));
		path = base + page;
	}
	return path;
}

/* lt_search_library's answer for `name`: the path found, or NULL. */
static const char *search(const char *name, const struct lt_object *requester, int setuid_only)
{
	char *path = path_buffer();
	int err;
	int fd = lt_search_library(name, requester, path, &err, setuid_only);
	if (fd < 0)
		return NULL;
	close(fd);
	return path;
}

static void expect_found_as(const char *name, const struct lt_object *requester, int setuid_only,
			    const char *want)
{
	const char *got = search(name, requester, setuid_only);
	if (want)
		cr_expect(got && !strcmp(got, want), "%s: found %s, not %s", name,
			  got ? got : "nothing", want);
	else
		cr_expect(eq(ptr, (void *)got, NULL), "%s: found %s", name, got);
}

static void expect_found(const char *name, const struct lt_object *requester, const char *want)
{
	expect_found_as(name, requester, 0, want);
}

/* ----- what glibc says about this machine ----- */

static FILE *open_reference(const char *file)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", GLIBC_REF_DIR, file);
	FILE *f = fopen(path, "r");
	cr_assert(f != NULL, "no %s: make builds it", path);
	return f;
}

/* The CPU as glibc's loader describes it in its --help. */
static struct lt_glibc_cpu cpu_from_ld_so_help(char *platform, size_t size)
{
	FILE *f = open_reference("ld-so-help.txt");
	struct lt_glibc_cpu cpu = {1, 0, 0};
	char line[256], name[64];
	int legacy = 0;
	while (fgets(line, sizeof line, f)) {
		if (strstr(line, "Legacy HWCAP subdirectories"))
			legacy = 1;
		if (sscanf(line, " %63s", name) != 1 || (!strstr(line, "(supported, searched)") &&
							 !strstr(line, "(AT_PLATFORM; supported, searched)")))
			continue;
		unsigned level;
		if (!legacy && sscanf(name, "x86-64-v%u", &level) == 1 && level > cpu.isa_level)
			cpu.isa_level = level;
		else if (legacy && strstr(line, "AT_PLATFORM"))
			snprintf(platform, size, "%s", name), cpu.platform = platform;
		else if (legacy && !strcmp(name, "x86_64"))
			cpu.hwcap |= LT_GLIBC_HWCAP_X86_64;
		else if (legacy && !strcmp(name, "avx512_1"))
			cpu.hwcap |= LT_GLIBC_HWCAP_AVX512_1;
	}
	fclose(f);
	return cpu;
}

/* The libs trace of glibc's loader for libc.so.6, without the pids:
 * its lines up to the blank line that ends that search. */
static size_t glibc_trace(char lines[][2048], size_t max)
{
	FILE *f = open_reference("libs-trace.txt");
	char line[2048];
	size_t n = 0;
	while (n < max && fgets(line, sizeof line, f)) {
		char *text = strchr(line, '\t');
		if (!text)
			continue;
		snprintf(lines[n++], sizeof lines[0], "%s", text + 1);
		if (!strcmp(text + 1, "\n"))
			break;
	}
	fclose(f);
	return n;
}

Test(glibc_search, subdirs_and_trace_match_glibc_on_this_machine, .init = setup_tree,
     .fini = remove_tree)
{
	char platform[64];
	struct lt_glibc_cpu cpu = cpu_from_ld_so_help(platform, sizeof platform);
	lt_glibc_search_setup(&cpu, LT_GLIBC_CACHE_FILE);
	static char want[64][2048];
	size_t nwant = glibc_trace(want, 64);
	cr_assert(gt(sz, nwant, 5), "glibc's trace has a search for libc.so.6");

	lt.library_path = NOWHERE;
	lt_debug_mask = LT_DBG_LIBS;
	char out[256];
	snprintf(out, sizeof out, "%s/trace", tree);
	fflush(stderr);
	int saved = dup(2), fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(fd, 2);
	const char *found = search("libc.so.6", 0, 0);
	dup2(saved, 2);
	close(fd);
	close(saved);
	cr_expect(found && !strcmp(found, "/lib/x86_64-linux-gnu/libc.so.6"));

	FILE *f = fopen(out, "r");
	char line[2048];
	size_t i = 0;
	while (fgets(line, sizeof line, f)) {
		char *text = strchr(line, '\t') + 1;
		if (!strncmp(text, "  found ", 8))
			continue;  /* ld-teach's own line, which glibc does not print */
		cr_expect(i < nwant && !strcmp(text, want[i]), "line %zu: ld-teach said\n%sglibc said\n%s",
			  i, text, i < nwant ? want[i] : "nothing");
		i++;
	}
	fclose(f);
	cr_expect(eq(sz, i, nwant), "as many lines as glibc's");
}

/* ----- glibc 2.36's subdirectories for other CPUs ----- */

static void expect_subdirs(struct lt_glibc_cpu cpu, const char *const *want)
{
	lt_glibc_search_setup(&cpu, LT_GLIBC_CACHE_FILE);
	const char *const *got = lt_glibc_search_subdirs();
	size_t i = 0;
	for (; want[i]; i++)
		cr_expect(got[i] && !strcmp(got[i], want[i]), "subdirectory %zu: %s, not %s", i,
			  got[i] ? got[i] : "(end)", want[i]);
	cr_expect(eq(ptr, (void *)got[i], NULL), "no more than %zu subdirectories", i);
}

/* An Intel CPU with AVX-512: glibc names its platform "haswell" and adds avx512_1. */
Test(glibc_search, subdirs_of_an_intel_avx512_cpu)
{
	static const char *const want[] = {
		"glibc-hwcaps/x86-64-v4/", "glibc-hwcaps/x86-64-v3/", "glibc-hwcaps/x86-64-v2/",
		"tls/haswell/avx512_1/x86_64/", "tls/haswell/avx512_1/", "tls/haswell/x86_64/",
		"tls/haswell/", "tls/avx512_1/x86_64/", "tls/avx512_1/", "tls/x86_64/", "tls/",
		"haswell/avx512_1/x86_64/", "haswell/avx512_1/", "haswell/x86_64/", "haswell/",
		"avx512_1/x86_64/", "avx512_1/", "x86_64/", "", 0};
	expect_subdirs((struct lt_glibc_cpu){4, LT_GLIBC_HWCAP_X86_64 | LT_GLIBC_HWCAP_AVX512_1,
					     "haswell"}, want);
}

Test(glibc_search, subdirs_of_smaller_cpus)
{
	static const char *const v2[] = {"glibc-hwcaps/x86-64-v2/", "tls/x86_64/x86_64/",
					  "tls/x86_64/", "tls/x86_64/", "tls/", "x86_64/x86_64/",
					  "x86_64/", "x86_64/", "", 0};
	expect_subdirs((struct lt_glibc_cpu){2, LT_GLIBC_HWCAP_X86_64, "x86_64"}, v2);
	static const char *const baseline[] = {"tls/x86_64/", "tls/", "x86_64/", "", 0};
	expect_subdirs((struct lt_glibc_cpu){1, LT_GLIBC_HWCAP_X86_64, 0}, baseline);
	static const char *const bare[] = {"tls/", "", 0};
	expect_subdirs((struct lt_glibc_cpu){0, 0, 0}, bare);
}

/* ----- the order of the search ----- */

static const struct lt_glibc_cpu v3 = {3, LT_GLIBC_HWCAP_X86_64, "x86_64"};

/* A cache in the tree naming files in the tree (names from the greatest down). */
static void write_cache(void)
{
	char cached[3][256];
	snprintf(cached[0], sizeof cached[0], "%s/cached/libq.so.1", tree);
	snprintf(cached[1], sizeof cached[1], "%s/sys1/libn.so.1", tree);
	snprintf(cached[2], sizeof cached[2], "%s/cached/libgone.so.1", tree);
	const struct ldc_entry e[] = {
		{LDC_X86_64, "libq.so.1", cached[0], 0},
		{LDC_X86_64, "libn.so.1", cached[1], 0},
		{LDC_X86_64, "libgone.so.1", cached[2], 0},
	};
	size_t size;
	unsigned char *file = ldc_write(LDC_NEW, e, 3, 0, 0, &size, 0);
	FILE *f = fopen(in_tree("ld.so.cache"), "wb");
	cr_assert(eq(sz, fwrite(file, 1, size, f), size));
	fclose(f);
	free(file);
}

/* The tree's own system directories and cache. */
static void use_tree(const struct lt_glibc_cpu *cpu)
{
	static char dirs[600];
	snprintf(dirs, sizeof dirs, "%s/sys1:%s/sys2", tree, tree);
	adapter.system_dirs = dirs;
	lt_glibc_search_setup(cpu, in_tree("ld.so.cache"));
}

Test(glibc_search, cache_before_system_dirs, .init = setup_tree, .fini = remove_tree)
{
	write_cache();
	make_file("cached/libq.so.1");
	make_file("sys1/libq.so.1");
	make_file("sys2/libgone.so.1");
	make_file("sys2/libs.so.1");
	use_tree(&v3);
	expect_found("libq.so.1", 0, in_tree("cached/libq.so.1"));
	expect_found("libgone.so.1", 0, in_tree("sys2/libgone.so.1"));  /* its file is missing */
	expect_found("libs.so.1", 0, in_tree("sys2/libs.so.1"));        /* not in the cache */
	expect_found("libnone.so.1", 0, NULL);
	lt.inhibit_cache = 1;
	expect_found("libq.so.1", 0, in_tree("sys1/libq.so.1"));
}

/* Subdirectories come first in each directory; the directories keep their order. */
Test(glibc_search, subdirs_in_every_directory, .init = setup_tree, .fini = remove_tree)
{
	make_file("sys1/glibc-hwcaps/x86-64-v4/libh.so");
	make_file("sys1/glibc-hwcaps/x86-64-v2/libh.so");
	make_file("sys1/x86_64/libh.so");
	make_file("sys1/libh.so");
	make_file("sys2/glibc-hwcaps/x86-64-v3/libh.so");
	make_file("llp/tls/libt.so");
	make_file("sys1/libt.so");
	use_tree(&v3);
	expect_found("libh.so", 0, in_tree("sys1/glibc-hwcaps/x86-64-v2/libh.so"));
	use_tree(&(struct lt_glibc_cpu){4, LT_GLIBC_HWCAP_X86_64, "x86_64"});
	expect_found("libh.so", 0, in_tree("sys1/glibc-hwcaps/x86-64-v4/libh.so"));
	use_tree(&(struct lt_glibc_cpu){1, LT_GLIBC_HWCAP_X86_64, "x86_64"});
	expect_found("libh.so", 0, in_tree("sys1/x86_64/libh.so"));
	use_tree(&(struct lt_glibc_cpu){0, 0, 0});
	expect_found("libh.so", 0, in_tree("sys1/libh.so"));
	static char llp[512];
	snprintf(llp, sizeof llp, "%s/llp", tree);
	lt.library_path = llp;
	expect_found("libt.so", 0, in_tree("llp/tls/libt.so"));
}

/* A requester with DF_1_NODEFLIB (or the program, when none requests):
 * no system directory, and no cache entry inside one. */
Test(glibc_search, nodeflib, .init = setup_tree, .fini = remove_tree)
{
	write_cache();
	make_file("cached/libq.so.1");
	make_file("sys1/libn.so.1");
	make_file("sys2/libs.so.1");
	use_tree(&v3);
	struct lt_object program = {.kind = LT_MAIN, .path = "prog", .flags_1 = DF_1_NODEFLIB};
	struct lt_object library = {.kind = LT_LIB, .path = "lib", .loader = &program};
	lt.main = &program;
	expect_found("libn.so.1", 0, NULL);
	expect_found("libs.so.1", 0, NULL);
	expect_found("libq.so.1", 0, in_tree("cached/libq.so.1"));
	expect_found("libn.so.1", &library, in_tree("sys1/libn.so.1"));
	program.flags_1 = 0;
	library.flags_1 = DF_1_NODEFLIB;
	expect_found("libn.so.1", 0, in_tree("sys1/libn.so.1"));
	expect_found("libn.so.1", &library, NULL);
}

/* The trace of a search, without pids, into `out`; returns the line count. */
static size_t traced_search(const char *name, char *out, size_t size)
{
	char file[256];
	snprintf(file, sizeof file, "%s/trace", tree);
	lt_debug_mask = LT_DBG_LIBS;
	fflush(stderr);
	int saved = dup(2), fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(fd, 2);
	search(name, 0, 0);
	dup2(saved, 2);
	close(fd);
	close(saved);
	lt_debug_mask = 0;
	FILE *f = fopen(file, "r");
	char line[1024];
	size_t n = 0, used = 0;
	out[0] = 0;
	while (fgets(line, sizeof line, f)) {
		used += snprintf(out + used, size - used, "%s", strchr(line, '\t') + 1);
		n++;
	}
	fclose(f);
	return n;
}

/* A corrupt cache is read once, said to be ignored once, and passed over. */
Test(glibc_search, corrupt_cache, .init = setup_tree, .fini = remove_tree)
{
	FILE *f = fopen(in_tree("ld.so.cache"), "w");
	fputs("glibc-ld.so.cache1.1 but not much more of one, and no entries at all\n", f);
	fclose(f);
	make_file("sys2/libs.so.1");
	use_tree(&(struct lt_glibc_cpu){0, 0, 0});
	char trace[4096], want[4096];
	traced_search("libs.so.1", trace, sizeof trace);
	snprintf(want, sizeof want,
		 "find library=libs.so.1 [0]; searching\n"
		 " search cache=%s/ld.so.cache\n"
		 " cache=%s/ld.so.cache ignored: it was written for another byte order\n"
		 " search path=%s/sys1/tls:%s/sys1:%s/sys2/tls:%s/sys2\t\t(system search path)\n"
		 "  trying file=%s/sys1/tls/libs.so.1\n"
		 "  trying file=%s/sys1/libs.so.1\n"
		 "  trying file=%s/sys2/tls/libs.so.1\n"
		 "  trying file=%s/sys2/libs.so.1\n"
		 "  found %s/sys2/libs.so.1\n"
		 "\n", tree, tree, tree, tree, tree, tree, tree, tree, tree, tree, tree);
	cr_expect(eq(str, trace, want));
	traced_search("libs.so.1", trace, sizeof trace);
	cr_expect(eq(ptr, strstr(trace, "ignored"), NULL), "said once");
}

Test(glibc_search, missing_cache, .init = setup_tree, .fini = remove_tree)
{
	make_file("sys1/libs.so.1");
	use_tree(&v3);
	char trace[8192];
	traced_search("libs.so.1", trace, sizeof trace);
	cr_expect(strstr(trace, " search cache=") != NULL);
	cr_expect(eq(ptr, strstr(trace, "ignored"), NULL));
	cr_expect(strstr(trace, "  found ") != NULL);
	lt.inhibit_cache = 1;
	traced_search("libs.so.1", trace, sizeof trace);
	cr_expect(eq(ptr, strstr(trace, "search cache"), NULL), "--inhibit-cache: no cache step");
}

/* An audit module in secure mode: no cache, and only a set-user-id file will do (glibc's rule). */
Test(glibc_search, audit_module_in_secure_mode, .init = setup_tree, .fini = remove_tree)
{
	write_cache();
	make_file("cached/libq.so.1");
	make_file("sys1/libq.so.1");
	make_file("sys2/libq.so.1");
	cr_assert(eq(int, chmod(in_tree("cached/libq.so.1"), 04755), 0));
	cr_assert(eq(int, chmod(in_tree("sys2/libq.so.1"), 04755), 0));
	use_tree(&v3);
	expect_found_as("libq.so.1", 0, 1, in_tree("sys2/libq.so.1"));
	expect_found_as("libq.so.1", 0, 0, in_tree("cached/libq.so.1"));
	cr_assert(eq(int, chmod(in_tree("sys2/libq.so.1"), 0755), 0));
	expect_found_as("libq.so.1", 0, 1, NULL);
}

/* la_objsearch sees every path tried, with the step it belongs to, and may refuse one. */
Test(glibc_search, audit_modules_see_each_path_tried, .init = setup_tree, .fini = remove_tree)
{
	write_cache();
	make_file("cached/libq.so.1");
	make_file("sys2/libq.so.1");
	use_tree(&(struct lt_glibc_cpu){0, 0, 0});
	static char llp[512];
	snprintf(llp, sizeof llp, "%s/llp", tree);
	lt.library_path = llp;
	char *log;
	size_t len;
	lt_audit_seam_log = open_memstream(&log, &len);
	lt_audit_count = 1;
	lt_audit_seam_refuse = "/cached/";
	expect_found("libq.so.1", 0, in_tree("sys2/libq.so.1"));
	lt_audit_count = 0;
	lt_audit_seam_refuse = NULL;
	fclose(lt_audit_seam_log);
	lt_audit_seam_log = NULL;
	char want[2048];  /* (a CPU of no hwcaps still has glibc's "tls" subdirectory) */
	snprintf(want, sizeof want, "%s/llp/tls/libq.so.1 2\n%s/llp/libq.so.1 2\n"
		 "%s/cached/libq.so.1 8\n%s/sys1/tls/libq.so.1 64\n%s/sys1/libq.so.1 64\n"
		 "%s/sys2/tls/libq.so.1 64\n%s/sys2/libq.so.1 64\n", tree, tree, tree, tree, tree, tree,
		 tree);
	cr_expect(eq(str, log, want));
	free(log);
}
