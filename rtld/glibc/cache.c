/*
 * /etc/ld.so.cache: parsing and lookup (cache.h).  The layout and the
 * rules of choice are glibc 2.36's, as doc/glibc-facts.md section 5
 * describes them; the checks are ld-teach's, and stricter than glibc's:
 * nothing here reads a byte outside the buffer, whatever the file says.
 */
#include "cache.h"
#include "str.h"

#define NEW_MAGIC "glibc-ld.so.cache1.1"
#define OLD_MAGIC "ld.so-1.7.0"
enum {
	NEW_MAGIC_LEN = sizeof NEW_MAGIC - 1,
	OLD_MAGIC_LEN = sizeof OLD_MAGIC - 1,
	OLD_HEADER = 16,  /* magic, padding, nentries at 12 */
	OLD_ENTRY = 12,   /* flags, key, value */
	NEW_HEADER = 48,  /* magic, nentries at 20, string size, flags at 28, extensions at 32 */
	NEW_ENTRY = 24,   /* flags, key, value, unused OS version, hwcap at 16 */
	EXTENSION_HEADER = 8,  /* magic, count */
	EXTENSION_SECTION = 16,  /* tag, flags, offset, size */
};
#define EXTENSION_MAGIC 0xeaa42174u
#define EXTENSION_HWCAPS 1  /* the section that names glibc-hwcaps subdirectories */
#define BYTE_ORDER_BITS 3
#define LITTLE_ENDIAN_FILE 2

/* The flags of an x86-64 glibc library (glibc's _DL_CACHE_DEFAULT_ID):
 * entries with any other flags are for other ABIs. */
#define X86_64_LIBRARY 0x303

/* The hwcap field of an entry: a glibc-hwcaps entry has bit 62 alone in
 * its top 22 bits, the ISA level it needs in bits 32-41, and the index of
 * its subdirectory's name in the low 32; any other value holds legacy
 * hwcap bits, a platform number (bits 48-51) and a "tls" bit (63). */
#define HWCAPS_ENTRY_TAG (1ull << 30)
#define ISA_LEVEL_BITS 0x3ffull
#define PLATFORM_BITS (0xfull << 48)
#define TLS_BIT (1ull << 63)

