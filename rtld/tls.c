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
#include "str.h"

/* Minimal thread control block for programs without a libc. */
struct minimal_tcb {
	uintptr_t self;       /* %fs:0, as the TLS ABI requires */
	uintptr_t *dtv;       /* %fs:8, read by __tls_get_addr */
	uintptr_t unused[3];
	uintptr_t canary;     /* %fs:0x28, read by -fstack-protector code */
	uintptr_t pad[2];
};

/*
 * Room kept free below the start-up blocks in every thread, for the TLS of
 * libraries that dlopen brings later.  1664 bytes is glibc's classic static
 * TLS surplus.  Blocks there may be aligned up to LT_TLS_MIN_ALIGN, which
 * every thread pointer is aligned to.
 */
#define LT_TLS_SURPLUS 1664
#define LT_TLS_MIN_ALIGN 64

/* Blocks placed in the surplus, as [lo, hi) distances below the TP, sorted. */
struct surplus_block {
	size_t lo, hi;
};
static struct surplus_block *surplus;
static size_t nsurplus;
static size_t surplus_start, surplus_end;

/* Module ids in use beyond the start-up ones: owners[id], NULL when free. */
static struct lt_object **owners;
static size_t owners_cap;

static size_t surplus_left(void)
{
	size_t used = 0;
	for (size_t i = 0; i < nsurplus; i++)
		used += surplus[i].hi - surplus[i].lo;
	return surplus_end - surplus_start - used;
}

void lt_tls_reserve_surplus(void)
{
	surplus_start = lt.tls_offset;
	surplus_end = lt.tls_offset + LT_TLS_SURPLUS;
	lt.tls_offset = surplus_end;
	lt.tls_static_modules = lt.tls_cnt;
	if (lt.tls_align < LT_TLS_MIN_ALIGN)
		lt.tls_align = LT_TLS_MIN_ALIGN;
	lt_debug(LT_DBG_TLS, "tls: static TLS %zu bytes in %zu modules; surplus %zu bytes left "
		 "(for TLS in dlopen'ed libraries)", surplus_start, lt.tls_cnt, surplus_left());
}

/*
 * The smallest offset in [lo, hi) for a block of this object: far enough
 * below the TP for its size, and congruent to its image modulo its
 * alignment (the formula the start-up modules follow).  0 if none fits.
 */
static size_t fit_between(const struct lt_object *obj, size_t lo, size_t hi)
{
	size_t size = obj->tls.memsz, align = obj->tls.align;
	size_t off = lo + size;
	off += (-(off + obj->tls.image)) & (align - 1);
	return off <= hi ? off : 0;
}

/* Place a block in the first gap of the surplus where it fits. */
static size_t place_in_surplus(const struct lt_object *obj)
{
	if (obj->tls.align > LT_TLS_MIN_ALIGN)
		return 0;  /* the thread pointers are not aligned for it */
	size_t lo = surplus_start, off = 0, i;
	for (i = 0; i <= nsurplus && !off; i++) {
		size_t hi = i < nsurplus ? surplus[i].lo : surplus_end;
		off = fit_between(obj, lo, hi);
		if (i < nsurplus)
			lo = surplus[i].hi;
	}
	if (!off)
		return 0;
	struct surplus_block *grown = lt_realloc(surplus, (nsurplus + 1) * sizeof *grown);
	if (!grown)
		return 0;
	surplus = grown;
	i--;  /* the block goes before entry i */
	memmove(&surplus[i + 1], &surplus[i], (nsurplus - i) * sizeof *surplus);
	surplus[i] = (struct surplus_block){off - obj->tls.memsz, off};
	nsurplus++;
	return off;
}

static size_t free_module_id(void)
{
	size_t id = lt.tls_static_modules + 1;
	while (id < owners_cap && owners[id])
		id++;
	return id;
}

static int claim_module_id(struct lt_object *obj, size_t id)
{
	if (id >= owners_cap) {
		size_t cap = owners_cap ? 2 * owners_cap : 64;
		while (cap <= id)
			cap *= 2;
		struct lt_object **grown = lt_realloc(owners, cap * sizeof *grown);
		if (!grown)
			return -1;
		owners = grown;
		owners_cap = cap;
	}
	owners[id] = obj;
	obj->tls.modid = id;
	if (id > lt.tls_cnt)
		lt.tls_cnt = id;
	return 0;
}

int lt_tls_assign_dynamic(struct lt_object *obj, int needs_static)
{
	if (!obj->tls.align)
		return 0;
	if (claim_module_id(obj, free_module_id()) < 0) {
		lt_error("%s: out of memory for a TLS module id", obj->path);
		return -1;
	}
	size_t off = place_in_surplus(obj);
	if (off) {
		obj->tls.in_place = 1;
	} else if (needs_static) {
		lt_error("%s: cannot allocate static TLS: needs %zu bytes (aligned to %zu), %zu bytes "
			 "of the surplus are left", obj->path, obj->tls.memsz, obj->tls.align,
			 surplus_left());
		owners[obj->tls.modid] = 0;
		obj->tls.modid = 0;
		return -1;
	} else {
		/* Beyond the static area: new threads get it there, live ones elsewhere. */
		off = lt.tls_offset + obj->tls.memsz + obj->tls.align - 1;
		off -= (off + obj->tls.image) & (obj->tls.align - 1);
		lt.tls_offset = off;
		if (obj->tls.align > lt.tls_align)
			lt.tls_align = obj->tls.align;
	}
	obj->tls.offset = off;
	lt_debug(LT_DBG_TLS, "tls: module %zu %s: size %zu (image %zu) align %zu at TP-%#zx, %s",
		 obj->tls.modid, obj->path, obj->tls.memsz, obj->tls.filesz, obj->tls.align, off,
		 obj->tls.in_place ? "in the static surplus" : "dynamic");
	return 0;
}

void lt_tls_release(struct lt_object *obj)
{
	if (!obj->tls.modid)
		return;
	for (size_t i = 0; obj->tls.in_place && i < nsurplus; i++)
		if (surplus[i].hi == obj->tls.offset) {
			memmove(&surplus[i], &surplus[i + 1], (nsurplus - i - 1) * sizeof *surplus);
			nsurplus--;
			break;
		}
	if (obj->tls.modid < owners_cap)
		owners[obj->tls.modid] = 0;
	lt_debug(LT_DBG_TLS, "tls: module %zu %s released; surplus %zu bytes left", obj->tls.modid,
		 obj->path, surplus_left());
	obj->tls.modid = 0;
}

int lt_tls_is_static(const struct lt_object *obj)
{
	return obj->tls.modid && (obj->tls.modid <= lt.tls_static_modules || obj->tls.in_place);
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
