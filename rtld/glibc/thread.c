/*
 * Threads and TLS in glibc's format.
 *
 * glibc's thread block is `struct pthread`, at the thread pointer, with
 * static TLS below it (x86_64 variant II) and a dtv of 16-byte entries:
 * entry 0 holds the TLS generation the dtv is current for, entry -1 its
 * capacity, entry m {block of module m, what to free}.  libc builds every
 * thread after the first itself (pthread_create), sized by
 * _rtld_global_ro._dl_tls_static_size, and calls the loader to make and
 * free dtvs; it frees dynamic blocks with its own free(), so those come
 * from libc's malloc.  The main thread's block, built here before libc
 * runs, comes from the core's allocator and is never freed.
 */
#include "glibc.h"
#include "alloc.h"
#include "arch.h"
#include "lock.h"
#include "str.h"
#include "sys.h"
#include "tls.h"
#include "trace.h"

#define PD(tp, field, T) GLIBC_AT(tp, GLIBC_OFF_pthread__##field, T)
#define DTV_UNALLOCATED ((uintptr_t)-1)
#define DTV_SURPLUS 14           /* spare dtv slots, as glibc leaves */
#define SLOTINFO_SURPLUS 62      /* spare slot-info entries, likewise */
#define RSEQ_SIGNATURE 0x53053053
#define NR_RSEQ 334
#define NR_SET_ROBUST_LIST 273
#define NR_SET_TID_ADDRESS 218

/* glibc's static TLS surplus, by its formula (doc/glibc-facts.md): 144
 * bytes per namespace, twice but for one, the optional static TLS, and 144
 * more; 1664 with the default tunables (4 namespaces, of 1 to 16, and 512
 * bytes).  (A setting outside a tunable's bounds was never taken.) */
size_t lt_glibc_tls_surplus(void)
{
	const size_t per_namespace = 144;
	int64_t nns = lt_glibc_tunable(GLIBC_TUNABLE_glibc__rtld__nns, 4);
	return (nns - 1) * per_namespace + nns * per_namespace + lt_glibc_tls_optional() +
	       per_namespace;
}

/* A "negative" size (-1000 reads as 2^64 - 1000, inside the tunable's
 * bounds) shrinks glibc's surplus below what it needs; ld-teach reserves
 * none instead. */
size_t lt_glibc_tls_optional(void)
{
	int64_t optional = lt_glibc_tunable(GLIBC_TUNABLE_glibc__rtld__optional_static_tls, 512);
	return optional < 0 ? 0 : (size_t)optional;
}

static size_t static_align(void)
{
	size_t a = lt_tls_static_align();
	return a > GLIBC_ALIGNOF_pthread ? a : GLIBC_ALIGNOF_pthread;
}

/* What libc gives each new thread: static TLS and the surplus, then the TCB. */
static size_t static_size(void)
{
	size_t align = static_align();
	return (lt_tls_static_size() + align - 1) / align * align + GLIBC_SIZEOF_pthread;
}

/* Entry i of a dtv (its installed pointer: entry -1 holds the capacity). */
static uintptr_t *dtv_entry(unsigned char *dtv, long i)
{
	return (uintptr_t *)(dtv + i * GLIBC_SIZEOF_dtv);
}

static unsigned char *dtv_of(uintptr_t tcb)
{
	return PD(tcb, header__dtv, unsigned char *);
}

/* The slot-info list: one node, module id -> {generation, link_map}, for
 * libthread_db and __libc_freeres.  Allocated once, with room to spare. */
static unsigned char *slotinfo;
static size_t slotinfo_len;

static uintptr_t *slot(size_t modid)
{
	return (uintptr_t *)(slotinfo + GLIBC_OFF_dtv_slotinfo_list__slotinfo +
			     modid * GLIBC_SIZEOF_dtv_slotinfo);
}

static void record_slot(const struct lt_object *o)
{
	if (o->tls.modid >= slotinfo_len)
		return;  /* beyond the list: only libthread_db misses it */
	slot(o->tls.modid)[GLIBC_OFF_dtv_slotinfo__gen / 8] = lt_glibc.generation;
	slot(o->tls.modid)[GLIBC_OFF_dtv_slotinfo__map / 8] = (uintptr_t)lt_glibc_map(o);
}

