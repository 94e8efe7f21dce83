/*
 * ld-teach: the data structures that outside tools see.
 *
 * Debuggers, dlinfo(RTLD_DI_LINKMAP) and dl_iterate_phdr callers read these
 * layouts directly, so they follow the System V / glibc ABI word for word.
 * The names carry an lt_ prefix so this header can sit next to a libc's own
 * <link.h> without clashing.
 */
#ifndef LD_TEACH_LINK_H
#define LD_TEACH_LINK_H

#include <stddef.h>
#include <stdint.h>
#include <elf.h>

/* The first five words of every loaded object: struct link_map. */
struct lt_link_map {
	uintptr_t l_addr;              /* load bias: run-time minus link-time address */
	char *l_name;                  /* path the object was opened from */
	Elf64_Dyn *l_ld;               /* its PT_DYNAMIC, in memory */
	struct lt_link_map *l_next;
	struct lt_link_map *l_prev;
};

/* r_debug: how gdb finds the list of loaded objects (see doc/design.md). */
enum { LT_RT_CONSISTENT = 0, LT_RT_ADD = 1, LT_RT_DELETE = 2 };

struct lt_r_debug {
	int r_version;                 /* 1 */
	struct lt_link_map *r_map;     /* head of the object list */
	uintptr_t r_brk;               /* address of _dl_debug_state: gdb's breakpoint */
	int r_state;                   /* LT_RT_* */
	uintptr_t r_ldbase;            /* where ld-teach.so is loaded */
};

/* dl_iterate_phdr's record; sizeof is 64, like glibc's and musl's. */
struct lt_dl_phdr_info {
	uintptr_t dlpi_addr;
	const char *dlpi_name;
	const Elf64_Phdr *dlpi_phdr;
	Elf64_Half dlpi_phnum;
	unsigned long long dlpi_adds;  /* objects ever added */
	unsigned long long dlpi_subs;  /* objects ever removed */
	size_t dlpi_tls_modid;
	void *dlpi_tls_data;           /* this thread's block, or NULL */
};

/* dladdr's answer. */
struct lt_dl_info {
	const char *dli_fname;
	void *dli_fbase;
	const char *dli_sname;
	void *dli_saddr;
};

#endif
