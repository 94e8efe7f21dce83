/*
 * Symbol versioning (rtld/version.c) on hand-built version records.
 *
 * Each fake object is one memory image (its only "segment") holding
 * Elf64_Verdef/Verdaux and Elf64_Verneed/Vernaux records, a DT_VERSYM
 * array and a string table, as a linker lays them out.  The rules under
 * test are glibc's, stated at the top of rtld/version.c:
 *  - a versioned reference binds only to a definition of that version, or
 *    to a plain unversioned definition that is not hidden;
 *  - an unversioned reference never binds to a hidden version.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include "rtld.h"
#include "symbols.h"

/* SysV hashes of the version names, computed separately (in Python). */
#define HASH_LIBDEF 0x08ac076fu
#define HASH_VER_1 0x005aa821u
#define HASH_VER_2 0x005aa822u
#define HASH_VER_3 0x005aa823u
#define HASH_VER_4 0x005aa824u

struct verdef_rec {
	Elf64_Verdef def;
	Elf64_Verdaux aux;
};

struct verneed_rec {
	Elf64_Verneed need;
	Elf64_Vernaux aux[2];
};

struct fake {
	struct {
		struct verdef_rec defs[4];
		struct verneed_rec needs[2];
		uint16_t versym[8];
		char strtab[128];
	} img;
	struct lt_segment seg;
	struct lt_object obj;
};

/* A library that defines versions, and a program that requires them. */
static struct fake lib, prog;

static void fake_init(struct fake *f, const char *path)
{
	memset(f, 0, sizeof *f);
	f->seg = (struct lt_segment){(uintptr_t)&f->img, (uintptr_t)(&f->img + 1), PROT_READ};
	f->obj.path = path;
	f->obj.segs = &f->seg;
	f->obj.nsegs = 1;
	f->obj.st.strtab = f->img.strtab;
	f->obj.st.strsz = 1;  /* offset 0 is the empty string */
}

static void setup(void)
{
	fake_init(&lib, "/lib/libdef.so");
	fake_init(&prog, "prog");
}

static void teardown(void)
{
	free(lib.obj.st.versions);
	free(prog.obj.st.versions);
	lt.head = 0;
}

TestSuite(versions, .init = setup, .fini = teardown);

static uint32_t string(struct fake *f, const char *s)
{
	uint32_t off = f->obj.st.strsz;
	size_t len = strlen(s) + 1;
	cr_assert(le(sz, off + len, sizeof f->img.strtab), "the fake string table is full");
	memcpy(f->img.strtab + off, s, len);
	f->obj.st.strsz += len;
	return off;
}

/* Record i of the verdef chain; `last` ends the chain there. */
static void verdef(struct fake *f, unsigned i, uint16_t ndx, uint16_t flags, const char *name,
		   uint32_t hash, int last)
{
	f->img.defs[i].def = (Elf64_Verdef){
		.vd_version = VER_DEF_CURRENT, .vd_flags = flags, .vd_ndx = ndx, .vd_cnt = 1,
		.vd_hash = hash, .vd_aux = offsetof(struct verdef_rec, aux),
		.vd_next = last ? 0 : sizeof(struct verdef_rec)};
	f->img.defs[i].aux = (Elf64_Verdaux){.vda_name = string(f, name)};
}

/* Record i of the verneed chain, with no versions yet. */
static void verneed(struct fake *f, unsigned i, const char *file, int last)
{
	f->img.needs[i].need = (Elf64_Verneed){
		.vn_version = VER_NEED_CURRENT, .vn_file = string(f, file),
		.vn_aux = offsetof(struct verneed_rec, aux),
		.vn_next = last ? 0 : sizeof(struct verneed_rec)};
	f->obj.verneed = &f->img.needs[0].need;
	f->obj.nverneed = i + 1;
}

/* Append a required version to verneed record i. */
static void vernaux(struct fake *f, unsigned i, uint16_t ndx, uint16_t flags, const char *name,
		    uint32_t hash)
{
	Elf64_Verneed *vn = &f->img.needs[i].need;
	unsigned j = vn->vn_cnt++;
	if (j)
		f->img.needs[i].aux[j - 1].vna_next = sizeof(Elf64_Vernaux);
	f->img.needs[i].aux[j] = (Elf64_Vernaux){
		.vna_hash = hash, .vna_flags = flags, .vna_other = ndx, .vna_name = string(f, name)};
}

