/*
 * Loading libraries: the program's DT_NEEDED entries breadth-first,
 * LD_PRELOAD objects, and the bookkeeping that makes every object load
 * once (the same soname, path or device and inode is the same object).
 */
#include "rtld.h"
#include "alloc.h"
#include "libc.h"
#include "load.h"
#include "look.h"
#include "print.h"
#include "str.h"
#include "sys.h"
#include "trace.h"

/*
 * Finding a loaded object by name, or by file (never one being taken down:
 * a destructor that opens it again gets a copy of its own).  Loading n libraries asks
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

static struct lt_object *find_by_name(const char *name)
{
	uint32_t key = name_key(name);
	if (!filter_has(name_filter, key))
		return 0;
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (o->kind != LT_VDSO && !o->dying && names_object(o, name, key))
			return o;
	return 0;
}

/* A name the libc folds into itself (musl's libm.so, ...) names the file serving it. */
struct lt_object *lt_find_loaded(const char *name)
{
	struct lt_object *o = find_by_name(name);
	const char *served;
	if (!o && (served = lt_libc_served(name)))
		o = find_by_name(served);
	return o;
}

static struct lt_object *find_by_file(const struct stat *st)
{
	if (!filter_has(file_filter, st->st_ino))
		return 0;
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (o->ino && o->dev == st->st_dev && o->ino == st->st_ino && !o->dying)
			return o;
	return 0;
}

/*
 * Who to name, in an error, as having asked for a library: at start-up the
 * object that needs it (the line is printed before exiting 127); once the
 * program runs the error becomes dlerror() text, which names the file and
 * the reason only, as glibc's does.
 */
static const char *who_asked(const struct lt_object *requester)
{
	return lt.started ? 0 : requester->path;
}

/* Open a library by name: as given when it has a slash, else by searching. */
static int open_library(const char *name, const struct lt_object *requester, char *path)
{
	int fd, err;
	const char *served = lt_libc_served(name);
	if (served) {
		/* A name the libc adapter owns: it serves it from its own file. */
		trace_served(name, lt.libc->name, served);
		name = served;
	}
	if (strchr(name, '/')) {
		/* A path: its dynamic string tokens mean what they mean to the
		 * object that gave it, as glibc expands them (errors name it as given). */
		long r = lt_expand_name(name, requester, path) < 0 ? -ENOENT : sys_open(path, O_RDONLY);
		fd = (int)r;
		err = r < 0 ? (int)-r : 0;
	} else {
		fd = lt_search_library(name, requester, path, &err);
	}
	if (fd < 0 && who_asked(requester))
		lt_error("%s: %s: cannot open shared object file: %s", who_asked(requester), name,
			 lt_strerror(err));
	else if (fd < 0)
		lt_error("%s: cannot open shared object file: %s", name, lt_strerror(err));
	return fd;
}

/*
 * What glibc refuses to load once it has read the dynamic section: an
 * executable (the program itself is never loaded here), and, for dlopen
 * (every load once the program runs), a library linked -z nodlopen.  (An
 * object already loaded is found before this, so dlopen returns it.)
 */
static int refused(const struct lt_object *obj)
{
	const char *why = 0;
	if (obj->flags_1 & DF_1_PIE)
		why = "cannot dynamically load position-independent executable";
	else if (obj->flags_1 & DF_1_NOOPEN && lt.started)
		why = "shared object cannot be dlopen()ed";
	if (why)
		lt_error("%s: %s", obj->path, why);
	return why != 0;
}

/* A new record for the library in `fd`, mapped and parsed, and of the process's libc. */
static struct lt_object *map_library(int fd, const struct stat *st, const char *path,
				     const char *name, struct lt_object *requester)
{
	char *copy = lt_strdup(path);
	struct lt_object *obj = copy ? lt_object_new(LT_LIB, copy) : 0;
	if (!obj) {
		lt_free(copy);
		return 0;
	}
	obj->loader = requester;
	if (!(obj->request = lt_strdup(name)) ||
	    lt_object_map_file(obj, fd, st, path, who_asked(requester)) < 0 ||
	    lt_dynamic_parse(obj) < 0 || refused(obj) || lt_libc_note(obj) < 0 ||
	    lt_stack_admit(obj) < 0) {
		lt_object_free(obj);
		return 0;
	}
	return obj;
}

/* lt_load_library, saying in *not_found whether a failure found no file at all. */
static struct lt_object *load_library(const char *name, struct lt_object *requester,
				      int *not_found)
{
	struct lt_object *obj = lt_find_loaded(name);
	if (obj)
		return obj;
	static char path[LT_PATH_MAX];  /* not on a small stack; loading holds the loader lock */
	int fd = open_library(name, requester, path);
	*not_found = fd < 0;
	if (fd < 0)
		return 0;
	trace_needed_by(name, requester);
	struct stat st;
	long r = sys_fstat(fd, &st);
	if (r < 0) {
		lt_error("%s: cannot read file data: %s", name, lt_strerror(-r));
		sys_close(fd);
		return 0;
	}
	if ((obj = find_by_file(&st))) {
		sys_close(fd);
		return obj;  /* the same file under another name */
	}
	obj = map_library(fd, &st, path, name, requester);
	sys_close(fd);
	if (!obj)
		return 0;
	lt_note_identity(obj);
	lt_object_append(obj);
	trace_new_object(obj);
	return obj;
}

struct lt_object *lt_load_library(const char *name, struct lt_object *requester)
{
	int not_found;
	return load_library(name, requester, &not_found);
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
 * is a breadth-first walk of the dependency graph.  A run that only looks
 * (look.h) may go on without a library that cannot be loaded.
 */
int lt_load_dependencies(struct lt_object *first)
{
	for (struct lt_object *o = first; o; o = o->next) {
		for (size_t i = 0; i < o->nneeded_names; i++) {
			int not_found;
			struct lt_object *dep = load_library(o->needed_names[i], o, &not_found);
			if (dep ? add_needed(o, dep) < 0
				: lt_look_unloaded(o->needed_names[i], o, not_found) < 0)
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
			} else {
				obj->preloaded = 1;
			}
		}
		p += len;
		while (*p == ' ' || *p == ':')
			p++;
	}
	return 0;
}
