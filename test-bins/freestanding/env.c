/*
 * fs-env: its environment, one "env: NAME=VALUE" line each, and whether the
 * auxiliary vector still follows the environment's terminating NULL, where
 * every libc looks for it.
 */
#include <elf.h>
#include "rt.h"

extern const Elf64_Ehdr __ehdr_start;

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv;
	for (char **e = envp; *e; e++)
		rt_printf("env: %s\n", *e);
	rt_check("the auxiliary vector follows the environment",
		 rt_aux(envp, AT_PHDR) == (uintptr_t)&__ehdr_start + __ehdr_start.e_phoff);
	return rt_failures();
}
