/*
 * PT_DYNAMIC: read every tag the loader uses and check that each table it
 * points at lies inside one of the object's segments, a readable one, with
 * every index inside its table, before anything else looks at them.
 */
#include <linux/mman.h>
#include "rtld.h"
#include "alloc.h"
#include "str.h"
#include "symbols.h"

/* The tags we keep, copied out of the dynamic array by value. */
struct dyn_values {
	uint64_t v[DT_NUM];          /* standard tags below DT_NUM */
	uint64_t present;            /* bit per standard tag */
	uint64_t gnu_hash, versym, verdef, verdefnum, verneed, verneednum, flags_1, relacount;
	size_t nneeded;
	int has_gnu_hash, has_versym, has_verdef, has_verneed;
};

static int has(const struct dyn_values *d, int tag) { return (d->present >> tag) & 1; }

static int bad(const struct lt_object *obj, const char *what)
{
	lt_error("%s: corrupt dynamic section: %s", obj->path, what);
	return -1;
}

/* `what` lies in segment `seg`, which does not allow what the loader does with it. */
static int segment_lacks(const struct lt_object *obj, const struct lt_segment *seg,
			 const char *what, const char *property)
{
	lt_error("%s: corrupt dynamic section: the PT_LOAD at %#lx, which holds %s, is not %s",
		 obj->path, (unsigned long)(seg->start - obj->base), what, property);
	return -1;
}

/*
 * A table the loader reads: [addr, addr + len) inside one of the object's
 * segments, which must be readable, and aligned as what it holds must be
 * (`align`).  Else the error says which, naming `what`.
 */
static int table_at(const struct lt_object *obj, uintptr_t addr, uint64_t len, size_t align,
		    const char *what)
{
	const struct lt_segment *seg = lt_object_segment(obj, addr, len);
	if (!seg) {
		lt_error("%s: corrupt dynamic section: %s lies outside the object", obj->path, what);
		return -1;
	}
	if (!(seg->prot & PROT_READ))
		return segment_lacks(obj, seg, what, "readable");
	if (addr % align) {
		lt_error("%s: corrupt dynamic section: %s is misaligned (at %#lx)", obj->path, what,
			 (unsigned long)(addr - obj->base));
		return -1;
	}
	return 0;
}

/* n entries of `size` bytes, aligned as their largest member: the lowest bit of size, up to 8.
 * (n comes from 32-bit fields, or a segment bounds it: n * size cannot overflow.) */
static int array_at(const struct lt_object *obj, uintptr_t addr, uint64_t n, size_t size,
		    const char *what)
{
	size_t align = size & -size;
	return table_at(obj, addr, n * size, align < 8 ? align : 8, what);
}

static int collect(struct lt_object *obj, struct dyn_values *d)
{
	const struct lt_segment *seg = lt_object_segment(obj, (uintptr_t)obj->dynamic,
							 sizeof(Elf64_Dyn));
	if (!seg)
		return bad(obj, "PT_DYNAMIC is not mapped");
	size_t max = (seg->end - (uintptr_t)obj->dynamic) / sizeof(Elf64_Dyn);
	size_t i;
	for (i = 0; i < max && obj->dynamic[i].d_tag != DT_NULL; i++) {
		const Elf64_Dyn *e = &obj->dynamic[i];
		uint64_t val = e->d_un.d_val;
		if ((uint64_t)e->d_tag < DT_NUM) {  /* (a negative tag is past it too) */
			if (e->d_tag != DT_NEEDED)
				d->v[e->d_tag] = val;
			else
				d->nneeded++;
			d->present |= 1UL << e->d_tag;
			if (e->d_tag == DT_DEBUG)
				obj->debug_slot = (Elf64_Dyn *)e;
			continue;
		}
		switch (e->d_tag) {
		case DT_GNU_HASH: d->gnu_hash = val; d->has_gnu_hash = 1; break;
		case DT_VERSYM: d->versym = val; d->has_versym = 1; break;
		case DT_VERDEF: d->verdef = val; d->has_verdef = 1; break;
		case DT_VERDEFNUM: d->verdefnum = val; break;
		case DT_VERNEED: d->verneed = val; d->has_verneed = 1; break;
		case DT_VERNEEDNUM: d->verneednum = val; break;
		case DT_FLAGS_1: d->flags_1 = val; break;
		case DT_RELACOUNT: d->relacount = val; break;
		}
	}
	if (i == max)
		return bad(obj, "no DT_NULL terminator");
	/* The program's DT_DEBUG entry is written, for debuggers (debugger.c). */
	if (obj->debug_slot && obj->kind == LT_MAIN && !(seg->prot & PROT_WRITE))
		return segment_lacks(obj, seg, "DT_DEBUG", "writable");
	return 0;
}

