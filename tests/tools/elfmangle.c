/*
 * elfmangle: make a malformed (or valid but unusual) ELF file from a valid
 * one, for the tests of what ld-teach accepts and refuses.
 *
 *   elfmangle MUTATION IN OUT [ARG]
 *   elfmangle --list          every mutation: name, kind, what it does
 *
 * libelf reads the pristine input and says where everything is (headers,
 * dynamic entries, symbols, relocations, hash tables); the mutation then
 * patches the bytes of a copy, which is written out as is.  Writing
 * through libelf instead would re-lay the file out, and libelf refuses to
 * write the broken headers these tests need.  The host and the files are
 * both x86_64, so the structures are patched in their native layout.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE 4096UL

struct image {
	const char *path;
	unsigned char *orig;   /* the input, which libelf parses */
	unsigned char *bytes;  /* the output: a copy with the mutation applied */
	size_t size;           /* of both */
	size_t out_size;       /* how much of `bytes` to write (less when truncating) */
	mode_t mode;
	Elf *elf;
	GElf_Ehdr eh;
	size_t phnum;
};

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("elfmangle: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static uint64_t page_up(uint64_t x) { return (x + PAGE - 1) & ~(PAGE - 1); }

/* ----- reading and writing ----- */

static void read_input(struct image *im, const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		die("%s: %s", path, strerror(errno));
	im->path = path;
	im->size = im->out_size = st.st_size;
	im->mode = st.st_mode & 0777;
	im->orig = malloc(im->size);
	im->bytes = malloc(im->size);
	if (!im->orig || !im->bytes)
		die("%s: out of memory", path);
	if (read(fd, im->orig, im->size) != (ssize_t)im->size)
		die("%s: short read", path);
	close(fd);
	memcpy(im->bytes, im->orig, im->size);
	if (elf_version(EV_CURRENT) == EV_NONE ||
	    !(im->elf = elf_memory((char *)im->orig, im->size)) || !gelf_getehdr(im->elf, &im->eh) ||
	    elf_getphdrnum(im->elf, &im->phnum) < 0)
		die("%s: not an ELF file libelf can read: %s", path, elf_errmsg(-1));
	if (gelf_getclass(im->elf) != ELFCLASS64 || im->eh.e_machine != EM_X86_64)
		die("%s: not an x86_64 ELF file", path);
}

static void write_output(const struct image *im, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, im->mode);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	if (write(fd, im->bytes, im->out_size) != (ssize_t)im->out_size || close(fd) < 0)
		die("%s: cannot write", path);
}

/* Overwrite `len` bytes at file offset `off` of the output. */
static void put(struct image *im, uint64_t off, const void *src, size_t len)
{
	if (off > im->size || len > im->size - off)
		die("%s: offset %#lx is outside the file", im->path, (unsigned long)off);
	memcpy(im->bytes + off, src, len);
}

static void put_ehdr(struct image *im) { put(im, 0, &im->eh, sizeof(Elf64_Ehdr)); }

/* ----- finding things (in the input, through libelf) ----- */

static uint64_t phdr_offset(const struct image *im, size_t i)
{
	return im->eh.e_phoff + i * im->eh.e_phentsize;
}

static void put_phdr(struct image *im, size_t i, const GElf_Phdr *ph)
{
	put(im, phdr_offset(im, i), ph, sizeof(Elf64_Phdr));
}

/* The index of the first segment of `type`, or of the last when `from_end`. */
static size_t find_phdr(const struct image *im, uint32_t type, int from_end, GElf_Phdr *ph)
{
	for (size_t k = 0; k < im->phnum; k++) {
		size_t i = from_end ? im->phnum - 1 - k : k;
		if (gelf_getphdr(im->elf, i, ph) && ph->p_type == type)
			return i;
	}
	die("%s: no segment of type %#x", im->path, type);
}

/* The first PT_LOAD for which `want` says yes. */
static size_t find_load(const struct image *im, int (*want)(const GElf_Phdr *), GElf_Phdr *ph)
{
	for (size_t i = 0; i < im->phnum; i++)
		if (gelf_getphdr(im->elf, i, ph) && ph->p_type == PT_LOAD && want(ph))
			return i;
	die("%s: no suitable PT_LOAD", im->path);
}

/* The first non-empty section of `type`. */
static Elf_Scn *find_section(const struct image *im, uint32_t type, GElf_Shdr *sh)
{
	for (Elf_Scn *scn = 0; (scn = elf_nextscn(im->elf, scn));)
		if (gelf_getshdr(scn, sh) && sh->sh_type == type && sh->sh_size)
			return scn;
	die("%s: no section of type %#x", im->path, type);
}

/* The file offset of the first dynamic entry with `tag`, or 0 when there is none. */
static uint64_t find_dyn(const struct image *im, int64_t tag, GElf_Dyn *dyn)
{
	GElf_Shdr sh;
	Elf_Scn *scn = find_section(im, SHT_DYNAMIC, &sh);
	Elf_Data *data = elf_getdata(scn, 0);
	for (size_t i = 0; data && i < sh.sh_size / sizeof(Elf64_Dyn); i++)
		if (gelf_getdyn(data, i, dyn) && dyn->d_tag == tag)
			return sh.sh_offset + i * sizeof(Elf64_Dyn);
	return 0;
}

static uint64_t need_dyn(const struct image *im, int64_t tag, GElf_Dyn *dyn)
{
	uint64_t off = find_dyn(im, tag, dyn);
	if (!off)
		die("%s: no dynamic entry with tag %#lx", im->path, (unsigned long)tag);
	return off;
}

static void set_dyn_value(struct image *im, int64_t tag, uint64_t value)
{
	GElf_Dyn dyn;
	uint64_t off = need_dyn(im, tag, &dyn);
	dyn.d_un.d_val = value;
	put(im, off, &dyn, sizeof(Elf64_Dyn));
}

/*
 * Visit the dynamic relocations (every allocated SHT_RELA section, in
 * file order) until `visit` returns non-zero; that entry's file offset
 * is returned.
 */
typedef int rela_visitor(const struct image *im, const GElf_Rela *r, const char *arg);

static uint64_t find_rela(const struct image *im, rela_visitor *visit, const char *arg,
			  GElf_Rela *out)
{
	GElf_Shdr sh;
	for (Elf_Scn *scn = 0; (scn = elf_nextscn(im->elf, scn));) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA || !(sh.sh_flags & SHF_ALLOC))
			continue;
		Elf_Data *data = elf_getdata(scn, 0);
		for (size_t i = 0; data && i < sh.sh_size / sizeof(Elf64_Rela); i++)
			if (gelf_getrela(data, i, out) && visit(im, out, arg))
				return sh.sh_offset + i * sizeof(Elf64_Rela);
	}
	die("%s: no suitable relocation%s%s", im->path, arg ? " against " : "", arg ? arg : "");
}

static const char *dynsym_name(const struct image *im, size_t index)
{
	GElf_Shdr sh;
	GElf_Sym sym;
	Elf_Scn *scn = find_section(im, SHT_DYNSYM, &sh);
	Elf_Data *data = elf_getdata(scn, 0);
	if (!data || !gelf_getsym(data, index, &sym))
		return "";
	const char *name = elf_strptr(im->elf, sh.sh_link, sym.st_name);
	return name ? name : "";
}

/* ----- the file and its ELF header ----- */

static void truncate_to(struct image *im, const char *arg)
{
	char *end;
	unsigned long long n = arg ? strtoull(arg, &end, 0) : 0;
	if (!arg || *end || n >= im->size)
		die("truncate needs a length below the file size (%zu)", im->size);
	im->out_size = n;
}

static void truncate_in_phdrs(struct image *im, const char *arg)
{
	(void)arg;
	im->out_size = phdr_offset(im, im->phnum / 2) + 8;
}

/* A PT_LOAD that does not hold the headers, with bytes to cut through. */
static int past_the_headers(const GElf_Phdr *ph) { return ph->p_offset && ph->p_filesz > 2; }

static void truncate_in_segment(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr ph;
	find_load(im, past_the_headers, &ph);
	im->out_size = ph.p_offset + ph.p_filesz / 2;
}

static void phoff_past_eof(struct image *im, const char *arg)
{
	(void)arg;
	im->eh.e_phoff = im->size - 8;
	put_ehdr(im);
}

static void phentsize_wrong(struct image *im, const char *arg)
{
	(void)arg;
	im->eh.e_phentsize = sizeof(Elf32_Phdr);
	put_ehdr(im);
}

static void phnum_huge(struct image *im, const char *arg)
{
	(void)arg;
	im->eh.e_phnum = 0xfff0;  /* below PN_XNUM, which means "see section 0" */
	put_ehdr(im);
}

static void entry_noncanonical(struct image *im, const char *arg)
{
	(void)arg;
	im->eh.e_entry = 0x800000000000;  /* the first address above the user half */
	put_ehdr(im);
}

