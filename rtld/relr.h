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

typedef int (*lt_relr_check)(void *ctx, uintptr_t addr);

/* Returns the number of words relocated, or -1 when `check` refuses an address. */
static inline long lt_relr_apply(uintptr_t base, const uint64_t *relr, size_t n,
				lt_relr_check check, void *ctx)
{
	uintptr_t where = 0;
	long count = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t e = relr[i];
		if (!(e & 1)) {
			where = base + e;
			if (check && !check(ctx, where))
				return -1;
			*(uint64_t *)where += base;
			where += 8;
			count++;
			continue;
		}
		uintptr_t p = where;
		for (uint64_t bits = e >> 1; bits; bits >>= 1, p += 8) {
			if (!(bits & 1))
				continue;
			if (check && !check(ctx, p))
				return -1;
			*(uint64_t *)p += base;
			count++;
		}
		where += 63 * 8;
	}
	return count;
}

#endif