static void versym(struct fake *f, size_t n, const uint16_t *values)
{
	memcpy(f->img.versym, values, n * sizeof *values);
	f->obj.st.versym = f->img.versym;
}

/*
 * libdef.so as GNU ld writes it for a version script with VER_1 and VER_2:
 * the base version (the soname, index 1), then VER_1 (2), then VER_2 (3).
 * Symbols: 1 is plain unversioned, 2 is fn@@VER_2, 3 is fn@VER_1 (hidden).
 */
enum { SYM_LOCAL, SYM_PLAIN, SYM_FN_DEFAULT, SYM_FN_OLD, NSYMS };
static const uint16_t lib_versym[NSYMS] = {0, 1, 3, 0x8000 | 2};

static int load_lib(void)
{
	verdef(&lib, 0, 1, VER_FLG_BASE, "libdef.so", HASH_LIBDEF, 0);
	verdef(&lib, 1, 2, 0, "VER_1", HASH_VER_1, 0);
	verdef(&lib, 2, 3, 0, "VER_2", HASH_VER_2, 1);
	versym(&lib, NSYMS, lib_versym);
	return lt_versions_load(&lib.obj, &lib.img.defs[0].def, 3);
}

static int matches(size_t sym, const char *name, uint32_t hash, int hidden)
{
	struct lt_verreq req = {name, hash, hidden};
	return lt_version_matches(&lib.obj, sym, name ? &req : NULL);
}

/* ----- lt_versions_load ----- */

Test(versions, nothing_to_load)
{
	cr_assert(eq(int, lt_versions_load(&lib.obj, NULL, 0), 0));
	cr_expect(eq(ptr, lib.obj.st.versions, NULL));
	cr_expect(eq(sz, lib.obj.st.nversions, 0));
}

Test(versions, verdef_records_fill_the_index)
{
	cr_assert(eq(int, load_lib(), 0), "%s", lt_error_text());
	const struct lt_version *v = lib.obj.st.versions;
	cr_assert(eq(sz, lib.obj.st.nversions, 4));
	cr_expect(eq(ptr, (void *)v[0].name, NULL), "index 0 is local, never a version");
	cr_expect(eq(str, (char *)v[2].name, "VER_1"));
	cr_expect(eq(u32, v[2].hash, HASH_VER_1));
	cr_expect(eq(str, (char *)v[3].name, "VER_2"));
	cr_expect(eq(u32, v[3].hash, HASH_VER_2));
	cr_expect(eq(ptr, (void *)v[3].file, NULL), "a definition names no file");
}

/* The table is sized by the records, 2 + 3 definitions here, not the
 * default of 256 entries kept for files whose counts look corrupt. */
Test(versions, the_table_is_sized_by_its_records)
{
	cr_assert(eq(int, load_lib(), 0), "%s", lt_error_text());
	size_t entries = malloc_usable_size(lib.obj.st.versions) / sizeof(struct lt_version);
	cr_expect(ge(sz, entries, 5));
	cr_expect(lt(sz, entries, 16), "room for %zu versions", entries);
}

Test(versions, verneed_records_fill_the_index)
{
	verneed(&prog, 0, "libdef.so", 0);
	vernaux(&prog, 0, 2, 0, "VER_1", HASH_VER_1);
	vernaux(&prog, 0, 4, VER_FLG_WEAK, "VER_2", HASH_VER_2);
	verneed(&prog, 1, "libother.so", 1);
	vernaux(&prog, 1, 3, 0, "VER_3", HASH_VER_3);
	cr_assert(eq(int, lt_versions_load(&prog.obj, NULL, 0), 0), "%s", lt_error_text());
	const struct lt_version *v = prog.obj.st.versions;
	cr_assert(eq(sz, prog.obj.st.nversions, 5));
	cr_expect(eq(str, (char *)v[2].name, "VER_1"));
	cr_expect(eq(str, (char *)v[2].file, "libdef.so"));
	cr_expect(eq(u16, v[2].flags, 0));
	cr_expect(eq(str, (char *)v[3].name, "VER_3"));
	cr_expect(eq(str, (char *)v[3].file, "libother.so"));
	cr_expect(eq(str, (char *)v[4].name, "VER_2"));
	cr_expect(eq(u16, v[4].flags, VER_FLG_WEAK));
	cr_expect(eq(u32, v[4].hash, HASH_VER_2));
	cr_expect(eq(str, (char *)v[4].file, "libdef.so"));
}