static void make_slotinfo(void)
{
	slotinfo_len = lt_tls_module_count() + SLOTINFO_SURPLUS;
	slotinfo = lt_alloc(GLIBC_SIZEOF_dtv_slotinfo_list + slotinfo_len * GLIBC_SIZEOF_dtv_slotinfo);
	if (!slotinfo)
		lt_fatal("out of memory for glibc's TLS slot information");
	GLIBC_AT(slotinfo, GLIBC_OFF_dtv_slotinfo_list__len, size_t) = slotinfo_len;
	GL(_dl_tls_dtv_slotinfo_list, unsigned char *) = slotinfo;
}

/* The main thread's dtv: every start-up module is static, at TP - offset. */
static unsigned char *main_dtv(uintptr_t tp)
{
	size_t capacity = lt_tls_module_count() + DTV_SURPLUS;
	unsigned char *mem = lt_alloc((capacity + 2) * GLIBC_SIZEOF_dtv);
	if (!mem)
		lt_fatal("out of memory for the main thread's dtv");
	unsigned char *dtv = mem + GLIBC_SIZEOF_dtv;
	dtv_entry(dtv, -1)[0] = capacity;
	dtv_entry(dtv, 0)[0] = lt_glibc.generation;
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (o->tls.modid) {
			dtv_entry(dtv, o->tls.modid)[0] = tp - o->tls.offset;
			record_slot(o);
		}
	return dtv;
}

/* rseq: register the main thread's area, as glibc does; else say it failed
 * (__rseq_size 0, and the area's cpu_id; __rseq_offset is published either way). */
static void register_rseq(uintptr_t tp)
{
	unsigned char *area = (unsigned char *)tp + GLIBC_OFF_pthread__rseq_area;
	int32_t *cpu_id = (int32_t *)(tp + GLIBC_OFF_pthread__rseq_area__cpu_id);
	*cpu_id = GLIBC_ENUM_RSEQ_CPU_ID_UNINITIALIZED;
	*lt_glibc.rseq_offset = GLIBC_OFF_pthread__rseq_area;
	if (!lt_glibc_tunable(GLIBC_TUNABLE_glibc__pthread__rseq, 1) ||
	    lt_syscall4(NR_RSEQ, area, GLIBC_SIZEOF_pthread__rseq_area, 0, RSEQ_SIGNATURE) < 0) {
		*cpu_id = GLIBC_ENUM_RSEQ_CPU_ID_REGISTRATION_FAILED;
		return;
	}
	/* The part of the area glibc's rseq code uses, up to and including its flags. */
	*lt_glibc.rseq_size = GLIBC_OFF_pthread__rseq_area__flags - GLIBC_OFF_pthread__rseq_area +
			      GLIBC_SIZEOF_pthread__rseq_area__flags;
}

/* What glibc's own start-up makes of the main thread's struct pthread. */
static void fill_main_pthread(uintptr_t tp)
{
	const uint64_t *random = (const uint64_t *)lt.aux[AT_RANDOM];
	unsigned char *user = lt_glibc.gl + GLIBC_OFF_rtld_global___dl_stack_user;
	uintptr_t list = tp + GLIBC_OFF_pthread__list;
	PD(tp, header__tcb, uintptr_t) = tp;
	PD(tp, header__self, uintptr_t) = tp;
	if (random) {
		PD(tp, header__stack_guard, uint64_t) = random[0] & ~(uint64_t)0xff;
		PD(tp, header__pointer_guard, uint64_t) = random[1];
	}
	GLIBC_AT(user, GLIBC_OFF_list_t__next, uintptr_t) = list;
	GLIBC_AT(user, GLIBC_OFF_list_t__prev, uintptr_t) = list;
	PD(tp, list__next, uintptr_t) = (uintptr_t)user;
	PD(tp, list__prev, uintptr_t) = (uintptr_t)user;
	PD(tp, tid, int) = (int)lt_syscall1(NR_SET_TID_ADDRESS, tp + GLIBC_OFF_pthread__tid);
	uintptr_t robust = tp + GLIBC_OFF_pthread__robust_head;
	PD(tp, robust_prev, uintptr_t) = robust;
	PD(tp, robust_head__list, uintptr_t) = robust;
	PD(tp, robust_head__futex_offset, long) =
		GLIBC_OFF_pthread_mutex____lock - GLIBC_OFF_pthread_mutex____list____next;
	lt_syscall2(NR_SET_ROBUST_LIST, robust, GLIBC_SIZEOF_robust_list_head);
	PD(tp, specific, uintptr_t) = tp + GLIBC_OFF_pthread__specific_1stblock;
	PD(tp, user_stack, char) = 1;
	PD(tp, report_events, char) = *lt_glibc.initial_report_events;
	PD(tp, stackblock_size, size_t) = (size_t)(lt.argv - 1);
	register_rseq(tp);
}

