/*
 * Loading libraries: the program's DT_NEEDED entries breadth-first,
 * LD_PRELOAD objects, and the bookkeeping that makes every object load
 * once (the same soname, path or device and inode is the same object).
 */
#include "rtld.h"
#include "alloc.h"
#include "debug.h"
#include "libc.h"
#include "print.h"
#include "search.h"
#include "string.h"
#include "sys.h"

/*
 * Finding a loaded object by name, or by file.  Loading n libraries asks
 * n^2 times in all, so keys of each object's names (soname, request, path)
 * are kept, and filters of those keys and of the files' inode numbers
 * answer most questions about a library not loaded yet without a walk.
 */
static uint64_t name_filter[64], file_filter[64];  /* bit key % 4096 of each noted */

static void filter_add(uint64_t *filter, uint64_t key)
{
	filter[key / 64 % 64] |= 1UL << (key % 64);
}

static int filter_has(const uint64_t *filter, uint64_t key)
{
	return (filter[key / 64 % 64] >> (key % 64)) & 1;
}

/* A cheap key for a name: its length and its first and last eight bytes, mixed. */
static uint32_t name_key(const char *name)
{
	size_t n = strlen(name), k = n < 8 ? n : 8;
	uint64_t first = 0, last = 0;
	memcpy(&first, name, k);
	memcpy(&last, name + n - k, k);
	return (uint32_t)(((first + n) * 0x9e3779b97f4a7c15ULL ^ last * 0xc2b2ae3d27d4eb4fULL) >> 32);
}

void lt_note_identity(struct lt_object *o)
{
	o->name_keys[0] = o->soname ? name_key(o->soname) : 0;
	o->name_keys[1] = o->request ? name_key(o->request) : 0;
	o->name_keys[2] = name_key(o->path);
	for (int i = 0; i < 3; i++)
		filter_add(name_filter, o->name_keys[i]);
	filter_add(file_filter, o->ino);
}

/* Does `name`, with GNU hash `key`, name object o? */
static int names_object(const struct lt_object *o, const char *name, uint32_t key)
{
	return (o->name_keys[0] == key && o->soname && lt_streq(o->soname, name)) ||
	       (o->name_keys[1] == key && o->request && lt_streq(o->request, name)) ||
	       (o->name_keys[2] == key && lt_streq(o->path, name));
}

struct lt_object *lt_find_loaded(const char *name)
{
	uint32_t key = name_key(name);
	if (!filter_has(name_filter, key))
		return 0;
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (o->kind != LT_VDSO && names_object(o, name, key))
			return o;
	return 0;
}

static struct lt_object *find_by_file(const struct stat *st)
{
	if (!filter_has(file_filter, st->st_ino))
		return 0;
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (o->ino && o->dev == st->st_dev && o->ino == st->st_ino)
			return o;
	return 0;
}

/* Open a library by name: as given when it has a slash, else by searching. */
static int open_library(const char *name, const struct lt_object *requester, char *path)
{
	int fd, err;
	const char *served = lt_libc_library(name);
	if (served) {
		/* A name the libc adapter owns: it serves it from its own file. */
		lt_debug(LT_DBG_LIBS, "find library=%s [0]; served by the %s adapter: %s", name,
			 lt_libc_name(), served);
		name = served;
	}
	if (strchr(name, '/')) {
		long r = sys_open(name, O_RDONLY);
		fd = (int)r;
		err = r < 0 ? (int)-r : 0;
		strlcpy(path, name, LT_PATH_MAX);
	} else {
		fd = lt_search_library(name, requester, path, &err);
	}
	if (fd < 0) {
		if (requester)
			lt_error("%s: %s: cannot open shared object file: %s", requester->path, name,
				 lt_strerror(err));
		else
			lt_error("%s: cannot open shared object file: %s", name, lt_strerror(err));
	}
	return fd;
}