/* The requirements are listed in the file's order, whatever their indices
 * (glibc's loader checks and traces them so); an index given twice, once. */
Test(versions, verneed_entries_are_listed_in_the_file_s_order)
{
	verneed(&prog, 0, "libdef.so", 0);
	vernaux(&prog, 0, 5, 0, "VER_1", HASH_VER_1);
	vernaux(&prog, 0, 2, 0, "VER_2", HASH_VER_2);
	verneed(&prog, 1, "libother.so", 1);
	vernaux(&prog, 1, 4, 0, "VER_3", HASH_VER_3);
	vernaux(&prog, 1, 2, 0, "VER_2", HASH_VER_2);
	vernaux(&prog, 1, 3, 0, "VER_4", HASH_VER_4);
	cr_assert(eq(int, lt_versions_load(&prog.obj, NULL, 0), 0), "%s", lt_error_text());
	const struct lt_version *v = prog.obj.st.versions;
	unsigned order[8], n = 0;
	for (unsigned i = prog.obj.st.first_need; i && n < 8; i = v[i].next_need)
		order[n++] = i;
	cr_assert(eq(u32, n, 4));
	cr_expect(eq(u32, order[0], 5));
	cr_expect(eq(u32, order[1], 2));
	cr_expect(eq(u32, order[2], 4));
	cr_expect(eq(u32, order[3], 3));
	cr_expect(eq(str, (char *)v[2].file, "libother.so"), "the later record's entry");
}

Test(versions, definitions_and_requirements_share_the_index)
{
	verdef(&lib, 0, 1, VER_FLG_BASE, "libdef.so", HASH_LIBDEF, 0);
	verdef(&lib, 1, 2, 0, "VER_1", HASH_VER_1, 1);
	verneed(&lib, 0, "libother.so", 1);
	vernaux(&lib, 0, 3, 0, "VER_3", HASH_VER_3);
	cr_assert(eq(int, lt_versions_load(&lib.obj, &lib.img.defs[0].def, 2), 0));
	cr_assert(eq(sz, lib.obj.st.nversions, 4));
	cr_expect(eq(ptr, (void *)lib.obj.st.versions[2].file, NULL));
	cr_expect(eq(str, (char *)lib.obj.st.versions[3].file, "libother.so"));
}

/* DT_VERDEFNUM bounds the walk even when the chain goes on. */
Test(versions, the_verdef_count_bounds_the_walk)
{
	verdef(&lib, 0, 1, VER_FLG_BASE, "libdef.so", HASH_LIBDEF, 0);
	verdef(&lib, 1, 2, 0, "VER_1", HASH_VER_1, 0);
	verdef(&lib, 2, 3, 0, "VER_2", HASH_VER_2, 1);
	cr_assert(eq(int, lt_versions_load(&lib.obj, &lib.img.defs[0].def, 2), 0));
	cr_expect(eq(sz, lib.obj.st.nversions, 3));
}

/* ...and so does the chain's end, when the count is larger. */
Test(versions, the_verdef_chain_ends_the_walk)
{
	verdef(&lib, 0, 1, VER_FLG_BASE, "libdef.so", HASH_LIBDEF, 0);
	verdef(&lib, 1, 2, 0, "VER_1", HASH_VER_1, 1);
	cr_assert(eq(int, lt_versions_load(&lib.obj, &lib.img.defs[0].def, 4), 0), "%s",
		  lt_error_text());
	cr_expect(eq(sz, lib.obj.st.nversions, 3));
}

