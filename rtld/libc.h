/*
 * The libc adapters, seen from the core.
 *
 * Every libc is welded to its own loader: it expects that loader to set up
 * its threads, to keep its private state, and to answer its dl* calls in
 * its own way.  ld-teach serves each libc through an adapter, one instance
 * of `struct lt_libc_adapter` per libc; the core calls the adapter at
 * fixed points and knows nothing else about any libc.  libc.c holds the
 * registry and decides, from the initial set of objects, which adapter a
 * process gets: one libc per process.
 *
 * Adding a libc means one adapter (a directory under rtld/) and one line
 * in libc.c's registry; doc/design.md walks through it.
 */
#ifndef LT_LIBC_H
#define LT_LIBC_H

#include "rtld.h"

struct lt_search;

struct lt_libc_adapter {
	const char *name;
	/* The name this libc's objects give their loader in DT_NEEDED: ldd's list
	 * shows the object of that name as the loader (NULL: ld-teach.so). */
	const char *loader_name;

	/* --- which objects, names and files belong to this libc --- */
	/* Is `obj` built for this libc?  (Its DT_NEEDED entries tell.) */
	int (*claims)(const struct lt_object *obj);
	/* A name this libc folds into itself: the file that serves it, else NULL. */
	const char *(*serves)(const char *name);
	/* Is `obj`, which needs nothing, this libc's own file (its libc or its
	 * loader) reached by another path?  The file that stands for it (the one
	 * serves names), else NULL.  NULL hook: never. */
	const char *(*own_file)(const struct lt_object *obj);
	/* Default directories, ':'-separated: searched last, and trusted in secure mode. */
	const char *system_dirs;
	/* The lists of directories searched before search_default, in its
	 * loader's order (lt_search_list, lt_search_library_path); NULL:
	 * glibc's, RPATH up the chain of loaders unless the requester has a
	 * RUNPATH, LD_LIBRARY_PATH, the requester's RUNPATH.  A descriptor or -1. */
	int (*search_lists)(struct lt_search *s);
	/* The search after those lists; NULL: system_dirs alone. */
	int (*search_default)(struct lt_search *s);
	/* Subdirectories tried, in order, inside every directory of every search
	 * path, each ending in '/', the last "" (the directory itself); NULL (or
	 * a NULL hook): the directory alone.  glibc's glibc-hwcaps and legacy
	 * hwcap subdirectories. */
	const char *const *(*search_subdirs)(void);
	/* Can the program run with this libc at all?  (Reports why not.) */
	int (*supported)(void);
	/* The order constructors run in (and objects are relocated in), `root`
	 * and what it needs, dependencies first, lt_alloc'ed; NULL: the core's. */
	struct lt_object **(*init_order)(struct lt_object *root, size_t *count);
	const char *init_order_rule;  /* that order in a few words, for LD_DEBUG=init */
	/* Sort objs[0..n), every loaded object in load order, into the order
	 * their destructors run (at exit, and for a dlclose); NULL: the reverse
	 * of the order constructors started. */
	void (*fini_order)(struct lt_object **objs, size_t n);
	const char *fini_order_rule;
	/* dlopen of the program's own file refuses it, as any executable is
	 * refused (glibc's loader never finds the program by its file); 0: the
	 * program's handle, as for any object already loaded (musl's). */
	int dlopen_refuses_program;
	/* An object loaded by a relative path has the working directory of that
	 * moment before its directory, for $ORIGIN and RTLD_DI_ORIGIN, as in
	 * glibc's loader (lt_object_fix_origin); 0: its directory stays relative,
	 * read against the working directory of each use (musl's). */
	int absolute_origins;
	/* Its loader reads LD_LIBRARY_PATH and LD_PRELOAD with getenv, which
	 * finds a variable's first entry in the environment (musl's); 0: their
	 * last entries, as glibc's loader takes them.  (ld-teach's other
	 * variables, which musl's loader does not read, go by the last.) */
	int first_entries;
	/* Its loader splits a list of directories (LD_LIBRARY_PATH, RPATH,
	 * RUNPATH) at newlines as well as colons, and skips an empty element
	 * (musl's path_open); 0: at colons only, an empty element naming the
	 * current directory (glibc's). */
	int lists_skip_empty;
	/* What separates the names of LD_PRELOAD for its loader: any white
	 * space or a colon (musl's isspace); NULL: a space or a colon (glibc's). */
	const char *preload_separators;
	/* Its loader knows one token, $ORIGIN, and only in RPATH and RUNPATH:
	 * there any other '$' drops the whole list, and "$ORIGIN" is the token
	 * whatever follows it; LD_LIBRARY_PATH and the names of libraries are
	 * taken as written (musl's fixup_rpath); 0: $ORIGIN, $LIB and $PLATFORM
	 * wherever glibc's loader expands them, an unknown token kept. */
	int origin_only;
	/* An error opening a candidate other than its absence (ENOENT, ENOTDIR),
	 * EACCES and ENAMETOOLONG ends the whole search, as musl's path_open
	 * has it; 0: it ends the list it was met in, when the directory exists,
	 * and the search goes on with the next list (glibc's open_path). */
	int open_error_ends_search;
	/* The longest name its loader searches for, and the longest path it
	 * tries, NUL included (musl's NAME_MAX and 512-byte buffer); 0: any
	 * name, and paths up to LT_PATH_MAX. */
	size_t name_max, path_max;

