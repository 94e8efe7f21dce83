/*
 * Finding a library file by name, in glibc's order:
 *   1. DT_RPATH of the requesting object, then of the object that loaded it,
 *      and so on up to the program; skipped when the requester has DT_RUNPATH;
 *   2. LD_LIBRARY_PATH (not in secure mode);
 *   3. the requester's own DT_RUNPATH;
 *   4. the process's libc's own defaults (its adapter's search_default, or
 *      its system directories): each libc searches its own places.
 * In each directory, the libc's subdirectories come first (glibc's
 * glibc-hwcaps and legacy hwcap ones), if its adapter names any.
 * A name containing a slash is opened as given, with no search.  musl
 * programs' adapter orders the lists its own way (search_lists), and reads
 * them by musl's rules (origin_only, open_error_ends_search, name_max and
 * path_max: libc.h).
 */
#include <linux/stat.h>
#include "rtld.h"
#include "alloc.h"
#include "audit.h"
#include "libc.h"
#include "load.h"
#include "path.h"
#include "print.h"
#include "str.h"
#include "sys.h"
#include "trace.h"

#define DEBIAN_LIB "lib/x86_64-linux-gnu"

/* Secure mode: an audit module's file must be set-user-id (glibc's rule). */
static long setuid_or_closed(long fd)
{
	struct stat st;
	if (fd < 0 || (sys_fstat(fd, &st) == 0 && (st.st_mode & S_ISUID)))
		return fd;
	sys_close(fd);
	return -ENOENT;
}

int lt_search_try(struct lt_search *s)
{
	trace_trying(s->path);
	if (lt_auditing()) {
		const char *name = lt_audit_objsearch(s->path, s->requester, s->where);
		if (!name)
			return -ENOENT;
		if (name != s->path && strlcpy(s->path, name, LT_PATH_MAX) >= LT_PATH_MAX)
			return -ENAMETOOLONG;
	}
	long fd = sys_open(s->path, O_RDONLY);
	if (s->how & LT_LOAD_SETUID_ONLY)
		fd = setuid_or_closed(fd);
	if (fd < 0 && fd != -ENOENT && fd != -ENOTDIR)
		s->err = (int)-fd;
	return (int)fd;
}

/*
 * Directories found missing, so that later searches skip them, as glibc's
 * loader does: with glibc's eleven subdirectories in each directory of
 * each path, a program's every library would otherwise try them all
 * again.  They are found by their hash (an open-addressed table, at most
 * half full): a long LD_LIBRARY_PATH leaves thousands, each looked for at
 * every try.  (Searches run at start-up and under the loader lock.)
 */
struct missing_dir {
	unsigned found_by;  /* the search that found it missing */
	size_t len;
	uint64_t hash;
	char path[];
};
static struct missing_dir **missing;
static size_t missing_slots, missing_count;
static unsigned searches;

/* A hash of path[0..len), eight bytes a step (every try of a search
 * computes one): each word multiplied in and its high bits folded down,
 * so that the table's index, the low bits, depends on every byte. */
