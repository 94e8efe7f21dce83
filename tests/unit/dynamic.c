/*
 * The PT_DYNAMIC reader (rtld/dynamic.c), on a fake object: the tables a
 * linker writes, laid out in one writable segment of this process, with the
 * object's base at its start.  First what a valid object yields, including
 * what needs no test program of its own (the symbol count taken from
 * DT_GNU_HASH when .dynstr is not right after .dynsym); then one defect at a
 * time, each refused for its own reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/mman.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include "rtld.h"

#define NSYMS 5
#define NBUCKETS 3

/* The strings, at these offsets. */
#define STRINGS "\0libneed1.so\0libneed2.so\0libself.so\0/rpath\0/runpath"
enum { S_NEED1 = 1, S_NEED2 = 13, S_SONAME = 25, S_RPATH = 36, S_RUNPATH = 43 };

static struct image {
	Elf64_Dyn dyn[32];
	char strtab_apart[sizeof STRINGS];  /* before .dynsym */
	Elf64_Sym syms[NSYMS];
	char strtab[sizeof STRINGS];        /* right after .dynsym, as linkers put it */
	uint32_t sysv_hash[2 + 1 + NSYMS];
	Elf64_Rela rela[3], jmprel[2];
	uint64_t relr[2];
	uintptr_t init_array[2], fini_array[1], preinit_array[1];
	uintptr_t got[3];
	uint16_t versym[NSYMS];
	/* DT_GNU_HASH, last: header, one Bloom word, buckets, chains from symbol 1 */
	/* (its Bloom words are 64-bit: ld-teach refuses a table misaligned for them) */
	uint32_t gnu_hash[4 + 2 + NBUCKETS + NSYMS - 1] __attribute__((aligned(8)));
} im;

static struct lt_segment seg;
static struct lt_object obj;
static size_t ndyn;

#define AT(member) ((uint64_t)offsetof(struct image, member))

static void add(int64_t tag, uint64_t value)
{
	im.dyn[ndyn++] = (Elf64_Dyn){.d_tag = tag, .d_un.d_val = value};
}

/* The value of the dynamic entry with `tag` becomes `value`. */
static void set(int64_t tag, uint64_t value)
{
	for (size_t i = 0; i < ndyn; i++)
		if (im.dyn[i].d_tag == tag) {
			im.dyn[i].d_un.d_val = value;
			return;
		}
	cr_fatal("no dynamic entry %ld to change", (long)tag);
}

static void drop(int64_t tag)
{
	for (size_t i = 0; i < ndyn; i++)
		if (im.dyn[i].d_tag == tag) {
			memmove(&im.dyn[i], &im.dyn[i + 1], (ndyn - i) * sizeof *im.dyn);
			ndyn--;
			return;
		}
	cr_fatal("no dynamic entry %ld to drop", (long)tag);
}

/* Symbols 1 and 2 in bucket 0, 3 and 4 in bucket 1; bucket 2 empty. */
static void make_gnu_hash(void)
{
	static const uint32_t words[] = {NBUCKETS, 1, 1, 6, 0xffffffff, 0xffffffff, 1, 3, 0,
					 0x10, 0x21, 0x30, 0x41};
	memcpy(im.gnu_hash, words, sizeof words);
}

