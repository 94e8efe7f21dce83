/*
 * The ELF header and program-header validator (rtld/elf_check.c), on
 * crafted headers: one valid shared library, then one defect at a time.
 * Each defect must be refused for its own reason, not for another one.
 */
#include <string.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include "elf_check.h"

enum { PH_PHDR, PH_INTERP, PH_TEXT0, PH_TEXT, PH_DATA, PH_DYNAMIC, PH_TLS, PH_RELRO, PH_STACK, NPH };

/* The headers as they sit at the start of the file. */
static struct {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[NPH];
} f;

#define FILESIZE 0x3100

static Elf64_Phdr phdr(uint32_t type, uint32_t flags, uint64_t off, uint64_t vaddr,
		       uint64_t filesz, uint64_t memsz, uint64_t align)
{
	return (Elf64_Phdr){.p_type = type, .p_flags = flags, .p_offset = off, .p_vaddr = vaddr,
			    .p_paddr = vaddr, .p_filesz = filesz, .p_memsz = memsz, .p_align = align};
}

/* A small but complete position-independent program, laid out as GNU ld does. */
static void make_valid(void)
{
	memset(&f, 0, sizeof f);
	memcpy(f.eh.e_ident, ELFMAG, SELFMAG);
	f.eh.e_ident[EI_CLASS] = ELFCLASS64;
	f.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	f.eh.e_ident[EI_VERSION] = EV_CURRENT;
	f.eh.e_ident[EI_OSABI] = ELFOSABI_SYSV;
	f.eh.e_type = ET_DYN;
	f.eh.e_machine = EM_X86_64;
	f.eh.e_version = EV_CURRENT;
	f.eh.e_entry = 0x1040;
	f.eh.e_phoff = offsetof(__typeof__(f), ph);
	f.eh.e_ehsize = sizeof f.eh;
	f.eh.e_phentsize = sizeof(Elf64_Phdr);
	f.eh.e_phnum = NPH;
	f.ph[PH_PHDR] = phdr(PT_PHDR, PF_R, 64, 64, sizeof f.ph, sizeof f.ph, 8);
	f.ph[PH_INTERP] = phdr(PT_INTERP, PF_R, 0x238, 0x238, 0x1c, 0x1c, 1);
	f.ph[PH_TEXT0] = phdr(PT_LOAD, PF_R, 0, 0, 0x800, 0x800, 0x1000);
	f.ph[PH_TEXT] = phdr(PT_LOAD, PF_R | PF_X, 0x1000, 0x1000, 0x1000, 0x1000, 0x1000);
	f.ph[PH_DATA] = phdr(PT_LOAD, PF_R | PF_W, 0x2e00, 0x3e00, 0x300, 0x500, 0x1000);
	f.ph[PH_DYNAMIC] = phdr(PT_DYNAMIC, PF_R | PF_W, 0x2e40, 0x3e40, 0x100, 0x100, 8);
	f.ph[PH_TLS] = phdr(PT_TLS, PF_R, 0x2e00, 0x3e00, 0x10, 0x20, 8);
	f.ph[PH_RELRO] = phdr(PT_GNU_RELRO, PF_R, 0x2e00, 0x3e00, 0x200, 0x200, 1);
	f.ph[PH_STACK] = phdr(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
}

TestSuite(elf_check, .init = make_valid);

/* The reason the whole check gives: the header first, then the program headers. */
static const char *check(uint64_t filesize)
{
	const char *why = lt_elf_check_header(&f, sizeof f, filesize);
	if (why)
		return why;
	struct lt_elf_info info;
	return lt_elf_check_phdrs(&f.eh, f.ph, filesize, &info);
}

#define EXPECT_REFUSED(reason) cr_expect(eq(str, (char *)check(FILESIZE), reason))

Test(elf_check, a_valid_library_passes_and_is_described)
{
	cr_assert(eq(ptr, (void *)lt_elf_check_header(&f, sizeof f, FILESIZE), NULL));
	struct lt_elf_info info;
	const char *why = lt_elf_check_phdrs(&f.eh, f.ph, FILESIZE, &info);
	cr_assert(eq(ptr, (void *)why, NULL), "refused: %s", why);
	cr_expect(eq(ptr, (void *)info.ehdr, &f.eh));
	cr_expect(eq(ptr, (void *)info.phdr, f.ph));
	cr_expect(eq(uint, info.phnum, NPH));
	cr_expect(eq(uint, info.nloads, 3));
	cr_expect(eq(u64, info.lo, 0));
	cr_expect(eq(u64, info.hi, 0x5000), "0x3e00 + 0x500, rounded up to a page");
	cr_expect(eq(sz, info.max_align, 0x1000));
	cr_expect(eq(ptr, (void *)info.dynamic, &f.ph[PH_DYNAMIC]));
	cr_expect(eq(ptr, (void *)info.tls, &f.ph[PH_TLS]));
	cr_expect(eq(ptr, (void *)info.relro, &f.ph[PH_RELRO]));
	cr_expect(eq(ptr, (void *)info.interp, &f.ph[PH_INTERP]));
	cr_expect(eq(ptr, (void *)info.stack, &f.ph[PH_STACK]));
}

/* A fixed-address program whose only segment does not start on a page. */
Test(elf_check, a_fixed_address_program_passes)
{
	f.eh.e_type = ET_EXEC;
	f.eh.e_phnum = 1;
	f.ph[0] = phdr(PT_LOAD, PF_R | PF_X, 0x40, 0x400040, 0x1000, 0x1000, 0x1000);
	struct lt_elf_info info;
	cr_assert(eq(ptr, (void *)check(FILESIZE), NULL));
	cr_assert(eq(ptr, (void *)lt_elf_check_phdrs(&f.eh, f.ph, FILESIZE, &info), NULL));
	cr_expect(eq(u64, info.lo, 0x400000));
	cr_expect(eq(u64, info.hi, 0x402000));
	cr_expect(eq(ptr, (void *)info.dynamic, NULL));
}

Test(elf_check, ELFOSABI_GNU_is_accepted)
{
	f.eh.e_ident[EI_OSABI] = ELFOSABI_GNU;
	cr_expect(eq(ptr, (void *)check(FILESIZE), NULL));
}

/* ----- the ELF header ----- */

Test(elf_check, too_short)
{
	cr_expect(eq(str, (char *)lt_elf_check_header(&f, sizeof f.eh - 1, FILESIZE), "file too short"));
	cr_expect(eq(str, (char *)lt_elf_check_header(&f, sizeof f, sizeof f.eh - 1), "file too short"));
	cr_expect(eq(str, (char *)lt_elf_check_header(&f, 0, 0), "file too short"));
}

Test(elf_check, bad_magic)
{
	f.eh.e_ident[EI_MAG1] = 'F';
	EXPECT_REFUSED("invalid ELF header");
	make_valid();
	f.eh.e_ident[EI_MAG0] = 0;
	EXPECT_REFUSED("invalid ELF header");
}

Test(elf_check, wrong_class)
{
	f.eh.e_ident[EI_CLASS] = ELFCLASS32;
	EXPECT_REFUSED("wrong ELF class: ELFCLASS32");
	f.eh.e_ident[EI_CLASS] = ELFCLASSNONE;
	EXPECT_REFUSED("invalid ELF class");
}

Test(elf_check, big_endian)
{
	f.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	EXPECT_REFUSED("ELF file data encoding not little-endian");
}

Test(elf_check, wrong_versions_and_abi)
{
	f.eh.e_ident[EI_VERSION] = 2;
	EXPECT_REFUSED("ELF file version ident does not match current one");
	make_valid();
	f.eh.e_version = 0;
	EXPECT_REFUSED("ELF file version does not match current one");
	make_valid();
	f.eh.e_ident[EI_OSABI] = ELFOSABI_FREEBSD;
	EXPECT_REFUSED("ELF file OS ABI invalid");
}

Test(elf_check, wrong_machine)
{
	f.eh.e_machine = EM_386;
	EXPECT_REFUSED("ELF file machine is not x86-64");
	f.eh.e_machine = EM_AARCH64;
	EXPECT_REFUSED("ELF file machine is not x86-64");
}

Test(elf_check, wrong_type)
{
	f.eh.e_type = ET_REL;
	EXPECT_REFUSED("only ET_DYN and ET_EXEC can be loaded");
	f.eh.e_type = ET_CORE;
	EXPECT_REFUSED("only ET_DYN and ET_EXEC can be loaded");
}

Test(elf_check, bad_phentsize)
{
	f.eh.e_phentsize = 32;  /* an Elf32_Phdr */
	EXPECT_REFUSED("ELF file's phentsize not the expected size");
	f.eh.e_phentsize = 64;
	EXPECT_REFUSED("ELF file's phentsize not the expected size");
}

Test(elf_check, phnum_zero_or_absurd)
{
	f.eh.e_phnum = 0;
	EXPECT_REFUSED("ELF file has no program headers");
	f.eh.e_phnum = 0xffff;  /* PN_XNUM */
	EXPECT_REFUSED("ELF file has too many program headers");
}

Test(elf_check, program_headers_past_the_file)
{
	f.eh.e_phoff = FILESIZE - sizeof(Elf64_Phdr);  /* the first fits, the rest do not */
	EXPECT_REFUSED("program headers lie outside the file");
	f.eh.e_phoff = UINT64_MAX - 8;  /* e_phoff + size wraps around */
	EXPECT_REFUSED("program headers lie outside the file");
	make_valid();
	cr_expect(eq(str, (char *)check(sizeof f.eh + 2 * sizeof(Elf64_Phdr)),
		     "program headers lie outside the file"), "a file cut inside its program headers");
}

/* ----- PT_LOAD ----- */

Test(elf_check, segment_past_the_file)
{
	f.ph[PH_DATA].p_filesz = FILESIZE;  /* from 0x2e00 on */
	f.ph[PH_DATA].p_memsz = FILESIZE;
	EXPECT_REFUSED("ELF load command lies outside the file");
	make_valid();
	f.ph[PH_TEXT].p_offset = UINT64_MAX & ~0xfffUL;  /* wraps with p_filesz */
	f.ph[PH_TEXT].p_vaddr = 0x1000;
	EXPECT_REFUSED("ELF load command lies outside the file");
	make_valid();
	cr_expect(eq(str, (char *)check(0x2000), "ELF load command lies outside the file"),
		  "a file cut inside its data segment");
}

Test(elf_check, filesz_larger_than_memsz)
{
	f.ph[PH_TEXT].p_memsz = f.ph[PH_TEXT].p_filesz - 1;
	EXPECT_REFUSED("ELF load command has a file size larger than its memory size");
}

Test(elf_check, alignment_not_a_power_of_two)
{
	f.ph[PH_TEXT].p_align = 0x1800;
	EXPECT_REFUSED("ELF load command alignment is not a power of two");
}

Test(elf_check, misaligned_offset_or_address)
{
	f.ph[PH_TEXT].p_vaddr = 0x1010;
	EXPECT_REFUSED("ELF load command address and file offset differ modulo the page size");
	make_valid();
	f.ph[PH_TEXT].p_offset = 0x1008;
	EXPECT_REFUSED("ELF load command address and file offset differ modulo the page size");
}

/* GNU ld emits an empty PT_LOAD for an empty .rodata: like glibc, passed
 * over (not counted, not in the span), wherever it says it is. */
Test(elf_check, empty_segment_is_passed_over)
{
	f.ph[PH_STACK] = phdr(PT_LOAD, PF_R, 0x2000, 0x2000, 0, 0, 0x1000);
	struct lt_elf_info info;
	const char *why = lt_elf_check_phdrs(&f.eh, f.ph, FILESIZE, &info);
	cr_assert(eq(ptr, (void *)why, NULL), "refused: %s", why);
	cr_expect(eq(uint, info.nloads, 3));
	cr_expect(eq(u64, info.hi, 0x5000));
	f.ph[PH_STACK].p_vaddr = 0x1000;  /* inside the text, after the data */
	cr_expect(eq(ptr, (void *)check(FILESIZE), NULL));
	f.ph[PH_STACK].p_filesz = 0x10;  /* file bytes, but no memory for them */
	EXPECT_REFUSED("ELF load command has a file size larger than its memory size");
}

Test(elf_check, segment_beyond_user_space)
{
	f.ph[PH_DATA].p_memsz = 1UL << 47;
	EXPECT_REFUSED("ELF load command address is out of range");
	make_valid();
	f.ph[PH_DATA].p_vaddr = 0x7ffffffff000UL + 0xe00;
	EXPECT_REFUSED("ELF load command address is out of range");
	make_valid();
	f.ph[PH_DATA].p_memsz = UINT64_MAX - 0x1000;  /* p_vaddr + p_memsz wraps around */
	EXPECT_REFUSED("ELF load command address is out of range");
}

Test(elf_check, loads_out_of_order)
{
	Elf64_Phdr text = f.ph[PH_TEXT];
	f.ph[PH_TEXT] = f.ph[PH_TEXT0];
	f.ph[PH_TEXT0] = text;
	EXPECT_REFUSED("ELF load commands overlap or are not sorted");
}

Test(elf_check, loads_overlapping)
{
	f.ph[PH_TEXT].p_vaddr = 0;  /* on top of the first segment */
	EXPECT_REFUSED("ELF load commands overlap or are not sorted");
	make_valid();
	/* The same page as the end of the first segment: mapping one would undo the other. */
	f.ph[PH_TEXT].p_offset = 0x900;
	f.ph[PH_TEXT].p_vaddr = 0x900;
	EXPECT_REFUSED("ELF load commands overlap or are not sorted");
}

Test(elf_check, writable_and_executable)
{
	f.ph[PH_DATA].p_flags = PF_R | PF_W | PF_X;
	EXPECT_REFUSED("ELF load command is both writable and executable");
	make_valid();
	f.ph[PH_TEXT].p_flags = PF_W | PF_X;
	EXPECT_REFUSED("ELF load command is both writable and executable");
}

Test(elf_check, no_loadable_segment)
{
	f.ph[PH_TEXT0].p_type = PT_NULL;
	f.ph[PH_TEXT].p_type = PT_NOTE;
	f.ph[PH_DATA].p_type = PT_NULL;
	EXPECT_REFUSED("ELF file has no loadable segments");
}

/* ----- the other segments must lie where they can be used ----- */

Test(elf_check, dynamic_outside_every_load)
{
	f.ph[PH_DYNAMIC].p_vaddr = 0x10000;
	EXPECT_REFUSED("PT_DYNAMIC lies outside the loaded segments");
}

Test(elf_check, dynamic_in_bss_or_crossing_the_file_part)
{
	f.ph[PH_DYNAMIC].p_vaddr = 0x4180;  /* past 0x3e00 + p_filesz 0x300 */
	EXPECT_REFUSED("PT_DYNAMIC lies outside the loaded segments");
	make_valid();
	f.ph[PH_DYNAMIC].p_filesz = 0x2c8;  /* 0x3e40 + 0x2c8 runs 8 bytes past the file part */
	EXPECT_REFUSED("PT_DYNAMIC lies outside the loaded segments");
}

Test(elf_check, dynamic_too_small_or_past_the_file)
{
	f.ph[PH_DYNAMIC].p_filesz = sizeof(Elf64_Dyn) - 1;
	EXPECT_REFUSED("PT_DYNAMIC lies outside the loaded segments");
	make_valid();
	f.ph[PH_DYNAMIC].p_offset = FILESIZE - 8;
	EXPECT_REFUSED("PT_DYNAMIC lies outside the loaded segments");
}

Test(elf_check, two_dynamic_segments)
{
	f.ph[PH_RELRO] = f.ph[PH_DYNAMIC];
	EXPECT_REFUSED("more than one PT_DYNAMIC");
}

Test(elf_check, bad_tls)
{
	static const struct {
		uint64_t filesz, memsz, align, vaddr;
		const char *what;
	} bad[] = {
		{0x30, 0x20, 8, 0x3e00, "p_filesz > p_memsz"},
		{0x10, 0x20, 12, 0x3e00, "alignment not a power of two"},
		{0x10, 0x20, 0x2000, 0x3e00, "alignment beyond a page"},
		{0x10, (1UL << 30) + 1, 8, 0x3e00, "a block over 1 GiB"},
		{0x10, 0x20, 8, 0x9000, "an init image outside every segment"},
		{0x10, 0x20, 8, 0x40f8, "an init image crossing the end of the file part"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		make_valid();
		f.ph[PH_TLS].p_filesz = bad[i].filesz;
		f.ph[PH_TLS].p_memsz = bad[i].memsz;
		f.ph[PH_TLS].p_align = bad[i].align;
		f.ph[PH_TLS].p_vaddr = bad[i].vaddr;
		cr_expect(eq(str, (char *)check(FILESIZE), "PT_TLS segment is invalid"), "%s", bad[i].what);
	}
}

Test(elf_check, tls_all_bss_needs_no_image)
{
	f.ph[PH_TLS].p_filesz = 0;
	f.ph[PH_TLS].p_vaddr = 0x9000;  /* never read */
	cr_expect(eq(ptr, (void *)check(FILESIZE), NULL));
}

Test(elf_check, two_tls_segments)
{
	f.ph[PH_RELRO] = f.ph[PH_TLS];
	EXPECT_REFUSED("more than one PT_TLS");
}

Test(elf_check, relro_outside_the_segments)
{
	f.ph[PH_RELRO].p_memsz = 0x800;  /* past 0x3e00 + p_memsz 0x500 */
	EXPECT_REFUSED("PT_GNU_RELRO lies outside the loaded segments");
}

Test(elf_check, bad_interp)
{
	f.ph[PH_INTERP].p_filesz = 0;
	EXPECT_REFUSED("PT_INTERP lies outside the file");
	make_valid();
	f.ph[PH_INTERP].p_filesz = 4097;
	EXPECT_REFUSED("PT_INTERP lies outside the file");
	make_valid();
	f.ph[PH_INTERP].p_offset = FILESIZE - 4;
	EXPECT_REFUSED("PT_INTERP lies outside the file");
}

/* What the loader reads from memory must lie in a readable PT_LOAD, which the reason names. */
Test(elf_check, what_is_read_must_be_readable)
{
	f.ph[PH_TEXT0].p_flags = 0;  /* holds the program headers (PT_PHDR) */
	EXPECT_REFUSED("the PT_LOAD at 0x0, which holds the program headers, is not readable");
	make_valid();
	f.ph[PH_DATA].p_flags = PF_W;  /* holds PT_DYNAMIC and the TLS image */
	f.ph[PH_TLS].p_filesz = 0;
	EXPECT_REFUSED("the PT_LOAD at 0x3e00, which holds PT_DYNAMIC, is not readable");
	f.ph[PH_TLS].p_filesz = 0x10;
	f.ph[PH_DYNAMIC].p_type = PT_NULL;
	EXPECT_REFUSED("the PT_LOAD at 0x3e00, which holds PT_TLS, is not readable");
}

Test(elf_check, program_headers_without_pt_phdr_must_be_readable)
{
	f.ph[PH_PHDR].p_type = PT_NULL;
	f.ph[PH_TEXT0].p_flags = PF_X;
	EXPECT_REFUSED("the PT_LOAD at 0x0, which holds the program headers, is not readable");
}

/* The loader finds the program headers through PT_PHDR: it must say where they are. */
Test(elf_check, phdr_must_describe_the_program_headers)
{
	f.ph[PH_PHDR].p_vaddr += 0x1000;  /* inside the text, which maps other bytes there */
	EXPECT_REFUSED("PT_PHDR does not describe the program headers");
	make_valid();
	f.ph[PH_PHDR].p_offset = f.ph[PH_PHDR].p_vaddr = 0x100;
	EXPECT_REFUSED("PT_PHDR does not describe the program headers");
	make_valid();
	f.ph[PH_PHDR].p_filesz = f.ph[PH_PHDR].p_memsz = sizeof(Elf64_Phdr);
	EXPECT_REFUSED("PT_PHDR does not describe the program headers");
}

/* The kernel reads PT_INTERP from the file, the loader from memory: the same bytes. */
Test(elf_check, interp_must_be_mapped_from_its_bytes)
{
	f.ph[PH_INTERP].p_vaddr += 1UL << 40;
	EXPECT_REFUSED("PT_INTERP lies outside the loaded segments");
	make_valid();
	f.ph[PH_INTERP].p_vaddr = 0x1238;  /* inside the text, which maps other bytes there */
	EXPECT_REFUSED("PT_INTERP lies outside the loaded segments");
}

/* Structures are read where they lie: they must be aligned. */
Test(elf_check, program_headers_and_dynamic_must_be_aligned)
{
	f.eh.e_phoff += 4;
	EXPECT_REFUSED("program headers are misaligned");
	make_valid();
	f.ph[PH_DYNAMIC].p_vaddr += 4;
	f.ph[PH_DYNAMIC].p_offset += 4;
	EXPECT_REFUSED("PT_DYNAMIC is misaligned");
}

Test(elf_check, phdr_outside_the_segments)
{
	f.ph[PH_PHDR].p_vaddr = 0x2800;  /* between the first two segments */
	EXPECT_REFUSED("PT_PHDR lies outside the loaded segments");
}