	/* Its libc prints LD_DEBUG's lines of the program's start itself
	 * ("initialize program", "transferring control": glibc's
	 * __libc_start_main, through _dl_debug_printf); 0: the core shows the
	 * jump to the program's entry. */
	int libc_traces_start;

	/* --- start-up, in this order (each may be NULL) --- */
	/* Static TLS is laid out; nothing is relocated yet. */
	int (*before_relocation)(void);
	/* Every start-up object is relocated. */
	int (*after_relocation)(void);
	void (*before_constructors)(void);
	/* Last: the thread pointer, constructors, and the %rdx finalizer. */
	void (*hand_off)(struct lt_handoff *out);

	/* --- object lifecycle: joined the process, relocated, about to leave --- */
	int (*object_added)(struct lt_object *obj);
	/* What the libc's own code takes for the object's link_map (audit
	 * modules receive it); NULL: the object record itself. */
	void *(*public_map)(const struct lt_object *obj);
	/* Before start-up's objects, or a dlopen's, are relocated: may the libc
	 * run this one?  (Reports why not.)  Asked of each whose constructors
	 * have not started, in the order they are relocated (lt_libc_admit). */
	int (*admit)(const struct lt_object *obj);
	void (*object_relocated)(struct lt_object *obj);
	/* A dlopen with RTLD_GLOBAL put it in the global scope (start-up's
	 * objects are there before they are relocated). */
	void (*object_global)(struct lt_object *obj);
	void (*object_removing)(struct lt_object *obj);
	/* Start-up's loading, or a dlopen's, is over (either way): what its
	 * searches kept may go. */
	void (*loading_done)(void);

	/* --- TLS policy and access --- */
	/* Static TLS kept free for libraries dlopen brings (bytes). */
	size_t (*tls_surplus)(void);
	/* Of the surplus, the bytes modules reached through TLS descriptors may
	 * take without needing them (glibc's optional static TLS); NULL: 512. */
	size_t (*tls_optional)(void);
	/* A module dlopen brought: give it to every live thread and to later ones. */
	int (*tls_add)(const struct lt_object *obj);
	/* Its object is going: later threads must not copy its image. */
	void (*tls_remove)(const struct lt_object *obj);
	/* The calling thread's block of a dynamic module, or NULL if it has none yet. */
	void *(*tls_block)(const struct lt_object *obj);
	/* {module, offset} to an address in the calling thread, allocating if needed. */
	void *(*tls_get_addr)(size_t *ti);

	/* --- the lock the libc takes around loader data: held across dlopen and dlclose --- */
	void (*lock)(void);
	void (*unlock)(void);

	/* Per-thread error storage: once its threads exist, the adapter gives
	 * the core a slot per thread with lt_error_use_slots (error.h). */
};

/* The adapter for programs with no libc at all (none.c). */
extern const struct lt_libc_adapter lt_no_libc;

/* libc.c: the registry. */
/* Note an object of the initial set (or one dlopen brings), as it is made:
 * it may decide the process's libc, or be refused for needing another; the
 * libc's rule for its origin is applied. */
int lt_libc_note(struct lt_object *obj);
/* If obj is the process's libc's own file by another path, the file that stands for it. */
const char *lt_libc_own_file(const struct lt_object *obj);
/* If `name` is a library the process's libc serves itself, the file that serves it. */
const char *lt_libc_served(const char *name);
/* The adapter an object is built for (lt_no_libc when none claims it). */
const struct lt_libc_adapter *lt_libc_claimant(const struct lt_object *obj);
/* Tell the adapter about every start-up object not yet announced, now that
 * the libc is final (its support is checked the first time). */
int lt_libc_adopt_initial(void);
/* Tell the adapter about one object (object_added), once. */
int lt_libc_announce(struct lt_object *obj);
/* The objects of `order`, about to be relocated in that order: the adapter's
 * admit hook for each whose constructors have not started; -1 at the first
 * it refuses. */
int lt_libc_admit(struct lt_object *const *order, size_t n);

/* Call a hook of the process's adapter, if it has one. */
#define lt_libc_call(hook, ...) (lt.libc->hook ? lt.libc->hook(__VA_ARGS__) : 0)
#define lt_libc_do(hook, ...)             \
	do {                              \
		if (lt.libc->hook)        \
			lt.libc->hook(__VA_ARGS__); \
	} while (0)

/* dl.c: what the core offers a libc-side adapter object (ld-teach/adapter.h). */
extern const struct lt_core_ops lt_core_ops;
/* dlsym through a handle: the object, then its dependencies breadth-first
 * (the program: the global scope).  The caller holds the loader lock. */
struct lt_ref;
struct lt_symdef lt_dl_lookup_in_handle(struct lt_object *h, const struct lt_ref *ref);

#endif
