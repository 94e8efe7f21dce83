/*
 * Static TLS, x86_64 variant II: each module's block sits below the thread
 * pointer, at TP - offset, and the thread control block starts at the TP.
 *
 * Offsets follow musl's formulas, so that musl's __copy_tls lays out new
 * threads exactly as the core laid out the first one.  The formulas keep
 * (TP - offset) congruent to the init image's address modulo the block's
 * alignment, which is what the static linker assumed for local-exec code.
 */
#include "rtld.h"
#include "alloc.h"
#include "arch.h"
#include "debug.h"
#include "string.h"

/* Minimal thread control block for programs without a libc. */
struct minimal_tcb {
	uintptr_t self;       /* %fs:0, as the TLS ABI requires */
	uintptr_t *dtv;       /* %fs:8, read by __tls_get_addr */
	uintptr_t unused[3];
	uintptr_t canary;     /* %fs:0x28, read by -fstack-protector code */
	uintptr_t pad[2];
};

/*
 * Room kept free below the start-up blocks in every thread, for libraries
 * that dlopen brings later and that use initial-exec TLS.  1664 bytes is
 * glibc's classic static TLS surplus.
 */
#define LT_TLS_SURPLUS 1664

void lt_tls_reserve_surplus(void)
{
	lt.tls_surplus_used = lt.tls_offset;
	lt.tls_offset += LT_TLS_SURPLUS;
	lt_debug(LT_DBG_TLS, "tls: static TLS %zu bytes in %zu modules; surplus %zu bytes left "
		 "(for initial-exec TLS in dlopen'ed libraries)", lt.tls_surplus_used, lt.tls_cnt,
		 lt.tls_offset - lt.tls_surplus_used);
}

void lt_tls_assign_static(struct lt_object *obj)
{
	if (!obj->tls.align)
		return;  /* no PT_TLS */
	uintptr_t image = obj->tls.image;
	size_t size = obj->tls.memsz, align = obj->tls.align, off;
	if (obj->kind == LT_MAIN) {
		off = size + (-(image + size) & (align - 1));
	} else {
		off = lt.tls_offset + size + align - 1;
		off -= (off + image) & (align - 1);
	}
	obj->tls.modid = ++lt.tls_cnt;
	obj->tls.offset = off;
	lt.tls_offset = off;
	if (align > lt.tls_align)
		lt.tls_align = align;
	lt_debug(LT_DBG_TLS, "tls: module %zu %s: size %zu (image %zu) align %zu at TP-%#zx",
		 obj->tls.modid, obj->path, size, obj->tls.filesz, align, off);
}

/* Copy each module's init image to its block below `tp`; the rest stays zero. */
static void fill_blocks(uintptr_t tp, uintptr_t *dtv)
{
	dtv[0] = lt.tls_cnt;
	for (struct lt_object *o = lt.head; o; o = o->next) {
		if (!o->tls.modid)
			continue;
		uintptr_t block = tp - o->tls.offset;
		memcpy((void *)block, (const void *)o->tls.image, o->tls.filesz);
		dtv[o->tls.modid] = block;
	}
}

void *lt_tls_setup_minimal(uint64_t canary)
{
	size_t align = lt.tls_align > 16 ? lt.tls_align : 16;
	size_t dtv_size = (lt.tls_cnt + 1) * sizeof(uintptr_t);
	size_t size = dtv_size + lt.tls_offset + align + sizeof(struct minimal_tcb);
	char *mem = lt_alloc(size);
	if (!mem)
		lt_fatal("cannot allocate the thread control block");
	uintptr_t tp = ((uintptr_t)mem + dtv_size + lt.tls_offset + align - 1) & ~(align - 1);
	uintptr_t *dtv = (uintptr_t *)mem;
	fill_blocks(tp, dtv);
	struct minimal_tcb *tcb = (struct minimal_tcb *)tp;
	tcb->self = tp;
	tcb->dtv = dtv;
	tcb->canary = canary & ~(uint64_t)0xff;  /* a zero low byte stops string overruns */
	if (arch_set_thread_pointer(tcb) < 0)
		lt_fatal("cannot set the thread pointer");
	lt_debug(LT_DBG_TLS, "tls: thread pointer %#lx, static TLS %zu bytes below it", tp,
		 lt.tls_offset);
	return tcb;
}

/*
 * General-dynamic TLS access for programs without a libc: {module, offset}
 * to an address, through the dtv at %fs:8.  A libc that brings its own
 * __tls_get_addr comes earlier in the scope and wins.
 */
struct tls_index {
	size_t module, offset;
};

__attribute__((visibility("default"))) void *__tls_get_addr(const struct tls_index *ti)
{
	const struct minimal_tcb *tcb = (const struct minimal_tcb *)arch_thread_pointer();
	return (void *)(tcb->dtv[ti->module] + ti->offset);
}
