/*
 * glibc's l_info indexes (linfo.h): the tags below DT_NUM by number, then
 * four ranges of tags, each counted down from its top tag (elf.h's
 * DT_VERSIONTAGIDX, DT_EXTRATAGIDX, DT_VALTAGIDX, DT_ADDRTAGIDX).
 */
#include <elf.h>
#include "layout.h"
#include "linfo.h"

long lt_glibc_info_index(int64_t tag)
{
	if (tag >= 0 && tag < GLIBC_DT_NUM)
		return tag;
	if (tag >= DT_VERSYM && tag <= DT_VERNEEDNUM)  /* counted down from DT_VERNEEDNUM */
		return GLIBC_LINFO_VERSIONTAG_BASE + (DT_VERNEEDNUM - tag);
	if (tag >= DT_AUXILIARY)  /* DT_AUXILIARY and DT_FILTER, counted down from the top */
		return tag <= DT_FILTER ? GLIBC_LINFO_EXTRA_BASE + (0x7fffffff - tag) : -1;
	if (tag >= DT_VALRNGLO && tag <= DT_VALRNGHI)
		return GLIBC_LINFO_VAL_BASE + (DT_VALRNGHI - tag);
	if (tag >= DT_ADDRRNGLO && tag <= DT_ADDRRNGHI)
		return GLIBC_LINFO_ADDR_BASE + (DT_ADDRRNGHI - tag);
	return -1;
}