static uint64_t dir_hash(const char *path, size_t len)
{
	uint64_t h = len, w;
	for (; len >= 8; path += 8, len -= 8) {
		__builtin_memcpy(&w, path, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	for (w = 0; len; len--)
		w = w << 8 | (unsigned char)path[len - 1];
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	return h ^ h >> 29;
}

/* The slot of the directory path[0..len), or the empty one where it would go. */
static struct missing_dir **missing_slot(const char *path, size_t len, uint64_t hash)
{
	for (size_t i = hash & (missing_slots - 1);; i = (i + 1) & (missing_slots - 1)) {
		struct missing_dir *m = missing[i];
		if (!m || (m->hash == hash && m->len == len && !memcmp(m->path, path, len)))
			return &missing[i];
	}
}

/* Room for one more, the table at most half full: false when out of memory. */
static int missing_room(void)
{
	if (2 * (missing_count + 1) <= missing_slots)
		return 1;
	size_t old_slots = missing_slots, slots = old_slots ? 2 * old_slots : 64;
	struct missing_dir **old = missing, **grown = lt_alloc(slots * sizeof *grown);
	if (!grown)
		return 0;
	missing = grown;
	missing_slots = slots;
	for (size_t i = 0; i < old_slots; i++)
		if (old[i])
			*missing_slot(old[i]->path, old[i]->len, old[i]->hash) = old[i];
	lt_free(old);
	return 1;
}

/* Was the directory [path, path + len) found missing by an earlier search?
 * (Within one search glibc tries every element of its lists, the same
 * subdirectory twice where its list has it twice; so does ld-teach.) */
static int known_missing(const char *path, size_t len)
{
	if (!missing_count)
		return 0;
	const struct missing_dir *m = *missing_slot(path, len, dir_hash(path, len));
	return m && m->found_by != searches;
}

/* Is the directory of the file s->path names there?  faccessat's answer:
 * 0, or -errno (a name alone, in the working directory, and one in the
 * root are there). */
static long probe_directory(struct lt_search *s)
{
	char *slash = strrchr(s->path, '/');
	if (!slash || slash == s->path)
		return 0;
	*slash = 0;
	long r = lt_syscall4(__NR_faccessat, AT_FDCWD, s->path, 0 /* F_OK */, 0);
	*slash = '/';
	return r;
}

/* s->path could not be opened for want of its file: is its directory there
 * at all?  (Not asked of a relative directory, as glibc's loader never
 * skips one: it names another directory once the program changes its
 * working directory.) */
static void remember_if_missing(struct lt_search *s)
{
	char *slash = strrchr(s->path, '/');
	if (!slash || slash == s->path || s->path[0] != '/')
		return;
	size_t len = slash - s->path;
	uint64_t hash = dir_hash(s->path, len);
	if ((missing_count && *missing_slot(s->path, len, hash)) || probe_directory(s) != -ENOENT ||
	    !missing_room())
		return;
	struct missing_dir *m = lt_alloc(sizeof *m + len + 1);
	if (m) {
		*m = (struct missing_dir){searches, len, hash};
		memcpy(m->path, s->path, len);
		m->path[len] = 0;
		*missing_slot(s->path, len, hash) = m;
		missing_count++;
	}
}

/* dir/subdir/name, where `subdir` is empty or ends in '/': a descriptor,
 * or -errno (-ENOENT for a path not tried: too long for the libc's loader,
 * or in a directory known missing). */
static int try_file(struct lt_search *s, const char *dir, size_t dirlen, const char *subdir)
{
	size_t sublen = strlen(subdir), namelen = s->namelen;
	size_t limit = lt.libc->path_max ? lt.libc->path_max : LT_PATH_MAX;
	/* (An empty element is the current directory, as glibc's loader reads
	 * it: the name alone, relative, and so the object's.  The root ends in
	 * its own '/'.) */
	size_t sep = dirlen && dir[dirlen - 1] != '/';
	if (dirlen + sep + sublen + namelen >= limit)
		return -ENOENT;
	memcpy(s->path, dir, dirlen);
	s->path[dirlen] = '/';
	memcpy(s->path + dirlen + sep, subdir, sublen);
	size_t dir_end = sublen ? dirlen + sep + sublen - 1 : dirlen;  /* without the subdir's own '/' */
	if (known_missing(s->path, dir_end))
		return -ENOENT;
	memcpy(s->path + dirlen + sep + sublen, s->name, namelen + 1);
	int fd = lt_search_try(s);
	if (fd == -ENOENT)
		remember_if_missing(s);
	return fd;
}

/* What the libc tries in each directory: its subdirectories, then the directory itself. */
static const char *const *search_subdirs(void)
{
	static const char *const directory_alone[] = {"", 0};
	const char *const *subdirs = lt.libc->search_subdirs ? lt.libc->search_subdirs() : 0;
	return subdirs ? subdirs : directory_alone;
}

/* Is dir[0..len) one of the libc's system directories?  (Secure mode trusts
 * no other $ORIGIN of the program itself, as glibc.) */
static int trusted_directory(const char *dir, size_t len)
{
	for (const char *p = lt.libc->system_dirs;;) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == len && !strncmp(p, dir, n))
			return 1;
		if (!end)
			return 0;
		p = end + 1;
	}
}

