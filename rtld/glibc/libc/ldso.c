/*
 * ld-teach's stand-in for ld-linux-x86-64.so.2: the libc side of the glibc
 * adapter.  glibc's libc.so.6 (and libselinux, libm, libstdc++...) name
 * ld-linux-x86-64.so.2 in DT_NEEDED and import from it, with glibc's
 * symbol versions (ldso.map), the symbols below.  The real ld.so is never
 * mapped: ld-teach serves the name with this object.
 *
 * The data is glibc's loader data model, sized from the installed glibc's
 * debug information (layout.h); the core side of the adapter
 * (the .c files in rtld/glibc/) fills it.  The functions forward to the core through
 * the bridge (bridge.h), but for __tls_get_addr's fast path.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "bridge.h"
#include "layout.h"
#include "page.h"

#define EXPORT __attribute__((visibility("default")))

static const struct lt_glibc_bridge *bridge;

/* Each thread's error line, which the core fills when a dl* call fails.
 * (This object is loaded at start-up, so its TLS is static in every thread.) */
static __thread char error_line[512] __attribute__((tls_model("initial-exec")));

EXPORT unsigned char _rtld_global[GLIBC_SIZEOF_rtld_global] __attribute__((aligned(64)));
/* Pages of its own: the adapter makes them read-only once filled, before
 * libc's code runs, as glibc's loader protects its _rtld_global_ro (RELRO). */
EXPORT unsigned char _rtld_global_ro[page_up(GLIBC_SIZEOF_rtld_global_ro)]
	__attribute__((aligned(LT_PAGE_SIZE)));
EXPORT char **_dl_argv;
EXPORT int __libc_enable_secure;
EXPORT void *__libc_stack_end;
EXPORT unsigned int __rseq_size;
EXPORT ptrdiff_t __rseq_offset;
EXPORT unsigned int __rseq_flags;
EXPORT char __nptl_initial_report_events;

static char *error_slot(void)
{
	return error_line;
}

static const struct lt_glibc_ldso_ops ldso_ops = {
	.error_slot = error_slot,
	.rtld_global = _rtld_global,
	.rtld_global_ro = _rtld_global_ro,
	.rseq_size = &__rseq_size,
	.rseq_offset = &__rseq_offset,
	.initial_report_events = &__nptl_initial_report_events,
	.dl_argv = &_dl_argv,
	.libc_enable_secure = &__libc_enable_secure,
	.libc_stack_end = &__libc_stack_end,
};

/* Called by the core once this object is relocated. */
EXPORT const struct lt_glibc_ldso_ops *__lt_adapter_start(const struct lt_glibc_bridge *b)
{
	bridge = b;
	return &ldso_ops;
}

/*
 * {module, offset} to an address in the calling thread.  The dtv (at
 * %fs:8, glibc's layout: 16-byte entries, entry 0 the generation it is
 * current for) gives the block when it is current and the block exists;
 * anything else goes to the core.  Like glibc's, it must not assume an
 * aligned stack: GCC's general-dynamic sequences may call it misaligned.
 */
struct tls_index {
	size_t module, offset;
};

EXPORT void *__tls_get_addr(struct tls_index *ti)
{
	const unsigned char *dtv;
	__asm__("mov %%fs:%c1, %0" : "=r"(dtv) : "i"(GLIBC_OFF_pthread__header__dtv));
	const uintptr_t *current = (const uintptr_t *)(dtv + GLIBC_OFF_dtv__counter);
	const uintptr_t *block = (const uintptr_t *)(dtv + ti->module * GLIBC_SIZEOF_dtv +
						     GLIBC_OFF_dtv__pointer__val);
	if (__builtin_expect(*current == *bridge->generation && *block != (uintptr_t)-1, 1))
		return (void *)(*block + ti->offset);
	return bridge->tls_get_addr_slow((size_t *)ti);
}

EXPORT void *_dl_allocate_tls(void *tcb)
{
	return bridge->allocate_tls(tcb);
}

EXPORT void *_dl_allocate_tls_init(void *tcb, _Bool init)
{
	return bridge->allocate_tls_init(tcb, init);
}

EXPORT void _dl_deallocate_tls(void *tcb, _Bool dealloc_tcb)
{
	bridge->deallocate_tls(tcb, dealloc_tcb);
}

EXPORT void *_dl_find_dso_for_object(uintptr_t addr)
{
	return bridge->find_dso_for_object(addr);
}

EXPORT void _dl_exception_create(void *exception, const char *objname, const char *errstring)
{
	bridge->exception_create(exception, objname, errstring);
}

EXPORT __attribute__((noreturn)) void _dl_fatal_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bridge->fatal(fmt, ap);
}

EXPORT void __tunable_get_val(int id, void *valp, void (*callback)(void *))
{
	bridge->tunable_get_val(id, valp, callback);
}

EXPORT void _dl_rtld_di_serinfo(void *map, void *serinfo, _Bool counting)
{
	bridge->di_serinfo(map, serinfo, counting);
}

EXPORT int __nptl_change_stack_perm(void *pd)
{
	return bridge->change_stack_perm(pd);
}

/* What libc tells the audit modules through its loader. */
EXPORT void _dl_audit_preinit(void *map)
{
	bridge->audit_preinit(map);
}

EXPORT void _dl_audit_symbind_alt(void *map, const void *sym, void **value, void *result)
{
	bridge->audit_symbind_alt(map, sym, value, result);
}

/* What sanitizer runtimes ask: the static TLS block's size and alignment. */
EXPORT void _dl_get_tls_static_info(size_t *size, size_t *align)
{
	*size = *(const size_t *)(_rtld_global_ro + GLIBC_OFF_rtld_global_ro___dl_tls_static_size);
	*align = *(const size_t *)(_rtld_global_ro + GLIBC_OFF_rtld_global_ro___dl_tls_static_align);
}

/* <sys/platform/x86.h>: glibc's record of the CPU. */
EXPORT const void *_dl_x86_get_cpu_features(unsigned int max)
{
	(void)max;
	return _rtld_global_ro + GLIBC_OFF_rtld_global_ro___dl_x86_cpu_features;
}

/* gprof's hook for shared objects: ld-teach does not profile. */
EXPORT void _dl_mcount(uintptr_t from, uintptr_t to)
{
	(void)from, (void)to;
}

/*
 * valgrind replaces strlen in whatever object is named ld-linux-x86-64.so.2
 * (glibc's ld.so uses its own, which memcheck cannot follow), and refuses
 * to run a program whose ld-linux-x86-64.so.2 has none.  So this object has
 * one, in its symbol table.
 */
size_t strlen(const char *s)
{
	const char *p = s;
	while (*p)
		p++;
	return p - s;
}

/* Anchors the GLIBC_2.34 version node, as in glibc's own ld.so. */
EXPORT void __rtld_version_placeholder(void)
{
}