/* Corrupt records: refused with a message naming the object, nothing allocated. */
static void expect_corrupt(struct fake *f, const Elf64_Verdef *vd, size_t nvd, const char *what)
{
	cr_expect(eq(int, lt_versions_load(&f->obj, vd, nvd), -1), "%s", what);
	char want[200];
	snprintf(want, sizeof want, "%s: corrupt version information: %s", f->obj.path, what);
	cr_expect(eq(str, (char *)lt_error_text(), want));
	cr_expect(eq(ptr, f->obj.st.versions, NULL));
}

Test(versions, corrupt_verdef_records)
{
	verdef(&lib, 0, 1, VER_FLG_BASE, "libdef.so", HASH_LIBDEF, 0);
	verdef(&lib, 1, 2, 0, "VER_1", HASH_VER_1, 1);
	const Elf64_Verdef *first = &lib.img.defs[0].def;

	lib.img.defs[1].def.vd_version = 2;
	expect_corrupt(&lib, first, 2, "bad verdef record");
	lib.img.defs[1].def.vd_version = VER_DEF_CURRENT;

	lib.img.defs[1].def.vd_aux = 0x100000;  /* its Verdaux is far outside the object */
	expect_corrupt(&lib, first, 2, "bad verdef name");
	lib.img.defs[1].def.vd_aux = offsetof(struct verdef_rec, aux);

	lib.img.defs[1].aux.vda_name = lib.obj.st.strsz;  /* one past the string table */
	expect_corrupt(&lib, first, 2, "bad verdef name");
	lib.img.defs[1].aux.vda_name = 0;

	lib.img.defs[0].def.vd_next = 0x100000;  /* the next record is outside */
	expect_corrupt(&lib, first, 2, "bad verdef record");

	/* A record that straddles the end of the segment. */
	expect_corrupt(&lib, (const Elf64_Verdef *)(lib.seg.end - 4), 1, "bad verdef record");
}

Test(versions, corrupt_verneed_records)
{
	verneed(&prog, 0, "libdef.so", 0);
	vernaux(&prog, 0, 2, 0, "VER_1", HASH_VER_1);
	verneed(&prog, 1, "libother.so", 1);
	vernaux(&prog, 1, 3, 0, "VER_3", HASH_VER_3);
	Elf64_Verneed *second = &prog.img.needs[1].need;

	second->vn_version = 2;
	expect_corrupt(&prog, NULL, 0, "bad verneed record");
	second->vn_version = VER_NEED_CURRENT;

	second->vn_file = 0x7fffffff;
	expect_corrupt(&prog, NULL, 0, "bad verneed file name");
	second->vn_file = 0;

	prog.img.needs[1].aux[0].vna_name = prog.obj.st.strsz;
	expect_corrupt(&prog, NULL, 0, "bad vernaux record");
	prog.img.needs[1].aux[0].vna_name = 0;

	second->vn_aux = 0x100000;
	expect_corrupt(&prog, NULL, 0, "bad vernaux record");
	second->vn_aux = offsetof(struct verneed_rec, aux);

	prog.img.needs[0].need.vn_next = 0x100000;
	expect_corrupt(&prog, NULL, 0, "bad verneed record");
}

/* The table is filled in one walk, and grows when an index is larger than
 * the record counts suggest (here far larger: 300 and 1000). */
Test(versions, load_takes_indices_beyond_the_counts)
{
	verneed(&prog, 0, "libdef.so", 1);
	vernaux(&prog, 0, 300, 0, "VER_1", HASH_VER_1);
	vernaux(&prog, 0, 1000, 0, "VER_2", HASH_VER_2);
	static const uint16_t vs[] = {0, 1, 300, 1000, 1001};
	versym(&prog, 5, vs);
	cr_assert(eq(int, lt_versions_load(&prog.obj, NULL, 0), 0));
	cr_expect(eq(sz, prog.obj.st.nversions, 1001), "the largest index, and no more");
	struct lt_verreq req = {0};
	cr_assert(eq(int, lt_verreq_of(&prog.obj, 2, &req), 1));
	cr_expect(eq(str, (char *)req.name, "VER_1"));
	cr_assert(eq(int, lt_verreq_of(&prog.obj, 3, &req), 1));
	cr_expect(eq(str, (char *)req.name, "VER_2"));
	cr_expect(eq(int, lt_verreq_of(&prog.obj, 4, &req), 0), "past the table: no version");
	for (size_t i = 2; i < 1000; i++)
		cr_expect(eq(ptr, (void *)prog.obj.st.versions[i].name,
			     (void *)(i == 300 ? prog.obj.st.versions[300].name : NULL)),
			  "entry %zu is unnamed", i);
}

