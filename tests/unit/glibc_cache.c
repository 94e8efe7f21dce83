/*
 * glibc's /etc/ld.so.cache (rtld/glibc/cache.c): the real file against
 * `ldconfig -p`, glibc's own reading of it; the three formats; glibc's
 * choice among hwcaps and legacy entries; and broken files, which must be
 * refused without a read outside the buffer (valgrind watches: every
 * buffer here is malloc'ed at its exact size).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include "glibc/cache.h"
#include "ldcache_writer.h"

static const struct lt_glibc_cpu v4 = {4, LT_GLIBC_HWCAP_X86_64, "x86_64"};

/* A whole file, read into a buffer of its exact size. */
static unsigned char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	cr_assert(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	*size = ftell(f);
	rewind(f);
	unsigned char *p = malloc(*size);
	cr_assert(eq(sz, fread(p, 1, *size, f), *size));
	fclose(f);
	return p;
}

static void parse_ok(struct lt_glibc_cache *c, const unsigned char *file, size_t size)
{
	const char *why = 0;
	cr_assert(eq(int, lt_glibc_cache_parse(c, file, size, &why), 0), "refused: %s", why);
}

static const char *parse_refused(const unsigned char *file, size_t size)
{
	struct lt_glibc_cache c;
	const char *why = 0;
	cr_assert(eq(int, lt_glibc_cache_parse(&c, file, size, &why), -1), "accepted");
	cr_assert(why != NULL);
	cr_assert(eq(ptr, (void *)c.entries, NULL), "a refused cache keeps no entries");
	return why;
}

static void expect_lookup(const struct lt_glibc_cache *c, const char *name,
			  const struct lt_glibc_cpu *cpu, const char *want)
{
	const char *got = lt_glibc_cache_lookup(c, name, cpu);
	if (!want)
		cr_expect(eq(ptr, (void *)got, NULL), "%s: found %s", name, got);
	else
		cr_expect(got && !strcmp(got, want), "%s: found %s, not %s", name,
			  got ? got : "nothing", want);
}

/* ----- the real cache against ldconfig -p ----- */

/* "\tNAME (FLAGS) => PATH": splits one line of `ldconfig -p` in place. */
static int ldconfig_line(char *line, char **name, char **flags, char **path)
{
	char *open = strstr(line, " ("), *arrow = strstr(line, ") => ");
	if (line[0] != '\t' || !open || !arrow || arrow < open)
		return 0;
	*open = *arrow = 0;
	*name = line + 1;
	*flags = open + 2;
	*path = arrow + 5;
	(*path)[strcspn(*path, "\n")] = 0;
	return 1;
}

/* What glibc's loader takes for `name`: the first entry for it that is an
 * x86-64 library without hwcaps, or nothing; unless the name has hwcaps
 * entries, whose choice depends on the CPU (this machine's cache has none). */
struct expected {
	char *name, *path;
	int hwcaps;
};

Test(glibc_cache, real_cache_agrees_with_ldconfig)
{
	size_t size;
	unsigned char *file = read_file("/etc/ld.so.cache", &size);
	struct lt_glibc_cache c;
	parse_ok(&c, file, size);

	FILE *f = fopen(GLIBC_REF_DIR "/ldconfig-p.txt", "r");
	cr_assert(f != NULL, "no %s/ldconfig-p.txt: make builds it", GLIBC_REF_DIR);
	char line[4096], *name, *flags, *path;
	unsigned listed = 0, count = 0;
	cr_assert(fgets(line, sizeof line, f) && sscanf(line, "%u libs found", &count) == 1);
	struct expected *want = calloc(count, sizeof *want);
	size_t nwant = 0;
	while (fgets(line, sizeof line, f) && ldconfig_line(line, &name, &flags, &path)) {
		listed++;
		struct expected *w = 0;
		for (size_t i = 0; i < nwant && !w; i++)
			if (!strcmp(want[i].name, name))
				w = &want[i];
		if (!w) {
			w = &want[nwant++];
			w->name = strdup(name);
		}
		if (strstr(flags, "hwcap"))
			w->hwcaps = 1;
		else if (!w->path && !strcmp(flags, "libc6,x86-64"))
			w->path = strdup(path);
	}
	fclose(f);
	cr_assert(eq(u32, listed, count), "ldconfig listed every entry it counted");
	cr_assert(eq(u32, c.nentries, count), "as many entries as ldconfig counts");
	cr_assert(gt(sz, nwant, 100), "a real cache has many names");

	size_t compared = 0;
	for (size_t i = 0; i < nwant; i++) {
		if (!want[i].hwcaps) {
			expect_lookup(&c, want[i].name, &v4, want[i].path);
			compared++;
		}
		free(want[i].name);
		free(want[i].path);
	}
	cr_log_info("compared %zu of %zu names with ldconfig -p", compared, nwant);
	cr_expect(gt(sz, compared, 100));
	free(want);
	free(file);
}