static void trace_new_object(const struct lt_object *obj)
{
	if (!lt_debug_on(LT_DBG_FILES))
		return;
	lt_debug_print("file=%s [0];  generating link map", obj->path);
	lt_debug_print("  dynamic: %#lx  base: %#lx   size: %#lx", (uintptr_t)obj->dynamic,
		       obj->base, obj->map_len);
	lt_debug_print("    entry: %#lx  phdr: %#lx  phnum: %u", obj->entry, (uintptr_t)obj->phdr,
		       obj->phnum);
}

struct lt_object *lt_load_library(const char *name, struct lt_object *requester)
{
	struct lt_object *obj = lt_find_loaded(name);
	if (obj)
		return obj;
	char path[LT_PATH_MAX];
	int fd = open_library(name, requester, path);
	if (fd < 0)
		return 0;
	lt_debug(LT_DBG_FILES, "file=%s [0];  needed by %s [0]", name, requester->path);
	struct stat st;
	long r = sys_fstat(fd, &st);
	if (r < 0) {
		lt_error("%s: %s: cannot read file data: %s", requester->path, name, lt_strerror(-r));
		sys_close(fd);
		return 0;
	}
	if ((obj = find_by_file(&st))) {
		sys_close(fd);
		return obj;  /* the same file under another name */
	}
	char *copy = lt_strdup(path);
	obj = copy ? lt_object_new(LT_LIB, copy) : 0;
	if (!copy || (obj && !(obj->request = lt_strdup(name)))) {
		lt_error("%s: out of memory", path);
		obj = 0;
	}
	if (!obj || lt_object_map_stat(obj, fd, &st, path, requester ? requester->path : 0) < 0) {
		sys_close(fd);
		return 0;
	}
	sys_close(fd);
	obj->loader = requester;
	if (lt_dynamic_parse(obj) < 0)
		return 0;
	lt_note_identity(obj);
	lt_object_append(obj);
	trace_new_object(obj);
	return obj;
}

static int add_needed(struct lt_object *o, struct lt_object *dep)
{
	struct lt_object **grown = lt_realloc(o->needed, (o->nneeded + 1) * sizeof *grown);
	if (!grown) {
		lt_error("%s: out of memory", o->path);
		return -1;
	}
	o->needed = grown;
	o->needed[o->nneeded++] = dep;
	return 0;
}

/*
 * Load the DT_NEEDED entries of `first` and of every object after it in
 * load order.  Objects are appended as they are found, so walking the list
 * is a breadth-first walk of the dependency graph.
 */
int lt_load_dependencies(struct lt_object *first)
{
	for (struct lt_object *o = first; o; o = o->next) {
		for (size_t i = 0; i < o->nneeded_names; i++) {
			struct lt_object *dep = lt_load_library(o->needed_names[i], o);
			if (!dep || add_needed(o, dep) < 0)
				return -1;
		}
	}
	return 0;
}

/*
 * LD_PRELOAD (or --preload): names separated by spaces or colons.  They
 * become the program's first dependencies, so they follow it directly in
 * the global scope and are initialised before its other libraries.
 */
int lt_load_preloads(const char *list)
{
	for (const char *p = list; p && *p;) {
		size_t len = 0;
		while (p[len] && p[len] != ' ' && p[len] != ':')
			len++;
		if (len) {
			char *name = lt_strndup(p, len);
			struct lt_object *obj = name ? lt_load_library(name, lt.main) : 0;
			if (!obj) {
				/* glibc's behaviour: a preload that fails is skipped with a warning. */
				lt_dprintf(2, LT_NAME ": warning: object '%s' from LD_PRELOAD cannot be "
					   "preloaded: %s: ignored\n", name ? name : "?", lt_error_text());
			} else if (add_needed(lt.main, obj) < 0) {
				return -1;
			}
		}
		p += len;
		while (*p == ' ' || *p == ':')
			p++;
	}
	return 0;
}
