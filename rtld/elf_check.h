/*
 * The ELF header and program-header validator (elf_check.c).  Pure: it
 * reads only the bytes it is given and the file size, so ld-teach-exec
 * (loader/) and the unit tests use it without the rest of the core.
 */
#ifndef LT_ELF_CHECK_H
#define LT_ELF_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <elf.h>

/* What a valid file's headers say, for the mapper. */
struct lt_elf_info {
	const Elf64_Ehdr *ehdr;
	const Elf64_Phdr *phdr;
	unsigned phnum;
	unsigned nloads;
	uintptr_t lo, hi;             /* page-rounded span of the PT_LOADs (link time) */
	size_t max_align;             /* largest PT_LOAD p_align */
	const Elf64_Phdr *dynamic, *tls, *relro, *interp, *stack;
};

/* NULL when valid, else the reason, worded for an error line. */
const char *lt_elf_check_header(const void *buf, size_t len, uint64_t filesize);
const char *lt_elf_check_phdrs(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, uint64_t filesize,
			       struct lt_elf_info *info);

#endif
