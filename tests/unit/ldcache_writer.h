/*
 * A writer of /etc/ld.so.cache files for the tests: the layouts of glibc
 * 2.36's ldconfig (doc/glibc-facts.md section 5), which the tests then
 * break on purpose.  Entries are written in the order given: the caller
 * sorts them as ldconfig would (names from the greatest down).
 */
#ifndef LDCACHE_WRITER_H
#define LDCACHE_WRITER_H

#include <stddef.h>
#include <stdint.h>

#define LDC_X86_64 0x303  /* the flags of an x86-64 glibc library */
#define LDC_I386 0x003    /* the flags of an i386 one */
/* A glibc-hwcaps entry: subdirectory `index`, needing ISA level bits `level`. */
#define LDC_HWCAPS(index, level) ((1ull << 62) | ((uint64_t)(level) << 32) | (index))

struct ldc_entry {
	int32_t flags;
	const char *key, *value;
	uint64_t hwcap;
};

enum ldc_format {
	LDC_NEW,       /* "glibc-ld.so.cache1.1" alone, as ldconfig writes by default */
	LDC_OLD,       /* "ld.so-1.7.0" alone */
	LDC_COMBINED,  /* the old format with the new one inside its string table */
};

/* Where the writer put things: the tests break them there. */
struct ldc_layout {
	size_t new_at;        /* the new header (LDC_NEW, LDC_COMBINED) */
	size_t entries_at;    /* the entries that lookups read */
	size_t entry_size;
	size_t strings_at;    /* the string table */
	size_t extension_at;  /* the extension directory (0: none) */
	size_t hwcaps_at;     /* the glibc-hwcaps section (0: none) */
};

/*
 * A cache in `format` holding `n` entries and, in the new format, an
 * extension directory with a generator section (text without a final NUL,
 * last in the file, as ldconfig writes it) and a glibc-hwcaps section
 * naming `hwcaps[0..nhwcaps)`.  In LDC_COMBINED the old part's entries
 * give their own name as their file, so that a lookup reading them shows.
 * Returns a malloc'ed buffer of exactly *size bytes.
 */
unsigned char *ldc_write(enum ldc_format format, const struct ldc_entry *e, size_t n,
			 const char *const *hwcaps, size_t nhwcaps, size_t *size,
			 struct ldc_layout *layout);

void ldc_put32(unsigned char *file, size_t at, uint32_t v);

#endif
