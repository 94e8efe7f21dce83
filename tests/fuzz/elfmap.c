/*
 * The field map of a seed: every field a loader reads, by file offset and
 * with a name.  libelf finds the sections of the (valid) seed; the map
 * then lists the fields of each structure in its native x86_64 layout.
 * The mutator picks fields from it, and the minimiser names with it the
 * bytes a crash still needs.
 */
#include <gelf.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

__attribute__((noreturn)) static void die(const char *path, const char *what)
{
	fprintf(stderr, "elffuzz: %s: %s: %s\n", path, what, elf_errmsg(-1));
	exit(2);
}

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? 2 * *cap : 256;
	p = realloc(p, *cap * size);
	if (!p) {
		fprintf(stderr, "elffuzz: out of memory\n");
		exit(2);
	}
	return p;
}

__attribute__((format(printf, 5, 6))) static void add(struct elfmap *m, uint64_t off,
						     unsigned size, enum field_kind kind,
						     const char *fmt, ...)
{
	m->fields = grow(m->fields, &m->cap, m->nfields, sizeof *m->fields);
	struct field *f = &m->fields[m->nfields++];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->name, sizeof f->name, fmt, ap);
	va_end(ap);
	f->off = (uint32_t)off;
	f->size = (uint8_t)size;
	f->kind = (uint8_t)kind;
}

static void note_value(struct elfmap *m, uint64_t v)
{
	m->values = grow(m->values, &m->values_cap, m->nvalues, sizeof *m->values);
	m->values[m->nvalues++] = v;
}

/* The fields of one structure: a table of (member, offset, size). */
struct member {
	const char *name;
	unsigned off, size;
};
#define M(type, member) {#member, offsetof(type, member), sizeof(((type *)0)->member)}

static void add_struct(struct elfmap *m, uint64_t at, const struct member *mem, size_t n,
		       enum field_kind kind, const char *prefix)
{
	for (size_t i = 0; i < n; i++)
		add(m, at + mem[i].off, mem[i].size, kind, "%s.%s", prefix, mem[i].name);
}

static const struct member ehdr_members[] = {
	{"e_ident[EI_CLASS]", EI_CLASS, 1}, {"e_ident[EI_DATA]", EI_DATA, 1},
	{"e_ident[EI_VERSION]", EI_VERSION, 1}, {"e_ident[EI_OSABI]", EI_OSABI, 1},
	M(Elf64_Ehdr, e_type), M(Elf64_Ehdr, e_machine), M(Elf64_Ehdr, e_version),
	M(Elf64_Ehdr, e_entry), M(Elf64_Ehdr, e_phoff), M(Elf64_Ehdr, e_flags),
	M(Elf64_Ehdr, e_phentsize), M(Elf64_Ehdr, e_phnum),
};
static const struct member phdr_members[] = {
	M(Elf64_Phdr, p_type), M(Elf64_Phdr, p_flags), M(Elf64_Phdr, p_offset),
	M(Elf64_Phdr, p_vaddr), M(Elf64_Phdr, p_filesz), M(Elf64_Phdr, p_memsz),
	M(Elf64_Phdr, p_align),
};
static const struct member sym_members[] = {
	M(Elf64_Sym, st_name), M(Elf64_Sym, st_info), M(Elf64_Sym, st_other),
	M(Elf64_Sym, st_shndx), M(Elf64_Sym, st_value), M(Elf64_Sym, st_size),
};
static const struct member rela_members[] = {
	M(Elf64_Rela, r_offset), {"r_info.type", 8, 4}, {"r_info.sym", 12, 4},
	M(Elf64_Rela, r_addend),
};
static const struct member verdef_members[] = {
	M(Elf64_Verdef, vd_version), M(Elf64_Verdef, vd_flags), M(Elf64_Verdef, vd_ndx),
	M(Elf64_Verdef, vd_cnt), M(Elf64_Verdef, vd_hash), M(Elf64_Verdef, vd_aux),
	M(Elf64_Verdef, vd_next),
};
static const struct member verdaux_members[] = {
	M(Elf64_Verdaux, vda_name), M(Elf64_Verdaux, vda_next),
};
static const struct member verneed_members[] = {
	M(Elf64_Verneed, vn_version), M(Elf64_Verneed, vn_cnt), M(Elf64_Verneed, vn_file),
	M(Elf64_Verneed, vn_aux), M(Elf64_Verneed, vn_next),
};
static const struct member vernaux_members[] = {
	M(Elf64_Vernaux, vna_hash), M(Elf64_Vernaux, vna_flags), M(Elf64_Vernaux, vna_other),
	M(Elf64_Vernaux, vna_name), M(Elf64_Vernaux, vna_next),
};
#define N(a) (sizeof a / sizeof *a)

