/*
 * Finding a library file by name, in glibc's order:
 *   1. DT_RPATH of the requesting object, then of the object that loaded it,
 *      and so on up to the program; skipped when the requester has DT_RUNPATH;
 *   2. LD_LIBRARY_PATH (not in secure mode);
 *   3. the requester's own DT_RUNPATH;
 *   4. the system path: musl's /etc/ld-musl-x86_64.path when present, then
 *      Debian's multiarch directories, /lib and /usr/lib.
 * A name containing a slash is opened as given, with no search.
 */
#include "rtld.h"
#include "alloc.h"
#include "debug.h"
#include "path.h"
#include "print.h"
#include "search.h"
#include "string.h"
#include "sys.h"

#define MUSL_PATH_FILE "/etc/ld-musl-x86_64.path"
#define DEFAULT_SYSTEM_PATH \
	"/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib:/usr/lib"
#define DEBIAN_LIB "lib/x86_64-linux-gnu"

struct search {
	const char *name;
	char *path;      /* LT_PATH_MAX bytes: the file found */
	int err;         /* the most telling errno seen so far */
};

/*
 * The paths a search builds, in static buffers rather than on the stack,
 * which may be as small as 16 KiB ("ulimit -s 16"); searching holds the
 * loader lock.
 */
static char origin[LT_PATH_MAX], dir[LT_PATH_MAX];

/* Cut `path` to its directory part, or "." when it has none. */
static void cut_to_directory(char *path)
{
	char *slash = strrchr(path, '/');
	if (!slash)
		lt_format(path, 2, ".");
	else if (slash == path)
		slash[1] = 0;  /* "/prog": the root */
	else
		*slash = 0;
}

/* $ORIGIN of an object: the directory it was loaded from. */
static void origin_of(const struct lt_object *o, char *out, size_t size)
{
	long n = -1;
	if (o->kind == LT_MAIN && !lt.command_mode)  /* the kernel started it: links resolved */
		n = sys_readlink("/proc/self/exe", out, size - 1);
	if (n > 0)
		out[n] = 0;
	else if (strlcpy(out, o->path, size) >= size)
		lt_format(out, size, ".");
	cut_to_directory(out);
}

static int try_file(struct search *s, const char *dir, size_t dirlen)
{
	size_t namelen = strlen(s->name);
	if (!dirlen)
		dir = ".", dirlen = 1;  /* an empty element means the current directory */
	if (dirlen + 1 + namelen >= LT_PATH_MAX)
		return -1;
	memcpy(s->path, dir, dirlen);
	s->path[dirlen] = '/';
	memcpy(s->path + dirlen + 1, s->name, namelen + 1);
	lt_debug(LT_DBG_LIBS, "  trying file=%s", s->path);
	long fd = sys_open(s->path, O_RDONLY);
	if (fd >= 0)
		return (int)fd;
	if (fd != -ENOENT && fd != -ENOTDIR)
		s->err = (int)-fd;
	return -1;
}

/* Is `dir` one of the system directories?  (Secure mode trusts no other
 * $ORIGIN of the program itself, as glibc.) */
static int trusted_directory(const char *dir)
{
	size_t len = strlen(dir);
	for (const char *p = DEFAULT_SYSTEM_PATH;;) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == len && !strncmp(p, dir, n))
			return 1;
		if (!end)
			return 0;
		p = end + 1;
	}
}

/* Try every directory of a ':'-separated list; `owner` gives $ORIGIN. */
static int try_list(struct search *s, const char *list, const struct lt_object *owner,
		    const char *why, const char *why_file)
{
	if (!list)
		return -1;
	lt_debug(LT_DBG_LIBS, " search path=%s\t\t(%s%s)", list, why, why_file ? why_file : "");
	struct lt_path_vars vars = {0, DEBIAN_LIB, lt.platform, lt.secure};
	if (owner && strchr(list, '$')) {
		origin_of(owner, origin, sizeof origin);
		vars.origin = origin;
	}
	for (const char *p = list;;) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		long dlen = lt_path_expand(p, len, &vars, dir, sizeof dir);
		if (dlen >= 0 && lt.secure && owner && owner->kind == LT_MAIN &&
		    memchr(p, '$', len) && !trusted_directory(dir))
			dlen = -1;
		if (dlen >= 0) {
			int fd = try_file(s, dir, dlen);
			if (fd >= 0)
				return fd;
		}
		if (!end)
			return -1;
		p = end + 1;
	}
}

/*
 * The system path, built once: the musl path file (its entries separated by
 * newlines or colons) followed by the default directories.
 */
static const char *system_path(void)
{
	static char *path;
	if (path)
		return path;
	char file[1024];
	long n = 0;
	long fd = sys_open(MUSL_PATH_FILE, O_RDONLY);
	if (fd >= 0) {
		n = sys_read(fd, file, sizeof file - 1);
		sys_close(fd);
	}
	if (n < 0)
		n = 0;
	while (n && (file[n - 1] == '\n' || file[n - 1] == ':'))
		n--;
	for (long i = 0; i < n; i++)
		if (file[i] == '\n')
			file[i] = ':';
	file[n] = 0;
	path = lt_alloc(n + sizeof DEFAULT_SYSTEM_PATH + 1);
	if (!path)
		return DEFAULT_SYSTEM_PATH;
	lt_format(path, n + sizeof DEFAULT_SYSTEM_PATH + 1, "%s%s%s", file, n ? ":" : "",
		  DEFAULT_SYSTEM_PATH);
	return path;
}

int lt_search_library(const char *name, const struct lt_object *requester, char *path, int *err)
{
	struct search s = {name, path, ENOENT};
	int fd = -1;
	lt_debug(LT_DBG_LIBS, "find library=%s [0]; searching", name);
	if (!requester || !requester->runpath)
		for (const struct lt_object *o = requester; o && fd < 0; o = o->loader)
			fd = try_list(&s, o->rpath, o, "RPATH from file ", o->path);
	if (fd < 0 && !lt.secure)
		fd = try_list(&s, lt.library_path, lt.main, "LD_LIBRARY_PATH", 0);
	if (fd < 0 && requester)
		fd = try_list(&s, requester->runpath, requester, "RUNPATH from file ",
			      requester->path);
	if (fd < 0)
		fd = try_list(&s, system_path(), 0, "system search path", 0);
	if (fd >= 0)
		lt_debug(LT_DBG_LIBS, "  found %s", path);
	else
		lt_debug(LT_DBG_LIBS, "  not found: %s", lt_strerror(s.err));
	lt_debug(LT_DBG_LIBS, "%s", "");
	*err = s.err;
	return fd;
}