static int check_strtab(struct lt_object *obj, const struct dyn_values *d)
{
	if (!has(d, DT_STRTAB))
		return 0;
	uintptr_t at = obj->base + d->v[DT_STRTAB];
	uint64_t size = d->v[DT_STRSZ];
	if (!size)
		return bad(obj, "string table is empty");
	if (table_at(obj, at, size, 1, "the string table") < 0)
		return -1;
	obj->st.strtab = (const char *)at;
	obj->st.strsz = size;
	if (obj->st.strtab[size - 1])
		return bad(obj, "string table is not terminated");
	const struct lt_segment *seg = lt_object_segment(obj, at, size);  /* readable (table_at) */
	obj->st.names_in_words = at + size + 8 <= page_up(seg->end);
	return 0;
}

const char *lt_object_string(const struct lt_object *obj, uint64_t off)
{
	return obj->st.strtab && off < obj->st.strsz ? obj->st.strtab + off : 0;
}

int lt_object_needs(const struct lt_object *obj, const char *lib)
{
	for (size_t i = 0; i < obj->nneeded_names; i++)
		if (!strcmp(obj->needed_names[i], lib))
			return 1;
	return 0;
}

/* A string-table offset from the file, checked. */
static int string_at(const struct lt_object *obj, uint64_t off, const char **out)
{
	if (!(*out = lt_object_string(obj, off)))
		return bad(obj, "string offset out of range");
	return 0;
}

static int check_sysv_hash(struct lt_object *obj, uintptr_t at)
{
	if (table_at(obj, at, 8, 4, "DT_HASH") < 0)
		return -1;
	const uint32_t *h = (const uint32_t *)at;
	uint32_t nbucket = h[0], nchain = h[1];
	if (!nbucket)
		return bad(obj, "DT_HASH has no buckets");
	if (array_at(obj, at + 8, (uint64_t)nbucket + nchain, 4, "the DT_HASH table") < 0)
		return -1;
	const uint32_t *buckets = h + 2, *chain = buckets + nbucket;
	/* Bucket and chain entries are checked against nchain as lookups read them. */
	obj->st.sysv_nbucket = nbucket;
	obj->st.sysv_buckets = buckets;
	obj->st.sysv_chain = chain;
	obj->st.nsyms = nchain;
	return 0;
}

/*
 * DT_GNU_HASH does not record the number of symbols: the last chain, the
 * one of the highest bucket, ends at the last hashed symbol.  Walk it,
 * bounded by the segment, to find the count.
 */
static int count_gnu_hashed(struct lt_object *obj, size_t *count)
{
	const struct lt_symtab *st = &obj->st;
	uint32_t top = 0;
	for (uint32_t i = 0; i < st->gnu_nbuckets; i++)
		if (st->gnu_buckets[i] > top)
			top = st->gnu_buckets[i];
	*count = st->gnu_symoffset;
	if (!top)
		return 0;
	if (top < st->gnu_symoffset)
		return bad(obj, "DT_GNU_HASH bucket out of range");
	for (uint32_t i = top;; i++) {
		if (table_at(obj, (uintptr_t)&st->gnu_chain[i], 4, 4, "a DT_GNU_HASH chain") < 0)
			return -1;
		if (st->gnu_chain[i] & 1) {
			*count = (size_t)i + 1;
			return 0;
		}
	}
}

