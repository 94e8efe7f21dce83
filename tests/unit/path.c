/*
 * Dynamic string tokens in search paths (rtld/path.c): $ORIGIN, $LIB and
 * $PLATFORM, plain and braced; unknown names kept; secure-mode rules;
 * the output buffer's bounds.  And musl's path file as a search list.
 */
#include <string.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include "path.h"

static const struct lt_path_vars vars = {
	.origin = "/opt/app/bin",
	.lib = "lib/x86_64-linux-gnu",
	.platform = "x86_64",
};

/* Expand a whole NUL-terminated element; the buffer is checked for overruns. */
#define GUARD 0x7e
static char out[256 + 16];

static long expand_n(const char *in, size_t len, const struct lt_path_vars *v, size_t outsize)
{
	memset(out, GUARD, sizeof out);
	long n = lt_path_expand(in, len, v, out, outsize);
	for (size_t i = outsize; i < sizeof out; i++)
		cr_assert(eq(i8, out[i], GUARD), "byte %zu written past outsize %zu", i, outsize);
	return n;
}

static long expand(const char *in, const struct lt_path_vars *v)
{
	return expand_n(in, strlen(in), v, 256);
}

/* The element expands to `want`, and the returned length is its length. */
static void expect_expansion(const char *in, const struct lt_path_vars *v, const char *want)
{
	long n = expand(in, v);
	cr_expect(eq(long, n, (long)strlen(want)), "length for \"%s\"", in);
	if (n >= 0)
		cr_expect(eq(str, out, (char *)want), "expansion of \"%s\"", in);
}

Test(path_expand, plain_text_is_copied)
{
	expect_expansion("/usr/lib", &vars, "/usr/lib");
	expect_expansion("", &vars, "");
}

Test(path_expand, origin_plain_and_braced)
{
	expect_expansion("$ORIGIN", &vars, "/opt/app/bin");
	expect_expansion("$ORIGIN/../lib", &vars, "/opt/app/bin/../lib");
	expect_expansion("${ORIGIN}/lib", &vars, "/opt/app/bin/lib");
	expect_expansion("${ORIGIN}", &vars, "/opt/app/bin");
}

Test(path_expand, lib_and_platform)
{
	expect_expansion("/usr/$LIB/x", &vars, "/usr/lib/x86_64-linux-gnu/x");
	expect_expansion("/usr/${LIB}", &vars, "/usr/lib/x86_64-linux-gnu");
	expect_expansion("/p/$PLATFORM/lib", &vars, "/p/x86_64/lib");
	expect_expansion("/p/${PLATFORM}", &vars, "/p/x86_64");
	expect_expansion("$ORIGIN/$LIB/${PLATFORM}", &vars,
			 "/opt/app/bin/lib/x86_64-linux-gnu/x86_64");
}

/* A token ends where a name character cannot continue it; anything else is kept as written. */
Test(path_expand, unknown_names_are_kept_literally)
{
	expect_expansion("/a/$FOO/b", &vars, "/a/$FOO/b");
	expect_expansion("/a/${FOO}/b", &vars, "/a/${FOO}/b");
	expect_expansion("$ORIGINAL/x", &vars, "$ORIGINAL/x");
	expect_expansion("$ORIGIN_2", &vars, "$ORIGIN_2");
	expect_expansion("/$LIBRARY", &vars, "/$LIBRARY");
	expect_expansion("/$PLATFORMS", &vars, "/$PLATFORMS");
	expect_expansion("${ORIGIN", &vars, "${ORIGIN");
	expect_expansion("${ORIGIN)x", &vars, "${ORIGIN)x");
	expect_expansion("/x/$", &vars, "/x/$");
	expect_expansion("$ORIGIN.d", &vars, "/opt/app/bin.d");
}

/* The element is `len` bytes of a longer list: nothing beyond it is read or used. */
Test(path_expand, only_len_bytes_count)
{
	cr_expect(eq(long, expand_n("/lib:$ORIGIN", 4, &vars, 256), 4));
	cr_expect(eq(str, out, "/lib"));
	/* "$ORIGIN" ends the element here, although "AL" follows in memory. */
	cr_expect(eq(long, expand_n("$ORIGINAL", 7, &vars, 256), 12));
	cr_expect(eq(str, out, "/opt/app/bin"));
	cr_expect(eq(long, expand_n("${ORIGIN}", 8, &vars, 256), 8), "no closing brace within len");
	cr_expect(eq(str, out, "${ORIGIN"));
}