static void make_valid(void)
{
	memset(&im, 0, sizeof im);
	memset(&obj, 0, sizeof obj);
	ndyn = 0;
	memcpy(im.strtab, STRINGS, sizeof STRINGS);
	memcpy(im.strtab_apart, STRINGS, sizeof STRINGS);
	make_gnu_hash();
	uint32_t sysv[] = {1, NSYMS, 1, 0, 2, 3, 4, 0};
	memcpy(im.sysv_hash, sysv, sizeof sysv);
	for (int i = 0; i < 3; i++)
		im.rela[i] = (Elf64_Rela){AT(got), ELF64_R_INFO(0, i < 2 ? R_X86_64_RELATIVE : 1), 0};
	add(DT_NEEDED, S_NEED1);
	add(DT_NEEDED, S_NEED2);
	add(DT_SONAME, S_SONAME);
	add(DT_RPATH, S_RPATH);
	add(DT_RUNPATH, S_RUNPATH);
	add(DT_GNU_HASH, AT(gnu_hash));
	add(DT_STRTAB, AT(strtab_apart));
	add(DT_STRSZ, sizeof STRINGS);
	add(DT_SYMTAB, AT(syms));
	add(DT_SYMENT, sizeof(Elf64_Sym));
	add(DT_RELA, AT(rela));
	add(DT_RELASZ, sizeof im.rela);
	add(DT_RELAENT, sizeof(Elf64_Rela));
	add(DT_RELACOUNT, 2);
	add(DT_JMPREL, AT(jmprel));
	add(DT_PLTRELSZ, sizeof im.jmprel);
	add(DT_PLTREL, DT_RELA);
	add(DT_RELR, AT(relr));
	add(DT_RELRSZ, sizeof im.relr);
	add(DT_RELRENT, 8);
	add(DT_INIT, 0x1000);
	add(DT_FINI, 0x2000);
	add(DT_INIT_ARRAY, AT(init_array));
	add(DT_INIT_ARRAYSZ, sizeof im.init_array);
	add(DT_FINI_ARRAY, AT(fini_array));
	add(DT_FINI_ARRAYSZ, sizeof im.fini_array);
	add(DT_PLTGOT, AT(got));
	add(DT_DEBUG, 0);
	seg = (struct lt_segment){(uintptr_t)&im, (uintptr_t)(&im + 1), PROT_READ | PROT_WRITE};
	obj = (struct lt_object){.base = (uintptr_t)&im, .dynamic = im.dyn, .path = "fake.so",
				 .segs = &seg, .nsegs = 1};
}

static void free_results(void)
{
	free(obj.needed_names);
	free(obj.st.versions);
}

TestSuite(dynamic, .init = make_valid, .fini = free_results);

/* A test's next case starts from the valid object again. */
static void again(void)
{
	free_results();
	make_valid();
}

static int parse(void) { return lt_dynamic_parse(&obj); }

#define EXPECT_REFUSED(reason)                                                              \
	do {                                                                                \
		cr_assert(eq(int, parse(), -1));                                            \
		cr_expect(eq(str, (char *)lt_error_text(),                                  \
			     "fake.so: corrupt dynamic section: " reason));                 \
	} while (0)

Test(dynamic, a_valid_object_is_described)
{
	cr_assert(eq(int, parse(), 0), "refused: %s", lt_error_text());
	cr_expect(eq(ptr, (void *)obj.st.strtab, im.strtab_apart));
	cr_expect(eq(sz, obj.st.strsz, sizeof STRINGS));
	cr_expect(eq(ptr, (void *)obj.st.syms, im.syms));
	cr_expect(eq(sz, obj.nneeded_names, 2));
	cr_expect(eq(str, (char *)obj.needed_names[0], "libneed1.so"));
	cr_expect(eq(str, (char *)obj.needed_names[1], "libneed2.so"));
	cr_expect(eq(str, (char *)obj.soname, "libself.so"));
	cr_expect(eq(str, (char *)obj.runpath, "/runpath"));
	cr_expect(eq(ptr, (void *)obj.rpath, NULL), "DT_RUNPATH voids DT_RPATH");
	cr_expect(eq(ptr, (void *)obj.rela, im.rela));
	cr_expect(eq(sz, obj.nrela, 3));
	cr_expect(eq(sz, obj.relacount, 2));
	cr_expect(eq(ptr, (void *)obj.jmprel, im.jmprel));
	cr_expect(eq(sz, obj.njmprel, 2));
	cr_expect(eq(ptr, (void *)obj.relr, im.relr));
	cr_expect(eq(sz, obj.nrelr, 2));
	cr_expect(eq(u64, obj.init, obj.base + 0x1000));
	cr_expect(eq(u64, obj.fini, obj.base + 0x2000));
	cr_expect(eq(ptr, (void *)obj.init_array, im.init_array));
	cr_expect(eq(sz, obj.ninit_array, 2));
	cr_expect(eq(ptr, (void *)obj.fini_array, im.fini_array));
	cr_expect(eq(sz, obj.nfini_array, 1));
	cr_expect(eq(ptr, (void *)obj.preinit_array, NULL));
	cr_expect(eq(ptr, (void *)obj.pltgot, im.got));
	cr_expect(eq(ptr, (void *)obj.debug_slot, &im.dyn[ndyn - 1]));
	cr_expect(eq(uint, obj.symbolic | obj.textrel | obj.bind_now, 0));
}