static const char *phdr_type(uint32_t t)
{
	switch (t) {
	case PT_LOAD: return "PT_LOAD";
	case PT_DYNAMIC: return "PT_DYNAMIC";
	case PT_INTERP: return "PT_INTERP";
	case PT_PHDR: return "PT_PHDR";
	case PT_TLS: return "PT_TLS";
	case PT_GNU_RELRO: return "PT_GNU_RELRO";
	case PT_GNU_STACK: return "PT_GNU_STACK";
	case PT_GNU_EH_FRAME: return "PT_GNU_EH_FRAME";
	case PT_NOTE: return "PT_NOTE";
	case PT_GNU_PROPERTY: return "PT_GNU_PROPERTY";
	default: return "other";
	}
}

static const char *dyn_tag(int64_t t)
{
	static const char *const std[] = {
		"DT_NULL", "DT_NEEDED", "DT_PLTRELSZ", "DT_PLTGOT", "DT_HASH", "DT_STRTAB",
		"DT_SYMTAB", "DT_RELA", "DT_RELASZ", "DT_RELAENT", "DT_STRSZ", "DT_SYMENT",
		"DT_INIT", "DT_FINI", "DT_SONAME", "DT_RPATH", "DT_SYMBOLIC", "DT_REL",
		"DT_RELSZ", "DT_RELENT", "DT_PLTREL", "DT_DEBUG", "DT_TEXTREL", "DT_JMPREL",
		"DT_BIND_NOW", "DT_INIT_ARRAY", "DT_FINI_ARRAY", "DT_INIT_ARRAYSZ",
		"DT_FINI_ARRAYSZ", "DT_RUNPATH", "DT_FLAGS", "DT_ENCODING", "DT_PREINIT_ARRAY",
		"DT_PREINIT_ARRAYSZ", "DT_SYMTAB_SHNDX", "DT_RELRSZ", "DT_RELR", "DT_RELRENT"};
	if (t >= 0 && (size_t)t < N(std))
		return std[t];
	switch (t) {
	case DT_GNU_HASH: return "DT_GNU_HASH";
	case DT_VERSYM: return "DT_VERSYM";
	case DT_VERDEF: return "DT_VERDEF";
	case DT_VERDEFNUM: return "DT_VERDEFNUM";
	case DT_VERNEED: return "DT_VERNEED";
	case DT_VERNEEDNUM: return "DT_VERNEEDNUM";
	case DT_FLAGS_1: return "DT_FLAGS_1";
	case DT_RELACOUNT: return "DT_RELACOUNT";
	default: return "other";
	}
}