/*
 * The values of the dynamic string tokens in what `owner` names ($ORIGIN
 * only when `text` uses a token: it may take a readlink).  $ORIGIN's is
 * kept off the stack, which may be as small as 16 KiB ("ulimit -s 16"):
 * names are expanded at start-up or under the loader lock.
 */
static void token_values(const struct lt_object *owner, const char *text,
			 struct lt_path_vars *vars)
{
	static char origin[LT_PATH_MAX] LT_LARGE_BSS;
	*vars = (struct lt_path_vars){.lib = DEBIAN_LIB, .platform = lt.platform, .secure = lt.secure};
	if (owner && strchr(text, '$')) {
		lt_object_origin(owner, origin, LT_PATH_MAX);
		vars->origin = origin;
	}
}

/*
 * The token values for a list of directories that `owner` gives, with a
 * token in it; -1 when no part of it may be used.  musl's loader
 * (origin_only) knows $ORIGIN alone, and drops the whole list for any
 * other '$'; in secure mode it drops the program's $ORIGIN, which whoever
 * started it chose, and a relative one.  (glibc's rules are per element:
 * expand_tokens.)
 */
static int list_token_values(const struct lt_object *owner, const char *list,
			     struct lt_path_vars *vars)
{
	int musl = lt.libc->origin_only;
	if (musl && (!lt_path_origin_only(list) || (lt.secure && owner->kind == LT_MAIN)))
		return -1;
	token_values(owner, list, vars);
	if (!musl)
		return 0;
	vars->origin_prefix = 1;
	vars->secure = 0;
	return lt.secure && vars->origin[0] != '/' ? -1 : 0;
}

/*
 * Expand the tokens of in[0..len), a directory (`is_file` 0) or a file
 * name, that `owner` gave.  -1 when it must not be used: an unknown
 * origin, or secure mode's rules, which for the program's own names also
 * want the directory to be one of the libc's system directories.
 */
static long expand_tokens(const char *in, size_t len, const struct lt_object *owner,
			  const struct lt_path_vars *vars, int is_file, char *out)
{
	long n = lt_path_expand(in, len, vars, out, LT_PATH_MAX);
	if (n < 0 || !lt.secure || !owner || owner->kind != LT_MAIN || !memchr(in, '$', len))
		return n;
	const char *slash = is_file ? strrchr(out, '/') : 0;
	size_t dirlen = is_file ? (size_t)(slash ? slash - out : 0) : (size_t)n;
	return trusted_directory(out, dirlen) ? n : -1;
}

int lt_expand_name(const char *name, const struct lt_object *owner, char *out)
{
	struct lt_path_vars vars;
	token_values(owner, name, &vars);
	return expand_tokens(name, strlen(name), owner, &vars, 1, out) < 0 ? -1 : 0;
}

/* What a list holds that its search must know of, from one pass over it. */
enum {
	LIST_TOKENS = 1,       /* a '$' */
	LIST_SEVERAL = 2,      /* a ':' */
	LIST_EMPTY = 4,        /* an empty element, or a newline (lists_skip_empty) */
};
static unsigned list_shape(const char *list)
{
	unsigned shape = *list ? 0 : LIST_EMPTY;
	for (const char *p = list; *p; p++)
		if (*p == '$')
			shape |= LIST_TOKENS;
		else if (*p == ':')
			shape |= LIST_SEVERAL | (p == list || p[1] == ':' || !p[1] ? LIST_EMPTY : 0);
		else if (*p == '\n')
			shape |= LIST_EMPTY;
	return shape;
}

