/*
 * glibc's library cache, /etc/ld.so.cache, read the way glibc 2.36's
 * loader reads it (doc/glibc-facts.md, section 6).  Pure: parsing and
 * lookup work on a buffer and touch nothing else, so the unit tests and the
 * fuzzer drive them directly; rtld/glibc/search.c maps the file.
 *
 * Parsing checks the file's structure: its headers, counts and tables; a
 * file that fails is refused as a whole, with the reason.  Each entry's
 * name and path are checked where a lookup reads them (a program needs a
 * handful of the hundreds of entries): one outside the string table is
 * never used, and a search that meets such a name finds nothing.
 */
#ifndef LT_GLIBC_CACHE_H
#define LT_GLIBC_CACHE_H

#include <stddef.h>
#include <stdint.h>

/* glibc's x86 hwcap bits (its dl_hwcap): ldconfig records them for the
 * libraries it finds in legacy subdirectories named after them. */
#define LT_GLIBC_HWCAP_X86_64 (1u << 1)
#define LT_GLIBC_HWCAP_AVX512_1 (1u << 2)

/* The CPU as glibc 2.36's loader sees it when it chooses among libraries. */
struct lt_glibc_cpu {
	/* x86-64 ISA level: 0 below the baseline, 1 the baseline, 2 to 4
	 * x86-64-v2 to x86-64-v4 (glibc's get_isa_level, from CPUID). */
	unsigned isa_level;
	/* glibc's dl_hwcap masked by its hwcap mask: LT_GLIBC_HWCAP_* bits. */
	uint64_t hwcap;
	/* glibc's dl_platform: AT_PLATFORM, or on Intel CPUs "haswell" or
	 * "xeon_phi" as glibc decides from CPUID; NULL if none. */
	const char *platform;
};

/* A parsed cache: views into the caller's buffer, which must outlive it. */
struct lt_glibc_cache {
	const unsigned char *file;
	size_t size;
	const unsigned char *entries;  /* nentries records of entry_size bytes */
	uint32_t nentries;
	size_t entry_size;             /* 12: the old format; 24: the new one */
	size_t strings;                /* file offset that entries' string offsets count from */
	size_t strings_start, strings_limit;  /* where an entry's string may start: [start, limit) */
	const unsigned char *hwcaps;   /* nhwcaps file offsets of glibc-hwcaps names; NULL: none */
	uint32_t nhwcaps;
};

/*
 * Parse the `size` bytes at `file`: the new format ("glibc-ld.so.cache1.1"),
 * or the old one ("ld.so-1.7.0") with or without the new one inside it.
 * Returns 0 and fills *c, or -1 with *why saying what is wrong.
 */
int lt_glibc_cache_parse(struct lt_glibc_cache *c, const void *file, size_t size,
			 const char **why);

/*
 * The file the cache gives for library `name` on this CPU, as glibc 2.36
 * chooses it: among the entries for `name`, the usable glibc-hwcaps entry
 * of the most preferred subdirectory, else the first usable plain entry.
 * NULL if none.  The string lies in the cache's buffer.
 */
const char *lt_glibc_cache_lookup(const struct lt_glibc_cache *c, const char *name,
				  const struct lt_glibc_cpu *cpu);

/* The glibc-hwcaps subdirectories a CPU of `isa_level` can use, by rank,
 * the most preferred (rank 0) first: "x86-64-v4", ...; NULL past the last. */
const char *lt_glibc_hwcaps_name(unsigned isa_level, unsigned rank);

#endif