static int non_executable_load(const GElf_Phdr *ph) { return !(ph->p_flags & PF_X) && ph->p_memsz > 16; }

/* e_entry inside a PT_LOAD that is mapped, but not executable. */
static void entry_not_code(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr ph;
	find_load(im, non_executable_load, &ph);
	im->eh.e_entry = ph.p_vaddr + 16;
	put_ehdr(im);
}

static void class32(struct image *im, const char *arg)
{
	(void)arg;
	im->eh.e_ident[EI_CLASS] = ELFCLASS32;
	put_ehdr(im);
}

static void machine_wrong(struct image *im, const char *arg)
{
	(void)arg;
	im->eh.e_machine = EM_AARCH64;
	put_ehdr(im);
}

static void type_rel(struct image *im, const char *arg)
{
	(void)arg;
	im->eh.e_type = ET_REL;
	put_ehdr(im);
}

/* ----- program headers ----- */

static int any_load(const GElf_Phdr *ph) { (void)ph; return 1; }
static int with_file_bytes(const GElf_Phdr *ph) { return ph->p_filesz > 1; }
static int writable_load(const GElf_Phdr *ph) { return ph->p_flags & PF_W; }

static void load_offset_past_eof(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr ph;
	size_t i = find_phdr(im, PT_LOAD, 1, &ph);
	ph.p_offset += page_up(im->size);  /* a whole number of pages: still congruent */
	put_phdr(im, i, &ph);
}

static void filesz_over_memsz(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr ph;
	size_t i = find_load(im, with_file_bytes, &ph);
	ph.p_memsz = ph.p_filesz - 1;
	put_phdr(im, i, &ph);
}

static void loads_swapped(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr first, second;
	size_t i = find_load(im, any_load, &first), j;
	for (j = i + 1; j < im->phnum; j++)
		if (gelf_getphdr(im->elf, j, &second) && second.p_type == PT_LOAD)
			break;
	if (j == im->phnum)
		die("%s: only one PT_LOAD", im->path);
	put_phdr(im, i, &second);
	put_phdr(im, j, &first);
}

static uint64_t end_of_loads(const struct image *im)
{
	GElf_Phdr ph;
	uint64_t end = 0;
	for (size_t i = 0; i < im->phnum; i++)
		if (gelf_getphdr(im->elf, i, &ph) && ph.p_type == PT_LOAD && ph.p_vaddr + ph.p_memsz > end)
			end = ph.p_vaddr + ph.p_memsz;
	return end;
}

static void dynamic_outside_loads(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr ph;
	size_t i = find_phdr(im, PT_DYNAMIC, 0, &ph);
	ph.p_vaddr = ph.p_paddr = page_up(end_of_loads(im)) + 0x10000;
	put_phdr(im, i, &ph);
}

static void writable_and_executable(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr ph;
	size_t i = find_load(im, writable_load, &ph);
	ph.p_flags |= PF_X;
	put_phdr(im, i, &ph);
}

static void set_tls_align(struct image *im, uint64_t align)
{
	GElf_Phdr ph;
	size_t i = find_phdr(im, PT_TLS, 0, &ph);
	ph.p_align = align;
	put_phdr(im, i, &ph);
}

static void tls_align_not_pow2(struct image *im, const char *arg)
{
	(void)arg;
	set_tls_align(im, 24);
}

/* Valid: PT_TLS p_align 0, which means no alignment, as 1 does. */
static void tls_align_zero(struct image *im, const char *arg)
{
	(void)arg;
	set_tls_align(im, 0);
}

static void memsz_absurd(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr ph;
	size_t i = find_phdr(im, PT_LOAD, 1, &ph);
	ph.p_memsz = 1ULL << 46;  /* 64 TiB: inside the user address space, never mappable */
	put_phdr(im, i, &ph);
}

/* The PT_LOAD whose file bytes hold file offset `off`. */
static size_t load_at_offset(const struct image *im, uint64_t off, GElf_Phdr *ph)
{
	for (size_t i = 0; i < im->phnum; i++)
		if (gelf_getphdr(im->elf, i, ph) && ph->p_type == PT_LOAD && off >= ph->p_offset &&
		    off < ph->p_offset + ph->p_filesz)
			return i;
	die("%s: no PT_LOAD holds file offset %#lx", im->path, (unsigned long)off);
}

/* The PT_LOAD holding file offset `off` gets p_flags `flags`. */
static void set_load_flags(struct image *im, uint64_t off, uint32_t flags)
{
	GElf_Phdr ph;
	size_t i = load_at_offset(im, off, &ph);
	ph.p_flags = flags;
	put_phdr(im, i, &ph);
}

static void unreadable_phdrs(struct image *im, const char *arg)
{
	(void)arg;
	set_load_flags(im, im->eh.e_phoff, 0);
}

static void unreadable_dynamic(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr dyn;
	find_phdr(im, PT_DYNAMIC, 0, &dyn);
	set_load_flags(im, dyn.p_offset, 0);
}

/* A read-only PT_LOAD past the headers (.rodata) is unreadable, and DT_STRTAB is moved into it. */
static int plain_read_only(const GElf_Phdr *ph) { return ph->p_offset && ph->p_flags == PF_R; }

static void unreadable_strtab(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr ph;
	GElf_Dyn strsz;
	size_t i = find_load(im, plain_read_only, &ph);
	need_dyn(im, DT_STRSZ, &strsz);
	ph.p_flags = 0;
	put_phdr(im, i, &ph);
	set_dyn_value(im, DT_STRTAB, ph.p_vaddr);
	if (strsz.d_un.d_val > ph.p_filesz)
		set_dyn_value(im, DT_STRSZ, ph.p_filesz);
}

/* Segment `type` moves `by` bytes in memory (p_vaddr and p_paddr), its file bytes staying put. */
static void move_segment(struct image *im, uint32_t type, uint64_t by)
{
	GElf_Phdr ph;
	size_t i = find_phdr(im, type, 0, &ph);
	ph.p_vaddr += by;
	ph.p_paddr += by;
	put_phdr(im, i, &ph);
}

/*
 * The program headers, copied to the end of the file (at an offset `skew`
 * bytes past a multiple of 8), where no PT_LOAD maps them, and found there
 * through e_phoff; PT_PHDR is dropped.
 */
static void phdrs_to_the_end(struct image *im, size_t skew)
{
	GElf_Phdr ph;
	size_t phsize = im->phnum * sizeof(Elf64_Phdr), at = ((im->size + 7) & ~7UL) + skew;
	for (size_t i = 0; i < im->phnum; i++)  /* (a library has no PT_PHDR) */
		if (gelf_getphdr(im->elf, i, &ph) && ph.p_type == PT_PHDR) {
			ph.p_type = PT_NULL;
			put_phdr(im, i, &ph);
		}
	im->bytes = realloc(im->bytes, at + phsize);
	if (!im->bytes)
		die("%s: out of memory", im->path);
	memset(im->bytes + im->size, 0, at - im->size);
	memcpy(im->bytes + at, im->bytes + im->eh.e_phoff, phsize);
	im->size = im->out_size = at + phsize;
	im->eh.e_phoff = at;
	put_ehdr(im);
}

static void phoff_misaligned(struct image *im, const char *arg)
{
	(void)arg;
	phdrs_to_the_end(im, 4);
}

static void interp_vaddr(struct image *im, const char *arg)
{
	(void)arg;
	move_segment(im, PT_INTERP, 1ULL << 40);
}

static void phdr_vaddr(struct image *im, const char *arg)
{
	(void)arg;
	move_segment(im, PT_PHDR, PAGE);
}

/* Unmapped program headers: the kernel then reports them at the load bias (AT_PHDR). */
static void phoff_unmapped(struct image *im, const char *arg)
{
	(void)arg;
	phdrs_to_the_end(im, 0);
}

/* ----- the dynamic section and the tables it points at ----- */

/* A tag in the OS-specific range that no loader defines, so every loader skips it. */
#define DT_NOBODY_KNOWS 0x60000123

/* The entry with `tag` keeps its value but takes a tag every loader ignores. */
static void hide_dyn(struct image *im, int64_t tag)
{
	GElf_Dyn dyn;
	uint64_t off = need_dyn(im, tag, &dyn);
	dyn.d_tag = DT_NOBODY_KNOWS;
	put(im, off, &dyn, sizeof(Elf64_Dyn));
}

/*
 * A read-only .dynamic.  DT_PLTGOT, which must be writable, is hidden, so
 * that the program's DT_DEBUG slot alone is at stake.
 */
static void readonly_dynamic(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr dyn;
	find_phdr(im, PT_DYNAMIC, 0, &dyn);
	set_load_flags(im, dyn.p_offset, PF_R);
	hide_dyn(im, DT_PLTGOT);
}

static void symtab_misaligned(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Dyn symtab;
	need_dyn(im, DT_SYMTAB, &symtab);
	set_dyn_value(im, DT_SYMTAB, symtab.d_un.d_ptr + 4);
}

