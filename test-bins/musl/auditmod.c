/*
 * auditmod.so: an rtld-audit module that defines every la_* function,
 * logs each call, and uses what the interface lets a module change.
 * auditbind.so is the same without la_pltenter and la_pltexit (built with
 * -DBINDINGS_ONLY): it watches bindings, not calls.
 * Built for both flavours from this one source: under glibc's loader and
 * under ld-teach the same program must produce the same log.
 *
 * It reports only what concerns the program and the libraries named
 * libmu-aud*, so that the log does not depend on which libc the program
 * uses: those objects get cookie ids 1, 2, ... in la_objopen order, every
 * other object id 0 (and no bindings).  Environment:
 *   AUDIT_LOG      the file to write the log to (else stderr)
 *   AUDIT_VERSION  what la_version returns (else the version offered)
 *   AUDIT_ALL      report every object, and ask for la_pltexit after every call
 *   AUDIT_FROM_ONLY  la_objopen asks for the program's bindings as the one
 *                  that binds (LA_FLG_BINDFROM) and for no library's
 *   AUDIT_CLOBBER  zero every vector register in la_symbind64, la_pltenter and
 *                  la_pltexit (vzeroall), as
 *                  foreign code may: the loader must give the callee its
 *                  arguments at full width all the same
 *
 * What it changes:
 *   la_objsearch   libmu-audalias.so becomes libmu-auddl.so; libmu-auddrop.so
 *                  is refused
 *   la_symbind64   aud_answer is bound to this module's own answer (42);
 *                  aud_quiet asks for no la_pltenter and no la_pltexit,
 *                  aud_noenter for no la_pltenter
 *   la_pltenter    aud_args gets 100 more in its first integer argument and
 *                  0.5 as its first double; aud_stack, aud_ret and aud_dbl
 *                  ask for la_pltexit (aud_stack's frame holds 2 stack arguments,
 *                  aud_ld's its long double), as does aud_ld
 *   la_pltexit     aud_ret returns 1234, aud_dbl 9.75
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ld-teach/audit.h"

#define MAX_IDS 32

static int log_fd = 2, all, clobber, from_only;
static int next_id = 1;
static const char *id_names[MAX_IDS];
static const struct link_map *id_maps[MAX_IDS];

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static int reported(const char *name)
{
	return all || !*name || !strncmp(base_name(name), "libmu-aud", 9);
}

static const char *who(const uintptr_t *cookie)
{
	return *cookie > 0 && *cookie < MAX_IDS ? id_names[*cookie] : "-";
}

static const char *flag_names(unsigned f)
{
	static char buf[128];
	static const char *const names[] = {"NOPLTENTER", "NOPLTEXIT", "STRUCTCALL", "DLSYM",
					    "ALTVALUE"};
	buf[0] = 0;
	for (unsigned i = 0; i < 5; i++)
		if (f & (1u << i))
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", buf[0] ? "|" : "",
				 names[i]);
	return buf[0] ? buf : "0";
}

unsigned int la_version(unsigned int version)
{
	const char *log = getenv("AUDIT_LOG"), *answer = getenv("AUDIT_VERSION");
	if (log)
		log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	all = getenv("AUDIT_ALL") != NULL;
	from_only = getenv("AUDIT_FROM_ONLY") != NULL;
	clobber = getenv("AUDIT_CLOBBER") && __builtin_cpu_supports("avx");
	dprintf(log_fd, "version %u\n", version);
	return answer ? (unsigned)atoi(answer) : version;
}

char *la_objsearch(const char *name, uintptr_t *cookie, unsigned int flag)
{
	static const char *const where[] = {[LA_SER_ORIG] = "ORIG", [LA_SER_LIBPATH] = "LIBPATH",
					    [LA_SER_RUNPATH] = "RUNPATH", [LA_SER_CONFIG] = "CONFIG",
					    [LA_SER_DEFAULT] = "DEFAULT"};
	if (!reported(name))
		return (char *)name;
	dprintf(log_fd, "objsearch %s %s by %s\n", name, flag < 0x41 && where[flag] ? where[flag] : "?",
		who(cookie));
	if (flag == LA_SER_ORIG && !strcmp(name, "libmu-audalias.so"))
		return "libmu-auddl.so";
	if (!strcmp(base_name(name), "libmu-auddrop.so"))
		return NULL;
	return (char *)name;
}

void la_activity(uintptr_t *cookie, unsigned int flag)
{
	static const char *const what[] = {"CONSISTENT", "ADD", "DELETE"};
	dprintf(log_fd, "activity %s by %s\n", flag < 3 ? what[flag] : "?", who(cookie));
}

/* The symbol table entry `ndx` of the object, named `name`?  (glibc
 * relocates the addresses in a dynamic section, ld-teach does not.) */
static int names_symbol(const struct link_map *map, unsigned ndx, const char *name)
{
	const Elf64_Sym *symtab = 0;
	const char *strtab = 0;
	for (const Elf64_Dyn *d = map->l_ld; d->d_tag != DT_NULL; d++) {
		uintptr_t p = d->d_un.d_ptr < map->l_addr ? d->d_un.d_ptr + map->l_addr : d->d_un.d_ptr;
		if (d->d_tag == DT_SYMTAB)
			symtab = (const Elf64_Sym *)p;
		else if (d->d_tag == DT_STRTAB)
			strtab = (const char *)p;
	}
	return symtab && strtab && !strcmp(strtab + symtab[ndx].st_name, name);
}