Test(dynamic, the_rpath_counts_without_a_runpath)
{
	drop(DT_RUNPATH);
	cr_assert(eq(int, parse(), 0), "refused: %s", lt_error_text());
	cr_expect(eq(str, (char *)obj.rpath, "/rpath"));
	cr_expect(eq(ptr, (void *)obj.runpath, NULL));
}

/* .dynstr is not after .dynsym: the last GNU hash chain gives the count. */
Test(dynamic, the_symbol_count_comes_from_the_gnu_hash_chains)
{
	cr_assert(eq(int, parse(), 0), "refused: %s", lt_error_text());
	cr_expect(eq(sz, obj.st.nsyms, NSYMS));
	cr_expect(eq(u32, obj.st.gnu_nbuckets, NBUCKETS));
	cr_expect(eq(u32, obj.st.gnu_symoffset, 1));
	cr_expect(eq(ptr, (void *)obj.st.gnu_chain, &im.gnu_hash[4 + 2 + NBUCKETS - 1]));
	cr_expect(eq(u32, obj.st.gnu_bloom_size, 1));
	cr_expect(eq(u32, obj.st.gnu_bloom_shift, 6));
	cr_expect(eq(ptr, (void *)obj.st.gnu_bloom, &im.gnu_hash[4]));
}

/* The last chain is the highest bucket's, whichever bucket holds it. */
Test(dynamic, the_last_chain_is_the_highest_bucket_s)
{
	im.gnu_hash[6] = 3;  /* bucket 0: symbols 3 and 4 */
	im.gnu_hash[7] = 0;
	cr_assert(eq(int, parse(), 0), "refused: %s", lt_error_text());
	cr_expect(eq(sz, obj.st.nsyms, NSYMS));
	again();
	im.gnu_hash[7] = 0;  /* bucket 0 alone: symbols 1 and 2, from symoffset itself */
	cr_assert(eq(int, parse(), 0), "refused: %s", lt_error_text());
	cr_expect(eq(sz, obj.st.nsyms, 3));
}

/* Without DT_HASH, DT_GNU_HASH, or .dynstr right after .dynsym: no symbol is known. */
Test(dynamic, no_table_says_how_many_symbols)
{
	drop(DT_GNU_HASH);
	cr_assert(eq(int, parse(), 0), "refused: %s", lt_error_text());
	cr_expect(eq(sz, obj.st.nsyms, 0));
}

Test(dynamic, no_hashed_symbol_leaves_the_unhashed_ones)
{
	im.gnu_hash[6] = im.gnu_hash[7] = 0;  /* every bucket empty */
	cr_assert(eq(int, parse(), 0), "refused: %s", lt_error_text());
	cr_expect(eq(sz, obj.st.nsyms, 1));
}

Test(dynamic, the_symbol_count_is_the_distance_to_the_string_table)
{
	set(DT_STRTAB, AT(strtab));
	im.gnu_hash[6] = im.gnu_hash[7] = 0;  /* which must not matter */
	cr_assert(eq(int, parse(), 0), "refused: %s", lt_error_text());
	cr_expect(eq(sz, obj.st.nsyms, NSYMS));
}

/* A string table at the symbol table's own address is no end for it: the
 * distance between them, 0, says nothing, and the GNU hash chains count. */
Test(dynamic, a_string_table_where_the_symbols_start_leaves_the_count_to_the_hash)
{
	set(DT_STRTAB, AT(syms));
	set(DT_STRSZ, sizeof im.syms);  /* (the names it gives the needed libraries are of no matter) */
	cr_assert(eq(int, parse(), 0), "refused: %s", lt_error_text());
	cr_expect(eq(sz, obj.st.nsyms, NSYMS));
}

