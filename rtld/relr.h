/*
 * DT_RELR: packed relative relocations.  An even entry is an address to
 * relocate (and starts a run); an odd entry is a bitmap of the 63 words
 * after the current run position.  Every addressed word gets the load bias
 * added.
 *
 * Shared by ld-teach's own start-up (which trusts its own file and passes no
 * check) and the general relocation pass (which checks every address).
 */
#ifndef LT_RELR_H
#define LT_RELR_H

#include <stddef.h>
#include <stdint.h>

/* How many bits of x are set (the core may not use the POPCNT instruction). */
static inline unsigned lt_relr_bits_set(uint64_t x)
{
	x -= (x >> 1) & 0x5555555555555555ULL;
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (x * 0x0101010101010101ULL) >> 56;
}

/* May the `size` bytes at `addr` be relocated?  (Nonzero: yes.) */
typedef int (*lt_relr_check)(void *ctx, uintptr_t addr, size_t size);

/*
 * Returns the number of words relocated, or -1 when `check` refuses an
 * address.  A bitmap's words are checked as one span, from its first set
 * bit to its last: they are seldom far apart, and one check is far cheaper
 * than 63.  (A span that `check` refuses is checked word by word, so that
 * words in neighbouring segments are still allowed.)
 */
static inline long lt_relr_apply(uintptr_t base, const uint64_t *relr, size_t n,
				lt_relr_check check, void *ctx)
{
	uintptr_t where = 0;
	long count = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t e = relr[i];
		if (!(e & 1)) {
			where = base + e;
			if (check && !check(ctx, where, 8))
				return -1;
			*(uint64_t *)where += base;
			where += 8;
			count++;
			continue;
		}
		uint64_t bits = e >> 1;
		if (bits && check) {
			uintptr_t first = where + 8 * (uintptr_t)__builtin_ctzll(bits);
			uintptr_t last = where + 8 * (uintptr_t)(63 - __builtin_clzll(bits));
			if (!check(ctx, first, last + 8 - first))
				for (uint64_t b = bits; b; b &= b - 1)
					if (!check(ctx, where + 8 * (uintptr_t)__builtin_ctzll(b), 8))
						return -1;
		}
		count += lt_relr_bits_set(bits);
		uint64_t *words = (uint64_t *)where;
		for (; bits; bits &= bits - 1)
			words[__builtin_ctzll(bits)] += base;
		where += 63 * 8;
	}
	return count;
}

#endif