static void symtab_missing(struct image *im, const char *arg)
{
	(void)arg;
	hide_dyn(im, DT_SYMTAB);
}

static void pltrelsz_missing(struct image *im, const char *arg)
{
	(void)arg;
	hide_dyn(im, DT_PLTRELSZ);
}

static int read_only_load(const GElf_Phdr *ph) { return !(ph->p_flags & PF_W); }

static void pltgot_read_only(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr ph;
	find_load(im, read_only_load, &ph);
	set_dyn_value(im, DT_PLTGOT, ph.p_vaddr);
}

static void strtab_outside(struct image *im, const char *arg)
{
	(void)arg;
	set_dyn_value(im, DT_STRTAB, 0x40000000);
}

static void strsz_huge(struct image *im, const char *arg)
{
	(void)arg;
	set_dyn_value(im, DT_STRSZ, 0x7fffffff);
}

static void needed_out_of_range(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Dyn strsz;
	need_dyn(im, DT_STRSZ, &strsz);
	set_dyn_value(im, DT_NEEDED, strsz.d_un.d_val + 0x100);
}

static void init_arraysz_huge(struct image *im, const char *arg)
{
	(void)arg;
	set_dyn_value(im, DT_INIT_ARRAYSZ, 0x7ffffffff8);
}

/* DF_STATIC_TLS cleared from DT_FLAGS: only the initial-exec TLS
 * relocations themselves say the library needs static TLS. */
static void static_tls_unflagged(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Dyn flags;
	need_dyn(im, DT_FLAGS, &flags);
	if (!(flags.d_un.d_val & DF_STATIC_TLS))
		die("%s: DT_FLAGS has no DF_STATIC_TLS", im->path);
	set_dyn_value(im, DT_FLAGS, flags.d_un.d_val & ~(uint64_t)DF_STATIC_TLS);
}

static void preinit_arraysz_huge(struct image *im, const char *arg)
{
	(void)arg;
	set_dyn_value(im, DT_PREINIT_ARRAYSZ, 0x7ffffffff8);
}

/* The relocation of the first DT_INIT_ARRAY entry (a position-independent
 * object's RELATIVE) points 1 MiB further: past the object's code. */
static int relocates_init_array(const struct image *im, const GElf_Rela *r, const char *arg)
{
	(void)arg;
	GElf_Dyn init_array;
	need_dyn(im, DT_INIT_ARRAY, &init_array);
	return GELF_R_TYPE(r->r_info) == R_X86_64_RELATIVE && r->r_offset == init_array.d_un.d_ptr;
}

static void find_plt(const struct image *im, GElf_Shdr *sh)
{
	size_t names;
	Elf_Scn *scn = 0;
	if (elf_getshdrstrndx(im->elf, &names) < 0)
		die("%s: no section names", im->path);
	while ((scn = elf_nextscn(im->elf, scn)) &&
	       !(gelf_getshdr(scn, sh) && !strcmp(elf_strptr(im->elf, names, sh->sh_name), ".plt")))
		;
	if (!scn)
		die("%s: no .plt", im->path);
}

/* e_entry one byte into .plt: PLT0's push of GOT[1] is skipped, and its jump
 * reaches the trampoline with the stack the kernel built (argc for the
 * object). */
static void entry_in_plt(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Shdr sh;
	find_plt(im, &sh);
	im->eh.e_entry = sh.sh_addr + 1;
	put_ehdr(im);
}

/* Every PLT stub pushes the count of DT_JMPREL's entries, one past the last,
 * as its relocation index.  (An x86-64 stub, 16 bytes after PLT0: a 6-byte
 * jmp *slot(%rip), then push imm32, then the jump to PLT0.) */
static void plt_index_past_table(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Shdr sh;
	GElf_Dyn size;
	find_plt(im, &sh);
	need_dyn(im, DT_PLTRELSZ, &size);
	uint32_t count = size.d_un.d_val / sizeof(Elf64_Rela);
	for (uint64_t at = sh.sh_offset + 16; at + 16 <= sh.sh_offset + sh.sh_size; at += 16) {
		if (im->orig[at + 6] != 0x68)
			die("%s: the .plt stub at %#lx has no push", im->path, (unsigned long)at);
		put(im, at + 7, &count, 4);
	}
}

static void init_array_outside(struct image *im, const char *arg)
{
	GElf_Rela r;
	uint64_t off = find_rela(im, relocates_init_array, arg, &r);
	r.r_addend += 1 << 20;
	put(im, off, &r, sizeof(Elf64_Rela));
}

/* The string ARG in .dynstr (a name, whole) gets a newline for its fourth character. */
static void newline_in_name(struct image *im, const char *name)
{
	GElf_Shdr sh;
	find_section(im, SHT_STRTAB, &sh);
	if (!name || strlen(name) < 4)
		die("newline-in-name needs a name of four characters or more");
	for (uint64_t at = sh.sh_offset; at + strlen(name) < sh.sh_offset + sh.sh_size; at++) {
		const char *here = (const char *)im->orig + at;
		if ((at == sh.sh_offset || here[-1] == 0) && !strcmp(here, name)) {
			put(im, at + 3, "\n", 1);
			return;
		}
	}
	die("%s: no string \"%s\" in the first string table", im->path, name);
}

static void symbol_name_out_of_range(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Shdr sh;
	find_section(im, SHT_DYNSYM, &sh);
	uint64_t last = sh.sh_offset + sh.sh_size - sizeof(Elf64_Sym);
	uint32_t name = 0x7fffff00;
	put(im, last + offsetof(Elf64_Sym, st_name), &name, sizeof name);
}

static void versym_out_of_range(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Shdr sh;
	find_section(im, SHT_GNU_versym, &sh);
	uint16_t index = 0x7ff0;
	put(im, sh.sh_offset + sh.sh_size - sizeof index, &index, sizeof index);
}

/* DT_GNU_HASH: a header of four words, the Bloom filter, the buckets, the chains. */
struct gnu_hash {
	uint64_t off;  /* file offset of the section */
	uint32_t nbuckets, bloom_size;
	uint64_t buckets, chain, end;  /* file offsets */
};

static struct gnu_hash read_gnu_hash(const struct image *im)
{
	GElf_Shdr sh;
	find_section(im, SHT_GNU_HASH, &sh);
	uint32_t word[4];
	memcpy(word, im->orig + sh.sh_offset, sizeof word);
	/* word[1] is the first hashed symbol, word[3] the Bloom shift */
	struct gnu_hash h = {.off = sh.sh_offset, .nbuckets = word[0], .bloom_size = word[2],
			     .end = sh.sh_offset + sh.sh_size};
	h.buckets = h.off + 16 + (uint64_t)h.bloom_size * 8;
	h.chain = h.buckets + (uint64_t)h.nbuckets * 4;
	if (h.chain > h.end)
		die("%s: unexpected DT_GNU_HASH layout", im->path);
	return h;
}

static void gnu_bucket_out_of_range(struct image *im, const char *arg)
{
	(void)arg;
	struct gnu_hash h = read_gnu_hash(im);
	for (uint64_t at = h.buckets; at < h.chain; at += 4) {
		uint32_t b;
		memcpy(&b, im->orig + at, 4);
		if (b) {
			b = 0xfffffff0;  /* a symbol index far past every table */
			put(im, at, &b, 4);
			return;
		}
	}
	die("%s: every DT_GNU_HASH bucket is empty", im->path);
}

static void gnu_bloom_not_pow2(struct image *im, const char *arg)
{
	(void)arg;
	struct gnu_hash h = read_gnu_hash(im);
	uint32_t size = 3;
	put(im, h.off + 8, &size, 4);
}

/*
 * No chain ends: every chain word loses its stop bit (bit 0), the last
 * symbol's included, although the last symbol always ends a chain.
 */
static void gnu_chain_unterminated(struct image *im, const char *arg)
{
	(void)arg;
	struct gnu_hash h = read_gnu_hash(im);
	for (uint64_t at = h.chain; at + 4 <= h.end; at += 4) {
		uint32_t c;
		memcpy(&c, im->orig + at, 4);
		c &= ~1u;
		put(im, at, &c, 4);
	}
}

/* DT_HASH: nbucket, nchain, the buckets, the chains.  The file offset of
 * the first non-empty bucket, and the symbol it names. */
static uint64_t first_sysv_bucket(const struct image *im, uint32_t *sym)
{
	GElf_Shdr sh;
	find_section(im, SHT_HASH, &sh);
	uint32_t nbucket;
	memcpy(&nbucket, im->orig + sh.sh_offset, 4);
	for (uint32_t b = 0; b < nbucket; b++) {
		uint64_t at = sh.sh_offset + 8 + 4 * (uint64_t)b;
		memcpy(sym, im->orig + at, 4);
		if (*sym)
			return at;
	}
	die("%s: every DT_HASH bucket is empty", im->path);
}