/* ----- lt_verreq_of: what a reference asks for ----- */

Test(versions, verreq_of_a_reference)
{
	verneed(&prog, 0, "libdef.so", 1);
	vernaux(&prog, 0, 2, 0, "VER_1", HASH_VER_1);
	vernaux(&prog, 0, 4, 0, "VER_2", HASH_VER_2);  /* index 3 stays unnamed */
	static const uint16_t vs[] = {0, 1, 2, 0x8000 | 4, 3};
	versym(&prog, 5, vs);
	cr_assert(eq(int, lt_versions_load(&prog.obj, NULL, 0), 0));

	struct lt_verreq req = {0};
	cr_expect(eq(int, lt_verreq_of(&prog.obj, 0, &req), 0), "local: no version");
	cr_expect(eq(int, lt_verreq_of(&prog.obj, 1, &req), 0), "global: no version");
	cr_assert(eq(int, lt_verreq_of(&prog.obj, 2, &req), 1));
	cr_expect(eq(str, (char *)req.name, "VER_1"));
	cr_expect(eq(u32, req.hash, HASH_VER_1));
	cr_expect(eq(int, req.hidden, 0));
	cr_assert(eq(int, lt_verreq_of(&prog.obj, 3, &req), 1));
	cr_expect(eq(str, (char *)req.name, "VER_2"));
	cr_expect(eq(int, req.hidden, 1), "the hidden bit of the reference is kept");
	cr_expect(eq(int, lt_verreq_of(&prog.obj, 4, &req), 0), "an index that names nothing");
}

Test(versions, verreq_of_an_unversioned_object)
{
	struct lt_verreq req = {0};
	cr_expect(eq(int, lt_verreq_of(&prog.obj, 7, &req), 0));
}

/* ----- lt_version_matches: may this definition satisfy that reference? ----- */

Test(versions, an_unversioned_object_matches_everything)
{
	cr_expect(eq(int, matches(1, "VER_1", HASH_VER_1, 0), 1));
	cr_expect(eq(int, matches(1, "VER_1", HASH_VER_1, 1), 1));
	cr_expect(eq(int, matches(1, NULL, 0, 0), 1));
}

Test(versions, versioned_reference_binds_the_named_version)
{
	cr_assert(eq(int, load_lib(), 0));
	cr_expect(eq(int, matches(SYM_FN_DEFAULT, "VER_2", HASH_VER_2, 0), 1), "fn@@VER_2");
	cr_expect(eq(int, matches(SYM_FN_OLD, "VER_1", HASH_VER_1, 0), 1),
		  "fn@VER_1: a hidden version binds when asked for by name");
	cr_expect(eq(int, matches(SYM_FN_OLD, "VER_2", HASH_VER_2, 0), 0));
	cr_expect(eq(int, matches(SYM_FN_DEFAULT, "VER_1", HASH_VER_1, 0), 0));
	cr_expect(eq(int, matches(SYM_FN_DEFAULT, "VER_3", HASH_VER_3, 0), 0));
}

Test(versions, name_and_hash_must_both_match)
{
	cr_assert(eq(int, load_lib(), 0));
	cr_expect(eq(int, matches(SYM_FN_DEFAULT, "VER_2", HASH_VER_1, 0), 0), "right name, wrong hash");
	cr_expect(eq(int, matches(SYM_FN_DEFAULT, "VER_X", HASH_VER_2, 0), 0), "right hash, wrong name");
}