void lt_glibc_main_thread(void)
{
	size_t below = lt_tls_static_size(), align = static_align();
	char *mem = lt_alloc(below + align + GLIBC_SIZEOF_pthread);
	if (!mem)
		lt_fatal("cannot allocate the main thread's TLS");
	uintptr_t tp = ((uintptr_t)mem + below + align - 1) & ~(align - 1);
	lt_glibc.generation = 1;
	make_slotinfo();
	unsigned char *dtv = main_dtv(tp);
	PD(tp, header__dtv, unsigned char *) = dtv;
	GL(_dl_initial_dtv, unsigned char *) = dtv;
	GL(_dl_tls_generation, uint64_t) = lt_glibc.generation;
	GL(_dl_tls_max_dtv_idx, size_t) = lt_tls_module_count();
	GL(_dl_tls_static_nelem, size_t) = lt_tls_module_count();
	GL(_dl_tls_static_used, size_t) = below;
	GLRO(_dl_tls_static_size, size_t) = static_size();
	GLRO(_dl_tls_static_align, size_t) = align;
	GLRO(_dl_tls_static_surplus, size_t) = lt_glibc_tls_surplus();
	fill_main_pthread(tp);
	if (arch_set_thread_pointer((void *)tp) < 0)
		lt_fatal("cannot set the thread pointer");
	lt_glibc.tp = tp;
	trace_thread_pointer(tp, below);
}

/* After relocation: the init images may hold relocated pointers. */
void lt_glibc_fill_static_tls(void)
{
	lt_tls_fill_static(lt_glibc.tp, 0);
}

/* ----- the bridge's TLS operations, for threads libc creates ----- */

/* Copy a module's init image into a block, and clear the rest. */
static void init_block(const struct lt_object *o, unsigned char *block)
{
	memcpy(block, (const void *)o->tls.image, o->tls.filesz);
	memset(block + o->tls.filesz, 0, o->tls.memsz - o->tls.filesz);
}

/*
 * A module in the surplus gets its image in every live thread, and in
 * every thread being made: libc links a new thread into its own lists
 * (_dl_stack_used, _dl_stack_user) only after _dl_allocate_tls has
 * returned, so a dlopen in between, walking those lists, would miss it and
 * the thread would run with the module's block never filled (glibc's
 * loader has that window).  So the threads walked are those whose TLS was
 * set up here and not yet freed: a thread's _dl_allocate_tls_init adds it
 * under the loader lock, so either it saw the module, or the dlopen sees
 * it.  The list's lock is taken last, under any other.
 */
static struct {
	struct lt_mutex lock;
	uintptr_t *tps;
	size_t n, capacity;
} threads;

static int known_thread(uintptr_t tp)
{
	for (size_t i = 0; i < threads.n; i++)
		if (threads.tps[i] == tp)
			return 1;
	return 0;
}

/* From libc's allocator, as dtvs are: when it fails, errno says ENOMEM,
 * which libc's pthread_create asserts. */
static int grow_threads(void)
{
	size_t capacity = threads.capacity ? 2 * threads.capacity : 16;
	uintptr_t *tps = lt_glibc.realloc(threads.tps, capacity * sizeof *tps);
	if (!tps)
		return -1;
	threads.tps = tps, threads.capacity = capacity;
	return 0;
}

/* 0, or -1 out of memory.  (A cached stack comes back with its TLS: known already.) */
static int remember_thread(uintptr_t tp)
{
	int r = 0;
	lt_mutex_lock(&threads.lock);
	if (!known_thread(tp)) {
		if (threads.n == threads.capacity)
			r = grow_threads();
		if (r == 0)
			threads.tps[threads.n++] = tp;
	}
	lt_mutex_unlock(&threads.lock);
	return r;
}

