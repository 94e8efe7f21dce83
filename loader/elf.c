/*
 * The program and its interpreter as ELF files: their headers, checked by
 * the core's validator (rtld/elf_check.c), and what follows from them: the
 * mmaps that load them, AT_PHDR, the code and data bounds, and where the
 * trampoline can go.
 */
#include <linux/mman.h>
#include "loader.h"

int elf_read_headers(struct exec_elf *e, const void *head, size_t len, const char **why)
{
	if ((*why = lt_elf_check_header(head, len, e->size)))
		return -ENOEXEC;
	memcpy(&e->ehdr, head, sizeof e->ehdr);
	size_t size = (size_t)e->ehdr.e_phnum * sizeof(Elf64_Phdr);
	if (size > sizeof e->phdr) {
		*why = "program headers take more than a page";
		return -ENOEXEC;
	}
	long n = sys_pread(e->fd, e->phdr, size, e->ehdr.e_phoff);
	if (n < 0) {
		*why = "cannot read the program headers";
		return n;
	}
	if ((size_t)n != size) {
		*why = "program headers lie outside the file";
		return -ENOEXEC;
	}
	if ((*why = lt_elf_check_phdrs(&e->ehdr, e->phdr, e->size, &e->info)))
		return -ENOEXEC;
	return 0;
}

int elf_read_interp(const struct exec_elf *e, char *buf, size_t size, const char **why)
{
	const Elf64_Phdr *p = e->info.interp;
	if (p->p_filesz >= size) {
		*why = "PT_INTERP is too long";
		return -ENOEXEC;
	}
	if (sys_pread(e->fd, buf, p->p_filesz, p->p_offset) != (long)p->p_filesz ||
	    buf[p->p_filesz - 1] != 0) {
		*why = "PT_INTERP is not a NUL-terminated path";
		return -ENOEXEC;
	}
	return 0;
}

int elf_entry_is_executable(const struct exec_elf *e)
{
	uint64_t entry = e->ehdr.e_entry;
	for (unsigned i = 0; i < e->info.phnum; i++) {
		const Elf64_Phdr *p = &e->phdr[i];
		if (p->p_type == PT_LOAD && (p->p_flags & PF_X) && entry >= p->p_vaddr &&
		    entry - p->p_vaddr < p->p_memsz)
			return 1;
	}
	return 0;
}

int elf_wants_exec_stack(const struct exec_elf *e)
{
	return e->info.stack && (e->info.stack->p_flags & PF_X);
}

uint64_t elf_phdr_address(const struct exec_elf *e)
{
	uint64_t off = e->ehdr.e_phoff;
	for (unsigned i = 0; i < e->info.phnum; i++) {
		const Elf64_Phdr *p = &e->phdr[i];
		if (p->p_type == PT_LOAD && off >= p->p_offset && off - p->p_offset < p->p_filesz)
			return e->bias + p->p_vaddr + (off - p->p_offset);
	}
	return 0;
}

/*
 * The kernel's rule: code spans the executable segments, data runs from the
 * last segment to the end of the file-backed part furthest out.
 */
void elf_code_data_bounds(const struct exec_elf *e, struct prctl_mm_map *mm)
{
	uint64_t start_code = ~0ULL, end_code = 0, start_data = 0, end_data = 0;
	for (unsigned i = 0; i < e->info.phnum; i++) {
		const Elf64_Phdr *p = &e->phdr[i];
		if (p->p_type != PT_LOAD)
			continue;
		uint64_t end = p->p_vaddr + p->p_filesz;
		if (p->p_flags & PF_X) {
			start_code = p->p_vaddr < start_code ? p->p_vaddr : start_code;
			end_code = end > end_code ? end : end_code;
		}
		start_data = p->p_vaddr > start_data ? p->p_vaddr : start_data;
		end_data = end > end_data ? end : end_data;
	}
	mm->start_code = e->bias + start_code;
	mm->end_code = e->bias + end_code;
	mm->start_data = e->bias + start_data;
	mm->end_data = e->bias + end_data;
}

uint64_t elf_trampoline_site(const struct exec_elf *e, size_t need)
{
	for (unsigned i = 0; i < e->info.phnum; i++) {
		const Elf64_Phdr *p = &e->phdr[i];
		if (p->p_type != PT_LOAD || !(p->p_flags & PF_X) || p->p_filesz != p->p_memsz)
			continue;
		uint64_t end = e->bias + p->p_vaddr + p->p_memsz;
		uint64_t site = (end + 15) & ~15ULL;
		if (site + need <= page_up(end))
			return site;
	}
	return 0;
}

static int prot_of(uint32_t flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) |
	       ((flags & PF_X) ? PROT_EXEC : 0);
}

/* The file-backed part of a segment: whole pages, from its first to its last file byte. */
static struct stage_map file_map(const struct exec_elf *e, const Elf64_Phdr *p, int object,
				 uint64_t tramp_at)
{
	uint64_t start = e->bias + p->p_vaddr, file_end = start + p->p_filesz;
	struct stage_map m = {
		.addr = page_down(start),
		.len = page_up(file_end) - page_down(start),
		.offset = page_down(p->p_offset),
		.fd = e->fd,
		.object = object,
		.prot = prot_of(p->p_flags),
		.final_prot = prot_of(p->p_flags),
	};
	/*
	 * A segment with .bss: the rest of its last file page is cleared, up to
	 * the page's end, as the kernel does (glibc's ld.so allocates from the
	 * bytes after its own end).  Only in writable segments, as in the kernel.
	 */
	if (p->p_memsz > p->p_filesz && (m.prot & PROT_WRITE)) {
		m.zero_from = file_end;
		m.zero_to = page_up(file_end);
	}
	/* Writable, never also executable, while the stage writes the trampoline. */
	if (tramp_at >= m.addr && tramp_at < m.addr + m.len) {
		m.prot = (m.prot | PROT_WRITE) & ~PROT_EXEC;
		m.tramp_at = tramp_at;
	}
	return m;
}

unsigned elf_map_ops(const struct exec_elf *e, int object, uint64_t tramp_at,
		     struct stage_map *maps)
{
	unsigned n = 0;
	for (unsigned i = 0; i < e->info.phnum; i++) {
		const Elf64_Phdr *p = &e->phdr[i];
		if (p->p_type != PT_LOAD)
			continue;
		uint64_t start = e->bias + p->p_vaddr;
		uint64_t anon_start = page_down(start);
		if (p->p_filesz) {
			maps[n] = file_map(e, p, object, tramp_at);
			anon_start = maps[n].addr + maps[n].len;
			n++;
		}
		uint64_t anon_end = page_up(start + p->p_memsz);
		if (anon_end > anon_start)
			maps[n++] = (struct stage_map){
				.addr = anon_start,
				.len = anon_end - anon_start,
				.fd = -1,
				.object = object,
				.prot = prot_of(p->p_flags),
				.final_prot = prot_of(p->p_flags),
			};
	}
	return n;
}
