/*
 * The global symbol index (symindex.c): global-scope lookups that cost the
 * same however many objects the scope holds, with exactly the answers of
 * the ordered walk.
 */
#ifndef LT_SYMINDEX_H
#define LT_SYMINDEX_H

#include "rtld.h"

/*
 * Below this many objects the walk is cheaper than building the index.  A
 * checked build (-DLT_CHECK_SYMINDEX) indexes every scope and compares the
 * two answers on every lookup.
 */
#ifdef LT_CHECK_SYMINDEX
#define LT_SYMINDEX_THRESHOLD 0
#else
#define LT_SYMINDEX_THRESHOLD 24
#endif

/* Is a global scope of n objects worth indexing? */
static inline int lt_symindex_worthwhile(size_t n)
{
	return n + 1 > LT_SYMINDEX_THRESHOLD;
}

int lt_symindex_active(void);
/* Index the whole global scope; from then on, keep it current. */
int lt_symindex_build(void);
/* An object joined the global scope (at its end) / left it. */
int lt_symindex_add(struct lt_object *o);
void lt_symindex_remove(struct lt_object *o);
/* For LD_DEBUG=statistics: names indexed, candidate definitions held. */
void lt_symindex_counts(size_t *names, size_t *candidates);
int lt_symindex_lookup(const char *name, uint32_t gh, const struct lt_verreq *ver, int flags,
		       struct lt_symdef *out);

#endif