Test(path_expand, unknown_values_skip_the_element)
{
	struct lt_path_vars none = {0};
	cr_expect(eq(long, expand("$ORIGIN/lib", &none), -1));
	cr_expect(eq(long, expand("/x/${ORIGIN}", &none), -1));
	cr_expect(eq(long, expand("/usr/$LIB", &none), -1));
	cr_expect(eq(long, expand("/usr/$PLATFORM", &none), -1));
	/* Only the tokens that appear need values. */
	expect_expansion("/usr/lib", &none, "/usr/lib");
	expect_expansion("/a/$FOO", &none, "/a/$FOO");
}

/* Set-user-id programs: $ORIGIN only as the whole first component. */
Test(path_expand, secure_mode_origin_rules)
{
	struct lt_path_vars secure = vars;
	secure.secure = 1;
	expect_expansion("$ORIGIN", &secure, "/opt/app/bin");
	expect_expansion("$ORIGIN/lib", &secure, "/opt/app/bin/lib");
	expect_expansion("${ORIGIN}/lib", &secure, "/opt/app/bin/lib");
	cr_expect(eq(long, expand("/x/$ORIGIN", &secure), -1), "not first");
	cr_expect(eq(long, expand("$ORIGIN.d/lib", &secure), -1), "not a whole component");
	cr_expect(eq(long, expand("$ORIGIN/$ORIGIN", &secure), -1), "the second is not first");
	cr_expect(eq(long, expand_n("$ORIGIN:/x", 7, &secure, 256), 12), "first of its element");
	/* The other tokens are unaffected. */
	expect_expansion("/usr/$LIB/$PLATFORM", &secure, "/usr/lib/x86_64-linux-gnu/x86_64");
	expect_expansion("$ORIGINAL", &secure, "$ORIGINAL");
}

/* musl's reading: "$ORIGIN" whatever follows it, braced or not; no other
 * token (the list that has one is dropped before: lt_path_origin_only). */
Test(path_expand, musl_reads_origin_as_a_prefix)
{
	struct lt_path_vars musl = vars;
	musl.origin_prefix = 1;
	expect_expansion("$ORIGIN/lib", &musl, "/opt/app/bin/lib");
	expect_expansion("${ORIGIN}/lib", &musl, "/opt/app/bin/lib");
	expect_expansion("$ORIGINAL", &musl, "/opt/app/binAL");
	expect_expansion("$ORIGIN_2/$ORIGIN", &musl, "/opt/app/bin_2//opt/app/bin");
	expect_expansion("/x/${ORIGIN}y", &musl, "/x//opt/app/biny");
	expect_expansion("/usr/$LIB", &musl, "/usr/$LIB");
	struct lt_path_vars unknown = {.origin_prefix = 1};
	cr_expect(eq(long, expand("$ORIGIN/lib", &unknown), -1));
}

Test(path_origin_only, every_dollar_must_start_origin)
{
	cr_expect(lt_path_origin_only("/usr/lib:/opt"));
	cr_expect(lt_path_origin_only(""));
	cr_expect(lt_path_origin_only("$ORIGIN/lib:${ORIGIN}/x"));
	cr_expect(lt_path_origin_only("$ORIGINAL:/a/$ORIGIN"), "a prefix is enough");
	cr_expect(not(lt_path_origin_only("$ORIGIN/lib:/usr/$LIB")));
	cr_expect(not(lt_path_origin_only("/a/$")));
	cr_expect(not(lt_path_origin_only("$ORIGI")));
	cr_expect(not(lt_path_origin_only("${ORIGIN")));
	cr_expect(not(lt_path_origin_only("${PLATFORM}:$ORIGIN")));
}