Test(dynamic, the_symbol_count_is_dt_hash_s_chain_count)
{
	add(DT_HASH, AT(sysv_hash));
	im.sysv_hash[1] = NSYMS - 1;
	cr_assert(eq(int, parse(), 0), "refused: %s", lt_error_text());
	cr_expect(eq(sz, obj.st.nsyms, NSYMS - 1));
	cr_expect(eq(u32, obj.st.sysv_nbucket, 1));
	cr_expect(eq(ptr, (void *)obj.st.sysv_buckets, &im.sysv_hash[2]));
	cr_expect(eq(ptr, (void *)obj.st.sysv_chain, &im.sysv_hash[3]));
}

Test(dynamic, flags_come_from_tags_and_from_dt_flags)
{
	add(DT_SYMBOLIC, 0);
	cr_assert(eq(int, parse(), 0));
	cr_expect(eq(uint, obj.symbolic, 1));
	cr_expect(eq(uint, obj.textrel | obj.bind_now, 0));
	again();
	add(DT_TEXTREL, 0);
	add(DT_BIND_NOW, 0);
	cr_assert(eq(int, parse(), 0));
	cr_expect(eq(uint, obj.textrel & obj.bind_now, 1));
	cr_expect(eq(uint, obj.symbolic, 0));
	again();
	add(DT_FLAGS, DF_SYMBOLIC | DF_TEXTREL | DF_BIND_NOW);
	cr_assert(eq(int, parse(), 0));
	cr_expect(eq(uint, obj.symbolic & obj.textrel & obj.bind_now, 1));
	cr_expect(eq(u64, obj.flags, DF_SYMBOLIC | DF_TEXTREL | DF_BIND_NOW));
	again();
	add(DT_FLAGS_1, DF_1_NOW);
	cr_assert(eq(int, parse(), 0));
	cr_expect(eq(uint, obj.bind_now, 1));
	cr_expect(eq(u64, obj.flags_1, DF_1_NOW));
}

Test(dynamic, a_relative_count_past_the_table_is_ignored)
{
	set(DT_RELACOUNT, 3);
	cr_assert(eq(int, parse(), 0));
	cr_expect(eq(sz, obj.relacount, 3));
	again();
	set(DT_RELACOUNT, 4);
	cr_assert(eq(int, parse(), 0));
	cr_expect(eq(sz, obj.relacount, 0));
}

Test(dynamic, the_preinit_array_is_read)
{
	add(DT_PREINIT_ARRAY, AT(preinit_array));
	add(DT_PREINIT_ARRAYSZ, sizeof im.preinit_array);
	cr_assert(eq(int, parse(), 0));
	cr_expect(eq(ptr, (void *)obj.preinit_array, im.preinit_array));
	cr_expect(eq(sz, obj.npreinit_array, 1));
}

/* --- one defect at a time --- */

Test(dynamic, dt_rel_is_refused)
{
	add(DT_REL, AT(rela));
	EXPECT_REFUSED("DT_REL relocations are not used on x86_64");
	again();
	add(DT_RELSZ, sizeof im.rela);
	EXPECT_REFUSED("DT_REL relocations are not used on x86_64");
}

Test(dynamic, a_table_without_its_size_is_refused)
{
	drop(DT_RELASZ);
	EXPECT_REFUSED("DT_RELA without its size");
	again();
	drop(DT_INIT_ARRAY);
	EXPECT_REFUSED("DT_INIT_ARRAY without its address");
}

