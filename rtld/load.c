/*
 * Loading libraries: the program's DT_NEEDED entries breadth-first,
 * LD_PRELOAD objects, and the bookkeeping that makes every object load
 * once (the same soname, path or device and inode is the same object).
 */
#include "rtld.h"
#include "alloc.h"
#include "audit.h"
#include "libc.h"
#include "load.h"
#include "look.h"
#include "print.h"
#include "str.h"
#include "sys.h"
#include "trace.h"

/*
 * Finding a loaded object by name, or by file (never one being taken down:
 * a destructor that opens it again gets a copy of its own).  Loading n
 * libraries asks n^2 times in all, so the keys of each object's names
 * (soname, request, path) are kept in a table of them, and a filter of the
 * files' inode numbers answers most questions about a file not loaded yet
 * without a walk.
 */
struct named {
	uint32_t key;
	struct lt_object *obj;  /* 0: an empty entry */
};
static struct named *named;   /* open addressing, a power of two, at most half full */
static size_t named_cap, named_used;
static uint64_t file_filter[64];  /* bit ino % 4096 of each noted */

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

static void named_put(struct named *table, size_t cap, struct named e)
{
	size_t i = e.key & (cap - 1);
	while (table[i].obj)
		i = (i + 1) & (cap - 1);
	table[i] = e;
}

/* The table again, at `cap` entries, without those of `gone`. */
static int named_rebuild(size_t cap, const struct lt_object *gone)
{
	struct named *table = lt_alloc(cap * sizeof *table);
	if (!table)
		return -1;
	named_used = 0;
	for (size_t i = 0; i < named_cap; i++)
		if (named[i].obj && named[i].obj != gone) {
			named_put(table, cap, named[i]);
			named_used++;
		}
	lt_free(named);
	named = table;
	named_cap = cap;
	return 0;
}

/* (The first table, 1 KiB, comes from the allocator's first arena, with no system call:
 * room for about ten objects' names, in a 2 KiB block, where 2 KiB would take 4.) */
int lt_note_identity(struct lt_object *o)
{
	const char *names[3] = {o->soname, o->request, o->path};
	if (2 * (named_used + 3) > named_cap && named_rebuild(named_cap ? 2 * named_cap : 64, 0) < 0) {
		lt_error("%s: out of memory", o->path);
		return -1;
	}
	for (int i = 0; i < 3; i++) {
		o->name_keys[i] = names[i] ? name_key(names[i]) : 0;
		if (names[i]) {
			named_put(named, named_cap, (struct named){o->name_keys[i], o});
			named_used++;
		}
	}
	filter_add(file_filter, o->ino);
	return 0;
}

/* (Out of memory, its entries stay, and name nothing: lookups check they are listed.) */
void lt_forget_identity(const struct lt_object *o)
{
	named_rebuild(named_cap, o);
}

/* Does `name`, with key `key`, name object o? */
static int names_object(const struct lt_object *o, const char *name, uint32_t key)
{
	return (o->name_keys[0] == key && o->soname && lt_streq(o->soname, name)) ||
	       (o->name_keys[1] == key && o->request && lt_streq(o->request, name)) ||
	       (o->name_keys[2] == key && lt_streq(o->path, name));
}

/* The first object in load order that `name` names (one noted but not yet
 * in the list, as ld-teach.so itself while dependencies load, is not). */