static void map_headers(struct elfmap *m, Elf *elf, const GElf_Ehdr *eh)
{
	add_struct(m, 0, ehdr_members, N(ehdr_members), F_EHDR, "ehdr");
	size_t phnum = 0;
	elf_getphdrnum(elf, &phnum);
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, i, &ph))
			continue;
		char prefix[40];
		snprintf(prefix, sizeof prefix, "phdr[%zu]", i);
		for (size_t k = 0; k < N(phdr_members); k++)
			add(m, eh->e_phoff + i * sizeof(Elf64_Phdr) + phdr_members[k].off,
			    phdr_members[k].size, F_PHDR, "%s.%s (%s)", prefix, phdr_members[k].name,
			    phdr_type(ph.p_type));
		note_value(m, ph.p_offset), note_value(m, ph.p_vaddr);
		note_value(m, ph.p_filesz), note_value(m, ph.p_memsz);
		note_value(m, ph.p_vaddr + ph.p_memsz), note_value(m, ph.p_offset + ph.p_filesz);
	}
}

static const char *symbol_name(Elf *elf, const GElf_Shdr *dynsym, const uint8_t *buf, size_t i)
{
	const Elf64_Sym *s = (const Elf64_Sym *)(buf + dynsym->sh_offset) + i;
	const char *name = elf_strptr(elf, dynsym->sh_link, s->st_name);
	return name && *name ? name : "-";
}

static void map_section(struct elfmap *m, Elf *elf, const uint8_t *buf, const GElf_Shdr *sh,
			const char *name, const GElf_Shdr *dynsym)
{
	uint64_t at = sh->sh_offset, n;
	char prefix[80];
	switch (sh->sh_type) {
	case SHT_DYNAMIC:
		for (n = 0; n < sh->sh_size / sizeof(Elf64_Dyn); n++) {
			const Elf64_Dyn *d = (const Elf64_Dyn *)(buf + at) + n;
			const char *tag = dyn_tag(d->d_tag);
			add(m, at + n * 16, 8, F_DYN, "dyn[%lu].d_tag (%s)", (unsigned long)n, tag);
			add(m, at + n * 16 + 8, 8, F_DYN, "dyn[%lu].d_val (%s)", (unsigned long)n, tag);
			note_value(m, d->d_un.d_val);
		}
		break;
	case SHT_DYNSYM:
		for (n = 0; n < sh->sh_size / sizeof(Elf64_Sym); n++) {
			snprintf(prefix, sizeof prefix, "dynsym[%lu] (%.40s)", (unsigned long)n,
				 symbol_name(elf, sh, buf, n));
			add_struct(m, at + n * sizeof(Elf64_Sym), sym_members, N(sym_members), F_SYM,
				   prefix);
		}
		break;
	case SHT_RELA:
		for (n = 0; n < sh->sh_size / sizeof(Elf64_Rela); n++) {
			snprintf(prefix, sizeof prefix, "%s[%lu]", name, (unsigned long)n);
			add_struct(m, at + n * sizeof(Elf64_Rela), rela_members, N(rela_members),
				   F_RELOC, prefix);
		}
		break;
	case SHT_RELR:
	case SHT_INIT_ARRAY:
	case SHT_FINI_ARRAY:
	case SHT_PREINIT_ARRAY:
		for (n = 0; n < sh->sh_size / 8; n++)
			add(m, at + n * 8, 8, sh->sh_type == SHT_RELR ? F_RELOC : F_ARRAY, "%s[%lu]",
			    name, (unsigned long)n);
		break;
	case SHT_GNU_HASH:
	case SHT_HASH:
		for (n = 0; n < sh->sh_size / 4; n++)
			add(m, at + n * 4, 4, F_HASH, "%s word %lu", name, (unsigned long)n);
		break;
	case SHT_GNU_versym:
		for (n = 0; n < sh->sh_size / 2; n++)
			add(m, at + n * 2, 2, F_VERSION, "versym[%lu] (%.40s)", (unsigned long)n,
			    dynsym ? symbol_name(elf, dynsym, buf, n) : "-");
		break;
	case SHT_GNU_verdef:
		for (uint64_t p = at, next = 1; next && p + sizeof(Elf64_Verdef) <= at + sh->sh_size;
		     p += next) {
			const Elf64_Verdef *vd = (const Elf64_Verdef *)(buf + p);
			snprintf(prefix, sizeof prefix, "verdef@%#lx", (unsigned long)(p - at));
			add_struct(m, p, verdef_members, N(verdef_members), F_VERSION, prefix);
			if (vd->vd_aux)
				add_struct(m, p + vd->vd_aux, verdaux_members, N(verdaux_members),
					   F_VERSION, prefix);
			next = vd->vd_next;
		}
		break;
	case SHT_GNU_verneed:
		for (uint64_t p = at, next = 1; next && p + sizeof(Elf64_Verneed) <= at + sh->sh_size;
		     p += next) {
			const Elf64_Verneed *vn = (const Elf64_Verneed *)(buf + p);
			snprintf(prefix, sizeof prefix, "verneed@%#lx", (unsigned long)(p - at));
			add_struct(m, p, verneed_members, N(verneed_members), F_VERSION, prefix);
			uint64_t a = p + vn->vn_aux;
			for (unsigned k = 0; k < vn->vn_cnt && a + sizeof(Elf64_Vernaux) <= at + sh->sh_size;
			     k++) {
				add_struct(m, a, vernaux_members, N(vernaux_members), F_VERSION, prefix);
				a += ((const Elf64_Vernaux *)(buf + a))->vna_next;
			}
			next = vn->vn_next;
		}
		break;
	case SHT_STRTAB:
	case SHT_PROGBITS:  /* .interp */
		for (n = 0; n < sh->sh_size; n += 8)
			add(m, at + n, sh->sh_size - n < 8 ? sh->sh_size - n : 8, F_STRING,
			    "%s+%#lx", name, (unsigned long)n);
		break;
	}
}