static char dir[LT_PATH_MAX] LT_LARGE_BSS;  /* (off the stack, as token_values' origin) */

/*
 * `list` with the tokens of its elements expanded for `owner` (`vars`),
 * lt_alloc'ed: the search path glibc's loader keeps, and prints, and in
 * which a directory named twice is so once expanded.  Elements that must
 * not be used (expand_tokens) are left out, empty ones kept; *kept counts
 * what is left.  NULL when out of memory.
 */
static char *expanded_list(const char *list, const struct lt_object *owner,
			   const struct lt_path_vars *vars, size_t *kept)
{
	char *out = 0;
	size_t n = 0, cap = 0;
	*kept = 0;
	for (const char *p = list;;) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		long dlen = expand_tokens(p, len, owner, vars, 0, dir);
		if (dlen >= 0 && n + dlen + 2 > cap) {
			cap = 2 * cap > n + dlen + 2 ? 2 * cap : n + dlen + 2;  /* (thousands of elements) */
			char *grown = lt_realloc(out, cap);
			if (!grown) {
				lt_free(out);
				return 0;
			}
			out = grown;
		}
		if (dlen >= 0) {
			if ((*kept)++)
				out[n++] = ':';
			memcpy(out + n, dir, dlen);
			n += dlen;
			out[n] = 0;
		}
		if (!end)
			return out;
		p = end + 1;
	}
}

/*
 * The last try in a directory failed with `err`: does that end the list
 * (glibc's loader, when the directory is there: the file is, and could not
 * be opened) or the whole search (musl's)?  Not the file's absence, nor
 * EACCES; for musl's, nor ENAMETOOLONG.  (A loop of links, no descriptor
 * free, no memory.)
 */
static void note_open_error(struct lt_search *s, int err)
{
	if (err == ENOENT || err == ENOTDIR || err == EACCES)
		return;
	if (lt.libc->open_error_ends_search) {
		if (err != ENAMETOOLONG)
			s->stop = LT_STOP_SEARCH;
	} else if (probe_directory(s) == 0) {
		s->stop = LT_STOP_LIST;
	}
}

/* dir[0..len) and the libc's subdirectories in it: a descriptor, or -1. */
static int try_directory(struct lt_search *s, const char *dir, size_t len,
			 const char *const *subdirs)
{
	size_t dlen = lt_path_element_length(dir, len);
	int fd = -ENOENT;
	for (; fd < 0 && *subdirs; subdirs++)
		fd = try_file(s, dir, dlen, *subdirs);
	if (fd >= 0)
		return fd;
	note_open_error(s, -fd);
	return -1;
}

/* `list`, from `owner` (0: a list taken as written, with no tokens). */
static int search_list(struct lt_search *s, const char *list, unsigned shape,
		       const struct lt_object *owner, const char *why, const char *why_file)
{
	const char *const *subdirs = search_subdirs();
	struct lt_path_vars vars;
	if (!owner)
		shape &= ~LIST_TOKENS;
	else if ((shape & LIST_TOKENS) && list_token_values(owner, list, &vars) < 0)
		return -1;
	if ((shape & (LIST_TOKENS | LIST_SEVERAL)) == LIST_TOKENS && !lt_debug_on(LT_DBG_LIBS)) {
		/* One directory ($ORIGIN, most often), nothing printed: expanded
		 * where it is used, without a list made. */
		long n = expand_tokens(list, strlen(list), owner, &vars, 0, dir);
		return n < 0 ? -1 : try_directory(s, dir, n, subdirs);
	}
	char *expanded = 0;
	if (shape & LIST_TOKENS) {
		size_t kept;
		if (!(expanded = expanded_list(list, owner, &vars, &kept)) || !kept) {
			lt_free(expanded);
			return -1;
		}
		list = expanded;
	}
	trace_search_path(list, subdirs, known_missing, why, why_file);
	int fd = -1;
	for (const char *p = list; fd < 0 && !s->stop;) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (!lt_path_list_repeats(list, p, len))
			fd = try_directory(s, p, len, subdirs);
		if (!end)
			break;
		p = end + 1;
	}
	lt_free(expanded);
	return fd;
}