static void sysv_bucket_out_of_range(struct image *im, const char *arg)
{
	(void)arg;
	uint32_t sym, far = 0xfffffff0;
	put(im, first_sysv_bucket(im, &sym), &far, 4);
}

/* The first chain loops: its first symbol is followed by itself. */
static void sysv_chain_loops(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Shdr sh;
	find_section(im, SHT_HASH, &sh);
	uint32_t sym, nbucket;
	first_sysv_bucket(im, &sym);
	memcpy(&nbucket, im->orig + sh.sh_offset, 4);
	put(im, sh.sh_offset + 8 + 4 * ((uint64_t)nbucket + sym), &sym, 4);
}

/* The first chain loops through its first two symbols: the second is
 * followed by the first again.  (A walk that gives up after a number of
 * steps stops on one or the other, as that number is odd or even.) */
static void sysv_chain_loops_through_two(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Shdr sh;
	find_section(im, SHT_HASH, &sh);
	uint32_t sym, second, nbucket;
	first_sysv_bucket(im, &sym);
	memcpy(&nbucket, im->orig + sh.sh_offset, 4);
	uint64_t chain = sh.sh_offset + 8 + 4 * (uint64_t)nbucket;
	memcpy(&second, im->orig + chain + 4 * (uint64_t)sym, 4);
	if (!second)
		die("%s: the first DT_HASH chain has one symbol", im->path);
	put(im, chain + 4 * (uint64_t)second, &sym, 4);
}

static uint32_t gnu_hash_of(const char *name)
{
	uint32_t h = 5381;
	for (; *name; name++)
		h = h * 33 + (unsigned char)*name;
	return h;
}

/*
 * Valid: DT_GNU_HASH with a single bucket, as lld writes it for small
 * objects (GNU ld never does): every hashed symbol in one chain.  The
 * Bloom filter depends on the hashes only and stays.
 */
static void gnu_one_bucket(struct image *im, const char *arg)
{
	(void)arg;
	struct gnu_hash h = read_gnu_hash(im);
	GElf_Shdr dynsym;
	find_section(im, SHT_DYNSYM, &dynsym);
	uint32_t one = 1, symoffset;
	size_t nsyms = dynsym.sh_size / sizeof(Elf64_Sym);
	memcpy(&symoffset, im->orig + h.off + 4, 4);
	if (symoffset >= nsyms)
		die("%s: no hashed symbol", im->path);
	put(im, h.off, &one, 4);
	put(im, h.buckets, &symoffset, 4);
	for (size_t i = symoffset; i < nsyms; i++) {
		uint32_t c = (gnu_hash_of(dynsym_name(im, i)) & ~1u) | (i + 1 == nsyms);
		put(im, h.buckets + 4 * (1 + i - symoffset), &c, 4);
	}
}

/* ----- relocations ----- */

static int first_rela(const struct image *im, const GElf_Rela *r, const char *arg)
{
	(void)im, (void)r, (void)arg;
	return 1;
}

static int rela_with_symbol(const struct image *im, const GElf_Rela *r, const char *arg)
{
	(void)im, (void)arg;
	return GELF_R_SYM(r->r_info) != 0;
}

static int rela_against(const struct image *im, const GElf_Rela *r, const char *name)
{
	return GELF_R_SYM(r->r_info) && !strcmp(dynsym_name(im, GELF_R_SYM(r->r_info)), name);
}

static void reloc_symbol_out_of_range(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Rela r;
	uint64_t off = find_rela(im, rela_with_symbol, 0, &r);
	r.r_info = GELF_R_INFO(0xfffff, GELF_R_TYPE(r.r_info));
	put(im, off, &r, sizeof(Elf64_Rela));
}

static void reloc_offset_outside(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Rela r;
	uint64_t off = find_rela(im, first_rela, 0, &r);
	r.r_offset = 0x40000000000;  /* 4 TiB past the load address */
	put(im, off, &r, sizeof(Elf64_Rela));
}

/* The second relocation of the first table: the first has set the loader's
 * remembered segment by then (the fast path of reloc.c's writable).  (It
 * counts in a static: elfmangle makes one mutation, one find_rela, a run.) */
static int second_rela(const struct image *im, const GElf_Rela *r, const char *arg)
{
	(void)im, (void)r, (void)arg;
	static int seen;
	return ++seen == 2;
}

/* The relocation found by `visit` moves to write 8 bytes across the end of
 * the PT_LOAD it wrote in, `past` of them past it. */
static void straddle_segment_end(struct image *im, rela_visitor *visit, const char *which,
				 unsigned past)
{
	GElf_Rela r;
	uint64_t off = find_rela(im, visit, 0, &r);
	GElf_Phdr ph;
	for (size_t i = 0; i < im->phnum; i++)
		if (gelf_getphdr(im->elf, i, &ph) && ph.p_type == PT_LOAD && r.r_offset >= ph.p_vaddr &&
		    r.r_offset < ph.p_vaddr + ph.p_memsz) {
			r.r_offset = ph.p_vaddr + ph.p_memsz - 8 + past;
			put(im, off, &r, sizeof(Elf64_Rela));
			return;
		}
	die("%s: the %s writes outside every PT_LOAD", im->path, which);
}

static void reloc_straddling_segment_end(struct image *im, const char *arg)
{
	(void)arg;
	straddle_segment_end(im, second_rela, "second relocation", 4);
}

/* A GLOB_DAT right after another: the loader fills such runs of GOT words
 * on a lean path (reloc.c's fill_got_words), which checks the first
 * target in full and the others only against the room left in its
 * segment.  Its last byte just past the end: an off-by-one there shows. */
static int second_glob_dat(const struct image *im, const GElf_Rela *r, const char *arg)
{
	(void)im, (void)arg;
	static int after_glob_dat;
	int glob_dat = GELF_R_TYPE(r->r_info) == R_X86_64_GLOB_DAT && GELF_R_SYM(r->r_info) &&
		       !r->r_addend;
	int hit = glob_dat && after_glob_dat;
	after_glob_dat = glob_dat;
	return hit;
}

static void got_word_straddling_segment_end(struct image *im, const char *arg)
{
	(void)arg;
	straddle_segment_end(im, second_glob_dat, "second GLOB_DAT of a run", 1);
}

static void reloc_type_unknown(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Rela r;
	uint64_t off = find_rela(im, first_rela, 0, &r);
	r.r_info = GELF_R_INFO(GELF_R_SYM(r.r_info), 250);
	put(im, off, &r, sizeof(Elf64_Rela));
}

/* The file offset of dynamic symbol `index`. */
static uint64_t dynsym_offset(const struct image *im, size_t index)
{
	GElf_Shdr sh;
	find_section(im, SHT_DYNSYM, &sh);
	return sh.sh_offset + index * sizeof(Elf64_Sym);
}

static void patch_symbol(struct image *im, size_t index, void (*patch)(Elf64_Sym *))
{
	Elf64_Sym sym;
	uint64_t off = dynsym_offset(im, index);
	memcpy(&sym, im->orig + off, sizeof sym);
	patch(&sym);
	put(im, off, &sym, sizeof sym);
}

/* The symbol of the first relocation `visit` accepts, through `patch`. */
static void patch_first_rela_symbol(struct image *im, rela_visitor *visit,
				    void (*patch)(Elf64_Sym *))
{
	GElf_Rela r;
	find_rela(im, visit, 0, &r);
	patch_symbol(im, GELF_R_SYM(r.r_info), patch);
}

static void make_local_undefined(Elf64_Sym *s)
{
	s->st_info = ELF64_ST_INFO(STB_LOCAL, ELF64_ST_TYPE(s->st_info));
	s->st_shndx = SHN_UNDEF;
	s->st_value = 0;
}

/* The symbol of the first relocation that has one: local, and undefined. */
static void local_undefined(struct image *im, const char *arg)
{
	(void)arg;
	patch_first_rela_symbol(im, rela_with_symbol, make_local_undefined);
}

/* Does a relocation of this type take an offset in a TLS block (its symbol's value plus its addend)? */
static int takes_tls_offset(uint32_t type)
{
	return type == R_X86_64_DTPOFF64 || type == R_X86_64_TPOFF64 || type == R_X86_64_TLSDESC;
}

static int tls_rela_with_symbol(const struct image *im, const GElf_Rela *r, const char *arg)
{
	(void)im, (void)arg;
	uint32_t type = GELF_R_TYPE(r->r_info);
	return GELF_R_SYM(r->r_info) && (type == R_X86_64_DTPMOD64 || takes_tls_offset(type));
}

static void make_object(Elf64_Sym *s)
{
	s->st_info = ELF64_ST_INFO(ELF64_ST_BIND(s->st_info), STT_OBJECT);
}

/* The symbol of the first TLS relocation that names one is no TLS symbol any more. */
static void tls_symbol_not_tls(struct image *im, const char *arg)
{
	(void)arg;
	patch_first_rela_symbol(im, tls_rela_with_symbol, make_object);
}