static struct lt_object *find_by_name(const char *name)
{
	uint32_t key = name_key(name);
	struct lt_object *found = 0;
	for (size_t i = key & (named_cap - 1); named_cap && named[i].obj; i = (i + 1) & (named_cap - 1)) {
		struct lt_object *o = named[i].obj;
		if (named[i].key == key && (o->prev || o == lt.head) && o->kind != LT_VDSO && !o->dying &&
		    (!found || o->serial < found->serial) && names_object(o, name, key))
			found = o;
	}
	return found;
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

/* Open a library by name: as given when it has a slash, else by searching.
 * *opened: the path opened, in `path` or, for a file the libc adapter
 * serves, its own (a page of `path` less to touch). */
static int open_library(const char *name, const struct lt_object *requester, char *path,
			const char **opened, int how)
{
	int fd, err;
	const char *served = lt_libc_served(name);
	*opened = path;
	if (served || strchr(name, '/')) {
		/* A name the libc adapter owns: it serves it from its own file,
		 * opened as the adapter names it.  A path: its dynamic string
		 * tokens mean what they mean to the object that gave it, as glibc
		 * expands them (errors name it as given). */
		if (served) {
			trace_served(name, lt.libc->name, served);
			*opened = name = served;
		}
		long r = !served && lt_expand_name(name, requester, path) < 0
				 ? -ENOENT : sys_open(*opened, O_RDONLY);
		fd = (int)r;
		err = r < 0 ? (int)-r : 0;
	} else {
		fd = lt_search_library(name, requester, path, &err, how);
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
 * object already loaded is found before this, so dlopen returns it; but
 * the program's own file, which glibc refuses: dl.c's open_locked.)
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
	if (!copy)
		lt_error("%s: out of memory", path);
	if (!obj) {
		lt_free(copy);
		return 0;
	}
	obj->loader = requester;
	if (!(obj->request = lt_strdup(name)))
		lt_error("%s: out of memory", path);
	if (!obj->request ||
	    lt_object_map_file(obj, fd, st, path, who_asked(requester)) < 0 ||
	    lt_dynamic_parse(obj) < 0 || refused(obj) || lt_libc_note(obj) < 0 ||
	    lt_stack_admit(obj) < 0) {
		lt_object_free(obj);
		return 0;
	}
	return obj;
}

/* la_objsearch, before any search: a module may name another file, or none. */
static const char *audited_name(const char *name, const struct lt_object *requester)
{
	const char *chosen = lt_audit_objsearch(name, requester, LA_SER_ORIG);
	if (!chosen)
		lt_error("%s: cannot open shared object file: an audit module refused it", name);
	return chosen;
}

/* An object loaded already: an audit module's dependency joins the
 * program's link map when the program (or a dlopen) first needs it. */
static inline struct lt_object *found(struct lt_object *obj)
{
	if (lt_auditing())
		lt_audit_objopen(obj);
	return obj;
}

static struct lt_object *load_library(const char *name, struct lt_object *requester, int how,
				      int *not_found);

/*
 * A loader's or a libc's file is in a process once, as under glibc's and
 * musl's loaders, which find themselves by their file: obj, just mapped
 * under another name, is unmapped again when it is ld-teach.so itself (by
 * its soname: its device and inode would cost a system call at every
 * start), and the running one stands for it; or when the libc adapter
 * says it is its libc's own file (musl's libc.so, glibc's ld.so), and the
 * file it names stands for it.  A second copy, never set up, would answer
 * the lookups its symbols win (__tls_get_addr) and crash.  Returns 1 when
 * obj is gone, with what stands for it in *instead (0 if that failed).
 */
static int stands_in(struct lt_object *obj, struct lt_object *requester, int how,
		     int *not_found, struct lt_object **instead)
{
	int itself = lt_object_is_loader(obj);
	const char *own = itself ? lt.self->path : lt_libc_own_file(obj);
	if (!own)
		return 0;
	trace_stands_for(obj->path, itself ? "the running ld-teach.so" : own);
	lt_object_free(obj);
	*instead = itself ? found(lt.self) : load_library(own, requester, how, not_found);
	return 1;
}

/* lt_load_library_for, saying in *not_found whether a failure found no file at all. */
static struct lt_object *load_library(const char *name, struct lt_object *requester, int how,
				      int *not_found)
{
	struct lt_object *obj = lt_find_loaded(name);
	if (obj)
		return found(obj);
	const char *chosen = lt_auditing() ? audited_name(name, requester) : name;
	*not_found = !chosen;
	if (!chosen)
		return 0;
	if (chosen != name && strcmp(chosen, name) && (obj = lt_find_loaded(chosen)))
		return found(obj);
	static char load_path[LT_PATH_MAX] LT_LARGE_BSS;  /* not on a small stack; loading holds the loader lock */
	const char *opened;
	int fd = open_library(chosen, requester, load_path, &opened, how);
	*not_found = fd < 0;
	if (fd < 0)
		return 0;
	trace_needed_by(name, requester, how & LT_LOAD_DLOPEN);
	struct stat st;
	long r = sys_fstat(fd, &st);
	if (r < 0) {
		lt_error("%s: cannot read file data: %s", name, lt_strerror(-r));
		sys_close(fd);
		return 0;
	}
	if ((obj = find_by_file(&st))) {
		sys_close(fd);
		return found(obj);  /* the same file under another name */
	}
	obj = map_library(fd, &st, opened, name, requester);
	sys_close(fd);
	if (!obj)
		return 0;
	struct lt_object *instead;
	if (!obj->nneeded_names && opened == load_path &&  /* (needs nothing, not served) */
	    stands_in(obj, requester, how, not_found, &instead))
		return instead;
	if (lt_note_identity(obj) < 0) {
		lt_object_free(obj);
		return 0;
	}
	lt_object_append(obj);
	trace_new_object(name, obj);
	lt_audit_objopen(obj);
	return obj;
}

struct lt_object *lt_load_library_for(const char *name, struct lt_object *requester, int how)
{
	int not_found;
	return load_library(name, requester, how, &not_found);
}

struct lt_object *lt_load_library(const char *name, struct lt_object *requester)
{
	return lt_load_library_for(name, requester, 0);
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

/* A run that only looks (look.h) may go on without a library that cannot be loaded. */
int lt_load_needed(struct lt_object *o)
{
	for (size_t i = 0; i < o->nneeded_names; i++) {
		int not_found;
		struct lt_object *dep = load_library(o->needed_names[i], o, 0, &not_found);
		if (dep ? add_needed(o, dep) < 0
			: lt_look_unloaded(o->needed_names[i], o, not_found) < 0)
			return -1;
	}
	return 0;
}

/*
 * Load the DT_NEEDED entries of `first` and of every object after it in
 * load order.  Objects are appended as they are found, so walking the list
 * is a breadth-first walk of the dependency graph.
 */
int lt_load_dependencies(struct lt_object *first)
{
	for (struct lt_object *o = first; o; o = o->next)
		if (lt_load_needed(o) < 0)
			return -1;
	return 0;
}

/*
 * LD_PRELOAD (or --preload): names separated by spaces or colons (any white
 * space, for musl's loader: the adapter's preload_separators).  They
 * become the program's first dependencies, so they follow it directly in
 * the global scope and are initialised before its other libraries.
 */
int lt_load_preloads(const char *list)
{
	const char *seps = lt.libc->preload_separators ? lt.libc->preload_separators : " :";
	for (const char *p = list; p && *p;) {
		size_t len = 0;
		while (p[len] && !strchr(seps, p[len]))
			len++;
		if (len) {
			char *name = lt_strndup(p, len);
			struct lt_object *obj = name ? lt_load_library(name, lt.main) : 0;
			if (!obj) {
				/* glibc's behaviour: a preload that fails is skipped with a
				 * warning, out of memory too (the name is quoted from the list:
				 * its copy may be what failed). */
				lt_dprintf(2, LT_NAME ": warning: object '%.*s' from LD_PRELOAD cannot be "
					   "preloaded: %s: ignored\n", (int)len, p,
					   name ? lt_error_text() : "out of memory");
			} else if (add_needed(lt.main, obj) < 0) {
				return -1;
			} else {
				obj->preloaded = 1;
			}
		}
		p += len;
		while (*p && strchr(seps, *p))
			p++;
	}
	return 0;
}
