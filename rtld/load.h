/*
 * Finding library files (search.c), loading objects and their
 * dependencies (load.c), and taking them down again (unload.c).
 */
#ifndef LT_LOAD_H
#define LT_LOAD_H

#include "object.h"

#define LT_PATH_MAX 4096

/* How a library is loaded (lt_load_library_for, lt_search_library). */
enum {
	LT_LOAD_SETUID_ONLY = 1,  /* an audit module in secure mode: only set-user-id files */
	LT_LOAD_DLOPEN = 2,       /* the object a dlopen names: "dynamically loaded by" its caller */
};

/* One search for a library file by name. */
struct lt_search {
	const char *name;
	const struct lt_object *requester;
	char *path;        /* LT_PATH_MAX bytes: the file found */
	int err;           /* the most telling errno seen so far */
	unsigned where;    /* the step, for la_objsearch: LA_SER_RUNPATH, _LIBPATH, _CONFIG, _DEFAULT */
	int how;           /* LT_LOAD_* (above): an audit module in secure mode, a dlopen */
	size_t namelen;    /* strlen(name), for building each path tried */
	int stop;          /* LT_STOP_* (below): an open error ended the list or the search */
};
enum {
	LT_STOP_LIST = 1,    /* glibc's loader goes on with the next list */
	LT_STOP_SEARCH = 2,  /* musl's gives up */
};

/*
 * Search for library `name` on behalf of `requester`, loaded as `how` says
 * (LT_LOAD_*).  On success returns an open descriptor and leaves the
 * file's path in `path` (LT_PATH_MAX bytes); on failure returns -1 with
 * *err set.  LT_LOAD_SETUID_ONLY: files without the set-user-id bit are
 * passed over (glibc's rule for audit modules in secure mode), and so is
 * the glibc cache.
 */
int lt_search_library(const char *name, const struct lt_object *requester, char *path, int *err,
		      int how);
/* The LD_LIBRARY_PATH step of a search (none in secure mode, nor when it
 * is empty).  A descriptor or -1. */
int lt_search_library_path(struct lt_search *s);
/* Try every directory of a ':'-separated list, as `why` names it (for the
 * trace); `owner` expands $ORIGIN.  Returns a descriptor or -1. */
int lt_search_list(struct lt_search *s, const char *list, const struct lt_object *owner,
		   const char *why, const char *why_file);
/* $ORIGIN, $LIB and $PLATFORM in a file name that `owner` gave, expanded
 * into `out` (LT_PATH_MAX bytes); -1 when the name cannot be used (an
 * unknown origin, or secure mode's rules). */
int lt_expand_name(const char *name, const struct lt_object *owner, char *out);
/* Try to open the file s->path names, as one step of search `s`: traced,
 * shown to the audit modules (which may change or refuse it), and an error
 * other than "not there" kept in s->err.  A descriptor, or -errno. */
int lt_search_try(struct lt_search *s);

/* A file shipped next to ld-teach.so (an adapter's object): the first of
 * `layouts`, relative to ld-teach.so's directory, that exists. */
const char *lt_beside_self(const char *const *layouts, size_t n, char *path);

/* load.c */
struct lt_object *lt_load_library(const char *name, struct lt_object *requester);
/* The same, loading as `how` says. */
struct lt_object *lt_load_library_for(const char *name, struct lt_object *requester, int how);
/* Its names and file are final (parsed, renamed): note them for finding it
 * again; and forget them, as it goes. */
int lt_note_identity(struct lt_object *o);
void lt_forget_identity(const struct lt_object *o);
/* A loaded object that this name (soname, first request or path) names. */
struct lt_object *lt_find_loaded(const char *name);
/* One object's DT_NEEDED entries; and those of `first` and every object after it. */
int lt_load_needed(struct lt_object *o);
int lt_load_dependencies(struct lt_object *first);
int lt_load_preloads(const char *list);

/* dl.c: the TLS of the objects loaded after `last`, as a dlopen places it
 * (in the surplus, or dynamic), then given to every live thread. */
int lt_place_new_tls(struct lt_object *last);
int lt_install_new_tls(struct lt_object *last);
/* stack.c: executable stacks, glibc's policy (doc/design.md) */
/* Read the setting (GLIBC_TUNABLES=glibc.rtld.execstack); with 2, make the
 * stack executable at once.  Before command mode takes its arguments. */
void lt_stack_init(void);
/* An object joins the process and may ask for an executable stack: at
 * start-up it gets one; from dlopen it is refused (-1, the error recorded)
 * unless the stack is executable already. */
int lt_stack_admit(const struct lt_object *obj);
/* Is the main stack executable?  (glibc's libc makes thread stacks alike.) */
int lt_stack_executable(void);
/* If it is: why, for LD_DEBUG=maps (and 1). */
int lt_stack_describe(char *out, size_t size);

/* unload.c */
/* Remember that `from` bound a symbol to `to` (a relocation, a lazy first
 * call, or its dlsym(RTLD_DEFAULT)), so `to` must outlive it. */
int lt_note_binding(struct lt_object *from, struct lt_object *to);
/* After a dlclose: unload every object nothing keeps any more. */
int lt_unload_unreachable(struct lt_object *closed);
/* Take down the objects marked dying, from `first` to the end of the list
 * (after a failed dlopen, or a dlclose): destructors of those whose
 * constructors ran, then TLS, scopes, mappings. */
void lt_unload_dying(struct lt_object *first);

#endif