/* A TLS relocation whose symbol is a TLS symbol defined in this file. */
static int tls_rela_with_own_definition(const struct image *im, const GElf_Rela *r, const char *arg)
{
	Elf64_Sym sym;
	if (!tls_rela_with_symbol(im, r, arg))
		return 0;
	memcpy(&sym, im->orig + dynsym_offset(im, GELF_R_SYM(r->r_info)), sizeof sym);
	return sym.st_shndx != SHN_UNDEF && ELF64_ST_TYPE(sym.st_info) == STT_TLS;
}

static void past_the_tls_block(Elf64_Sym *s) { s->st_value += 0x10000; }

/* The first TLS symbol defined here that a TLS relocation names moves 64 KiB
 * past the start of the TLS block (no test object's block is that big). */
static void tls_symbol_outside(struct image *im, const char *arg)
{
	(void)arg;
	patch_first_rela_symbol(im, tls_rela_with_own_definition, past_the_tls_block);
}

static void absolute_past_the_tls_block(Elf64_Sym *s)
{
	past_the_tls_block(s);
	s->st_shndx = SHN_ABS;
}

/* The same, the symbol made absolute as well (which exempts other symbols
 * from the segment check, not TLS ones). */
static void tls_symbol_abs_outside(struct image *im, const char *arg)
{
	(void)arg;
	patch_first_rela_symbol(im, tls_rela_with_own_definition, absolute_past_the_tls_block);
}

static int tls_offset_rela(const struct image *im, const GElf_Rela *r, const char *arg)
{
	(void)im, (void)arg;
	return takes_tls_offset(GELF_R_TYPE(r->r_info));
}

/* The first relocation that takes a TLS offset: its addend moves 64 KiB on. */
static void tls_addend_outside(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Rela r;
	uint64_t off = find_rela(im, tls_offset_rela, 0, &r);
	r.r_addend += 0x10000;
	put(im, off, &r, sizeof(Elf64_Rela));
}

static int rela_with_own_definition(const struct image *im, const GElf_Rela *r, const char *arg)
{
	(void)arg;
	Elf64_Sym sym;
	if (!GELF_R_SYM(r->r_info))
		return 0;
	memcpy(&sym, im->orig + dynsym_offset(im, GELF_R_SYM(r->r_info)), sizeof sym);
	return sym.st_shndx != SHN_UNDEF && sym.st_shndx != SHN_ABS &&
	       ELF64_ST_TYPE(sym.st_info) != STT_TLS;
}

static void move_a_tebibyte_out(Elf64_Sym *s) { s->st_value += 1ULL << 40; }

/* A symbol a relocation refers to, defined in this file, gets a value outside every segment. */
static void symbol_outside(struct image *im, const char *arg)
{
	(void)arg;
	patch_first_rela_symbol(im, rela_with_own_definition, move_a_tebibyte_out);
}

/* The first dynamic relocation writes GOT[1], where lazy binding keeps the object. */
/* The first DT_RELA relocation moves onto GOT[word]. */
static void clobber_got_word(struct image *im, unsigned word)
{
	GElf_Rela r;
	GElf_Dyn pltgot;
	uint64_t off = find_rela(im, first_rela, 0, &r);
	need_dyn(im, DT_PLTGOT, &pltgot);
	r.r_offset = pltgot.d_un.d_ptr + 8 * word;
	put(im, off, &r, sizeof(Elf64_Rela));
}

static void got_clobbered(struct image *im, const char *arg)
{
	(void)arg;
	clobber_got_word(im, 1);
}

static void got2_clobbered(struct image *im, const char *arg)
{
	(void)arg;
	clobber_got_word(im, 2);
}

static int first_jump_slot(const struct image *im, const GElf_Rela *r, const char *arg)
{
	(void)im, (void)arg;
	return GELF_R_TYPE(r->r_info) == R_X86_64_JUMP_SLOT;
}

/* The first relocation `visit` accepts gets `addend`. */
static void set_first_addend(struct image *im, rela_visitor *visit, int64_t addend)
{
	GElf_Rela r;
	uint64_t off = find_rela(im, visit, 0, &r);
	r.r_addend = addend;
	put(im, off, &r, sizeof(Elf64_Rela));
}

/* The first JUMP_SLOT's addend sends its calls 2^47 bytes further: not canonical. */
static void jump_slot_addend(struct image *im, const char *arg)
{
	(void)arg;
	set_first_addend(im, first_jump_slot, 1LL << 47);
}

static int first_glob_dat(const struct image *im, const GElf_Rela *r, const char *arg)
{
	(void)im, (void)arg;
	return GELF_R_TYPE(r->r_info) == R_X86_64_GLOB_DAT;
}

/* The first GLOB_DAT's addend 0x18: its GOT entry points past the symbol. */
static void glob_dat_addend(struct image *im, const char *arg)
{
	(void)arg;
	set_first_addend(im, first_glob_dat, 0x18);
}

/* The index of the first data object this file defines. */
static size_t first_defined_object(const struct image *im)
{
	GElf_Shdr sh;
	find_section(im, SHT_DYNSYM, &sh);
	for (size_t i = 1; i < sh.sh_size / sizeof(Elf64_Sym); i++) {
		Elf64_Sym sym;
		memcpy(&sym, im->orig + dynsym_offset(im, i), sizeof sym);
		if (ELF64_ST_TYPE(sym.st_info) == STT_OBJECT && sym.st_shndx != SHN_UNDEF)
			return i;
	}
	die("%s: defines no data object", im->path);
}

/* The first JUMP_SLOT names a data object: a call through it would jump into data. */
static void jump_slot_to_data(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Rela r;
	uint64_t off = find_rela(im, first_jump_slot, 0, &r);
	r.r_info = GELF_R_INFO(first_defined_object(im), R_X86_64_JUMP_SLOT);
	put(im, off, &r, sizeof(Elf64_Rela));
}

/* A JUMP_SLOT past the first PLT slot (GOT[3], at DT_PLTGOT + 24). */
static int later_jump_slot(const struct image *im, const GElf_Rela *r, const char *arg)
{
	(void)arg;
	GElf_Dyn pltgot;
	need_dyn(im, DT_PLTGOT, &pltgot);
	return GELF_R_TYPE(r->r_info) == R_X86_64_JUMP_SLOT && r->r_offset > pltgot.d_un.d_ptr + 24;
}

/* A JUMP_SLOT past the first moves to the start of PT_GNU_RELRO: it cannot be bound lazily. */
static void jump_slot_in_relro(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Rela r;
	GElf_Phdr relro;
	uint64_t off = find_rela(im, later_jump_slot, 0, &r);
	find_phdr(im, PT_GNU_RELRO, 0, &relro);
	r.r_offset = relro.p_vaddr;
	put(im, off, &r, sizeof(Elf64_Rela));
}

static void make_ifunc(Elf64_Sym *s)
{
	s->st_info = ELF64_ST_INFO(ELF64_ST_BIND(s->st_info), STT_GNU_IFUNC);
}

/* The dynamic symbol `name` (the argument of mutation `op`), patched. */
static void patch_symbol_named(struct image *im, const char *name, const char *op,
			       void (*patch)(Elf64_Sym *))
{
	GElf_Shdr sh;
	find_section(im, SHT_DYNSYM, &sh);
	for (size_t i = 1; name && i < sh.sh_size / sizeof(Elf64_Sym); i++)
		if (!strcmp(dynsym_name(im, i), name)) {
			patch_symbol(im, i, patch);
			return;
		}
	die("%s needs the name of a symbol the file defines", op);
}

/* Symbol ARG, a function, becomes an IFUNC: run as a resolver, it calls through the PLT. */
static void ifunc_calls_plt(struct image *im, const char *name)
{
	patch_symbol_named(im, name, "ifunc-calls-plt", make_ifunc);
}

static void make_undefined_with_value(Elf64_Sym *s)
{
	s->st_shndx = SHN_UNDEF;
}

/* Symbol ARG becomes undefined, keeping its value: what a program's PLT
 * stub for a function it calls looks like, which defines nothing. */
static void undefined_with_value(struct image *im, const char *name)
{
	patch_symbol_named(im, name, "undefined-with-value", make_undefined_with_value);
}

/* Valid: R_X86_64_NONE does nothing; the symbol index stays, as a linker would leave it. */
static void reloc_none(struct image *im, const char *symbol)
{
	if (!symbol)
		die("reloc-none needs the name of the symbol whose relocation to neutralise");
	GElf_Rela r;
	uint64_t off = find_rela(im, rela_against, symbol, &r);
	r.r_info = GELF_R_INFO(GELF_R_SYM(r.r_info), R_X86_64_NONE);
	put(im, off, &r, sizeof(Elf64_Rela));
}