static int check_gnu_hash(struct lt_object *obj, uintptr_t at)
{
	if (table_at(obj, at, 16, 8, "DT_GNU_HASH") < 0)
		return -1;
	const uint32_t *h = (const uint32_t *)at;
	uint32_t nbuckets = h[0], symoffset = h[1], bloom_size = h[2], shift = h[3];
	if (!nbuckets || !bloom_size || (bloom_size & (bloom_size - 1)) || shift >= 64)
		return bad(obj, "DT_GNU_HASH header is invalid");
	uintptr_t bloom = at + 16, buckets = bloom + (uint64_t)bloom_size * 8;
	if (array_at(obj, bloom, bloom_size, 8, "the DT_GNU_HASH table") < 0 ||
	    array_at(obj, buckets, nbuckets, 4, "the DT_GNU_HASH table") < 0)
		return -1;
	const uint32_t *b = (const uint32_t *)buckets;
	obj->st.gnu_nbuckets = nbuckets;
	obj->st.gnu_symoffset = symoffset;
	obj->st.gnu_bloom_size = bloom_size;
	obj->st.gnu_bloom_shift = shift;
	obj->st.gnu_bloom = (const uint64_t *)bloom;
	obj->st.gnu_buckets = b;
	obj->st.gnu_chain = b + nbuckets - symoffset;  /* indexed by symbol number */
	return 0;
}

/*
 * How many symbols DT_SYMTAB holds.  No tag says.  DT_HASH's chain count is
 * exact; failing that, the linker's fixed layout puts .dynstr right after
 * .dynsym; failing that, DT_GNU_HASH's last chain ends at the last exported
 * symbol.  Lookups never read past the count, and the GNU hash chains they
 * follow must lie inside the object up to it.
 */
static int count_symbols(struct lt_object *obj, uintptr_t symtab, int have_sysv)
{
	uintptr_t strtab = (uintptr_t)obj->st.strtab;
	size_t n = 0;
	if (have_sysv)
		return 0;  /* check_sysv_hash set it */
	if (strtab > symtab && lt_object_segment(obj, symtab, strtab - symtab))
		n = (strtab - symtab) / sizeof(Elf64_Sym);
	else if (obj->st.gnu_buckets && count_gnu_hashed(obj, &n) < 0)
		return -1;
	obj->st.nsyms = n;
	return 0;
}

static int check_symtab(struct lt_object *obj, const struct dyn_values *d)
{
	if (has(d, DT_SYMENT) && d->v[DT_SYMENT] != sizeof(Elf64_Sym))
		return bad(obj, "DT_SYMENT is not the size of Elf64_Sym");
	if ((d->has_gnu_hash && check_gnu_hash(obj, obj->base + d->gnu_hash) < 0) ||
	    (has(d, DT_HASH) && check_sysv_hash(obj, obj->base + d->v[DT_HASH]) < 0))
		return -1;
	if (!has(d, DT_SYMTAB)) {
		if (obj->st.gnu_buckets || obj->st.sysv_buckets)
			return bad(obj, "hash table without symbol table");
		return 0;
	}
	if (!obj->st.strtab)
		return bad(obj, "symbol table without string table");
	uintptr_t at = obj->base + d->v[DT_SYMTAB];
	if (count_symbols(obj, at, has(d, DT_HASH)) < 0)
		return -1;
	if (array_at(obj, at, obj->st.nsyms, sizeof(Elf64_Sym), "the symbol table") < 0)
		return -1;
	if (obj->st.gnu_buckets && obj->st.nsyms > obj->st.gnu_symoffset &&
	    array_at(obj, (uintptr_t)&obj->st.gnu_chain[obj->st.gnu_symoffset],
		     obj->st.nsyms - obj->st.gnu_symoffset, 4, "a DT_GNU_HASH chain") < 0)
		return -1;
	obj->st.syms = (const Elf64_Sym *)at;
	return 0;  /* each symbol's name offset is checked when the symbol is read */
}

static int check_rela(struct lt_object *obj, uint64_t addr, uint64_t size,
		      const Elf64_Rela **out, size_t *count)
{
	if (size % sizeof(Elf64_Rela))
		return bad(obj, "relocation table size is not a whole number of entries");
	if (table_at(obj, obj->base + addr, size, 8, "a relocation table") < 0)
		return -1;
	*out = (const Elf64_Rela *)(obj->base + addr);
	*count = size / sizeof(Elf64_Rela);
	return 0;
}

/* A table's address and size come as a pair of tags: one alone is corrupt. */
static int paired(const struct lt_object *obj, const struct dyn_values *d, int tag, int sztag,
		  const char *what)
{
	if (has(d, tag) == has(d, sztag))
		return 0;
	lt_error("%s: corrupt dynamic section: %s without %s", obj->path,
		 what, has(d, tag) ? "its size" : "its address");
	return -1;
}

