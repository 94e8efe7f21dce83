/*
 * The core's allocator.  Every block comes back zeroed.  Small blocks come
 * from size-classed free lists carved out of arenas (the first in .bss, the
 * others mmap'ed); large ones are mmap'ed on their own.  Thread-safe.
 */
#ifndef LT_ALLOC_H
#define LT_ALLOC_H

#include <stddef.h>
#include "str.h"

void *lt_alloc(size_t size);
/* The largest block served from an arena: a larger one costs an mmap. */
#define LT_ALLOC_SMALL_MAX (4096 - 16)
void lt_free(void *p);
/* Grow (or shrink) a block; new bytes are zero. */
void *lt_realloc(void *p, size_t size);

/* A copy of the n bytes at s, terminated (the block comes back zeroed). */
static inline char *lt_strndup(const char *s, size_t n)
{
	char *d = lt_alloc(n + 1);
	if (d)
		memcpy(d, s, n);
	return d;
}

static inline char *lt_strdup(const char *s)
{
	return lt_strndup(s, strlen(s));
}

/* Bytes currently handed out, and the peak, for LD_DEBUG=statistics. */
size_t lt_alloc_in_use(void);
size_t lt_alloc_peak(void);

#endif