/* Is the dynamic entry after the one at file offset `off` a DT_NULL? */
static int null_follows(const struct image *im, uint64_t off)
{
	GElf_Shdr sh;
	find_section(im, SHT_DYNAMIC, &sh);
	Elf64_Dyn next;
	if (off + 2 * sizeof next > sh.sh_offset + sh.sh_size)
		return 0;
	memcpy(&next, im->orig + off + sizeof next, sizeof next);
	return next.d_tag == DT_NULL;
}

/*
 * Valid: DT_FLAGS with DF_SYMBOLIC, in a spare DT_NULL slot.  Linkers
 * leave several DT_NULL entries at the end of .dynamic; the first becomes
 * DT_FLAGS and at least one stays as the terminator.
 */
/* Valid: a fixed-address object keeps its addresses whatever the alignment;
 * a position-independent one is placed on such a boundary. */
static void align_huge(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr ph;
	size_t i = find_phdr(im, PT_LOAD, 1, &ph);
	ph.p_align = 1ULL << 31;
	put_phdr(im, i, &ph);
}

static void add_df_symbolic(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Dyn dyn;
	uint64_t off = find_dyn(im, DT_FLAGS, &dyn);
	if (off) {
		dyn.d_un.d_val |= DF_SYMBOLIC;
		put(im, off, &dyn, sizeof(Elf64_Dyn));
		return;
	}
	off = need_dyn(im, DT_NULL, &dyn);
	if (!null_follows(im, off))
		die("%s: no spare DT_NULL slot in .dynamic", im->path);
	dyn = (GElf_Dyn){.d_tag = DT_FLAGS, .d_un.d_val = DF_SYMBOLIC};
	put(im, off, &dyn, sizeof(Elf64_Dyn));
}

/*
 * Valid: PT_INTERP before PT_PHDR.  Both must precede the PT_LOADs; their
 * own order is free, though linkers put PT_PHDR first.
 */
static void interp_first(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr phdr, interp;
	size_t p = find_phdr(im, PT_PHDR, 0, &phdr), i = find_phdr(im, PT_INTERP, 0, &interp);
	if (i != p + 1)
		die("%s: PT_INTERP does not follow PT_PHDR", im->path);
	put_phdr(im, p, &interp);
	put_phdr(im, i, &phdr);
}

/*
 * Valid: the program headers mapped twice, and PT_PHDR, second in the
 * table (after PT_INTERP), names the second mapping: the PT_NOTE after the
 * last PT_LOAD becomes a read-only PT_LOAD, past the others, of the file's
 * first bytes up to the headers' end.  The headers are wherever PT_PHDR
 * says (glibc's loader takes its p_vaddr, wherever it lies in the table;
 * the kernel's AT_PHDR is where the last PT_LOAD holding e_phoff maps it,
 * the same place), not where the first PT_LOAD holding e_phoff maps them.
 */
static void phdr_mapped_twice(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr phdr, interp, note, ph;
	size_t p = find_phdr(im, PT_PHDR, 0, &phdr), i = find_phdr(im, PT_INTERP, 0, &interp);
	size_t n = find_phdr(im, PT_NOTE, 1, &note);
	if (i != p + 1)
		die("%s: PT_INTERP does not follow PT_PHDR", im->path);
	for (size_t k = n + 1; k < im->phnum; k++)
		if (gelf_getphdr(im->elf, k, &ph) && ph.p_type == PT_LOAD)
			die("%s: no PT_NOTE after the last PT_LOAD", im->path);
	uint64_t again = page_up(end_of_loads(im));
	uint64_t size = im->eh.e_phoff + (uint64_t)im->phnum * im->eh.e_phentsize;
	GElf_Phdr load = {.p_type = PT_LOAD, .p_flags = PF_R, .p_offset = 0, .p_vaddr = again,
			  .p_paddr = again, .p_filesz = size, .p_memsz = size, .p_align = PAGE};
	put_phdr(im, n, &load);
	phdr.p_vaddr = phdr.p_paddr = again + phdr.p_offset;
	put_phdr(im, p, &interp);
	put_phdr(im, i, &phdr);
}

/*
 * Valid: a library's last program header (its PT_GNU_RELRO, say) moved to
 * the front, the others one place down, their PT_LOADs still in ascending
 * order; no PT_PHDR.  The headers are still where the PT_LOAD of offset 0
 * maps them, no longer first in the table: glibc's and musl's loaders point
 * dl_iterate_phdr's dlpi_phdr there, whichever PT_LOAD it is.
 */
static void load_not_first(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr ph, last;
	for (size_t k = 0; k < im->phnum; k++)
		if (gelf_getphdr(im->elf, k, &ph) && (ph.p_type == PT_PHDR || ph.p_type == PT_INTERP))
			die("%s: a PT_PHDR or PT_INTERP must stay first", im->path);
	if (!gelf_getphdr(im->elf, im->phnum - 1, &last) || last.p_type == PT_LOAD)
		die("%s: the last program header is a PT_LOAD", im->path);
	for (size_t k = im->phnum - 1; k > 0; k--)
		if (gelf_getphdr(im->elf, k - 1, &ph))
			put_phdr(im, k, &ph);
	put_phdr(im, 0, &last);
}

static int executable_load(const GElf_Phdr *ph) { return ph->p_flags & PF_X; }

/*
 * Valid: the executable PT_LOAD ends with 16 bytes of .bss inside its last
 * file page, which the loader must clear without ever making the page
 * writable and executable at once.
 */
static void text_bss(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr ph;
	size_t i = find_load(im, executable_load, &ph);
	uint64_t end = ph.p_vaddr + ph.p_filesz;
	if (ph.p_memsz != ph.p_filesz || page_up(end) - end < 16)
		die("%s: no room for .bss in the executable segment's last page", im->path);
	ph.p_memsz += 16;
	put_phdr(im, i, &ph);
}

/*
 * Valid: the dynamic symbol ARG made STV_PROTECTED.  ld resolves a protected
 * symbol's references inside its object itself, so only an object linked
 * while the symbol had default visibility still has symbolic relocations
 * against it: those the loader must bind to the object's own definition.
 */
static void make_protected(struct image *im, const char *name)
{
	if (!name)
		die("protected needs the name of the symbol to protect");
	GElf_Shdr sh;
	Elf_Scn *scn = find_section(im, SHT_DYNSYM, &sh);
	Elf_Data *data = elf_getdata(scn, 0);
	for (size_t i = 1; data && i < sh.sh_size / sizeof(Elf64_Sym); i++) {
		GElf_Sym sym;
		if (!gelf_getsym(data, i, &sym) || strcmp(dynsym_name(im, i), name))
			continue;
		unsigned char other = (sym.st_other & ~3u) | STV_PROTECTED;
		put(im, sh.sh_offset + i * sizeof(Elf64_Sym) + offsetof(Elf64_Sym, st_other), &other, 1);
		return;
	}
	die("%s: no dynamic symbol %s", im->path, name);
}

/*
 * Valid: in DT_RELA, the IRELATIVE entries moved right after the leading
 * RELATIVE ones (so DT_RELACOUNT stays true), ahead of the symbolic ones
 * that ld puts before them.  Nothing orders the table; a loader that defers
 * IRELATIVE, as it must, gives the same result.  (DT_JMPREL stays: the PLT
 * stubs hold indices into it.)
 */
static void irelative_first(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Dyn rela, relasz;
	need_dyn(im, DT_RELA, &rela);
	need_dyn(im, DT_RELASZ, &relasz);
	GElf_Shdr sh;
	Elf_Scn *scn = 0;
	while ((scn = elf_nextscn(im->elf, scn)) &&
	       !(gelf_getshdr(scn, &sh) && sh.sh_type == SHT_RELA && sh.sh_addr == rela.d_un.d_ptr))
		;
	if (!scn || sh.sh_size != relasz.d_un.d_val)
		die("%s: no section holds DT_RELA", im->path);
	const Elf64_Rela *in = (const Elf64_Rela *)(im->orig + sh.sh_offset);
	size_t n = sh.sh_size / sizeof *in, lead = 0, out;
	while (lead < n && ELF64_R_TYPE(in[lead].r_info) == R_X86_64_RELATIVE)
		lead++;
	out = lead;
	for (int pass = 0; pass < 2; pass++)  /* the IRELATIVE ones, then the rest */
		for (size_t i = lead; i < n; i++)
			if ((ELF64_R_TYPE(in[i].r_info) == R_X86_64_IRELATIVE) == !pass)
				put(im, sh.sh_offset + out++ * sizeof *in, &in[i], sizeof *in);
	if (!memcmp(im->bytes + sh.sh_offset, in, sh.sh_size))
		die("%s: no IRELATIVE relocation behind another one in DT_RELA", im->path);
}

/*
 * Valid: DT_SONAME retagged DT_RUNPATH.  ld writes DT_RPATH or DT_RUNPATH,
 * never both; linked with --disable-new-dtags -rpath A -soname B, the
 * object gets DT_RPATH A and DT_RUNPATH B.
 */