unsigned int la_objopen(struct link_map *map, Lmid_t lmid, uintptr_t *cookie)
{
	int given_map = *cookie == (uintptr_t)map;
	if (!reported(map->l_name) || next_id == MAX_IDS) {
		*cookie = 0;
		return 0;
	}
	id_names[next_id] = *map->l_name ? base_name(map->l_name) : "main";
	id_maps[next_id] = map;
	*cookie = next_id++;
	dprintf(log_fd, "objopen %s lmid %ld cookie %s\n", who(cookie), (long)lmid,
		given_map ? "map" : "other");
	if (from_only)
		return *map->l_name ? 0 : LA_FLG_BINDFROM;
	return LA_FLG_BINDFROM | LA_FLG_BINDTO;
}

void la_preinit(uintptr_t *cookie)
{
	dprintf(log_fd, "preinit by %s\n", who(cookie));
}

static int answer(void)
{
	return 42;
}

uintptr_t la_symbind64(Elf64_Sym *sym, unsigned int ndx, uintptr_t *refcook, uintptr_t *defcook,
		       unsigned int *flags, const char *symname)
{
	if (*refcook && *defcook)  /* (a dlsym's binding is reported when either side asked) */
		dprintf(log_fd, "symbind %s %s -> %s flags %s ndx %s\n", symname, who(refcook),
			who(defcook), flag_names(*flags),
			names_symbol(id_maps[*defcook], ndx, symname) ? "ok" : "wrong");
	if (clobber)
		__asm__ volatile("vzeroall" ::: "memory");
	if (!strcmp(symname, "aud_quiet"))
		*flags |= LA_SYMB_NOPLTENTER | LA_SYMB_NOPLTEXIT;
	if (!strcmp(symname, "aud_noenter"))
		*flags |= LA_SYMB_NOPLTENTER;
	if (!strcmp(symname, "aud_answer"))
		return (uintptr_t)answer;
	return sym->st_value;
}

#ifndef BINDINGS_ONLY
Elf64_Addr la_x86_64_gnu_pltenter(Elf64_Sym *sym, unsigned int ndx, uintptr_t *refcook,
				  uintptr_t *defcook, La_x86_64_regs *regs, unsigned int *flags,
				  const char *symname, long int *framesizep)
{
	(void)ndx;
	dprintf(log_fd, "pltenter %s %s -> %s flags %s\n", symname, who(refcook), who(defcook),
		flag_names(*flags));
	if (clobber)
		__asm__ volatile("vzeroall" ::: "memory");
	if (!strcmp(symname, "aud_args")) {
		double first, half = 0.5;
		memcpy(&first, &regs->lr_xmm[0], sizeof first);
		dprintf(log_fd, "  arguments rdi %lu xmm0 %g\n", (unsigned long)regs->lr_rdi, first);
		regs->lr_rdi += 100;
		memcpy(&regs->lr_xmm[0], &half, sizeof half);
	}
	if (!strcmp(symname, "aud_stack")) {
		/* The last two arguments are on the stack, above the return address. */
		const long *sp = (const long *)regs->lr_rsp;
		dprintf(log_fd, "  arguments rdi %lu stack %ld %ld\n", (unsigned long)regs->lr_rdi,
			sp[1], sp[2]);
		*framesizep = 16;
	}
	if (all || !strcmp(symname, "aud_ret") || !strcmp(symname, "aud_dbl"))
		*framesizep = 0;
	if (!strcmp(symname, "aud_ld"))
		*framesizep = 16;  /* its long double argument */
	return sym->st_value;
}

unsigned int la_x86_64_gnu_pltexit(Elf64_Sym *sym, unsigned int ndx, uintptr_t *refcook,
				   uintptr_t *defcook, const La_x86_64_regs *inregs,
				   La_x86_64_retval *outregs, const char *symname)
{
	(void)sym, (void)ndx;
	dprintf(log_fd, "pltexit %s %s -> %s\n", symname, who(refcook), who(defcook));
	if (clobber)
		__asm__ volatile("vzeroall" ::: "memory");
	if (!strcmp(symname, "aud_stack"))
		dprintf(log_fd, "  arguments rdi %lu returned %lu\n", (unsigned long)inregs->lr_rdi,
			(unsigned long)outregs->lrv_rax);
	if (!strcmp(symname, "aud_ret")) {
		dprintf(log_fd, "  returned %lu\n", (unsigned long)outregs->lrv_rax);
		outregs->lrv_rax = 1234;
	}
	if (!strcmp(symname, "aud_dbl")) {
		double d;
		memcpy(&d, &outregs->lrv_xmm0, sizeof d);
		dprintf(log_fd, "  returned %g\n", d);
		d = 9.75;
		memcpy(&outregs->lrv_xmm0, &d, sizeof d);
	}
	return 0;
}

#endif

unsigned int la_objclose(uintptr_t *cookie)
{
	if (*cookie)
		dprintf(log_fd, "objclose %s\n", who(cookie));
	return 0;
}
