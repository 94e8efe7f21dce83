/*
 * glibc's l_info indexes (rtld/glibc/linfo.c): where a glibc link_map keeps
 * each dynamic tag, which libc.so.6 and libthread_db read.  The expected
 * slots are those of glibc's <elf.h> (DT_VERSIONTAGIDX and friends: each
 * range counted down from its top tag) placed at the bases layout.h gives
 * (gen-layout takes them from the same <elf.h> and checks them against
 * l_info's length in the DWARF).
 */
#include <elf.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include "glibc/linfo.h"
#include "layout.h"

#define EXPECT_SLOT(tag, slot) cr_expect(eq(long, lt_glibc_info_index(tag), slot), #tag)

Test(glibc_linfo, tags_below_dt_num_keep_their_number)
{
	for (int64_t tag = 0; tag < GLIBC_DT_NUM; tag++)
		cr_expect(eq(long, lt_glibc_info_index(tag), tag));
	EXPECT_SLOT(DT_RELR, 36);
}

Test(glibc_linfo, version_tags_count_down_from_dt_verneednum)
{
	EXPECT_SLOT(DT_VERNEEDNUM, GLIBC_LINFO_DT_VERNEEDNUM);
	EXPECT_SLOT(DT_VERNEED, GLIBC_LINFO_DT_VERNEED);
	EXPECT_SLOT(DT_VERDEFNUM, GLIBC_LINFO_DT_VERDEFNUM);
	EXPECT_SLOT(DT_VERDEF, GLIBC_LINFO_DT_VERDEF);
	EXPECT_SLOT(DT_FLAGS_1, GLIBC_LINFO_DT_FLAGS_1);
	EXPECT_SLOT(DT_RELACOUNT, GLIBC_LINFO_DT_RELACOUNT);
	EXPECT_SLOT(DT_VERSYM, GLIBC_LINFO_DT_VERSYM);
}

/* DT_FILTER, 0x7ffffffe (Solaris's DT_USED) and DT_AUXILIARY: the
 * DT_EXTRANUM (3) slots of the "extra" range. */
Test(glibc_linfo, filter_and_auxiliary_count_down_from_dt_filter)
{
	EXPECT_SLOT(DT_FILTER, GLIBC_LINFO_EXTRA_BASE + 0);
	EXPECT_SLOT(DT_FILTER - 1, GLIBC_LINFO_EXTRA_BASE + 1);
	EXPECT_SLOT(DT_AUXILIARY, GLIBC_LINFO_EXTRA_BASE + 2);
}

/* The highest and the lowest tag glibc keeps of each range: DT_VALNUM
 * (12) and DT_ADDRNUM (11) tags down from the top. */
Test(glibc_linfo, value_and_address_tags_count_down_from_their_range_s_top)
{
	EXPECT_SLOT(DT_SYMINENT, GLIBC_LINFO_VAL_BASE + 0);  /* DT_VALRNGHI */
	EXPECT_SLOT(DT_GNU_PRELINKED, GLIBC_LINFO_VAL_BASE + 10);
	EXPECT_SLOT(DT_VALRNGHI - 11, GLIBC_LINFO_VAL_BASE + 11);  /* (newer elf.h: DT_GNU_FLAGS_1) */
	EXPECT_SLOT(DT_SYMINFO, GLIBC_LINFO_ADDR_BASE + 0);  /* DT_ADDRRNGHI */
	EXPECT_SLOT(DT_GNU_HASH, GLIBC_LINFO_DT_GNU_HASH);
	EXPECT_SLOT(DT_GNU_HASH, GLIBC_LINFO_ADDR_BASE + 10);
}

/* Tags glibc keeps nowhere: past DT_NUM, the OS and processor ranges (x86-64
 * has no processor tags in l_info), and the tag just outside each range. */
Test(glibc_linfo, other_tags_have_no_slot)
{
	EXPECT_SLOT(GLIBC_DT_NUM, -1);
	EXPECT_SLOT(DT_LOOS, -1);
	EXPECT_SLOT(DT_LOPROC, -1);
	EXPECT_SLOT(DT_VERSYM - 1, -1);
	EXPECT_SLOT(DT_AUXILIARY - 1, -1);
	EXPECT_SLOT(DT_VALRNGHI - DT_VALNUM, -1);
	EXPECT_SLOT(DT_VALRNGLO, -1);
	EXPECT_SLOT(DT_ADDRRNGHI - DT_ADDRNUM, -1);  /* DT_GNU_HASH - 1 */
	EXPECT_SLOT(DT_ADDRRNGLO, -1);
	EXPECT_SLOT(-1, -1);
}
