/*
 * DT_RELR decoding (rtld/relr.h): which words get the load bias, how many,
 * and that every one of them is offered to the check, whole bitmaps as one
 * span or, when the span is refused, word by word.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include "relr.h"

#define WORDS 200
static uint64_t image[WORDS];  /* the "object", loaded at address `image` */

/* A check that allows [lo, hi) of the image, and counts its calls. */
struct window {
	uintptr_t lo, hi;
	int calls;
};

static int inside(void *ctx, uintptr_t addr, size_t size)
{
	struct window *w = ctx;
	w->calls++;
	return addr >= w->lo && addr <= w->hi && size <= w->hi - addr;
}

static uintptr_t base(void)
{
	return (uintptr_t)image;
}

static void fill(void)
{
	for (size_t i = 0; i < WORDS; i++)
		image[i] = 1000 + i;
}

/* Was word i relocated, and only it? */
static int relocated(size_t i)
{
	return image[i] == 1000 + i + base();
}

/* An address entry for word 2, then a bitmap of words 3, 5 and 65 (bits 0, 2, 62). */
static const uint64_t table[] = {2 * 8, 1 | (1ull << 1) | (1ull << 3) | (1ull << 63)};

Test(relr, addresses_and_bitmaps_get_the_bias)
{
	fill();
	cr_expect(eq(i64, lt_relr_apply(base(), table, 2, 0, 0), 4));
	for (size_t i = 0; i < WORDS; i++)
		cr_expect(eq(int, relocated(i), i == 2 || i == 3 || i == 5 || i == 65), "word %zu", i);
}

/* A bitmap after a bitmap starts 63 words further on. */
Test(relr, a_second_bitmap_follows_the_first)
{
	static const uint64_t two[] = {0, 1 | 2, 1 | 2};  /* words 0, 1 and 64 */
	fill();
	cr_expect(eq(i64, lt_relr_apply(base(), two, 3, 0, 0), 3));
	for (size_t i = 0; i < WORDS; i++)
		cr_expect(eq(int, relocated(i), i == 0 || i == 1 || i == 64), "word %zu", i);
}

Test(relr, a_bitmap_inside_the_window_is_checked_once)
{
	struct window w = {base(), base() + sizeof image, 0};
	fill();
	cr_expect(eq(i64, lt_relr_apply(base(), table, 2, inside, &w), 4));
	cr_expect(eq(int, w.calls, 2), "one check for the address, one for the bitmap");
}

/* The span of a bitmap runs from its first set bit's word to its last's. */
Test(relr, the_span_is_from_first_to_last_set_word)
{
	struct window w = {base() + 2 * 8, base() + 66 * 8, 0};
	fill();
	cr_expect(eq(i64, lt_relr_apply(base(), table, 2, inside, &w), 4));
	cr_expect(eq(int, w.calls, 2));
	w = (struct window){base() + 2 * 8, base() + 65 * 8, 0};  /* word 65 outside */
	fill();
	cr_expect(eq(i64, lt_relr_apply(base(), table, 2, inside, &w), -1));
	cr_expect(eq(int, relocated(3), 0), "nothing of a refused bitmap is written");
}

/* A span the check refuses as a whole is offered word by word: a word
 * outside is refused, and nothing of the bitmap is written. */
Test(relr, a_refused_span_is_checked_word_by_word)
{
	static const uint64_t map[] = {0, 1 | (1ull << 1) | (1ull << 50)};  /* words 0, 1 and 50 */
	struct window w = {base(), base() + 40 * 8, 0};
	fill();
	cr_expect(eq(i64, lt_relr_apply(base(), map, 2, inside, &w), -1));
	cr_expect(eq(int, w.calls, 1 + 1 + 2), "the address, the span, then each word");
	cr_expect(eq(int, relocated(0), 1));
	cr_expect(eq(int, relocated(1) || relocated(50), 0));
}

/* Words in two neighbouring allowed regions pass word by word. */
static int two_regions(void *ctx, uintptr_t addr, size_t size)
{
	(void)ctx;
	uintptr_t split = base() + 10 * 8;
	return addr + size <= split || addr >= split;
}

Test(relr, a_span_across_two_allowed_regions_passes_word_by_word)
{
	static const uint64_t map[] = {0, 1 | (1ull << 5) | (1ull << 20)};  /* words 0, 5 and 20 */
	fill();
	cr_expect(eq(i64, lt_relr_apply(base(), map, 2, two_regions, 0), 3));
	cr_expect(eq(int, relocated(5) && relocated(20), 1));
}

Test(relr, an_address_outside_is_refused)
{
	struct window w = {base() + 3 * 8, base() + sizeof image, 0};
	fill();
	cr_expect(eq(i64, lt_relr_apply(base(), table, 2, inside, &w), -1));
	cr_expect(eq(int, relocated(2) || relocated(3), 0));
}