static void runpath_from_soname(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Dyn dyn;
	uint64_t off = need_dyn(im, DT_SONAME, &dyn);
	if (!find_dyn(im, DT_RPATH, &(GElf_Dyn){0}))
		die("%s: no DT_RPATH to go with the DT_RUNPATH", im->path);
	dyn.d_tag = DT_RUNPATH;
	put(im, off, &dyn, sizeof(Elf64_Dyn));
}

/*
 * Valid: PT_INTERP names ARG, in place (it must fit).  How a test runs a
 * system program with ld-teach as its interpreter, as the kernel starts it.
 */
static void set_interp(struct image *im, const char *arg)
{
	GElf_Phdr ph;
	if (!arg)
		die("interp needs the interpreter's path");
	find_phdr(im, PT_INTERP, 0, &ph);
	size_t len = strlen(arg) + 1;
	if (len > ph.p_filesz)
		die("%s: PT_INTERP holds %lu bytes, too few for %s", im->path,
		    (unsigned long)ph.p_filesz, arg);
	char field[4096] = {0};
	memcpy(field, arg, len);
	put(im, ph.p_offset, field, ph.p_filesz < sizeof field ? ph.p_filesz : sizeof field);
}

/* The NT_GNU_BUILD_ID note: its PT_NOTE, its notes (libelf's), and where
 * in them it starts (*at), ends (*next) and has its descriptor. */
static Elf_Data *find_build_id(struct image *im, GElf_Phdr *ph, size_t *at, size_t *next,
			       GElf_Nhdr *nh, size_t *desc_at)
{
	for (size_t i = 0; i < im->phnum; i++) {
		if (!gelf_getphdr(im->elf, i, ph) || ph->p_type != PT_NOTE)
			continue;
		Elf_Data *notes = elf_getdata_rawchunk(im->elf, ph->p_offset, ph->p_filesz, ELF_T_NHDR);
		size_t name_at;
		for (*at = 0; notes && (*next = gelf_getnote(notes, *at, nh, &name_at, desc_at)) > 0;
		     *at = *next)
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_descsz)
				return notes;
	}
	die("%s: no NT_GNU_BUILD_ID note", im->path);
}

/* Valid, but another build: the last byte of NT_GNU_BUILD_ID changes. */
static void change_build_id(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr ph;
	GElf_Nhdr nh;
	size_t at, next, desc_at;
	find_build_id(im, &ph, &at, &next, &nh, &desc_at);
	uint64_t off = ph.p_offset + desc_at + nh.n_descsz - 1;
	unsigned char last = im->orig[off] ^ 0xff;
	put(im, off, &last, 1);
}

/* Valid: the build-id note, first in its PT_NOTE, swaps places with the
 * note after it (as a linker may order them). */
static void build_id_second(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr ph;
	GElf_Nhdr nh;
	size_t at, next, end, name_at, desc_at;
	Elf_Data *notes = find_build_id(im, &ph, &at, &next, &nh, &desc_at);
	if (at || !(end = gelf_getnote(notes, next, &nh, &name_at, &desc_at)))
		die("%s: the build-id note is not first in its PT_NOTE, before another", im->path);
	const unsigned char *first = im->orig + ph.p_offset;
	put(im, ph.p_offset, first + next, end - next);
	put(im, ph.p_offset + end - next, first, next);
}

/* The GNU property note, first in a PT_NOTE aligned to 8 (where linkers
 * put it): that program header's index, and the header. */
static size_t find_property_note(const struct image *im, GElf_Phdr *ph)
{
	for (size_t i = 0; i < im->phnum; i++) {
		if (!gelf_getphdr(im->elf, i, ph) || ph->p_type != PT_NOTE || ph->p_align != 8 ||
		    ph->p_filesz < 24 || ph->p_offset + 24 > im->size)
			continue;
		const unsigned char *n = im->orig + ph->p_offset;
		uint32_t namesz, type;
		memcpy(&namesz, n, 4);
		memcpy(&type, n + 8, 4);
		if (namesz == 4 && type == NT_GNU_PROPERTY_TYPE_0 && !memcmp(n + 12, "GNU", 4))
			return i;
	}
	die("%s: no GNU property note first in a PT_NOTE aligned to 8", im->path);
}

/* Valid, and glibc's loader passes the property note over: its PT_NOTE's
 * p_align becomes 4. */
static void property_align_4(struct image *im, const char *arg)
{
	(void)arg;
	GElf_Phdr ph;
	size_t i = find_property_note(im, &ph);
	ph.p_align = 4;
	put_phdr(im, i, &ph);
}

/* The 4-byte word at `offset` in the GNU property note becomes `value`. */
static void put_in_property_note(struct image *im, size_t offset, uint32_t value)
{
	GElf_Phdr ph;
	find_property_note(im, &ph);
	put(im, ph.p_offset + offset, &value, 4);
}

/* Valid, and the property note counts for nothing: its n_descsz becomes 12,
 * not a multiple of 8. */
static void property_descsz_12(struct image *im, const char *arg)
{
	(void)arg;
	put_in_property_note(im, 4, 12);
}

/* Valid, and the property note counts for nothing: its first property
 * (X86_ISA_1_NEEDED in a -z x86-64-vN library) says it has 8 bytes. */
static void property_datasz_8(struct image *im, const char *arg)
{
	(void)arg;
	put_in_property_note(im, 20, 8);
}

/* ----- the table ----- */

/*
 * REJECT: ld-teach must refuse it.  LENIENT: corrupt only where lookups may
 * never look (ld-teach checks those entries when it reads them): it must
 * refuse it if a lookup meets the corruption, and else run it correctly.
 * EXPLICIT: corrupt, and judged by a test of its own in malformed.sh.
 */
enum kind { REJECT, LENIENT, EXPLICIT, VALID };
static const char *const kind_names[] = {"reject", "lenient", "explicit", "valid"};

struct mutation {
	const char *name;
	enum kind kind;
	void (*apply)(struct image *im, const char *arg);
	const char *what;
};