static int check_pairs(const struct lt_object *obj, const struct dyn_values *d)
{
	return paired(obj, d, DT_RELA, DT_RELASZ, "DT_RELA") < 0 ||
	       paired(obj, d, DT_JMPREL, DT_PLTRELSZ, "DT_JMPREL") < 0 ||
	       paired(obj, d, DT_RELR, DT_RELRSZ, "DT_RELR") < 0 ||
	       paired(obj, d, DT_INIT_ARRAY, DT_INIT_ARRAYSZ, "DT_INIT_ARRAY") < 0 ||
	       paired(obj, d, DT_FINI_ARRAY, DT_FINI_ARRAYSZ, "DT_FINI_ARRAY") < 0 ||
	       paired(obj, d, DT_PREINIT_ARRAY, DT_PREINIT_ARRAYSZ, "DT_PREINIT_ARRAY") < 0 ||
	       paired(obj, d, DT_STRTAB, DT_STRSZ, "DT_STRTAB") < 0 ? -1 : 0;
}

static int check_relocs(struct lt_object *obj, const struct dyn_values *d)
{
	if (has(d, DT_REL) || has(d, DT_RELSZ))
		return bad(obj, "DT_REL relocations are not used on x86_64");
	if (has(d, DT_RELA)) {
		if (has(d, DT_RELAENT) && d->v[DT_RELAENT] != sizeof(Elf64_Rela))
			return bad(obj, "DT_RELAENT is not the size of Elf64_Rela");
		if (check_rela(obj, d->v[DT_RELA], d->v[DT_RELASZ], &obj->rela, &obj->nrela) < 0)
			return -1;
		obj->relacount = d->relacount <= obj->nrela ? d->relacount : 0;
	}
	if (has(d, DT_JMPREL)) {
		if (has(d, DT_PLTREL) && d->v[DT_PLTREL] != DT_RELA)
			return bad(obj, "DT_PLTREL is not DT_RELA");
		if (check_rela(obj, d->v[DT_JMPREL], d->v[DT_PLTRELSZ], &obj->jmprel,
			       &obj->njmprel) < 0)
			return -1;
	}
	if (has(d, DT_RELR)) {
		uint64_t size = d->v[DT_RELRSZ];
		if ((has(d, DT_RELRENT) && d->v[DT_RELRENT] != 8) || size % 8)
			return bad(obj, "DT_RELR entries are not 8 bytes");
		if (table_at(obj, obj->base + d->v[DT_RELR], size, 8, "the DT_RELR table") < 0)
			return -1;
		obj->relr = (const uint64_t *)(obj->base + d->v[DT_RELR]);
		obj->nrelr = size / 8;
	}
	return 0;
}

static int check_array(struct lt_object *obj, const struct dyn_values *d, int tag, int sztag,
		       const uintptr_t **out, size_t *count)
{
	if (!has(d, tag))
		return 0;
	uint64_t size = d->v[sztag];
	if (size % 8)
		return bad(obj, "initializer or finalizer array size is not a whole number of entries");
	if (table_at(obj, obj->base + d->v[tag], size, 8, "an initializer or finalizer array") < 0)
		return -1;
	*out = (const uintptr_t *)(obj->base + d->v[tag]);
	*count = size / 8;
	return 0;
}

static int check_init_fini(struct lt_object *obj, const struct dyn_values *d)
{
	if (has(d, DT_INIT))
		obj->init = obj->base + d->v[DT_INIT];
	if (has(d, DT_FINI))
		obj->fini = obj->base + d->v[DT_FINI];
	if (check_array(obj, d, DT_INIT_ARRAY, DT_INIT_ARRAYSZ, &obj->init_array,
			&obj->ninit_array) < 0 ||
	    check_array(obj, d, DT_FINI_ARRAY, DT_FINI_ARRAYSZ, &obj->fini_array,
			&obj->nfini_array) < 0)
		return -1;
	return check_array(obj, d, DT_PREINIT_ARRAY, DT_PREINIT_ARRAYSZ, &obj->preinit_array,
			   &obj->npreinit_array);
}