/* ----- the formats ----- */

/* Names from the greatest down, in glibc's order: numbers compare as
 * numbers (libfoo.so.10 after .9 in plain byte order, before it here). */
static const struct ldc_entry plain[] = {
	{LDC_X86_64, "libz.so.1", "/x/libz.so.1", 0},
	{LDC_X86_64, "libfoo.so.100", "/x/libfoo.so.100", 0},
	{LDC_X86_64, "libfoo.so.10", "/x/libfoo.so.10", 0},
	{LDC_X86_64, "libfoo.so.9", "/x/libfoo.so.9", 0},
	{LDC_I386, "libfoo.so", "/i386/libfoo.so", 0},
	{LDC_I386, "libc.so.6", "/i386/libc.so.6", 0},
	{LDC_X86_64, "libc.so.6", "/x/libc.so.6", 0},
	{LDC_X86_64, "libc.so.6", "/second/libc.so.6", 0},
	{LDC_X86_64, "libasound.so.2", "/x/libasound.so.2", 0},
};
#define NPLAIN (sizeof plain / sizeof *plain)

static void expect_plain_lookups(const struct lt_glibc_cache *c)
{
	expect_lookup(c, "libz.so.1", &v4, "/x/libz.so.1");
	expect_lookup(c, "libfoo.so.100", &v4, "/x/libfoo.so.100");
	expect_lookup(c, "libfoo.so.10", &v4, "/x/libfoo.so.10");
	expect_lookup(c, "libfoo.so.9", &v4, "/x/libfoo.so.9");
	expect_lookup(c, "libc.so.6", &v4, "/x/libc.so.6");  /* the first x86-64 entry */
	expect_lookup(c, "libasound.so.2", &v4, "/x/libasound.so.2");
	expect_lookup(c, "libfoo.so", &v4, NULL);  /* only an i386 library */
	expect_lookup(c, "libfoo.so.1", &v4, NULL);
	expect_lookup(c, "libaaa.so", &v4, NULL);
	expect_lookup(c, "libzzz.so", &v4, NULL);
	expect_lookup(c, "", &v4, NULL);
}

static void check_format(enum ldc_format format)
{
	size_t size;
	unsigned char *file = ldc_write(format, plain, NPLAIN, 0, 0, &size, 0);
	struct lt_glibc_cache c;
	parse_ok(&c, file, size);
	cr_expect(eq(u32, c.nentries, NPLAIN));
	cr_expect(eq(sz, c.entry_size, format == LDC_OLD ? 12 : 24));
	expect_plain_lookups(&c);
	free(file);
}

Test(glibc_cache, new_format) { check_format(LDC_NEW); }
Test(glibc_cache, old_format) { check_format(LDC_OLD); }
/* The old part's entries name their key as their file: reading them would show. */
Test(glibc_cache, combined_format_reads_the_new_part) { check_format(LDC_COMBINED); }

/* A badly sorted cache is searched as glibc searches it, by halves: the
 * middle entry, libmb, sends the search for libmc toward the greater names
 * on its left, where libmc is not, and the search ends without it. */
