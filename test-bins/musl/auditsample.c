/*
 * auditsample.so: the sample module of doc/ld-debug.md (the docs show this
 * file whole).  It names each object as it is loaded, and each call the
 * program makes into a library, with its first argument and its result.
 */
#define _GNU_SOURCE
#include <link.h>
#include <stdio.h>
#include "ld-teach/audit.h"

unsigned int la_version(unsigned int version)
{
	return version;  /* LAV_CURRENT: the interface this module was written for */
}

/* Calls from the program (whose l_name is ""), to anything. */
unsigned int la_objopen(struct link_map *map, Lmid_t lmid, uintptr_t *cookie)
{
	(void)lmid;
	fprintf(stderr, "audit: loaded %s\n", *map->l_name ? map->l_name : "the program");
	*cookie = *map->l_name ? LA_FLG_BINDTO : LA_FLG_BINDTO | LA_FLG_BINDFROM;
	return *cookie;
}

Elf64_Addr la_x86_64_gnu_pltenter(Elf64_Sym *sym, unsigned int ndx, uintptr_t *refcook,
				  uintptr_t *defcook, La_x86_64_regs *regs, unsigned int *flags,
				  const char *symname, long int *framesizep)
{
	(void)ndx, (void)refcook, (void)defcook, (void)flags;
	fprintf(stderr, "audit: %s(%#lx)\n", symname, (unsigned long)regs->lr_rdi);
	*framesizep = 0;  /* call la_pltexit too (no stack arguments to copy) */
	return sym->st_value;
}

unsigned int la_x86_64_gnu_pltexit(Elf64_Sym *sym, unsigned int ndx, uintptr_t *refcook,
				   uintptr_t *defcook, const La_x86_64_regs *inregs,
				   La_x86_64_retval *outregs, const char *symname)
{
	(void)sym, (void)ndx, (void)refcook, (void)defcook, (void)inregs;
	fprintf(stderr, "audit: %s returned %#lx\n", symname, (unsigned long)outregs->lrv_rax);
	return 0;
}