/* The result and its NUL must fit in outsize; never a byte past it. */
Test(path_expand, output_that_does_not_fit)
{
	cr_expect(eq(long, expand_n("abc", 3, &vars, 4), 3));
	cr_expect(eq(str, out, "abc"));
	cr_expect(eq(long, expand_n("abc", 3, &vars, 3), -1));
	cr_expect(eq(long, expand_n("$ORIGIN", 7, &vars, 13), 12));
	cr_expect(eq(str, out, "/opt/app/bin"));
	cr_expect(eq(long, expand_n("$ORIGIN", 7, &vars, 12), -1));
	cr_expect(eq(long, expand_n("/$ORIGIN/x", 10, &vars, 14), -1), "the text after the token");
	cr_expect(eq(long, expand_n("", 0, &vars, 1), 0));
	cr_expect(eq(long, expand_n("", 0, &vars, 0), -1), "no room for the NUL");
}

/* A path file read in pieces of `piece` bytes, as the musl adapter reads it. */
static const char *path_file(const char *in, size_t len, size_t piece, int *ended)
{
	static char list[256];
	size_t n = 0;
	int separated = 0;
	*ended = 0;
	for (size_t at = 0; at < len && !*ended; at += piece)
		*ended = lt_path_list_append(list, &n, &separated, in + at,
					     len - at < piece ? len - at : piece);
	list[n] = 0;
	return list;
}

Test(path_file, lines_and_colons_separate_and_empty_entries_are_dropped)
{
	static const char file[] = ":/a\n\n/b::\n/usr/lib\n\n";
	int ended;
	for (size_t piece = 1; piece <= sizeof file; piece++) {
		cr_expect(eq(str, (char *)path_file(file, sizeof file - 1, piece, &ended), "/a:/b:/usr/lib"),
			  "in pieces of %zu", piece);
		cr_expect(eq(int, ended, 0));
	}
}

Test(path_file, a_nul_ends_the_list)
{
	static const char file[] = "/a\n/b\0/c\n";
	int ended;
	for (size_t piece = 1; piece <= sizeof file; piece++) {
		cr_expect(eq(str, (char *)path_file(file, sizeof file - 1, piece, &ended), "/a:/b"));
		cr_expect(eq(int, ended, 1));
	}
}

Test(path_file, nothing_but_separators_is_an_empty_list)
{
	int ended;
	cr_expect(eq(str, (char *)path_file("\n::\n", 4, 2, &ended), ""));
	cr_expect(eq(str, (char *)path_file("", 0, 1, &ended), ""));
}

/* The element at `elem` of `list`, up to its colon: does an earlier one name the same directory? */
static int repeats(const char *list, const char *elem)
{
	const char *end = strchr(elem, ':');
	return lt_path_list_repeats(list, elem, end ? (size_t)(end - elem) : strlen(elem));
}

Test(path_list, trailing_slashes_are_no_part_of_an_element)
{
	cr_expect(eq(sz, lt_path_element_length("/usr/lib/", 9), 8));
	cr_expect(eq(sz, lt_path_element_length("/usr/lib//", 10), 8));
	cr_expect(eq(sz, lt_path_element_length("/", 1), 1), "the root keeps its slash");
	cr_expect(eq(sz, lt_path_element_length("//", 2), 1));
	cr_expect(eq(sz, lt_path_element_length("", 0), 0));
}

Test(path_list, an_element_repeats_an_earlier_one_of_the_same_directory)
{
	const char *list = "/a:/b/:/a//:/b:/ab:/:/a:";
	cr_expect(eq(int, repeats(list, list), 0), "the first is the first");
	cr_expect(eq(int, repeats(list, list + 3), 0), "/b/ is new");
	cr_expect(eq(int, repeats(list, list + 7), 1), "/a// is /a");
	cr_expect(eq(int, repeats(list, list + 12), 1), "/b is /b/");
	cr_expect(eq(int, repeats(list, list + 15), 0), "/ab is not /a");
	cr_expect(eq(int, repeats(list, list + 19), 0), "/ is new");
	cr_expect(eq(int, repeats(list, list + 21), 1), "/a again");
	cr_expect(eq(int, repeats(list, list + 24), 0), "the empty element is new");
	cr_expect(eq(int, repeats("::", "::" + 1), 1), "and then it repeats");
	cr_expect(eq(int, repeats(".:", ".:" + 2), 0), "empty is not .");
}