/* One tag given a bad value, and the reason it is refused for. */
static const struct bad_value {
	int64_t tag;
	uint64_t value;
	const char *reason;
} bad_values[] = {
	{DT_RELAENT, 16, "DT_RELAENT is not the size of Elf64_Rela"},
	{DT_SYMENT, 16, "DT_SYMENT is not the size of Elf64_Sym"},
	{DT_PLTREL, DT_REL, "DT_PLTREL is not DT_RELA"},
	{DT_RELRENT, 4, "DT_RELR entries are not 8 bytes"},
	{DT_RELASZ, sizeof im.rela - 1, "relocation table size is not a whole number of entries"},
	{DT_RELRSZ, 12, "DT_RELR entries are not 8 bytes"},
	{DT_INIT_ARRAYSZ, 12, "initializer or finalizer array size is not a whole number of entries"},
	{DT_FINI_ARRAY, sizeof im, "an initializer or finalizer array lies outside the object"},
	{DT_RELA, sizeof im, "a relocation table lies outside the object"},
	{DT_SYMTAB, sizeof im - sizeof(Elf64_Sym), "the symbol table lies outside the object"},
	{DT_STRSZ, 0, "string table is empty"},
	{DT_PLTGOT, AT(got) + 4, "DT_PLTGOT is misaligned"},
	{DT_PLTGOT, sizeof im - 16, "DT_PLTGOT lies outside the writable segments"},  /* 3 words */
	{DT_INIT_ARRAYSZ, -8UL, "an initializer or finalizer array lies outside the object"},
	{DT_STRSZ, sizeof im, "the string table lies outside the object"},
	{DT_SONAME, sizeof STRINGS, "string offset out of range"},
	{DT_RPATH, sizeof STRINGS, "string offset out of range"},
	{DT_RUNPATH, sizeof STRINGS, "string offset out of range"},
};

Test(dynamic, each_bad_value_is_refused_for_its_reason)
{
	char want[200];
	for (size_t i = 0; i < sizeof bad_values / sizeof *bad_values; i++) {
		again();
		set(bad_values[i].tag, bad_values[i].value);
		snprintf(want, sizeof want, "fake.so: corrupt dynamic section: %s", bad_values[i].reason);
		cr_expect(eq(int, parse(), -1), "%s", bad_values[i].reason);
		cr_expect(eq(str, (char *)lt_error_text(), want));
	}
}

/* Tags from DT_NUM up, or negative, are not standard ones: ignored unless known. */
Test(dynamic, tags_past_the_standard_ones_are_not_taken_for_them)
{
	add(DT_NUM, 0);
	add(-1, 0);
	cr_assert(eq(int, parse(), 0), "refused: %s", lt_error_text());
	cr_expect(eq(ptr, (void *)obj.st.strtab, im.strtab_apart));
	cr_expect(eq(sz, obj.nrela, 3));
}

Test(dynamic, dt_hash_needs_a_bucket)
{
	add(DT_HASH, AT(sysv_hash));
	im.sysv_hash[0] = 0;
	EXPECT_REFUSED("DT_HASH has no buckets");
}

/* No bucket, no Bloom word, or a Bloom shift as wide as the word: each refused. */
Test(dynamic, each_bad_gnu_hash_header_is_refused)
{
	static const struct { int word; uint32_t value; } bad[] = {{0, 0}, {2, 0}, {3, 64}};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		again();
		im.gnu_hash[bad[i].word] = bad[i].value;
		EXPECT_REFUSED("DT_GNU_HASH header is invalid");
	}
	again();
	im.gnu_hash[3] = 63;
	cr_expect(eq(int, parse(), 0), "a shift of 63: refused: %s", lt_error_text());
}

/* Only the program's DT_DEBUG is written (debugger.c): a library's may be read-only. */
Test(dynamic, a_library_s_dt_debug_may_be_read_only)
{
	obj.kind = LT_LIB;
	seg.prot = PROT_READ;
	drop(DT_PLTGOT);
	cr_expect(eq(int, parse(), 0), "refused: %s", lt_error_text());
}

/* A DT_HASH whose 8-byte header the segment's end cuts by one byte. */
Test(dynamic, a_dt_hash_header_cut_short_is_refused)
{
	add(DT_HASH, sizeof im - 7);
	EXPECT_REFUSED("DT_HASH lies outside the object");
	again();
	add(DT_HASH, AT(sysv_hash));
	im.sysv_hash[1] = 0x10000;
	EXPECT_REFUSED("the DT_HASH table lies outside the object");
}

/*
 * The object in two segments, split at `at`: a table ending there is
 * whole in the first, one starting there whole in the second, one that
 * crosses it in neither.
 */
static struct lt_segment halves[2];

