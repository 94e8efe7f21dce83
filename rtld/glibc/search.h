/*
 * Library search for glibc programs, in glibc 2.36's order (doc/design.md,
 * "Searching for glibc programs"): the core searches DT_RPATH,
 * LD_LIBRARY_PATH and DT_RUNPATH; then come /etc/ld.so.cache and the
 * system directories.  Inside every directory of every search path glibc
 * first tries its glibc-hwcaps subdirectories and its legacy hwcap ones.
 * These are the glibc adapter's search_default and search_subdirs.
 */
#ifndef LT_GLIBC_SEARCH_H
#define LT_GLIBC_SEARCH_H

#include "cache.h"

struct lt_search;

#define LT_GLIBC_CACHE_FILE "/etc/ld.so.cache"

/*
 * Before the first search: the CPU as glibc sees it, and the cache file
 * (LT_GLIBC_CACHE_FILE; the tests give their own).  Computes the
 * subdirectories; the cache is read at the first search that needs it.
 * A later call starts afresh, forgetting (and unmapping) the cache.
 */
void lt_glibc_search_setup(const struct lt_glibc_cpu *cpu, const char *cache_file);

/* The subdirectories glibc tries in each directory, the most specific
 * first, then "" (the directory itself); NULL before setup. */
const char *const *lt_glibc_search_subdirs(void);

/*
 * After RUNPATH: the cache (unless --inhibit-cache), then the system
 * directories.  For a requester with DF_1_NODEFLIB (or the program, when
 * nothing requests) neither system directories nor cache entries in them.
 * A descriptor, or -1.
 */
int lt_glibc_search_default(struct lt_search *s);
/* A start-up's or a dlopen's loading is over: the cache is unmapped (the
 * next search that needs it maps it again). */
void lt_glibc_search_done(void);

#endif