/* The list as the libc's loader splits it (lists_skip_empty), searched. */
static int search_split_list(struct lt_search *s, const char *list, const struct lt_object *owner,
			     const char *why, const char *why_file)
{
	unsigned shape = list_shape(list);
	if (!(shape & LIST_EMPTY) || !lt.libc->lists_skip_empty)
		return search_list(s, list, shape, owner, why, why_file);
	/* musl's: the list as its path file is read, colons between the
	 * directories it names, and no empty element left to mean "." */
	size_t n = 0;
	int separated = 0;
	char *named = lt_alloc(strlen(list) + 1);
	if (!named)
		return -1;
	lt_path_list_append(named, &n, &separated, list, strlen(list));
	named[n] = 0;
	int fd = n ? search_list(s, named, list_shape(named), owner, why, why_file) : -1;
	lt_free(named);
	return fd;
}

int lt_search_list(struct lt_search *s, const char *list, const struct lt_object *owner,
		   const char *why, const char *why_file)
{
	if (!list || s->stop == LT_STOP_SEARCH)
		return -1;
	int fd = search_split_list(s, list, owner, why, why_file);
	if (s->stop == LT_STOP_LIST)
		s->stop = 0;  /* (the next list is searched) */
	return fd;
}

int lt_search_library_path(struct lt_search *s)
{
	s->where = LA_SER_LIBPATH;
	if (lt.secure || !lt.library_path || !*lt.library_path)  /* (empty: none, as in both libcs) */
		return -1;
	/* (Its tokens are the program's, for glibc's loader; musl's expands none.) */
	return lt_search_list(s, lt.library_path, lt.libc->origin_only ? 0 : lt.main,
			      "LD_LIBRARY_PATH", 0);
}

/* glibc's order: the requester's RPATH, then that of the object that loaded
 * it, and so on up to the program, unless the requester has a RUNPATH;
 * LD_LIBRARY_PATH; the requester's own RUNPATH. */
static int search_lists(struct lt_search *s)
{
	const struct lt_object *requester = s->requester;
	int fd = -1;
	if (!requester || !requester->runpath)
		for (const struct lt_object *o = requester; o && fd < 0; o = o->loader)
			fd = lt_search_list(s, o->rpath, o, "RPATH from file ", o->path);
	if (fd < 0)
		fd = lt_search_library_path(s);
	s->where = LA_SER_RUNPATH;
	if (fd < 0 && requester)
		fd = lt_search_list(s, requester->runpath, requester, "RUNPATH from file ",
				    requester->path);
	return fd;
}

int lt_search_library(const char *name, const struct lt_object *requester, char *path, int *err,
		      int how)
{
	struct lt_search s = {.name = name, .requester = requester, .path = path, .err = ENOENT,
				.where = LA_SER_RUNPATH, .how = how, .namelen = strlen(name)};
	searches++;
	trace_search_start(name);
	int fd = -1;
	if (lt.libc->name_max && s.namelen > lt.libc->name_max) {
		s.err = ENAMETOOLONG;  /* (musl's loader looks nowhere for it) */
		s.stop = LT_STOP_SEARCH;
	} else {
		fd = lt.libc->search_lists ? lt.libc->search_lists(&s) : search_lists(&s);
	}
	s.where = LA_SER_DEFAULT;
	if (fd < 0 && s.stop != LT_STOP_SEARCH)
		fd = lt.libc->search_default ? lt.libc->search_default(&s)
					     : lt_search_list(&s, lt.libc->system_dirs, 0,
							      "system search path", 0);
	trace_search_end(fd >= 0 ? path : 0, s.err);
	*err = s.err;
	return fd;
}