static void split_at(const void *at)
{
	uintptr_t split = (uintptr_t)at;
	halves[0] = (struct lt_segment){seg.start, split, seg.prot};
	halves[1] = (struct lt_segment){split, seg.end, seg.prot};
	obj.segs = halves;
	obj.nsegs = 2;
}

Test(dynamic, dt_hash_may_end_where_its_segment_does)
{
	add(DT_HASH, AT(sysv_hash));
	split_at(&im.sysv_hash[2]);  /* the header ends the first, the table fills the second */
	cr_expect(eq(int, parse(), 0), "header at the end: refused: %s", lt_error_text());
	again();
	add(DT_HASH, AT(sysv_hash));
	split_at(&im.sysv_hash[2 + 1 + NSYMS]);
	cr_expect(eq(int, parse(), 0), "table at the end: refused: %s", lt_error_text());
	again();
	add(DT_HASH, AT(sysv_hash));
	split_at(&im.sysv_hash[2 + NSYMS]);  /* the last chain entry crosses */
	EXPECT_REFUSED("the DT_HASH table lies outside the object");
}

Test(dynamic, dt_gnu_hash_may_end_where_its_segment_does)
{
	split_at(&im.gnu_hash[4]);  /* the header ends the first */
	cr_expect(eq(int, parse(), 0), "header at the end: refused: %s", lt_error_text());
	again();
	split_at((char *)&im.gnu_hash[4] - 1);  /* the header crosses */
	EXPECT_REFUSED("DT_GNU_HASH lies outside the object");
	again();
	split_at(&im.gnu_hash[4 + 2 + NBUCKETS]);  /* the buckets end the first */
	cr_expect(eq(int, parse(), 0), "buckets at the end: refused: %s", lt_error_text());
	again();
	split_at((char *)&im.gnu_hash[4 + 2 + NBUCKETS] - 1);  /* the last bucket crosses */
	EXPECT_REFUSED("the DT_GNU_HASH table lies outside the object");
	again();
	split_at(&im.gnu_hash[4 + 2 + NBUCKETS + NSYMS - 1]);  /* the last chain ends the first */
	cr_expect(eq(int, parse(), 0), "chains at the end: refused: %s", lt_error_text());
	again();
	set(DT_STRTAB, AT(strtab));  /* the count from .dynstr: the chains are checked as a whole */
	split_at((char *)&im.gnu_hash[4 + 2 + NBUCKETS + NSYMS - 1] - 1);
	EXPECT_REFUSED("a DT_GNU_HASH chain lies outside the object");
}

Test(dynamic, a_bad_gnu_hash_is_refused)
{
	im.gnu_hash[6] = 0;
	im.gnu_hash[7] = 0;
	im.gnu_hash[1] = 2;
	im.gnu_hash[8] = 1;  /* the last bucket names a symbol below symoffset */
	EXPECT_REFUSED("DT_GNU_HASH bucket out of range");
	again();
	im.gnu_hash[4 + 2 + NBUCKETS + NSYMS - 2] &= ~1u;  /* the last chain never ends */
	EXPECT_REFUSED("a DT_GNU_HASH chain lies outside the object");
	again();
	im.gnu_hash[2] = 3;
	EXPECT_REFUSED("DT_GNU_HASH header is invalid");
}

/*
 * The Bloom filter's words are 64-bit (the ELF class's word).  The object
 * split in two segments at the end of the fake's one word is valid; moved a
 * byte down, the word's last byte lies in neither, though the buckets after
 * it lie in the second.
 */
Test(dynamic, every_byte_of_the_bloom_filter_must_lie_in_a_segment)
{
	uintptr_t bloom_end = (uintptr_t)&im.gnu_hash[4 + 2];
	struct lt_segment two[2] = {{seg.start, bloom_end, seg.prot}, {bloom_end, seg.end, seg.prot}};
	obj.segs = two;
	obj.nsegs = 2;
	cr_assert(eq(int, parse(), 0), "refused: %s", lt_error_text());
	again();
	two[0].end = bloom_end - 1;
	obj.segs = two;
	obj.nsegs = 2;
	EXPECT_REFUSED("the DT_GNU_HASH table lies outside the object");
}