static void forget_thread(uintptr_t tp)
{
	lt_mutex_lock(&threads.lock);
	for (size_t i = 0; i < threads.n; i++)
		if (threads.tps[i] == tp) {
			threads.tps[i] = threads.tps[--threads.n];
			break;
		}
	lt_mutex_unlock(&threads.lock);
}

/* In a fork's child only the calling thread lives; another thread's TCB
 * comes back through _dl_allocate_tls_init if libc reuses its stack.  (The
 * list's lock may have been held across the fork by a thread that is gone.) */
void lt_glibc_threads_after_fork(void)
{
	uintptr_t self = arch_thread_pointer();
	threads.lock = (struct lt_mutex){0};
	int known = known_thread(self);
	threads.n = 0;
	if (known)
		threads.tps[threads.n++] = self;
}

/* A dtv with room for every module id, from libc's allocator; `old` (whose
 * entries are copied) is freed unless it is the main thread's first. */
static unsigned char *grow_dtv(unsigned char *old)
{
	size_t capacity = lt_tls_module_count() + DTV_SURPLUS;
	unsigned char *mem = lt_glibc.calloc(capacity + 2, GLIBC_SIZEOF_dtv);
	if (!mem)
		return 0;
	unsigned char *dtv = mem + GLIBC_SIZEOF_dtv;
	if (old) {
		size_t n = dtv_entry(old, -1)[0] + 1;
		memcpy(dtv_entry(dtv, 0), dtv_entry(old, 0), n * GLIBC_SIZEOF_dtv);
		if (old != GL(_dl_initial_dtv, unsigned char *))
			lt_glibc.free(old - GLIBC_SIZEOF_dtv);
	}
	dtv_entry(dtv, -1)[0] = capacity;
	return dtv;
}

void *lt_glibc_allocate_tls_init(void *tcb, int init)
{
	uintptr_t tp = (uintptr_t)tcb;
	lt_read_lock(&lt_loader_lock);
	unsigned char *dtv = dtv_of(tp);
	if (dtv_entry(dtv, -1)[0] < lt_tls_module_count()) {
		if (!(dtv = grow_dtv(dtv))) {
			lt_read_unlock(&lt_loader_lock);
			return 0;
		}
		PD(tp, header__dtv, unsigned char *) = dtv;
	}
	for (struct lt_object *o = lt.head; o; o = o->next) {
		if (!o->tls.modid)
			continue;
		uintptr_t *e = dtv_entry(dtv, o->tls.modid);
		e[1] = 0;
		if (!lt_tls_is_static(o)) {
			e[0] = DTV_UNALLOCATED;  /* allocated on first use (__tls_get_addr) */
			continue;
		}
		e[0] = tp - o->tls.offset;
		if (init)
			init_block(o, (unsigned char *)e[0]);
	}
	dtv_entry(dtv, 0)[0] = lt_glibc.generation;
	int r = remember_thread(tp);
	lt_read_unlock(&lt_loader_lock);
	return r == 0 ? tcb : 0;
}

void *lt_glibc_allocate_tls(void *tcb)
{
	if (!tcb)
		return 0;  /* (libc always brings its own TCB) */
	lt_glibc_fork_handler_for_thread();
	unsigned char *dtv = grow_dtv(0);
	if (!dtv)
		return 0;
	PD((uintptr_t)tcb, header__dtv, unsigned char *) = dtv;
	return lt_glibc_allocate_tls_init(tcb, 1);
}

void lt_glibc_deallocate_tls(void *tcb, int dealloc_tcb)
{
	(void)dealloc_tcb;  /* libc frees its own TCBs */
	forget_thread((uintptr_t)tcb);
	unsigned char *dtv = dtv_of((uintptr_t)tcb);
	for (size_t i = 1; i <= dtv_entry(dtv, -1)[0]; i++)
		lt_glibc.free((void *)dtv_entry(dtv, i)[1]);
	if (dtv != GL(_dl_initial_dtv, unsigned char *))
		lt_glibc.free(dtv - GLIBC_SIZEOF_dtv);
}

/* Bring the calling thread's dtv up to the current generation: room for
 * every id, and entries of modules that came or went since reset. */