/*
 * glibc: a versioned reference also binds a plain unversioned definition
 * (index 1), unless the reference is hidden.  The base version record
 * (VER_FLG_BASE, the soname, also index 1) names the file, not a version,
 * and glibc never enters it in the index for that reason.
 */
Test(versions, versioned_reference_binds_an_unversioned_definition)
{
	cr_assert(eq(int, load_lib(), 0));
	cr_expect(eq(int, matches(SYM_PLAIN, "VER_1", HASH_VER_1, 0), 1));
	cr_expect(eq(int, matches(SYM_PLAIN, "VER_1", HASH_VER_1, 1), 0), "unless the reference is hidden");
}

/* The same, in a library that only requires versions (no verdef, no base record). */
Test(versions, versioned_reference_binds_an_unversioned_definition_without_verdef)
{
	verneed(&lib, 0, "libother.so", 1);
	vernaux(&lib, 0, 2, 0, "VER_3", HASH_VER_3);
	static const uint16_t vs[] = {0, 1};
	versym(&lib, 2, vs);
	cr_assert(eq(int, lt_versions_load(&lib.obj, NULL, 0), 0));
	cr_expect(eq(int, matches(SYM_PLAIN, "VER_1", HASH_VER_1, 0), 1));
	cr_expect(eq(int, matches(SYM_PLAIN, "VER_1", HASH_VER_1, 1), 0));
}

/* The same with DT_VERSYM alone, no verdef and no verneed: indices 0 and
 * 1 exist all the same, and a symbol marked 1 (global) is a plain one. */
Test(versions, versym_alone_keeps_the_local_and_global_indices)
{
	static const uint16_t vs[] = {0, 1};
	versym(&lib, 2, vs);
	cr_assert(eq(int, lt_versions_load(&lib.obj, NULL, 0), 0));
	cr_expect(eq(sz, lib.obj.st.nversions, 2));
	lt.lookup_faulted = 0;
	cr_expect(eq(int, matches(SYM_PLAIN, NULL, 0, 0), 1));
	cr_expect(eq(int, matches(SYM_PLAIN, "VER_1", HASH_VER_1, 0), 1));
	cr_expect(eq(int, lt.lookup_faulted, 0));
}

Test(versions, unversioned_reference_never_binds_a_hidden_version)
{
	cr_assert(eq(int, load_lib(), 0));
	cr_expect(eq(int, matches(SYM_FN_OLD, NULL, 0, 0), 0), "fn@VER_1 is hidden");
	cr_expect(eq(int, matches(SYM_FN_DEFAULT, NULL, 0, 0), 1), "fn@@VER_2 is the default");
	cr_expect(eq(int, matches(SYM_PLAIN, NULL, 0, 0), 1));
}

/* An entry past every table describes nothing: the lookup that reads it
 * reports the corruption (lt.lookup_faulted) and takes no definition. */
Test(versions, an_entry_past_the_tables_faults_the_lookup)
{
	cr_assert(eq(int, load_lib(), 0));
	lib.img.versym[SYM_FN_DEFAULT] = lib.obj.st.nversions;
	lt.lookup_faulted = 0;
	cr_expect(eq(int, matches(SYM_FN_DEFAULT, "VER_2", HASH_VER_2, 0), 0));
	cr_expect(eq(int, lt.lookup_faulted, 1));
	lt.lookup_faulted = 0;
	lib.img.versym[SYM_FN_DEFAULT] = lib.obj.st.nversions - 1;
	cr_expect(eq(int, matches(SYM_FN_DEFAULT, "VER_2", HASH_VER_2, 0), 1), "the last entry is fine");
	cr_expect(eq(int, lt.lookup_faulted, 0));
}

/* ----- lt_versions_check: every required version must be defined ----- */

static void link_prog_and_lib(uint16_t flags, const char *name, uint32_t hash)
{
	cr_assert(eq(int, load_lib(), 0));
	verneed(&prog, 0, "libdef.so", 1);
	vernaux(&prog, 0, 2, 0, "VER_1", HASH_VER_1);
	vernaux(&prog, 0, 3, flags, name, hash);
	cr_assert(eq(int, lt_versions_load(&prog.obj, NULL, 0), 0));
	lt.head = &prog.obj;
	prog.obj.next = &lib.obj;
}

