/*
 * The ELF header and program-header validator.
 *
 * Pure: it reads only the bytes it is given and the file size, and answers
 * with NULL (valid) or a reason.  Nothing from a file is used by the loader
 * before it has passed through here, so every later step may trust the
 * header fields, the segment list and the locations of PT_DYNAMIC, PT_TLS,
 * PT_GNU_RELRO and PT_INTERP.  What the loader reads from memory (the
 * program headers, PT_DYNAMIC, the TLS image) lies in a readable PT_LOAD,
 * and the structures among it are aligned.
 */
#include <linux/mman.h>
#include "elf_check.h"
#include "page.h"
#include "print.h"

#define USER_TOP 0x00007ffffffff000UL  /* x86_64 user address space */
#define MAX_PHNUM 256                  /* real objects use about a dozen */

static int is_pow2_or_zero(uint64_t x) { return (x & (x - 1)) == 0; }

/* Is [off, off + len) inside [0, size)?  No overflow possible. */
static int in_bounds(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static const char *check_ident(const Elf64_Ehdr *eh)
{
	if (eh->e_ident[EI_MAG0] != ELFMAG0 || eh->e_ident[EI_MAG1] != ELFMAG1 ||
	    eh->e_ident[EI_MAG2] != ELFMAG2 || eh->e_ident[EI_MAG3] != ELFMAG3)
		return "invalid ELF header";
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return eh->e_ident[EI_CLASS] == ELFCLASS32 ? "wrong ELF class: ELFCLASS32"
							    : "invalid ELF class";
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return "ELF file data encoding not little-endian";
	if (eh->e_ident[EI_VERSION] != EV_CURRENT)
		return "ELF file version ident does not match current one";
	if (eh->e_ident[EI_OSABI] != ELFOSABI_SYSV && eh->e_ident[EI_OSABI] != ELFOSABI_GNU)
		return "ELF file OS ABI invalid";
	return 0;
}

static const char *check_ehdr(const Elf64_Ehdr *eh, uint64_t filesize)
{
	const char *why = check_ident(eh);
	if (why)
		return why;
	if (eh->e_version != EV_CURRENT)
		return "ELF file version does not match current one";
	if (eh->e_machine != EM_X86_64)
		return "ELF file machine is not x86-64";
	if (eh->e_type != ET_DYN && eh->e_type != ET_EXEC)
		return "only ET_DYN and ET_EXEC can be loaded";
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return "ELF file's phentsize not the expected size";
	if (eh->e_phnum == 0)
		return "ELF file has no program headers";
	if (eh->e_phnum > MAX_PHNUM)
		return "ELF file has too many program headers";
	if (!in_bounds(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), filesize))
		return "program headers lie outside the file";
	if (eh->e_phoff % 8)
		return "program headers are misaligned";
	return 0;
}

/* The PT_LOAD holding [vaddr, vaddr + len) (in its file-backed part, if `file`), or NULL. */
static const Elf64_Phdr *load_holding(const Elf64_Phdr *ph, unsigned n, uint64_t vaddr,
				      uint64_t len, int file)
{
	for (unsigned i = 0; i < n; i++) {
		if (ph[i].p_type != PT_LOAD || vaddr < ph[i].p_vaddr)
			continue;
		uint64_t size = file ? ph[i].p_filesz : ph[i].p_memsz;
		if (in_bounds(vaddr - ph[i].p_vaddr, len, size))
			return &ph[i];
	}
	return 0;
}

/* `what` is read from memory: the PT_LOAD `load` that holds it must be readable. */
static const char *unreadable(const char *what, const Elf64_Phdr *load)
{
	static char why[112];  /* (loading holds the loader lock) */
	if (!load || (load->p_flags & PF_R))
		return 0;
	lt_format(why, sizeof why, "the PT_LOAD at %#lx, which holds %s, is not readable",
		  (unsigned long)load->p_vaddr, what);
	return why;
}

/* Does `load` map segment p's bytes from the file, p_offset at p_vaddr? */
static int maps_its_bytes(const Elf64_Phdr *load, const Elf64_Phdr *p)
{
	return load && p->p_vaddr - load->p_vaddr == p->p_offset - load->p_offset;
}

/* The PT_LOAD whose file bytes hold the program headers (mapped there), or NULL. */
static const Elf64_Phdr *load_of_phdrs(const Elf64_Ehdr *eh, const Elf64_Phdr *ph)
{
	uint64_t size = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
	for (unsigned i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && eh->e_phoff >= ph[i].p_offset &&
		    in_bounds(eh->e_phoff - ph[i].p_offset, size, ph[i].p_filesz))
			return &ph[i];
	return 0;
}

