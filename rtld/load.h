/*
 * Finding library files (search.c), loading objects and their
 * dependencies (load.c), and taking them down again (unload.c).
 */
#ifndef LT_LOAD_H
#define LT_LOAD_H

#include "object.h"

#define LT_PATH_MAX 4096

/* One search for a library file by name. */
struct lt_search {
	const char *name;
	const struct lt_object *requester;
	char *path;      /* LT_PATH_MAX bytes: the file found */
	int err;         /* the most telling errno seen so far */
};

/*
 * Search for library `name` on behalf of `requester`.  On success returns
 * an open descriptor and leaves the file's path in `path` (LT_PATH_MAX
 * bytes); on failure returns -1 with *err set.
 */
int lt_search_library(const char *name, const struct lt_object *requester, char *path, int *err);
/* Try every directory of a ':'-separated list, as `why` names it (for the
 * trace); `owner` expands $ORIGIN.  Returns a descriptor or -1. */
int lt_search_list(struct lt_search *s, const char *list, const struct lt_object *owner,
		   const char *why, const char *why_file);

/* A file shipped next to ld-teach.so (an adapter's object): the first of
 * `layouts`, relative to ld-teach.so's directory, that exists. */
const char *lt_beside_self(const char *const *layouts, size_t n, char *path);

/* load.c */
struct lt_object *lt_load_library(const char *name, struct lt_object *requester);
/* Its names and file are final (parsed, renamed): note them for finding it
 * again; and forget them, as it goes. */
int lt_note_identity(struct lt_object *o);
void lt_forget_identity(const struct lt_object *o);
/* A loaded object that this name (soname, first request or path) names. */
struct lt_object *lt_find_loaded(const char *name);
int lt_load_dependencies(struct lt_object *first);
int lt_load_preloads(const char *list);

/* unload.c */
/* Remember that `from` bound a symbol to `to`, which must then outlive it. */
int lt_note_binding(struct lt_object *from, struct lt_object *to);
/* After a dlclose: unload every object nothing keeps any more. */
int lt_unload_unreachable(struct lt_object *closed);
/* Take down every object marked dying (after a failed dlopen, or a dlclose):
 * destructors of those whose constructors ran, then TLS, scopes, mappings. */
void lt_unload_dying(void);

#endif
