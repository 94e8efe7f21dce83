/*
 * Dynamic string tokens in search paths: $ORIGIN, $LIB and $PLATFORM, also
 * written ${ORIGIN} and so on.  Pure, so the unit tests drive it directly.
 */
#ifndef LT_PATH_H
#define LT_PATH_H

#include <stddef.h>

struct lt_path_vars {
	const char *origin;    /* directory of the object; NULL if unknown */
	const char *lib;       /* "lib/x86_64-linux-gnu" on Debian */
	const char *platform;  /* AT_PLATFORM, "x86_64" */
	int secure;            /* AT_SECURE: $ORIGIN only where glibc allows it */
	int origin_prefix;     /* musl's reading: "$ORIGIN" is the token whatever follows it */
};

/*
 * Expand the `len` bytes at `in` (one element of a path list) into `out`.
 * Returns the expanded length, or -1 when the element must be skipped: its
 * $ORIGIN is unknown, or (in secure mode) not the whole first component of
 * the element, or the result does not fit.  An unknown $NAME is kept as
 * written, as glibc does.
 */
long lt_path_expand(const char *in, size_t len, const struct lt_path_vars *vars, char *out,
		    size_t outsize);

/*
 * musl's test of an RPATH or RUNPATH: does every '$' in `list` start
 * $ORIGIN or ${ORIGIN} (whatever follows)?  Its loader ignores a list with
 * any other '$' in it, whole.
 */
int lt_path_origin_only(const char *list);

/*
 * Directories listed one per line or separated by colons (musl's path
 * file), read a piece at a time: append those in the `len` bytes at `in`
 * to the list at out[*n], colon-separated, with empty entries dropped (an
 * empty entry of a list means the current directory, which musl skips).
 * *separated carries a separator met at a piece's end to the next.  `out`
 * must have room for len + 1 more bytes (no NUL is written).  Returns 1 if
 * a NUL in the piece ended the list there.
 */
int lt_path_list_append(char *out, size_t *n, int *separated, const char *in, size_t len);

/* A search-list element's length without its trailing slashes (the root
 * keeps its own), as glibc's loader takes a directory. */
size_t lt_path_element_length(const char *p, size_t len);
/* Does an element of `list` before elem[0..len) (which lies in it) name
 * the same directory?  glibc's loader keeps one of each in a list. */
int lt_path_list_repeats(const char *list, const char *elem, size_t len);

#endif