/* Neither hash table means anything without the symbols it indexes. */
Test(dynamic, a_hash_table_needs_its_symbol_table)
{
	drop(DT_SYMTAB);
	EXPECT_REFUSED("hash table without symbol table");
	again();
	drop(DT_GNU_HASH);
	add(DT_HASH, AT(sysv_hash));
	drop(DT_SYMTAB);
	EXPECT_REFUSED("hash table without symbol table");
	again();
	drop(DT_GNU_HASH);
	drop(DT_SYMTAB);
	cr_expect(eq(int, parse(), 0), "no symbols and no hash table: refused: %s",
		  lt_error_text());
	cr_expect(eq(ptr, (void *)obj.st.syms, NULL));
}

/*
 * A string table whose names may be read a word at a time: 8 bytes after
 * it lie in the page its segment ends in.  Here in a second segment, a
 * page of its own, the table ending where the segment does: 8 bytes
 * before the page's end, or 7.
 */
Test(dynamic, names_are_read_in_words_only_with_8_bytes_after_the_table)
{
	static char page[4096] __attribute__((aligned(4096)));
	for (size_t room = 8; room >= 7; room--) {
		again();
		char *table = page + sizeof page - room - sizeof STRINGS;
		memcpy(table, STRINGS, sizeof STRINGS);
		struct lt_segment two[2] = {seg, {(uintptr_t)table, (uintptr_t)page + sizeof page - room,
						  PROT_READ}};
		obj.segs = two;
		obj.nsegs = 2;
		set(DT_STRTAB, (uintptr_t)table - obj.base);
		cr_assert(eq(int, parse(), 0), "refused: %s", lt_error_text());
		cr_expect(eq(int, obj.st.names_in_words, room == 8), "%zu bytes after the table", room);
	}
}

Test(dynamic, the_string_table_must_be_terminated)
{
	im.strtab_apart[sizeof STRINGS - 1] = 'x';
	EXPECT_REFUSED("string table is not terminated");
}

Test(dynamic, symbols_need_their_string_table)
{
	drop(DT_STRTAB);
	drop(DT_STRSZ);
	drop(DT_NEEDED);
	drop(DT_NEEDED);
	drop(DT_SONAME);
	drop(DT_RPATH);
	drop(DT_RUNPATH);
	EXPECT_REFUSED("symbol table without string table");
}

Test(dynamic, the_dynamic_array_must_end_inside_its_segment)
{
	seg.end = (uintptr_t)&im.dyn[ndyn];
	EXPECT_REFUSED("no DT_NULL terminator");
	again();
	obj.dynamic = (Elf64_Dyn *)seg.end;
	EXPECT_REFUSED("PT_DYNAMIC is not mapped");
}

Test(dynamic, the_lazy_binding_got_must_be_writable)
{
	seg.prot = PROT_READ;
	EXPECT_REFUSED("the PT_LOAD at 0x0, which holds DT_DEBUG, is not writable");
	again();
	seg.prot = PROT_READ;
	drop(DT_DEBUG);
	EXPECT_REFUSED("DT_PLTGOT lies outside the writable segments");
	again();
	set(DT_PLTGOT, sizeof im - 3 * sizeof(uintptr_t));  /* GOT[0..2], the segment's last words */
	cr_assert(eq(int, parse(), 0), "refused: %s", lt_error_text());
	cr_expect(eq(ptr, (void *)obj.pltgot, (char *)&im + sizeof im - 3 * sizeof(uintptr_t)));
}

/* Its entries are checked where a lookup reads them (version.c), not here. */
Test(dynamic, versym_must_lie_inside_the_object)
{
	add(DT_VERSYM, AT(versym));
	im.versym[3] = 2;  /* only 0 and 1 exist without DT_VERDEF or DT_VERNEED */
	cr_expect(eq(int, parse(), 0), "an entry past the tables is no reason to refuse the object");
	again();
	add(DT_VERSYM, sizeof im - 4);
	EXPECT_REFUSED("DT_VERSYM lies outside the object");
	again();
	add(DT_VERSYM, sizeof im - NSYMS);  /* room for NSYMS bytes, not NSYMS entries */
	EXPECT_REFUSED("DT_VERSYM lies outside the object");
}