static uint32_t u32_at(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

static uint64_t u64_at(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

static int refuse(const char **why, const char *reason)
{
	*why = reason;
	return -1;
}

static size_t entries_end(const struct lt_glibc_cache *c)
{
	return (size_t)(c->entries - c->file) + (size_t)c->nentries * c->entry_size;
}

/* One past the last NUL byte in [from, to), or `from` if none: a string
 * that starts in [from, the result) ends before `to`. */
static size_t terminated_below(const struct lt_glibc_cache *c, size_t from, size_t to)
{
	while (to > from && c->file[to - 1])
		to--;
	return to;
}

/* The string table follows the entries and ends at file offset
 * `table_end`: a string must start in it and end in it. */
static void take_strings(struct lt_glibc_cache *c, size_t table_end)
{
	c->strings_start = entries_end(c);
	c->strings_limit = terminated_below(c, c->strings_start, table_end);
}

/*
 * The glibc-hwcaps section: an array of file offsets of subdirectory names
 * (counted from the start of the file, as glibc reads them, although
 * ldconfig counts them from the new header when it writes both formats).
 * glibc drops a section that is empty, misaligned or of a size that is not
 * a multiple of 4, which leaves every glibc-hwcaps entry unusable.
 */
static int take_hwcaps(struct lt_glibc_cache *c, uint32_t at, uint32_t size, const char **why)
{
	if (!size || at % 4 || size % 4)
		return 0;
	size_t limit = terminated_below(c, 0, c->size);
	for (uint32_t i = 0; i < size / 4; i++)
		if (u32_at(c->file + at + 4 * i) >= limit)
			return refuse(why, "a glibc-hwcaps name lies outside the file");
	c->hwcaps = c->file + at;
	c->nhwcaps = size / 4;
	return 0;
}

/* The extension directory at file offset `at` (0: none).  Sections of
 * unknown tags are skipped; of two with the same tag, the last counts. */
static int take_extensions(struct lt_glibc_cache *c, uint32_t at, const char **why)
{
	if (!at)
		return 0;
	size_t low = entries_end(c);
	if (at % 4 || at < low || at > c->size || c->size - at < EXTENSION_HEADER ||
	    u32_at(c->file + at) != EXTENSION_MAGIC)
		return refuse(why, "its extension directory is misplaced or has a bad magic number");
	uint32_t count = u32_at(c->file + at + 4);
	if ((c->size - at - EXTENSION_HEADER) / EXTENSION_SECTION < count)
		return refuse(why, "its extension directory runs past the end of the file");
	uint32_t hwcaps_at = 0, hwcaps_size = 0;
	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *s = c->file + at + EXTENSION_HEADER + (size_t)i * EXTENSION_SECTION;
		uint32_t offset = u32_at(s + 8), size = u32_at(s + 12);
		if (offset < low || offset > c->size || size > c->size - offset)
			return refuse(why, "an extension section lies outside the file");
		if (u32_at(s) == EXTENSION_HWCAPS)
			hwcaps_at = offset, hwcaps_size = size;
	}
	return take_hwcaps(c, hwcaps_at, hwcaps_size, why);
}

/* The new format, its header at file offset `at` (with room for the header). */
static int parse_new(struct lt_glibc_cache *c, size_t at, const char **why)
{
	const unsigned char *h = c->file + at;
	uint8_t order = h[28] & BYTE_ORDER_BITS;
	if (h[28] && order != LITTLE_ENDIAN_FILE)
		return refuse(why, "it was written for another byte order");
	uint32_t n = u32_at(h + 20), table_size = u32_at(h + 24);
	if ((c->size - at - NEW_HEADER) / NEW_ENTRY < n)
		return refuse(why, "it counts more entries than the file holds");
	c->entries = h + NEW_HEADER;
	c->nentries = n;
	c->entry_size = NEW_ENTRY;
	c->strings = at;  /* the new format counts string offsets from its own header */
	if (table_size > c->size - entries_end(c))
		return refuse(why, "its string table runs past the end of the file");
	take_strings(c, entries_end(c) + table_size);
	return take_extensions(c, u32_at(h + 32), why);
}

/* The old format, and the new one that ldconfig may hide in its string
 * table, 8-aligned after the old entries: glibc then reads the new one. */
static int parse_old(struct lt_glibc_cache *c, const char **why)
{
	uint32_t n = u32_at(c->file + 12);
	if ((c->size - OLD_HEADER) / OLD_ENTRY < n)
		return refuse(why, "it counts more entries than the file holds");
	size_t end = OLD_HEADER + (size_t)n * OLD_ENTRY, inner = (end + 7) & ~(size_t)7;
	if (c->size >= inner + NEW_HEADER && !memcmp(c->file + inner, NEW_MAGIC, NEW_MAGIC_LEN))
		return parse_new(c, inner, why);
	c->entries = c->file + OLD_HEADER;
	c->nentries = n;
	c->entry_size = OLD_ENTRY;
	c->strings = end;
	take_strings(c, c->size);  /* the strings run to the end of the file */
	return 0;
}

int lt_glibc_cache_parse(struct lt_glibc_cache *c, const void *file, size_t size,
			 const char **why)
{
	*c = (struct lt_glibc_cache){.file = file, .size = size};
	int r;
	if (size > NEW_HEADER && !memcmp(file, NEW_MAGIC, NEW_MAGIC_LEN))
		r = parse_new(c, 0, why);
	else if (size > OLD_HEADER && !memcmp(file, OLD_MAGIC, OLD_MAGIC_LEN))
		r = parse_old(c, why);
	else
		r = refuse(why, "it is not a cache file (no known magic)");
	if (r < 0)
		*c = (struct lt_glibc_cache){0};
	return r;
}

/* ----- lookup ----- */

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static uint64_t take_number(const char **p)
{
	uint64_t v = 0;
	while (is_digit(**p))
		v = v * 10 + (uint64_t)(*(*p)++ - '0');
	return v;
}

/*
 * The order of names in the cache (glibc's _dl_cache_libcmp): runs of
 * digits compare as numbers, and sort after every other character.
 * The cache lists names from the greatest down.
 */
static int compare_names(const char *a, const char *b)
{
	while (*a) {
		if (is_digit(*a) && is_digit(*b)) {
			uint64_t x = take_number(&a), y = take_number(&b);
			if (x != y)
				return x < y ? -1 : 1;
		} else if (is_digit(*a) || is_digit(*b)) {
			return is_digit(*a) ? 1 : -1;
		} else if (*a != *b) {
			return (signed char)*a - (signed char)*b;
		} else {
			a++, b++;
		}
	}
	return -(signed char)*b;
}

static const unsigned char *entry_at(const struct lt_glibc_cache *c, int64_t i)
{
	return c->entries + (size_t)i * c->entry_size;
}

/*
 * An entry's name or path, checked where it is read rather than all at
 * parse time (a program needs a handful of the hundreds of entries): NULL
 * unless it lies whole in the string table.
 */
static const char *string_at(const struct lt_glibc_cache *c, uint32_t offset)
{
	uint64_t at = c->strings + (uint64_t)offset;
	return at >= c->strings_start && at < c->strings_limit ? (const char *)c->file + at : 0;
}

static const char *name_of(const struct lt_glibc_cache *c, int64_t i)
{
	return string_at(c, u32_at(entry_at(c, i) + 4));
}

static int entry_is(const struct lt_glibc_cache *c, int64_t i, const char *name)
{
	const char *key = name_of(c, i);
	return key && !compare_names(name, key);
}

/*
 * The run of entries for `name`, [*first, *last], found as glibc finds
 * it: a binary search, back to the run's start, and forward no further
 * than the search's upper bound.  (Equal on a sorted cache to the whole
 * run; on a badly sorted one, the same entries glibc would see.)  A name
 * outside the string table on the way leaves the search without an answer.
 */
static int find_run(const struct lt_glibc_cache *c, const char *name, int64_t *first,
		    int64_t *last)
{
	int64_t left = 0, right = (int64_t)c->nentries - 1;
	while (left <= right) {
		int64_t middle = left + (right - left) / 2;
		const char *key = name_of(c, middle);
		if (!key)
			return 0;
		int cmp = compare_names(name, key);
		if (!cmp) {
			for (*first = middle; *first > 0 && entry_is(c, *first - 1, name);)
				--*first;
			for (*last = middle; *last < right && entry_is(c, *last + 1, name);)
				++*last;
			return 1;
		}
		if (cmp < 0)
			left = middle + 1;
		else
			right = middle - 1;
	}
	return 0;
}

static int is_hwcaps_entry(uint64_t hwcap)
{
	return ((hwcap >> 32) & ~ISA_LEVEL_BITS) == HWCAPS_ENTRY_TAG;
}

/* glibc's platform numbers on x86-64 (bits 50 and 51 of the hwcap field);
 * any other platform matches no entry that names one. */
static uint64_t platform_bit(const char *platform)
{
	if (platform && !strcmp(platform, "haswell"))
		return 1ull << 50;
	if (platform && !strcmp(platform, "xeon_phi"))
		return 1ull << 51;
	return ~0ull;
}

/* A plain entry may carry legacy hwcap bits: each must be the CPU's. */
static int legacy_usable(uint64_t hwcap, const struct lt_glibc_cpu *cpu)
{
	uint64_t platform = hwcap & PLATFORM_BITS;
	if (hwcap & ~(cpu->hwcap | PLATFORM_BITS | TLS_BIT))
		return 0;
	return !platform || platform == platform_bit(cpu->platform);
}

/* The preference of a glibc-hwcaps entry: 1 is best, 0 unusable here. */
static unsigned hwcaps_rank(const struct lt_glibc_cache *c, uint64_t hwcap,
			    const struct lt_glibc_cpu *cpu)
{
	uint32_t index = (uint32_t)hwcap;
	if (((hwcap >> 32) & ISA_LEVEL_BITS) >= cpu->isa_level || index >= c->nhwcaps)
		return 0;
	const char *name = (const char *)c->file + u32_at(c->hwcaps + 4 * (size_t)index);
	for (unsigned rank = 0; lt_glibc_hwcaps_name(cpu->isa_level, rank); rank++)
		if (!strcmp(name, lt_glibc_hwcaps_name(cpu->isa_level, rank)))
			return rank + 1;
	return 0;
}

/*
 * glibc's choice within the run: ldconfig puts glibc-hwcaps entries first;
 * the best usable one wins, and once one is found the first plain entry
 * ends the search.  Otherwise the first usable plain entry wins.
 */
static const char *choose(const struct lt_glibc_cache *c, int64_t first, int64_t last,
			  const struct lt_glibc_cpu *cpu)
{
	const char *best = 0;
	unsigned best_rank = 0;
	for (int64_t i = first; i <= last; i++) {
		const unsigned char *e = entry_at(c, i);
		if (u32_at(e) != X86_64_LIBRARY)
			continue;
		const char *path = string_at(c, u32_at(e + 8));
		if (!path)
			continue;  /* a path outside the string table: never used */
		if (c->entry_size == OLD_ENTRY)
			return path;
		uint64_t hwcap = u64_at(e + 16);
		if (is_hwcaps_entry(hwcap)) {
			unsigned rank = hwcaps_rank(c, hwcap, cpu);
			if (rank && (!best || rank < best_rank))
				best = path, best_rank = rank;
			continue;
		}
		if (best)
			break;
		if (legacy_usable(hwcap, cpu))
			return path;
	}
	return best;
}

const char *lt_glibc_cache_lookup(const struct lt_glibc_cache *c, const char *name,
				  const struct lt_glibc_cpu *cpu)
{
	int64_t first, last;
	if (!c->entries || !find_run(c, name, &first, &last))
		return 0;
	return choose(c, first, last, cpu);
}

const char *lt_glibc_hwcaps_name(unsigned isa_level, unsigned rank)
{
	static const char *const names[] = {"x86-64-v4", "x86-64-v3", "x86-64-v2"};
	unsigned skip = isa_level >= 4 ? 0 : isa_level >= 2 ? 4 - isa_level : 3;
	return skip + rank < 3 ? names[skip + rank] : 0;
}