/* Follow symbolic links (a few hops), so that a link to ld-teach.so still
 * finds the files that sit next to the real one. */
static void resolve_links(const char *path, char *out)
{
	strlcpy(out, path, LT_PATH_MAX);
	for (int hop = 0; hop < 8; hop++) {
		static char target[LT_PATH_MAX] LT_LARGE_BSS;  /* not on a small stack (start-up, or the loader lock) */
		long n = sys_readlink(out, target, sizeof target - 1);
		if (n <= 0)
			return;
		target[n] = 0;
		char *slash = strrchr(out, '/');
		if (target[0] == '/' || !slash)
			strlcpy(out, target, LT_PATH_MAX);
		else
			strlcpy(slash + 1, target, LT_PATH_MAX - (slash + 1 - out));
	}
}

/*
 * The directory ld-teach.so was started from; returns its length.  *home:
 * it is where this ld-teach.so was built to live (LT_HOME, an absolute
 * path; LT_HOME_LAYOUT says which of lt_beside_self's layouts holds its
 * files there; the build and `make install` set both), reached through
 * links.  (Reached by that very path, at_home answers without it.)
 */
static size_t self_directory(char *dir, int *home)
{
	long n = -1;
	if (lt.command_mode) {
		/* The kernel ran ld-teach.so itself: /proc/self/exe is it. */
		n = sys_readlink("/proc/self/exe", dir, LT_PATH_MAX - 1);
		if (n > 0)
			dir[n] = 0;
	}
	if (n <= 0)
		resolve_links(lt.self_path, dir);
	*home = !strcmp(dir, LT_HOME);
	char *slash = strrchr(dir, '/');
	if (!slash) {
		dir[0] = '.', dir[1] = 0;
		return 1;
	}
	if (slash == dir)
		slash++;  /* the root */
	*slash = 0;
	return slash - dir;
}

/* At home, the file's path, known to the build: into memory of its own
 * (the arena's, already touched; the page of a 4 KiB buffer may not be).
 * 0 when ld-teach.so was not started from its home, or out of memory. */
static const char *at_home(const char *layout)
{
	const char *slash = strrchr(LT_HOME, '/');
	if (!slash || strcmp(lt.self_path, LT_HOME))
		return 0;
	size_t dir = slash - LT_HOME, k = strlen(layout);
	char *path = lt_alloc(dir + k + 1);
	if (path) {
		memcpy(path, LT_HOME, dir);
		memcpy(path + dir, layout, k + 1);
	}
	return path;
}

/*
 * A file that ships with ld-teach.so: the first of `layouts` (paths
 * relative to ld-teach.so's directory: installed, then in the build tree)
 * that exists, else the last, which then names the failure (so the last is
 * not probed).  At home, the layout is known: the caller's one open of
 * the file is the only check.  Elsewhere the path is made in `path`
 * (LT_PATH_MAX bytes).  A name longer than a path may be cannot exist, and
 * is passed over; when none fits, the failure names the directory.
 */
const char *lt_beside_self(const char *const *layouts, size_t n, char *path)
{
	const char *known = at_home(layouts[LT_HOME_LAYOUT]);
	if (known)
		return known;
	int home;
	size_t len = self_directory(path, &home), i = 0;
	if (home)
		i = LT_HOME_LAYOUT, n = LT_HOME_LAYOUT + 1;
	for (; i < n; i++) {
		size_t k = strlen(layouts[i]);
		if (len + k >= LT_PATH_MAX)
			continue;
		memcpy(path + len, layouts[i], k + 1);
		if (i + 1 == n || lt_syscall4(__NR_faccessat, AT_FDCWD, path, 4 /* R_OK */, 0) == 0)
			break;
	}
	return path;
}