/* The sections a loader reads (through the dynamic section), and .interp. */
static int wanted(const char *name, const GElf_Shdr *sh)
{
	if (!(sh->sh_flags & SHF_ALLOC))
		return 0;
	if (sh->sh_type == SHT_PROGBITS)
		return !strcmp(name, ".interp");
	if (sh->sh_type == SHT_STRTAB)
		return !strcmp(name, ".dynstr");
	return 1;
}

void elfmap_build(struct elfmap *m, const char *path, const uint8_t *buf, size_t size)
{
	*m = (struct elfmap){0};
	Elf *elf;
	GElf_Ehdr eh;
	size_t shstrndx;
	if (elf_version(EV_CURRENT) == EV_NONE || !(elf = elf_memory((char *)buf, size)) ||
	    !gelf_getehdr(elf, &eh) || elf_getshdrstrndx(elf, &shstrndx) < 0)
		die(path, "not an ELF file libelf can read");
	map_headers(m, elf, &eh);
	GElf_Shdr dynsym, *have_dynsym = 0, sh;
	for (Elf_Scn *s = 0; (s = elf_nextscn(elf, s));)
		if (gelf_getshdr(s, &sh) && sh.sh_type == SHT_DYNSYM)
			dynsym = sh, have_dynsym = &dynsym;
	for (Elf_Scn *s = 0; (s = elf_nextscn(elf, s));) {
		const char *name;
		if (!gelf_getshdr(s, &sh) || sh.sh_type == SHT_NOBITS ||
		    sh.sh_offset + sh.sh_size > size || !(name = elf_strptr(elf, shstrndx, sh.sh_name)))
			continue;
		if (wanted(name, &sh))
			map_section(m, elf, buf, &sh, name, have_dynsym);
	}
	note_value(m, size);
	elf_end(elf);
}

const struct field *elfmap_field_at(const struct elfmap *m, uint64_t off)
{
	for (size_t i = 0; i < m->nfields; i++)
		if (off >= m->fields[i].off && off < (uint64_t)m->fields[i].off + m->fields[i].size)
			return &m->fields[i];
	return 0;
}

void elfmap_free(struct elfmap *m)
{
	free(m->fields);
	free(m->values);
}