static const struct mutation mutations[] = {
	{"truncate", REJECT, truncate_to, "cut the file to ARG bytes"},
	{"truncate-phdrs", REJECT, truncate_in_phdrs, "cut the file in the middle of the program headers"},
	{"truncate-segment", REJECT, truncate_in_segment, "cut the file in the middle of a PT_LOAD's bytes"},
	{"phoff", REJECT, phoff_past_eof, "e_phoff 8 bytes before the end of the file"},
	{"phentsize", REJECT, phentsize_wrong, "e_phentsize of an Elf32_Phdr"},
	{"phnum-huge", REJECT, phnum_huge, "e_phnum 0xfff0"},
	{"class32", REJECT, class32, "EI_CLASS ELFCLASS32"},
	{"machine", REJECT, machine_wrong, "e_machine EM_AARCH64"},
	{"type-rel", REJECT, type_rel, "e_type ET_REL"},
	{"load-offset", REJECT, load_offset_past_eof, "the last PT_LOAD's p_offset past the end of the file"},
	{"filesz-gt-memsz", REJECT, filesz_over_memsz, "a PT_LOAD with p_filesz > p_memsz"},
	{"load-swap", REJECT, loads_swapped, "the first two PT_LOADs in the wrong order"},
	{"dynamic-outside", REJECT, dynamic_outside_loads, "PT_DYNAMIC's p_vaddr outside every PT_LOAD"},
	{"wx", REJECT, writable_and_executable, "the writable PT_LOAD made executable too"},
	{"tls-align", REJECT, tls_align_not_pow2, "PT_TLS p_align 24, not a power of two"},
	{"memsz-huge", REJECT, memsz_absurd, "the last PT_LOAD's p_memsz 2^46"},
	{"phoff-misaligned", REJECT, phoff_misaligned,
	 "the program headers moved to the end of the file, at an offset 4 mod 8; no PT_PHDR"},
	{"symtab-misaligned", REJECT, symtab_misaligned, "DT_SYMTAB 4 bytes further"},
	{"interp-vaddr", REJECT, interp_vaddr, "PT_INTERP's p_vaddr 2^40 bytes past its bytes"},
	{"phdr-vaddr", REJECT, phdr_vaddr, "PT_PHDR's p_vaddr a page past the program headers"},
	{"phoff-unmapped", REJECT, phoff_unmapped,
	 "the program headers moved to the end of the file, outside every PT_LOAD; no PT_PHDR"},
	{"unreadable-phdrs", REJECT, unreadable_phdrs,
	 "the PT_LOAD holding the program headers loses every permission (PF_R too)"},
	{"unreadable-dynamic", REJECT, unreadable_dynamic,
	 "the PT_LOAD holding PT_DYNAMIC loses every permission (PF_R too)"},
	{"unreadable-strtab", REJECT, unreadable_strtab,
	 "a read-only PT_LOAD past the headers loses PF_R, and DT_STRTAB moves into it"},
	{"readonly-dynamic", REJECT, readonly_dynamic,
	 "the PT_LOAD holding PT_DYNAMIC (and the program's DT_DEBUG) loses PF_W; DT_PLTGOT hidden"},
	{"strtab-outside", REJECT, strtab_outside, "DT_STRTAB outside the object"},
	{"strsz-huge", REJECT, strsz_huge, "DT_STRSZ 0x7fffffff"},
	{"symtab-missing", REJECT, symtab_missing, "no DT_SYMTAB, although DT_GNU_HASH is there"},
	{"pltrelsz-missing", REJECT, pltrelsz_missing, "DT_JMPREL without DT_PLTRELSZ"},
	{"pltgot-readonly", REJECT, pltgot_read_only, "DT_PLTGOT in a read-only PT_LOAD"},
	{"symbol-name", REJECT, symbol_name_out_of_range, "the last dynamic symbol's st_name past DT_STRSZ"},
	{"reloc-symbol", REJECT, reloc_symbol_out_of_range, "a relocation's symbol index 0xfffff"},
	{"entry-noncanonical", REJECT, entry_noncanonical, "e_entry 0x800000000000, not canonical"},
	{"entry-not-code", REJECT, entry_not_code, "e_entry in a mapped PT_LOAD that is not executable"},
	{"static-tls-unflagged", VALID, static_tls_unflagged, "DF_STATIC_TLS cleared from DT_FLAGS"},
	{"local-undefined", REJECT, local_undefined,
	 "the first relocation's symbol becomes local and undefined (value 0)"},
	{"symbol-outside", REJECT, symbol_outside,
	 "a symbol defined here that a relocation names moves 1 TiB past the segments"},
	{"tls-symbol-not-tls", REJECT, tls_symbol_not_tls,
	 "the symbol of the first TLS relocation that names one becomes STT_OBJECT"},
	{"tls-symbol-outside", REJECT, tls_symbol_outside,
	 "the first TLS symbol defined here that a TLS relocation names moves 64 KiB on"},
	{"tls-symbol-abs-outside", REJECT, tls_symbol_abs_outside,
	 "the same, and the symbol made absolute (SHN_ABS)"},
	{"tls-addend-outside", REJECT, tls_addend_outside,
	 "the first DTPOFF64, TPOFF64 or TLSDESC relocation's addend moves 64 KiB on"},
	{"reloc-offset", REJECT, reloc_offset_outside, "a relocation's r_offset outside the object"},
	{"reloc-straddle", REJECT, reloc_straddling_segment_end,
	 "the second relocation writes 8 bytes across its segment's end"},
	{"got-straddle", REJECT, got_word_straddling_segment_end,
	 "the second of two GLOB_DATs in a row writes 8 bytes, the last past its segment's end"},
	{"got-clobbered", REJECT, got_clobbered,
	 "the first relocation writes GOT[1] (DT_PLTGOT + 8), which lazy binding needs"},
	{"got2-clobbered", REJECT, got2_clobbered,
	 "the first relocation writes GOT[2] (DT_PLTGOT + 16), the trampoline's address"},
	{"jump-slot-addend", REJECT, jump_slot_addend, "the first JUMP_SLOT's addend 2^47"},
	{"glob-dat-addend", REJECT, glob_dat_addend, "the first GLOB_DAT's addend 0x18"},
	{"jump-slot-to-data", REJECT, jump_slot_to_data,
	 "the first JUMP_SLOT names a data object this file defines"},
	{"ifunc-calls-plt", EXPLICIT, ifunc_calls_plt,
	 "function ARG becomes an IFUNC, whose resolver (the function) calls through the PLT"},
	{"undefined-with-value", EXPLICIT, undefined_with_value,
	 "the dynamic symbol ARG becomes undefined, keeping its value (a PLT stub's look)"},
	{"reloc-type", REJECT, reloc_type_unknown, "a relocation of type 250"},
	{"newline-in-name", REJECT, newline_in_name,
	 "the name ARG in the dynamic string table gets a newline for its fourth character"},
	{"needed-offset", REJECT, needed_out_of_range, "DT_NEEDED's string offset past DT_STRSZ"},
	{"gnu-bucket", LENIENT, gnu_bucket_out_of_range, "a DT_GNU_HASH bucket naming symbol 0xfffffff0"},
	{"gnu-bloom", REJECT, gnu_bloom_not_pow2, "DT_GNU_HASH's Bloom filter size 3, not a power of two"},
	{"gnu-chain", LENIENT, gnu_chain_unterminated, "no DT_GNU_HASH chain ends: every stop bit cleared"},
	{"sysv-bucket", LENIENT, sysv_bucket_out_of_range, "a DT_HASH bucket naming symbol 0xfffffff0"},
	{"sysv-chain", LENIENT, sysv_chain_loops, "a DT_HASH chain that loops"},
	{"sysv-chain-pair", LENIENT, sysv_chain_loops_through_two,
	 "a DT_HASH chain that loops through two symbols"},
	{"versym", LENIENT, versym_out_of_range, "a DT_VERSYM entry 0x7ff0, past every version"},
	{"init-arraysz", REJECT, init_arraysz_huge, "DT_INIT_ARRAYSZ 0x7ffffffff8"},
	{"preinit-arraysz", REJECT, preinit_arraysz_huge, "DT_PREINIT_ARRAYSZ 0x7ffffffff8"},
	{"entry-in-plt", REJECT, entry_in_plt,
	 "e_entry one byte into .plt: PLT0 jumps to the trampoline with no object pushed"},
	{"plt-index", REJECT, plt_index_past_table,
	 "every PLT stub passes the relocation index one past DT_JMPREL's last"},
	{"init-array-outside", EXPLICIT, init_array_outside,
	 "the first DT_INIT_ARRAY entry (its RELATIVE relocation) 1 MiB further, past the code"},
	{"jump-slot-in-relro", EXPLICIT, jump_slot_in_relro,
	 "a JUMP_SLOT past the first moves into PT_GNU_RELRO: the object is then bound at load"},
	{"reloc-none", VALID, reloc_none, "the relocation against symbol ARG becomes R_X86_64_NONE"},
	{"symbolic", VALID, add_df_symbolic, "DT_FLAGS with DF_SYMBOLIC, in a spare DT_NULL slot"},
	{"align-huge", VALID, align_huge, "the second PT_LOAD's p_align 2^31"},
	{"protected", VALID, make_protected, "the dynamic symbol ARG made STV_PROTECTED"},
	{"text-bss", VALID, text_bss, "the executable PT_LOAD ends with 16 bytes of .bss"},
	{"interp-first", VALID, interp_first, "PT_INTERP and PT_PHDR swapped"},
	{"phdr-mapped-twice", VALID, phdr_mapped_twice,
	 "PT_INTERP first, then PT_PHDR naming a second mapping of the headers (the last PT_NOTE made a PT_LOAD)"},
	{"load-not-first", VALID, load_not_first,
	 "the last program header moved to the front, ahead of the PT_LOADs (their order kept); no PT_PHDR"},
	{"tls-align-zero", VALID, tls_align_zero, "PT_TLS p_align 0"},
	{"gnu-one-bucket", VALID, gnu_one_bucket, "DT_GNU_HASH rewritten with a single bucket"},
	{"irelative-first", VALID, irelative_first,
	 "DT_RELA's IRELATIVE relocations moved ahead of its symbolic ones"},
	{"runpath-from-soname", VALID, runpath_from_soname,
	 "DT_SONAME retagged DT_RUNPATH, next to the DT_RPATH"},
	{"interp", VALID, set_interp, "PT_INTERP names ARG (which must fit in place)"},
	{"build-id", VALID, change_build_id, "the last byte of the NT_GNU_BUILD_ID note flipped"},
	{"build-id-second", VALID, build_id_second,
	 "the NT_GNU_BUILD_ID note, first in its PT_NOTE, swapped with the note after it"},
	{"property-align-4", VALID, property_align_4,
	 "the PT_NOTE holding the GNU property note aligned to 4, not 8"},
	{"property-descsz-12", VALID, property_descsz_12, "the GNU property note's n_descsz 12"},
	{"property-datasz-8", VALID, property_datasz_8,
	 "the GNU property note's first property's pr_datasz 8"},
};

static void list_mutations(void)
{
	for (size_t i = 0; i < sizeof mutations / sizeof *mutations; i++)
		printf("%s\t%s\t%s\n", mutations[i].name, kind_names[mutations[i].kind], mutations[i].what);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		list_mutations();
		return 0;
	}
	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: elfmangle MUTATION IN OUT [ARG]\n       elfmangle --list\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof mutations / sizeof *mutations; i++) {
		if (strcmp(argv[1], mutations[i].name))
			continue;
		struct image im;
		read_input(&im, argv[2]);
		mutations[i].apply(&im, argc == 5 ? argv[4] : 0);
		write_output(&im, argv[3]);
		elf_end(im.elf);
		free(im.orig);
		free(im.bytes);
		return 0;
	}
	die("unknown mutation '%s' (elfmangle --list shows them)", argv[1]);
}