Test(versions, check_passes_when_every_version_is_defined)
{
	link_prog_and_lib(0, "VER_2", HASH_VER_2);
	cr_expect(eq(int, lt_versions_check(&prog.obj), 0), "%s", lt_error_text());
}

/* The program requires `name` of libdef.so, and both are loaded: prog first. */
static void prog_requires(const char *name, uint32_t hash)
{
	verneed(&prog, 0, "libdef.so", 1);
	vernaux(&prog, 0, 2, 0, name, hash);
	cr_assert(eq(int, lt_versions_load(&prog.obj, NULL, 0), 0));
	lt.head = &prog.obj;
	prog.obj.next = &lib.obj;
}

/* A definition at index 0 (vd_ndx 0, which no linker writes) is still a
 * definition: glibc reads the verdef records themselves, not the index. */
Test(versions, check_finds_a_definition_at_index_0)
{
	verdef(&lib, 0, 1, VER_FLG_BASE, "libdef.so", HASH_LIBDEF, 0);
	verdef(&lib, 1, 0, 0, "VER_1", HASH_VER_1, 0);
	verdef(&lib, 2, 3, 0, "VER_2", HASH_VER_2, 1);
	cr_assert(eq(int, lt_versions_load(&lib.obj, &lib.img.defs[0].def, 3), 0));
	prog_requires("VER_1", HASH_VER_1);
	cr_expect(eq(int, lt_versions_check(&prog.obj), 0), "%s", lt_error_text());
}

Test(versions, check_fails_for_a_missing_version)
{
	link_prog_and_lib(0, "VER_3", HASH_VER_3);
	cr_expect(eq(int, lt_versions_check(&prog.obj), -1));
	cr_expect(eq(str, (char *)lt_error_text(),
		     "/lib/libdef.so: version `VER_3' not found (required by prog)"));
}

/* The library a verneed record names is found by its soname, or by the
 * name it was asked for, when its file has another name. */
Test(versions, check_finds_the_library_by_soname_or_the_name_asked)
{
	link_prog_and_lib(0, "VER_3", HASH_VER_3);
	lib.obj.path = "/lib/libdef-1.0.so";
	lib.obj.soname = "libdef.so";
	cr_expect(eq(int, lt_versions_check(&prog.obj), -1), "found by its soname");
	lib.obj.soname = 0;
	lib.obj.request = "libdef.so";
	cr_expect(eq(int, lt_versions_check(&prog.obj), -1), "found by the name asked");
	lib.obj.request = 0;
	cr_expect(eq(int, lt_versions_check(&prog.obj), 0), "not found: not checked");
}

Test(versions, check_ignores_a_missing_weak_version)
{
	link_prog_and_lib(VER_FLG_WEAK, "VER_3", HASH_VER_3);
	cr_expect(eq(int, lt_versions_check(&prog.obj), 0));
}

Test(versions, check_ignores_libraries_without_versions_and_unloaded_ones)
{
	link_prog_and_lib(0, "VER_3", HASH_VER_3);
	free(lib.obj.st.versions);
	lib.obj.st.versions = NULL;
	lib.obj.st.nversions = 0;
	cr_expect(eq(int, lt_versions_check(&prog.obj), 0), "libdef.so defines no versions");
	prog.obj.next = NULL;
	cr_expect(eq(int, lt_versions_check(&prog.obj), 0), "libdef.so is not loaded");
}

/* Its own requirements (DT_VERNEED) are not definitions: a library with
 * only those defines no versions, and nothing is required of it. */
Test(versions, check_ignores_a_library_that_only_requires_versions)
{
	verneed(&lib, 0, "libother.so", 1);
	vernaux(&lib, 0, 2, 0, "VER_1", HASH_VER_1);
	cr_assert(eq(int, lt_versions_load(&lib.obj, NULL, 0), 0));
	prog_requires("VER_3", HASH_VER_3);
	cr_expect(eq(int, lt_versions_check(&prog.obj), 0), "%s", lt_error_text());
}