Test(glibc_cache, a_badly_sorted_cache_is_searched_by_halves)
{
	static const struct ldc_entry unsorted[] = {
		{LDC_X86_64, "libmb.so", "/x/libmb.so", 0},
		{LDC_X86_64, "libma.so", "/x/libma.so", 0},
		{LDC_X86_64, "libmc.so", "/x/libmc.so", 0},
	};
	size_t size;
	unsigned char *file = ldc_write(LDC_NEW, unsorted, 3, 0, 0, &size, 0);
	struct lt_glibc_cache c;
	parse_ok(&c, file, size);
	expect_lookup(&c, "libma.so", &v4, "/x/libma.so");
	expect_lookup(&c, "libmc.so", &v4, NULL);
	free(file);
}

Test(glibc_cache, empty_cache)
{
	size_t size;
	unsigned char *file = ldc_write(LDC_NEW, plain, 0, 0, 0, &size, 0);
	struct lt_glibc_cache c;
	parse_ok(&c, file, size);
	expect_lookup(&c, "libc.so.6", &v4, NULL);
	free(file);
}

/* A failed parse leaves a cache in which nothing is found. */
Test(glibc_cache, lookup_in_a_refused_cache_finds_nothing)
{
	struct lt_glibc_cache c;
	const char *why;
	cr_assert(eq(int, lt_glibc_cache_parse(&c, "junk", 4, &why), -1));
	expect_lookup(&c, "libc.so.6", &v4, NULL);
}

/* glibc takes flags 0 (unknown) or little-endian; big-endian and "invalid" are refused. */
Test(glibc_cache, byte_order_flag)
{
	size_t size;
	struct ldc_layout l;
	unsigned char *file = ldc_write(LDC_NEW, plain, NPLAIN, 0, 0, &size, &l);
	struct lt_glibc_cache c;
	static const struct { uint8_t flags; int ok; } cases[] = {
		{0, 1}, {2, 1}, {0x12, 1}, {1, 0}, {3, 0}, {0x13, 0}};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		file[l.new_at + 28] = cases[i].flags;
		if (cases[i].ok) {
			parse_ok(&c, file, size);
			expect_lookup(&c, "libz.so.1", &v4, "/x/libz.so.1");
		} else {
			cr_expect(strstr(parse_refused(file, size), "byte order") != NULL);
		}
	}
	free(file);
}

/* ----- glibc's choice among entries ----- */

/* ldconfig's order for one name: glibc-hwcaps entries first, by
 * subdirectory name, then the plain ones.  The level bits say which ISA
 * level the library itself needs (0 baseline ... 3 x86-64-v4). */
static const char *const subdir_names[] = {"power10", "x86-64-v2", "x86-64-v3", "x86-64-v4"};
static const struct ldc_entry hwcaps_entries[] = {
	/* in x86-64-v3, but built for x86-64-v4 */
	{LDC_X86_64, "liby.so.1", "/v3/liby.so.1", LDC_HWCAPS(2, 3)},
	{LDC_X86_64, "liby.so.1", "/v2/liby.so.1", LDC_HWCAPS(1, 0)},
	{LDC_X86_64, "liby.so.1", "/plain/liby.so.1", 0},
	{LDC_X86_64, "libx.so.1", "/power10/libx.so.1", LDC_HWCAPS(0, 0)},
	{LDC_X86_64, "libx.so.1", "/v2/libx.so.1", LDC_HWCAPS(1, 1)},
	{LDC_X86_64, "libx.so.1", "/v3/libx.so.1", LDC_HWCAPS(2, 2)},
	{LDC_X86_64, "libx.so.1", "/v4/libx.so.1", LDC_HWCAPS(3, 3)},
	{LDC_X86_64, "libx.so.1", "/plain/libx.so.1", 0},
	{LDC_X86_64, "libx.so.1", "/second/libx.so.1", 0},
	/* a subdirectory index past the section */
	{LDC_X86_64, "libw.so.1", "/nowhere/libw.so.1", LDC_HWCAPS(9, 0)},
	{LDC_X86_64, "libw.so.1", "/plain/libw.so.1", 0},
	/* only a hwcaps entry */
	{LDC_X86_64, "libv.so.1", "/v3/libv.so.1", LDC_HWCAPS(2, 2)},
};
#define NHWCAPS_ENTRIES (sizeof hwcaps_entries / sizeof *hwcaps_entries)