static const char *check_load(const Elf64_Phdr *p, uint64_t filesize, uint64_t *prev_end)
{
	if (!in_bounds(p->p_offset, p->p_filesz, filesize))
		return "ELF load command lies outside the file";
	if (p->p_filesz > p->p_memsz)
		return "ELF load command has a file size larger than its memory size";
	if (!is_pow2_or_zero(p->p_align))
		return "ELF load command alignment is not a power of two";
	if ((p->p_vaddr - p->p_offset) % LT_PAGE_SIZE)
		return "ELF load command address and file offset differ modulo the page size";
	if (!p->p_memsz)
		return 0;  /* empty (GNU ld's, for an empty .rodata): maps nothing, as in glibc */
	if (p->p_vaddr >= USER_TOP || p->p_memsz > USER_TOP - p->p_vaddr)
		return "ELF load command address is out of range";
	if (page_down(p->p_vaddr) < *prev_end)
		return "ELF load commands overlap or are not sorted";
	if ((p->p_flags & PF_W) && (p->p_flags & PF_X))
		return "ELF load command is both writable and executable";
	*prev_end = page_up(p->p_vaddr + p->p_memsz);
	return 0;
}

static const char *check_others(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, uint64_t filesize,
				struct lt_elf_info *info)
{
	const char *why;
	unsigned n = eh->e_phnum;
	for (unsigned i = 0; i < n; i++) {
		const Elf64_Phdr *p = &ph[i];
		/* where its bytes from the file are mapped */
		const Elf64_Phdr *load = load_holding(ph, n, p->p_vaddr, p->p_filesz, 1);
		switch (p->p_type) {
		case PT_DYNAMIC:
			if (info->dynamic)
				return "more than one PT_DYNAMIC";
			if (p->p_filesz < sizeof(Elf64_Dyn) ||
			    !in_bounds(p->p_offset, p->p_filesz, filesize) || !load)
				return "PT_DYNAMIC lies outside the loaded segments";
			if (p->p_vaddr % 8)
				return "PT_DYNAMIC is misaligned";
			if ((why = unreadable("PT_DYNAMIC", load)))
				return why;
			info->dynamic = p;
			break;
		case PT_TLS:
			if (info->tls)
				return "more than one PT_TLS";
			if (p->p_filesz > p->p_memsz || !is_pow2_or_zero(p->p_align) ||
			    p->p_memsz > (1UL << 30) || p->p_align > LT_PAGE_SIZE ||
			    (p->p_filesz && !load))
				return "PT_TLS segment is invalid";
			if (p->p_filesz && (why = unreadable("PT_TLS", load)))
				return why;
			info->tls = p;
			break;
		case PT_GNU_RELRO:
			if (!load_holding(ph, n, p->p_vaddr, p->p_memsz, 0))
				return "PT_GNU_RELRO lies outside the loaded segments";
			info->relro = p;
			break;
		case PT_INTERP:
			/* The kernel reads it from the file, the loader from memory: the
			 * same bytes (which the kernel checked end in a NUL). */
			if (p->p_filesz == 0 || p->p_filesz > 4096 ||
			    !in_bounds(p->p_offset, p->p_filesz, filesize))
				return "PT_INTERP lies outside the file";
			if (!maps_its_bytes(load, p))
				return "PT_INTERP lies outside the loaded segments";
			if ((why = unreadable("PT_INTERP", load)))
				return why;
			info->interp = p;
			break;
		case PT_PHDR:
			/* The loader finds the program headers through it. */
			if (!load)
				return "PT_PHDR lies outside the loaded segments";
			if (p->p_offset != eh->e_phoff || p->p_filesz < n * sizeof(Elf64_Phdr) ||
			    !maps_its_bytes(load, p))
				return "PT_PHDR does not describe the program headers";
			if ((why = unreadable("PT_PHDR", load)))
				return why;
			break;
		case PT_GNU_STACK:
			info->stack = p;
			break;
		}
	}
	return 0;
}

const char *lt_elf_check_header(const void *buf, size_t len, uint64_t filesize)
{
	if (len < sizeof(Elf64_Ehdr) || filesize < sizeof(Elf64_Ehdr))
		return "file too short";
	return check_ehdr(buf, filesize);
}

const char *lt_elf_check_phdrs(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, uint64_t filesize,
			       struct lt_elf_info *info)
{
	*info = (struct lt_elf_info){0};
	const char *why;
	uint64_t prev_end = 0;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if ((why = check_load(&ph[i], filesize, &prev_end)))
			return why;
		if (!ph[i].p_memsz)
			continue;  /* every later step passes over an empty one */
		if (!info->nloads)
			info->lo = page_down(ph[i].p_vaddr);
		info->hi = prev_end;
		if (ph[i].p_align > info->max_align)
			info->max_align = ph[i].p_align;
		info->nloads++;
	}
	if (!info->nloads)
		return "ELF file has no loadable segments";
	if ((why = unreadable("the program headers", load_of_phdrs(eh, ph))) ||
	    (why = check_others(eh, ph, filesize, info)))
		return why;
	info->ehdr = eh;
	info->phdr = ph;
	info->phnum = eh->e_phnum;
	return 0;
}
