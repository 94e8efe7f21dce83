/*
 * The SysV ELF symbol hash (the GNU one is inline, in symbols.h).  Pure;
 * both are unit-tested against known values.
 */
#include "symbols.h"

/* DT_HASH: the System V ABI's hash, which keeps the value within 28 bits. */
uint32_t lt_sysv_hash(const char *name)
{
	uint32_t h = 0;
	for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
		h = (h << 4) + *s;
		uint32_t g = h & 0xf0000000;
		if (g)
			h ^= g >> 24;
		h &= ~g;
	}
	return h;
}