static void expect_hwcaps_choices(enum ldc_format format)
{
	size_t size;
	unsigned char *file = ldc_write(format, hwcaps_entries, NHWCAPS_ENTRIES, subdir_names, 4,
					&size, 0);
	struct lt_glibc_cache c;
	parse_ok(&c, file, size);
	cr_assert(eq(u32, c.nhwcaps, 4));
	const char *const x[] = {"/plain/libx.so.1", "/plain/libx.so.1", "/v2/libx.so.1",
				 "/v3/libx.so.1", "/v4/libx.so.1"};
	const char *const y[] = {"/plain/liby.so.1", "/plain/liby.so.1", "/v2/liby.so.1",
				 "/v2/liby.so.1", "/v3/liby.so.1"};
	const char *const v[] = {0, 0, 0, "/v3/libv.so.1", "/v3/libv.so.1"};
	for (unsigned level = 0; level <= 4; level++) {
		struct lt_glibc_cpu cpu = {level, LT_GLIBC_HWCAP_X86_64, "x86_64"};
		expect_lookup(&c, "libx.so.1", &cpu, x[level]);
		expect_lookup(&c, "liby.so.1", &cpu, y[level]);
		expect_lookup(&c, "libw.so.1", &cpu, "/plain/libw.so.1");
		expect_lookup(&c, "libv.so.1", &cpu, v[level]);
	}
	free(file);
}

Test(glibc_cache, hwcaps_entries_by_isa_level) { expect_hwcaps_choices(LDC_NEW); }
Test(glibc_cache, hwcaps_entries_in_combined_format) { expect_hwcaps_choices(LDC_COMBINED); }

/* glibc drops a glibc-hwcaps section that is misaligned or not a multiple
 * of 4 bytes long: its entries become unusable, the cache stays. */
Test(glibc_cache, bad_hwcaps_section_is_dropped)
{
	size_t size;
	struct ldc_layout l;
	unsigned char *file = ldc_write(LDC_NEW, hwcaps_entries, NHWCAPS_ENTRIES, subdir_names, 4,
					&size, &l);
	size_t section = l.extension_at + 8 + 16;
	struct lt_glibc_cache c;
	ldc_put32(file, section + 12, 4 * 4 - 2);
	parse_ok(&c, file, size);
	expect_lookup(&c, "libx.so.1", &v4, "/plain/libx.so.1");
	expect_lookup(&c, "libv.so.1", &v4, NULL);
	ldc_put32(file, section + 12, 0);
	parse_ok(&c, file, size);
	expect_lookup(&c, "libx.so.1", &v4, "/plain/libx.so.1");
	ldc_put32(file, section + 12, 4 * 4);
	ldc_put32(file, section + 8, (uint32_t)l.hwcaps_at + 2);
	parse_ok(&c, file, size);
	expect_lookup(&c, "libx.so.1", &v4, "/plain/libx.so.1");
	free(file);
}

/* Legacy hwcap bits (libraries in tls/, x86_64/, haswell/...): every bit
 * must be the CPU's, a platform must be the CPU's, "tls" always is. */
static const struct ldc_entry legacy_entries[] = {
	{LDC_X86_64, "libl.so.1", "/haswell/x86_64/libl.so.1", (1ull << 50) | 2},
	{LDC_X86_64, "libl.so.1", "/xeon_phi/libl.so.1", 1ull << 51},
	{LDC_X86_64, "libl.so.1", "/avx512_1/libl.so.1", 4},
	{LDC_X86_64, "libl.so.1", "/tls/x86_64/libl.so.1", (1ull << 63) | 2},
	{LDC_X86_64, "libl.so.1", "/junk/libl.so.1", (1ull << 62) | (1ull << 45)},
	{LDC_X86_64, "libl.so.1", "/plain/libl.so.1", 0},
};

