/*
 * fs-auxv: what the program sees of itself.  Started through ld-teach in
 * either mode, argv and the auxiliary vector must describe this program as
 * if the kernel had started it directly with ld-teach as its interpreter.
 */
#include <elf.h>
#include "rt.h"

extern const Elf64_Ehdr __ehdr_start;
extern char _start[];

/*
 * Where AT_PHDR must point: where PT_PHDR, wherever it lies in the table,
 * says the headers are (glibc's loader takes its p_vaddr; the kernel, the
 * last PT_LOAD that maps e_phoff, the same place in our files), else where
 * the PT_LOAD that maps the file's first bytes (__ehdr_start) maps e_phoff.
 * They differ only when the headers are mapped twice (elfmangle's
 * phdr-mapped-twice, malformed.sh).
 */
static uintptr_t phdr_expected(void)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((const char *)&__ehdr_start + __ehdr_start.e_phoff);
	uintptr_t bias = 0;
	for (unsigned i = 0; i < __ehdr_start.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0) {
			bias = (uintptr_t)&__ehdr_start - ph[i].p_vaddr;
			break;
		}
	for (unsigned i = 0; i < __ehdr_start.e_phnum; i++)
		if (ph[i].p_type == PT_PHDR)
			return bias + ph[i].p_vaddr;
	return (uintptr_t)ph;
}

/* The vector's last entry: the kernel writes AT_NULL with the value 0. */
static const Elf64_auxv_t *aux_end(char **envp)
{
	const Elf64_auxv_t *av = rt_auxv(envp);
	while (av->a_type != AT_NULL)
		av++;
	return av;
}

int main(int argc, char **argv, char **envp)
{
	for (int i = 0; i < argc; i++)
		rt_printf("argv[%d]=%s\n", i, argv[i]);
	rt_printf("AT_EXECFN=%s\n", (const char *)rt_aux(envp, AT_EXECFN));
	rt_check("AT_PHDR is ours", rt_aux(envp, AT_PHDR) == phdr_expected());
	rt_check("AT_PHNUM is ours", rt_aux(envp, AT_PHNUM) == __ehdr_start.e_phnum);
	rt_check("AT_ENTRY is ours", rt_aux(envp, AT_ENTRY) == (uintptr_t)_start);
	const unsigned char *base = (const unsigned char *)rt_aux(envp, AT_BASE);
	rt_check("AT_BASE is the interpreter", base && base[0] == 0x7f && base[1] == 'E' &&
						       (const void *)base != (const void *)&__ehdr_start);
	rt_check("the vector ends in (AT_NULL, 0)", aux_end(envp)->a_un.a_val == 0);
	rt_check("stack aligned", ((uintptr_t)(argv - 1) & 15) == 0);
	return rt_failures();
}