static unsigned char *current_dtv(uintptr_t tp)
{
	unsigned char *dtv = dtv_of(tp);
	if (dtv_entry(dtv, 0)[0] == lt_glibc.generation)
		return dtv;
	if (dtv_entry(dtv, -1)[0] < lt_tls_module_count()) {
		if (!(dtv = grow_dtv(dtv)))
			lt_fatal("out of memory growing a thread's dtv");
		PD(tp, header__dtv, unsigned char *) = dtv;
	}
	for (size_t id = 1; id <= dtv_entry(dtv, -1)[0] && id < slotinfo_len; id++) {
		uintptr_t *e = dtv_entry(dtv, id);
		if (slot(id)[GLIBC_OFF_dtv_slotinfo__gen / 8] <= dtv_entry(dtv, 0)[0])
			continue;  /* unchanged since this dtv was current */
		lt_glibc.free((void *)e[1]);
		e[0] = DTV_UNALLOCATED, e[1] = 0;
	}
	dtv_entry(dtv, 0)[0] = lt_glibc.generation;
	return dtv;
}

/* This thread's block of a dynamic module, allocated with libc's malloc. */
static uintptr_t allocate_block(uintptr_t *e, const struct lt_object *o)
{
	unsigned char *mem = lt_glibc.malloc(o->tls.memsz + o->tls.align);
	if (!mem)
		lt_fatal("%s: out of memory for a thread's TLS block", o->path);
	uintptr_t block = ((uintptr_t)mem + o->tls.align - 1) & ~(o->tls.align - 1);
	init_block(o, (unsigned char *)block);
	e[0] = block, e[1] = (uintptr_t)mem;
	return block;
}

void *lt_glibc_tls_get_addr_slow(size_t *ti)
{
	lt_read_lock(&lt_loader_lock);
	uintptr_t tp = arch_thread_pointer();
	unsigned char *dtv = current_dtv(tp);
	uintptr_t *e = dtv_entry(dtv, ti[0]);
	uintptr_t block = e[0];
	if (block == DTV_UNALLOCATED) {
		const struct lt_object *o = lt_tls_owner(ti[0]);
		if (!o)
			lt_fatal("TLS access to module %zu, which is not loaded", ti[0]);
		block = lt_tls_is_static(o) ? tp - o->tls.offset : allocate_block(e, o);
		e[0] = block;
	}
	lt_read_unlock(&lt_loader_lock);
	return (void *)(block + ti[1]);
}

void *lt_glibc_tls_block(const struct lt_object *obj)
{
	unsigned char *dtv = dtv_of(arch_thread_pointer());
	if (dtv_entry(dtv, 0)[0] != lt_glibc.generation || obj->tls.modid > dtv_entry(dtv, -1)[0])
		return 0;
	uintptr_t block = dtv_entry(dtv, obj->tls.modid)[0];
	return block == DTV_UNALLOCATED ? 0 : (void *)block;
}

/* ----- modules dlopen brings, and takes away ----- */

/* Copy a module in the surplus into one thread's block (the main thread
 * counts as one, even after it exits: its block is never freed). */
static void init_static_block(uintptr_t tp, const struct lt_object *o)
{
	init_block(o, (unsigned char *)(tp - o->tls.offset));
}

static void init_in_every_thread(const struct lt_object *obj)
{
	init_static_block(lt_glibc.tp, obj);
	lt_mutex_lock(&threads.lock);
	for (size_t i = 0; i < threads.n; i++)
		init_static_block(threads.tps[i], obj);
	lt_mutex_unlock(&threads.lock);
}

int lt_glibc_tls_add(const struct lt_object *obj)
{
	lt_glibc.generation++;
	GL(_dl_tls_generation, uint64_t) = lt_glibc.generation;
	if (obj->tls.modid > GL(_dl_tls_max_dtv_idx, size_t))
		GL(_dl_tls_max_dtv_idx, size_t) = obj->tls.modid;
	record_slot(obj);
	if (lt_tls_is_static(obj))
		init_in_every_thread(obj);  /* in the surplus: every thread has room */
	return 0;
}

void lt_glibc_tls_remove(const struct lt_object *obj)
{
	lt_glibc.generation++;
	GL(_dl_tls_generation, uint64_t) = lt_glibc.generation;
	if (obj->tls.modid < slotinfo_len) {
		slot(obj->tls.modid)[GLIBC_OFF_dtv_slotinfo__gen / 8] = lt_glibc.generation;
		slot(obj->tls.modid)[GLIBC_OFF_dtv_slotinfo__map / 8] = 0;
	}
}