Test(glibc_cache, legacy_hwcap_entries)
{
	size_t size;
	unsigned char *file = ldc_write(LDC_NEW, legacy_entries, 6, 0, 0, &size, 0);
	struct lt_glibc_cache c;
	parse_ok(&c, file, size);
	const struct {
		struct lt_glibc_cpu cpu;
		const char *want;
	} cases[] = {
		{{3, LT_GLIBC_HWCAP_X86_64, "haswell"}, "/haswell/x86_64/libl.so.1"},
		{{3, 0, "haswell"}, "/plain/libl.so.1"},
		{{4, LT_GLIBC_HWCAP_X86_64, "xeon_phi"}, "/xeon_phi/libl.so.1"},
		{{4, LT_GLIBC_HWCAP_X86_64 | LT_GLIBC_HWCAP_AVX512_1, "x86_64"}, "/avx512_1/libl.so.1"},
		{{4, LT_GLIBC_HWCAP_X86_64, "x86_64"}, "/tls/x86_64/libl.so.1"},
		{{4, LT_GLIBC_HWCAP_X86_64, 0}, "/tls/x86_64/libl.so.1"},
		{{1, 0, 0}, "/plain/libl.so.1"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		expect_lookup(&c, "libl.so.1", &cases[i].cpu, cases[i].want);
	free(file);
}

Test(glibc_cache, hwcaps_names_by_isa_level)
{
	cr_expect(eq(ptr, (void *)lt_glibc_hwcaps_name(1, 0), NULL));
	cr_expect(eq(str, (char *)lt_glibc_hwcaps_name(2, 0), "x86-64-v2"));
	cr_expect(eq(ptr, (void *)lt_glibc_hwcaps_name(2, 1), NULL));
	cr_expect(eq(str, (char *)lt_glibc_hwcaps_name(3, 0), "x86-64-v3"));
	cr_expect(eq(str, (char *)lt_glibc_hwcaps_name(3, 1), "x86-64-v2"));
	cr_expect(eq(str, (char *)lt_glibc_hwcaps_name(4, 0), "x86-64-v4"));
	cr_expect(eq(str, (char *)lt_glibc_hwcaps_name(4, 2), "x86-64-v2"));
	cr_expect(eq(ptr, (void *)lt_glibc_hwcaps_name(4, 3), NULL));
}

/* ----- broken files ----- */

static unsigned char *copy_of(const unsigned char *file, size_t size)
{
	unsigned char *p = malloc(size ? size : 1);
	memcpy(p, file, size);
	return p;
}

/* Every lookup answer lies inside the buffer and ends there. */
static void lookups_stay_inside(const struct lt_glibc_cache *c, const unsigned char *file,
				size_t size, const struct ldc_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *got = lt_glibc_cache_lookup(c, e[i].key, &v4);
		if (got) {
			cr_assert(got >= (const char *)file && got < (const char *)file + size);
			cr_assert(memchr(got, 0, (const char *)file + size - got) != NULL);
		}
	}
}

/* Every prefix of the file: refused, or read safely.  A cut that loses
 * part of the header must be refused; one inside the entries or strings is
 * refused, or leaves lookups that find nothing where strings are lost. */
static void check_truncations(enum ldc_format format)
{
	size_t size;
	struct ldc_layout l;
	unsigned char *file = ldc_write(format, hwcaps_entries, NHWCAPS_ENTRIES, subdir_names, 4,
					&size, &l);
	/* The end of the first header: a combined file starts with the old
	 * format's, whose 16 bytes end in its entry count. */
	size_t must_refuse_below = format == LDC_COMBINED ? 16 : l.entries_at;
	size_t refused = 0;
	for (size_t cut = 0; cut < size; cut++) {
		unsigned char *p = copy_of(file, cut);
		struct lt_glibc_cache c;
		const char *why;
		if (lt_glibc_cache_parse(&c, p, cut, &why) < 0)
			refused++;
		else
			cr_assert(ge(sz, cut, must_refuse_below), "a cut at %zu was accepted", cut);
		lookups_stay_inside(&c, p, cut, hwcaps_entries, NHWCAPS_ENTRIES);
		free(p);
	}
	cr_expect(ge(sz, refused, must_refuse_below));
	free(file);
}

Test(glibc_cache, truncated_new) { check_truncations(LDC_NEW); }
Test(glibc_cache, truncated_old) { check_truncations(LDC_OLD); }
Test(glibc_cache, truncated_combined) { check_truncations(LDC_COMBINED); }

/* glibc takes the new part of a combined file when the file holds all of
 * its header (file size >= its offset + 48): an empty new part whose header
 * ends the file is still read, and one byte less leaves the old part. */
Test(glibc_cache, combined_file_ending_with_the_new_header)
{
	unsigned char whole[16 + 48] = "ld.so-1.7.0";  /* old header, no entries */
	memcpy(whole + 16, "glibc-ld.so.cache1.1", 20);  /* no entries, strings or extensions */
	for (size_t size = sizeof whole - 1; size <= sizeof whole; size++) {
		unsigned char *file = copy_of(whole, size);
		struct lt_glibc_cache c;
		parse_ok(&c, file, size);
		cr_expect(eq(sz, c.entry_size, size == sizeof whole ? 24 : 12), "a file of %zu bytes",
			  size);
		free(file);
	}
}

/* A file with `at` overwritten by v (a 32-bit field) must be refused for `reason`. */
static void expect_refused_with(enum ldc_format format, size_t at_from_layout_field, size_t delta,
				uint32_t v, const char *reason)
{
	size_t size;
	struct ldc_layout l;
	unsigned char *file = ldc_write(format, hwcaps_entries, NHWCAPS_ENTRIES, subdir_names, 4,
					&size, &l);
	size_t fields[] = {l.new_at, l.entries_at, l.strings_at, l.extension_at, l.hwcaps_at, 0};
	ldc_put32(file, fields[at_from_layout_field] + delta, v);
	const char *why = parse_refused(file, size);
	cr_expect(strstr(why, reason) != NULL, "refused for \"%s\", not \"%s\"", why, reason);
	free(file);
}

enum { AT_NEW, AT_ENTRIES, AT_STRINGS, AT_EXTENSION, AT_HWCAPS, AT_FILE };

Test(glibc_cache, counts_too_large)
{
	expect_refused_with(LDC_NEW, AT_NEW, 20, NHWCAPS_ENTRIES + 100, "more entries");
	expect_refused_with(LDC_NEW, AT_NEW, 20, 0xffffffff, "more entries");
	expect_refused_with(LDC_OLD, AT_FILE, 12, 0xffffffff, "more entries");
	expect_refused_with(LDC_OLD, AT_FILE, 12, 0x15555555, "more entries");
	/* the new part inside the old one: glibc never checks its count */
	expect_refused_with(LDC_COMBINED, AT_NEW, 20, 0x7fffffff, "more entries");
	expect_refused_with(LDC_NEW, AT_EXTENSION, 4, 0xffffffff, "runs past the end");
	expect_refused_with(LDC_NEW, AT_EXTENSION, 4, 0x10000000, "runs past the end");
}

/*
 * A corrupt name or path is checked where a lookup reads it: that entry is
 * never used, a search that meets such a name finds nothing, and every
 * answer a lookup still gives is one of the cache's own paths.
 */
static void expect_entry_unusable(enum ldc_format format, size_t delta, uint32_t v)
{
	size_t size;
	struct ldc_layout l;
	unsigned char *file = ldc_write(format, hwcaps_entries, NHWCAPS_ENTRIES, subdir_names, 4,
					&size, &l);
	struct lt_glibc_cache c;
	const char *why;
	ldc_put32(file, l.entries_at + delta, v);
	cr_assert(lt_glibc_cache_parse(&c, file, size, &why) == 0, "refused: %s", why);
	lookups_stay_inside(&c, file, size, hwcaps_entries, NHWCAPS_ENTRIES);
	free(file);
}

Test(glibc_cache, string_offsets_out_of_range)
{
	expect_entry_unusable(LDC_NEW, 4, 0xffffffff);
	expect_entry_unusable(LDC_NEW, 24 * 3 + 8, 0x80000000);
	expect_entry_unusable(LDC_OLD, 12 * 5 + 8, 0x10000);
	expect_entry_unusable(LDC_COMBINED, 4, 0xfffffff0);
	/* overlapping tables: a name pointing into the header or the entries */
	expect_entry_unusable(LDC_NEW, 4, 0);
	expect_entry_unusable(LDC_NEW, 8, 48 + 2);
	expect_entry_unusable(LDC_COMBINED, 4, 1);
}

Test(glibc_cache, string_table_size_too_large)
{
	expect_refused_with(LDC_NEW, AT_NEW, 24, 0xffffffff, "string table runs past");
	expect_refused_with(LDC_COMBINED, AT_NEW, 24, 0x10000, "string table runs past");
	/* one byte short: the last path loses its terminator */
	size_t size;
	struct ldc_layout l;
	unsigned char *file = ldc_write(LDC_NEW, plain, NPLAIN, 0, 0, &size, &l);
	uint32_t table;
	memcpy(&table, file + l.new_at + 24, 4);
	ldc_put32(file, l.new_at + 24, table - 1);
	struct lt_glibc_cache c;
	const char *why;
	cr_assert(lt_glibc_cache_parse(&c, file, size, &why) == 0, "refused: %s", why);
	lookups_stay_inside(&c, file, size, plain, NPLAIN);
	free(file);
}

Test(glibc_cache, extension_directory_out_of_place)
{
	expect_refused_with(LDC_NEW, AT_NEW, 32, 0xfffffffc, "extension directory");
	expect_refused_with(LDC_NEW, AT_NEW, 32, 2, "extension directory");  /* misaligned */
	expect_refused_with(LDC_NEW, AT_NEW, 32, 48, "extension directory");  /* on the entries */
	expect_refused_with(LDC_NEW, AT_EXTENSION, 0, 0x12345678, "bad magic");
	/* a section whose offset + size wraps around */
	expect_refused_with(LDC_NEW, AT_EXTENSION, 8 + 16 + 8, 0xfffffff0, "section lies outside");
	expect_refused_with(LDC_NEW, AT_EXTENSION, 8 + 12, 0xffffffff, "section lies outside");
	expect_refused_with(LDC_NEW, AT_EXTENSION, 8 + 8, 0, "section lies outside");
}

Test(glibc_cache, hwcaps_names_out_of_range)
{
	expect_refused_with(LDC_NEW, AT_HWCAPS, 4, 0xffffffff, "glibc-hwcaps name");
	expect_refused_with(LDC_NEW, AT_HWCAPS, 8, 0x7fffffff, "glibc-hwcaps name");
}

/* The last string loses its terminator: only the generator text (which
 * has none) follows, so the string would run off the end of the file. */
/* No string ends inside its table: the file parses, and no lookup finds anything. */
static void expect_nothing_found(unsigned char *file, size_t size)
{
	struct lt_glibc_cache c;
	const char *why;
	cr_assert(lt_glibc_cache_parse(&c, file, size, &why) == 0, "refused: %s", why);
	for (size_t i = 0; i < NPLAIN; i++)
		cr_expect(lt_glibc_cache_lookup(&c, plain[i].key, &v4) == NULL, "found %s", plain[i].key);
	free(file);
}

Test(glibc_cache, unterminated_strings)
{
	size_t size;
	struct ldc_layout l;
	unsigned char *file = ldc_write(LDC_NEW, plain, NPLAIN, 0, 0, &size, &l);
	memset(file + l.strings_at, 'x', l.extension_at - l.strings_at);
	expect_nothing_found(file, size);
	file = ldc_write(LDC_OLD, plain, NPLAIN, 0, 0, &size, &l);
	memset(file + l.strings_at, 'x', size - l.strings_at);
	expect_nothing_found(file, size);
}

Test(glibc_cache, not_a_cache)
{
	static const unsigned char junk[64] = "glibc-ld.so.cache1.0";
	cr_expect(strstr(parse_refused(junk, sizeof junk), "no known magic") != NULL);
	cr_expect(strstr(parse_refused((const unsigned char *)"ld.so-1.7.0", 11),
			 "no known magic") != NULL);
	cr_expect(strstr(parse_refused(junk, 0), "no known magic") != NULL);
	/* exactly a new header and no entries: glibc wants more than the header */
	size_t size;
	unsigned char *file = ldc_write(LDC_NEW, plain, 0, 0, 0, &size, 0);
	cr_expect(strstr(parse_refused(file, 48), "no known magic") != NULL);
	free(file);
	/* the same for an old header (magic, then the count) */
	file = ldc_write(LDC_OLD, plain, 0, 0, 0, &size, 0);
	cr_expect(strstr(parse_refused(file, 16), "no known magic") != NULL);
	free(file);
}
