/*
 * glibc's search after RUNPATH, and its subdirectories (search.h).
 *
 * The cache is mapped at the first search that needs it, and dropped when
 * start-up's loading, or a dlopen's, is over, as glibc does: a later
 * dlopen maps it again, and so sees what ldconfig changed meanwhile, and
 * a running program does not keep its pages.
 */
#include "rtld.h"
#include "audit.h"
#include "libc.h"
#include "load.h"
#include "str.h"
#include "sys.h"
#include "trace.h"
#include "search.h"

/*
 * The subdirectories: up to 3 glibc-hwcaps ones, then every subset of at
 * most 4 legacy names (2 hwcap bits, the platform, "tls"), 16 in all.
 * With a platform of at most PLATFORM_MAX bytes the texts need under 800.
 */
#define SUBDIRS_MAX (3 + 16)
#define PLATFORM_MAX 64
#define SUBDIR_TEXT 1024

static struct {
	const char *file;
	struct lt_glibc_cpu cpu;
	const char *subdirs[SUBDIRS_MAX + 1];
	char text[SUBDIR_TEXT];
	int set_up;
	int cache_read;  /* mapped and parsed, or found absent or corrupt */
	void *map;
	size_t map_size;
	struct lt_glibc_cache cache;  /* all zero unless the file was usable */
} g = {.file = LT_GLIBC_CACHE_FILE};

static char *put(char *at, const char *s)
{
	size_t n = strlen(s);
	memcpy(at, s, n);
	return at + n;
}

static char *put_subdir(char *at, const char *prefix, const char *name)
{
	at = put(put(at, prefix), name);
	*at++ = '/';
	return at;
}

/*
 * glibc's legacy names, in its order: the hwcap bits from the lowest, the
 * platform, "tls".  Each subset is a subdirectory, the names in reverse
 * order; the subsets come from the whole set down to the empty one (the
 * directory itself), as glibc's power-set construction lists them.
 */
static void add_legacy_subdirs(const struct lt_glibc_cpu *cpu, size_t k, char *at)
{
	const char *names[4];
	unsigned n = 0;
	if (cpu->hwcap & LT_GLIBC_HWCAP_X86_64)
		names[n++] = "x86_64";
	if (cpu->hwcap & LT_GLIBC_HWCAP_AVX512_1)
		names[n++] = "avx512_1";
	if (cpu->platform && strnlen(cpu->platform, PLATFORM_MAX + 1) <= PLATFORM_MAX)
		names[n++] = cpu->platform;
	names[n++] = "tls";
	for (unsigned i = 0; i < 1u << n; i++) {
		unsigned subset = (1u << n) - 1 - i;
		g.subdirs[k++] = at;
		for (unsigned j = n; j-- > 0;)
			if (subset & (1u << j))
				at = put_subdir(at, "", names[j]);
		*at++ = 0;
	}
	g.subdirs[k] = 0;
}

static void build_subdirs(const struct lt_glibc_cpu *cpu)
{
	char *at = g.text;
	size_t k = 0;
	for (const char *name; (name = lt_glibc_hwcaps_name(cpu->isa_level, k)); k++) {
		g.subdirs[k] = at;
		at = put_subdir(at, "glibc-hwcaps/", name);
		*at++ = 0;
	}
	add_legacy_subdirs(cpu, k, at);
}

void lt_glibc_search_done(void)
{
	if (g.map)
		sys_munmap(g.map, g.map_size);
	g.map = 0;
	g.cache = (struct lt_glibc_cache){0};
	g.cache_read = 0;
}

void lt_glibc_search_setup(const struct lt_glibc_cpu *cpu, const char *cache_file)
{
	lt_glibc_search_done();
	g.file = cache_file;
	g.cpu = *cpu;
	build_subdirs(cpu);
	g.set_up = 1;
}

const char *const *lt_glibc_search_subdirs(void)
{
	return g.set_up ? g.subdirs : 0;
}

/* Map and parse the cache file; absent or unreadable, it is silently not
 * there, as for glibc. */
static void read_cache(void)
{
	g.cache_read = 1;
	long fd = sys_open(g.file, O_RDONLY);
	if (fd < 0)
		return;
	struct stat st;
	void *map = 0;
	if (sys_fstat(fd, &st) == 0 && st.st_size > 0)
		map = sys_mmap(0, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	sys_close(fd);
	if (!map || sys_mmap_failed(map))
		return;
	const char *why;
	if (lt_glibc_cache_parse(&g.cache, map, st.st_size, &why) < 0) {
		trace_cache_ignored(g.file, why);
		sys_munmap(map, st.st_size);
		return;
	}
	g.map = map;
	g.map_size = st.st_size;
}

/* Does `path` lie under one of the libc's system directories? */
static int under_system_dir(const char *path)
{
	for (const char *dir = lt.libc->system_dirs;;) {
		const char *end = strchr(dir, ':');
		size_t n = end ? (size_t)(end - dir) : strlen(dir);
		if (n && !strncmp(path, dir, n) && path[n] == '/')
			return 1;
		if (!end)
			return 0;
		dir = end + 1;
	}
}

/* The file the cache names, if it opens.  As glibc, the trace shows the
 * file even when DF_1_NODEFLIB then rules it out. */
static int search_cache(struct lt_search *s, int nodeflib)
{
	trace_search_cache(g.file);
	if (!g.cache_read)
		read_cache();
	const char *found = lt_glibc_cache_lookup(&g.cache, s->name, &g.cpu);
	if (!found)
		return -1;
	if (strlcpy(s->path, found, LT_PATH_MAX) >= LT_PATH_MAX)
		return -1;
	if (nodeflib && under_system_dir(found)) {
		trace_trying(found);
		return -1;
	}
	s->where = LA_SER_CONFIG;
	int fd = lt_search_try(s);
	s->where = LA_SER_DEFAULT;
	return fd;
}

/* The cache, then the system directories.  (glibc skips the cache for an
 * audit module in secure mode.) */
int lt_glibc_search_default(struct lt_search *s)
{
	const struct lt_object *by = s->requester ? s->requester : lt.main;
	int nodeflib = by && (by->flags_1 & DF_1_NODEFLIB);
	int fd = lt.inhibit_cache || s->how & LT_LOAD_SETUID_ONLY ? -1 : search_cache(s, nodeflib);
	if (fd < 0 && !nodeflib)
		fd = lt_search_list(s, lt.libc->system_dirs, 0, "system search path", 0);
	return fd;
}
