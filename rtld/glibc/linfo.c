/*
 * glibc's l_info indexes (linfo.h): the tags below DT_NUM by number, then
 * four ranges, each of a fixed number of tags counted down from its top
 * tag (elf.h's DT_VERSIONTAGIDX, DT_EXTRATAGIDX, DT_VALTAGIDX and
 * DT_ADDRTAGIDX, and their DT_*NUM counts).  A tag of DT_VALRNGLO..HI or
 * DT_ADDRRNGLO..HI below its range's count has no slot, as in glibc: it
 * must not spill into the next range's.
 */
#include <elf.h>
#include "layout.h"
#include "linfo.h"

static const struct linfo_range {
	int64_t top;
	long base, count;
} ranges[] = {
	{ DT_VERNEEDNUM, GLIBC_LINFO_VERSIONTAG_BASE,
	  GLIBC_LINFO_EXTRA_BASE - GLIBC_LINFO_VERSIONTAG_BASE },
	{ DT_FILTER, GLIBC_LINFO_EXTRA_BASE, GLIBC_LINFO_VAL_BASE - GLIBC_LINFO_EXTRA_BASE },
	{ DT_VALRNGHI, GLIBC_LINFO_VAL_BASE, GLIBC_LINFO_ADDR_BASE - GLIBC_LINFO_VAL_BASE },
	{ DT_ADDRRNGHI, GLIBC_LINFO_ADDR_BASE, GLIBC_LEN_link_map__l_info - GLIBC_LINFO_ADDR_BASE },
};

long lt_glibc_info_index(int64_t tag)
{
	if (tag >= 0 && tag < GLIBC_DT_NUM)
		return tag;
	for (unsigned i = 0; i < sizeof ranges / sizeof *ranges; i++) {
		const struct linfo_range *r = &ranges[i];
		if (tag <= r->top && r->top - tag < r->count)
			return r->base + (r->top - tag);
	}
	return -1;
}
