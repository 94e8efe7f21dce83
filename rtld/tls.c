/*
 * Static TLS, x86_64 variant II: each module's block sits below the thread
 * pointer, at TP - offset, and the thread control block starts at the TP.
 *
 * Each block goes at the smallest offset past the blocks before it that
 * keeps (TP - offset) congruent to its init image's address modulo its
 * alignment: what the static linker assumed for local-exec code, and the
 * rule every x86_64 loader follows, so a libc that lays out later threads
 * itself puts every block where the core put it in the first thread.
 *
 * The core decides module ids and offsets, and keeps them here; the libc
 * adapter owns the threads (their thread blocks and dtvs).
 */
#include "rtld.h"
#include "alloc.h"
#include "arch.h"
#include "libc.h"
#include "str.h"
#include "tls.h"
#include "trace.h"

/* Every thread pointer is aligned to this at least; blocks in the surplus
 * may be aligned up to it. */
#define LT_TLS_MIN_ALIGN 64

static size_t tls_cnt;             /* highest module id in use */
static size_t tls_offset;          /* bytes below the TP: start-up blocks and the surplus */
static size_t tls_align = 1;       /* the largest block alignment */
static size_t tls_static_modules;  /* ids 1..this are the start-up modules */

void *(*lt_tls_get_addr_fn)(size_t *ti);

/* Blocks placed in the surplus, as [lo, hi) distances below the TP, sorted. */
struct surplus_block {
	size_t lo, hi;
};
static struct surplus_block *surplus;
static size_t nsurplus;
static size_t surplus_start, surplus_end;
static size_t optional_left;  /* of the surplus, for modules that do not need it (never given back, as glibc's) */

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

void lt_tls_reserve_surplus(size_t surplus, size_t optional)
{
	optional_left = optional;
	surplus_start = tls_offset;
	surplus_end = tls_offset + surplus;
	tls_offset = surplus_end;
	tls_static_modules = tls_cnt;
	if (tls_align < LT_TLS_MIN_ALIGN)
		tls_align = LT_TLS_MIN_ALIGN;
	trace_tls_static(surplus_start, tls_cnt, surplus_left());
}

size_t lt_tls_static_size(void) { return tls_offset; }
size_t lt_tls_static_align(void) { return tls_align; }
size_t lt_tls_module_count(void) { return tls_cnt; }

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
	size_t id = tls_static_modules + 1;
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
	if (id > tls_cnt)
		tls_cnt = id;
	return 0;
}

/* May a module that does not need static TLS take some?  Then the optional part shrinks. */
static int takes_optional(const struct lt_object *obj)
{
	size_t use = obj->tls.memsz + obj->tls.align - 1;
	if (use > optional_left)
		return 0;
	optional_left -= use;
	return 1;
}

int lt_tls_assign_dynamic(struct lt_object *obj, int needs_static, int by_descriptors)
{
	if (!obj->tls.align)
		return 0;
	if (claim_module_id(obj, free_module_id()) < 0) {
		lt_error("%s: out of memory for a TLS module id", obj->path);
		return -1;
	}
	int wanted = needs_static || (by_descriptors && takes_optional(obj));
	size_t off = wanted ? place_in_surplus(obj) : 0;
	if (off) {
		obj->tls.in_place = 1;
	} else if (needs_static) {
		/* glibc's words; LD_DEBUG=tls tells how much was needed and left */
		lt_error("%s: cannot allocate memory in static TLS block", obj->path);
		trace_tls_refused(obj, surplus_left());
		owners[obj->tls.modid] = 0;
		obj->tls.modid = 0;
		return -1;
	}
	/* (Otherwise dynamic, with no place: each thread's libc adapter
	 * allocates its block when the thread first uses it.) */
	obj->tls.offset = off;
	trace_tls_module(obj, obj->tls.in_place ? "in the static surplus"
						: "dynamic: each thread's block comes on its first use");
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
	trace_tls_released(obj, surplus_left());
	obj->tls.modid = 0;
}

struct lt_object *lt_tls_owner(size_t modid)
{
	if (modid > tls_static_modules)
		return modid < owners_cap ? owners[modid] : 0;
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (o->tls.modid == modid)
			return o;
	return 0;
}

int lt_tls_is_static(const struct lt_object *obj)
{
	return obj->tls.modid && (obj->tls.modid <= tls_static_modules || obj->tls.in_place);
}

void lt_tls_assign_static(struct lt_object *obj)
{
	if (!obj->tls.align)
		return;  /* no PT_TLS */
	uintptr_t image = obj->tls.image;
	size_t size = obj->tls.memsz, align = obj->tls.align;
	size_t off = tls_offset + size + align - 1;
	off -= (off + image) & (align - 1);
	obj->tls.modid = ++tls_cnt;
	obj->tls.offset = off;
	tls_offset = off;
	if (align > tls_align)
		tls_align = align;
	trace_tls_module(obj, 0);
}

struct lt_tls_module_info lt_tls_module_of(const struct lt_object *o)
{
	return (struct lt_tls_module_info){(const void *)o->tls.image, o->tls.filesz, o->tls.memsz,
					   o->tls.align, o->tls.offset};
}

struct lt_tls_module_info *lt_tls_modules(void)
{
	struct lt_tls_module_info *t = lt_alloc((tls_cnt + 1) * sizeof *t);
	for (struct lt_object *o = lt.head; t && o; o = o->next)
		if (o->tls.modid)
			t[o->tls.modid - 1] = lt_tls_module_of(o);
	return t;
}

/* Copy the module's init image into its static block below `tp`; the block's address. */
static uintptr_t fill_block(const struct lt_object *o, uintptr_t tp)
{
	uintptr_t block = tp - o->tls.offset;
	memcpy((void *)block, (const void *)o->tls.image, o->tls.filesz);
	return block;
}

void lt_tls_fill_static(uintptr_t tp, uintptr_t *dtv)
{
	for (struct lt_object *o = lt.head; o; o = o->next) {
		if (!o->tls.modid || !lt_tls_is_static(o))
			continue;
		uintptr_t block = fill_block(o, tp);
		if (dtv)
			dtv[o->tls.modid] = block;
	}
}

void lt_tls_refill(const struct lt_object *obj)
{
	if (obj->tls.modid && lt_tls_is_static(obj))
		fill_block(obj, arch_thread_pointer());
}

void *lt_tls_block(const struct lt_object *o)
{
	if (!o->tls.modid)
		return 0;
	if (lt_tls_is_static(o))
		return (void *)(arch_thread_pointer() - o->tls.offset);
	return lt.libc->tls_block ? lt.libc->tls_block(o) : 0;
}
