/*
 * The contract between the glibc adapter's core side (the .c files in rtld/glibc/, in
 * ld-teach.so) and its libc side: the object ld-teach maps wherever glibc's
 * libraries name ld-linux-x86-64.so.2 (rtld/glibc/libc/ldso.c).
 *
 * That object defines what libc.so.6 imports from its loader, with
 * glibc's symbol versions: the data (_rtld_global and its friends) and a
 * dozen functions.  The functions forward to the core through this table,
 * which the core hands to the object's LT_ADAPTER_START_SYMBOL once the
 * object is relocated, before libc.so.6 is.  Compiled into both halves, so
 * it uses nothing but <stddef.h> and <stdint.h>.
 */
#ifndef LT_GLIBC_BRIDGE_H
#define LT_GLIBC_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#define LT_GLIBC_BRIDGE_ABI 3

struct lt_glibc_bridge {
	unsigned abi;
	/* _dl_allocate_tls, _dl_allocate_tls_init, _dl_deallocate_tls */
	void *(*allocate_tls)(void *tcb);
	void *(*allocate_tls_init)(void *tcb, int init);
	void (*deallocate_tls)(void *tcb, int dealloc_tcb);
	/* __tls_get_addr when this thread's dtv is not current, or the block not there yet */
	void *(*tls_get_addr_slow)(size_t *ti);
	/* The TLS generation a current dtv has in its slot 0. */
	const uint64_t *generation;
	/* _dl_find_dso_for_object: the link_map holding addr, or NULL */
	void *(*find_dso_for_object)(uintptr_t addr);
	/* _dl_exception_create: fill glibc's struct dl_exception, with libc's malloc */
	void (*exception_create)(void *exception, const char *objname, const char *errstring);
	/* _dl_fatal_printf: one line to stderr, exit 127 */
	void (*fatal)(const char *fmt, __builtin_va_list ap) __attribute__((noreturn));
	/* _dl_rtld_di_serinfo (dlinfo's RTLD_DI_SERINFO) */
	void (*di_serinfo)(void *map, void *serinfo, int counting);
	/* __nptl_change_stack_perm: make a thread's stack executable; 0 or an errno */
	int (*change_stack_perm)(void *pd);
	/* __tunable_get_val */
	void (*tunable_get_val)(int id, void *valp, void (*callback)(void *));
	/* _dl_audit_preinit: libc's last step before main (la_preinit) */
	void (*audit_preinit)(void *map);
	/* _dl_audit_symbind_alt: libc's dlsym found `sym` of `result` for `map` (la_symbind64) */
	void (*audit_symbind_alt)(void *map, const void *sym, void **value, void *result);
};

/* What the object offers the core in return. */
struct lt_glibc_ldso_ops {
	/* The calling thread's error line (LT_DLERROR_MAX bytes): TLS of the object's own. */
	char *(*error_slot)(void);
	/* Its data, which the core fills before libc.so.6 is relocated (here,
	 * not looked up by name one by one): glibc's loader state and the
	 * variables libc reads. */
	unsigned char *rtld_global, *rtld_global_ro;
	unsigned int *rseq_size;
	ptrdiff_t *rseq_offset;
	char *initial_report_events;
	char ***dl_argv;
	int *libc_enable_secure;
	void **libc_stack_end;
};

typedef const struct lt_glibc_ldso_ops *lt_glibc_start_fn(const struct lt_glibc_bridge *bridge);

#endif