static int check_versions(struct lt_object *obj, const struct dyn_values *d)
{
	const Elf64_Verdef *verdef = 0;
	if ((d->verneednum && table_at(obj, obj->base + d->verneed, sizeof(Elf64_Verneed), 4,
				       "DT_VERNEED") < 0) ||
	    (d->verdefnum && table_at(obj, obj->base + d->verdef, sizeof(Elf64_Verdef), 4,
				      "DT_VERDEF") < 0))
		return -1;
	if (d->has_verneed) {
		obj->verneed = (const Elf64_Verneed *)(obj->base + d->verneed);
		obj->nverneed = d->verneednum;
	}
	if (d->has_verdef)
		verdef = (const Elf64_Verdef *)(obj->base + d->verdef);
	if (d->has_versym && obj->st.nsyms) {
		uintptr_t at = obj->base + d->versym;
		if (array_at(obj, at, obj->st.nsyms, 2, "DT_VERSYM") < 0)
			return -1;
		obj->st.versym = (const uint16_t *)at;
	}
	/* (Each DT_VERSYM entry is checked against the tables where a lookup reads it.) */
	return lt_versions_load(obj, verdef, d->verdefnum);
}

static int collect_needed(struct lt_object *obj, size_t n)
{
	if (!n)
		return 0;
	obj->needed_names = lt_alloc(n * sizeof *obj->needed_names);
	if (!obj->needed_names)
		return bad(obj, "out of memory");
	for (const Elf64_Dyn *e = obj->dynamic; e->d_tag != DT_NULL; e++)
		if (e->d_tag == DT_NEEDED &&
		    string_at(obj, e->d_un.d_val, &obj->needed_names[obj->nneeded_names++]) < 0)
			return -1;
	return 0;
}

static void read_flags(struct lt_object *obj, const struct dyn_values *d)
{
	obj->flags = d->v[DT_FLAGS];
	obj->flags_1 = d->flags_1;
	obj->symbolic = has(d, DT_SYMBOLIC) || (obj->flags & DF_SYMBOLIC);
	obj->textrel = has(d, DT_TEXTREL) || (obj->flags & DF_TEXTREL);
	obj->bind_now = has(d, DT_BIND_NOW) || (obj->flags & DF_BIND_NOW) ||
			(obj->flags_1 & DF_1_NOW);
	/* -z nodelete: kept once loaded, like RTLD_NODELETE (a failed dlopen still takes it away) */
	obj->nodelete = (obj->flags_1 & DF_1_NODELETE) != 0;
}

int lt_dynamic_parse(struct lt_object *obj)
{
	struct dyn_values d = {0};
	if (!obj->dynamic)
		return 0;
	if (collect(obj, &d) < 0 || check_pairs(obj, &d) < 0 || check_strtab(obj, &d) < 0 ||
	    check_symtab(obj, &d) < 0 ||
	    check_relocs(obj, &d) < 0 || check_init_fini(obj, &d) < 0 ||
	    check_versions(obj, &d) < 0 || collect_needed(obj, d.nneeded) < 0)
		return -1;
	if ((has(&d, DT_SONAME) && string_at(obj, d.v[DT_SONAME], &obj->soname) < 0) ||
	    (has(&d, DT_RPATH) && string_at(obj, d.v[DT_RPATH], &obj->rpath) < 0) ||
	    (has(&d, DT_RUNPATH) && string_at(obj, d.v[DT_RUNPATH], &obj->runpath) < 0))
		return -1;
	if (obj->runpath)
		obj->rpath = 0;  /* DT_RUNPATH overrides DT_RPATH in the same object */
	if (has(&d, DT_PLTGOT)) {
		/* Lazy binding writes GOT[1] and GOT[2] (before RELRO, which may cover them). */
		uintptr_t at = obj->base + d.v[DT_PLTGOT];
		const struct lt_segment *got = lt_object_segment(obj, at, 3 * sizeof(uintptr_t));
		if (!got || !(got->prot & PROT_WRITE))
			return bad(obj, "DT_PLTGOT lies outside the writable segments");
		if (at % 8)
			return bad(obj, "DT_PLTGOT is misaligned");
		obj->pltgot = (uintptr_t *)at;
	}
	read_flags(obj, &d);
	return 0;
}
