/*
 * ld-teach's glue for musl: the libc side of the musl adapter (the core
 * side is adapter.c).
 *
 * Linked with Debian's musl libc.a into the libc.so that ld-teach gives
 * musl programs.  musl's libc expects its own loader to define a handful of
 * hidden hooks and to fill its private state before any libc code runs; this
 * file does both, by asking the rtld core (ld-teach.so) through the
 * operations table it receives at start-up.
 *
 * Facts used here (layouts, hook contracts) are in
 * ../shared/reference/musl-loader-interface.md and were checked against the
 * Debian 12 libc.a; doc/design.md explains the adapter.
 *
 * Until __lt_adapter_start has installed the thread pointer, no libc function
 * may run: 309 of libc.a's members read the stack-protector canary at
 * %fs:0x28.  This file is compiled without the stack protector and only
 * calls __init_tp and __copy_tls (built without it too) before that point.
 */
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include "ld-teach/adapter.h"
#include "syscall.h"

#define HIDDEN __attribute__((visibility("hidden")))
#define EXPORT __attribute__((visibility("default")))

/* --- musl's private state, by layout (musl 1.2.3-1.2.5, x86_64) --- */

struct musl_tls_module {
	struct musl_tls_module *next;
	void *image;
	size_t len, size, align, offset;
};

struct musl_libc {
	char can_do_threads, threaded, secure;
	volatile signed char need_locks;
	int threads_minus_1;
	size_t *auxv;
	struct musl_tls_module *tls_head;
	size_t tls_size, tls_align, tls_cnt;
	size_t page_size;
	void *global_locale[6];
};

_Static_assert(sizeof(struct musl_tls_module) == 48, "struct tls_module");
_Static_assert(sizeof(struct musl_libc) == 104, "struct __libc");
_Static_assert(offsetof(struct musl_libc, tls_head) == 16, "__libc.tls_head");
_Static_assert(offsetof(struct musl_libc, page_size) == 48, "__libc.page_size");
_Static_assert(sizeof(struct dl_phdr_info) == sizeof(struct lt_dl_phdr_info), "dl_phdr_info");
_Static_assert(sizeof(Dl_info) == sizeof(struct lt_dl_info), "Dl_info");

/* The head of musl's struct pthread (the thread descriptor the TP points to). */
struct musl_thread {
	struct musl_thread *self;
	uintptr_t *dtv;            /* dtv[0]: module count; dtv[i]: module i's block */
	struct musl_thread *prev, *next;  /* the ring of live threads */
};

#define MUSL_PTHREAD_SIZE 200  /* sizeof(struct pthread): the TCB above the TP */
#define MUSL_MIN_TLS_ALIGN 8
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED 8

extern struct musl_libc __libc HIDDEN;
extern size_t __hwcap HIDDEN;
extern size_t __sysinfo HIDDEN;
extern int __malloc_replaced HIDDEN, __aligned_alloc_replaced HIDDEN;
extern unsigned __default_stacksize HIDDEN;
extern char **__environ;
int __init_tp(void *td) HIDDEN;
void *__copy_tls(unsigned char *mem) HIDDEN;
void __dl_seterr(const char *fmt, ...) HIDDEN;
void __tl_lock(void) HIDDEN;
void __tl_unlock(void) HIDDEN;
void __inhibit_ptc(void);
void __release_ptc(void);
void __block_app_sigs(void *set) HIDDEN;
void __restore_sigs(void *set) HIDDEN;
int __membarrier(int cmd, int flags) HIDDEN;

#define MUSL_DEFAULT_STACK_MAX (8 << 20)

static const struct lt_core_ops *core;

/* Each thread's error line, which the core fills when a dl* call fails.
 * (libc.so is loaded at start-up, so its TLS is static in every thread.) */
static __thread char error_line[LT_DLERROR_MAX] __attribute__((tls_model("initial-exec")));

/* Fatal errors before the thread pointer exists: no libc, raw system calls. */
__attribute__((noreturn)) static void die(const char *msg)
{
	size_t n = 0;
	while (msg[n])
		n++;
	lt_syscall3(__NR_write, 2, msg, n);
	for (;;)
		lt_syscall1(__NR_exit_group, 127);
}

static size_t aux_value(const size_t *auxv, size_t type)
{
	for (; auxv[0]; auxv += 2)
		if (auxv[0] == type)
			return auxv[1];
	return 0;
}

/* What __copy_tls lays out for each thread: count modules, static TLS of
 * `offset` bytes, aligned to `align` (musl's minimum at least). */
static void set_tls_size(size_t count, size_t offset, size_t align)
{
	align = align > MUSL_MIN_TLS_ALIGN ? align : MUSL_MIN_TLS_ALIGN;
	size_t size = (1 + count) * sizeof(void *) + offset + MUSL_PTHREAD_SIZE + 2 * align;
	__libc.tls_cnt = count;
	__libc.tls_align = align;
	__libc.tls_size = (size + align - 1) & -align;
}

/* musl's TLS bookkeeping: the module list __copy_tls walks for every thread. */
static void publish_tls_modules(const struct lt_adapter_boot *b)
{
	struct musl_tls_module **tail = &__libc.tls_head;
	for (size_t i = 0; i < b->tls_count; i++) {
		const struct lt_tls_module_info *t = &b->tls[i];
		struct musl_tls_module *m = core->alloc(sizeof *m);
		if (!m)
			die("ld-teach.so: musl adapter: out of memory for the TLS modules\n");
		*m = (struct musl_tls_module){0, (void *)t->image, t->len, t->size, t->align,
					      t->offset};
		*tail = m;
		tail = &m->next;
	}
	set_tls_size(b->tls_count, b->tls_offset, b->tls_align);
}

/*
 * The main thread's block: dtv, TLS blocks and struct pthread, laid out by
 * libc's own __copy_tls exactly as it will lay out every later thread (it
 * aligns the block itself).  It comes from the core's allocator, zeroed,
 * usually from memory already mapped, not from malloc: the program may
 * have replaced malloc, and no replacement may run this early.
 */
static void install_thread_pointer(void)
{
	unsigned char *mem = core->alloc(__libc.tls_size);
	if (!mem)
		die("ld-teach.so: musl adapter: cannot allocate the main thread's TLS\n");
	if (__init_tp(__copy_tls(mem)) < 0)
		die("ld-teach.so: musl adapter: cannot set the thread pointer\n");
}

/* PT_GNU_STACK sizes raise the default thread stack, up to musl's 8 MiB cap. */
static void raise_stack_size(size_t want)
{
	if (want > MUSL_DEFAULT_STACK_MAX)
		want = MUSL_DEFAULT_STACK_MAX;
	if (want > __default_stacksize)
		__default_stacksize = want;
}

/*
 * ----- TLS that dlopen brings -----
 *
 * A module in the static surplus (in_place) is filled in every live thread
 * at dlopen: code may reach it initial-exec.  Any other module is dynamic,
 * as in glibc: a thread allocates its block on first use, in
 * __tls_get_addr; the block goes when the thread exits
 * (__dl_thread_cleanup) or when the module is unloaded (tls_remove),
 * whichever comes first.  Its
 * node in musl's module list has no length and no offset, so musl's
 * __copy_tls points a later thread's dtv entry at that thread's own
 * descriptor: the mark of a block not allocated yet, as 0 is in a dtv
 * that predates the module.  (musl's own loader fills every module in
 * every thread at dlopen; its __tls_get_addr, which this file replaces,
 * only reads the dtv.)
 */

static struct musl_thread *self(void)
{
	struct musl_thread *td;
	__asm__("mov %%fs:0, %0" : "=r"(td));
	return td;
}

/* Does a dtv entry of thread td hold a block? */
static int allocated(const struct musl_thread *td, uintptr_t entry)
{
	return entry && entry != (uintptr_t)td;
}

/* The list node of module `modid`, creating nodes up to it (ids are list positions). */
static struct musl_tls_module *module_node(size_t modid)
{
	struct musl_tls_module **p = &__libc.tls_head;
	for (size_t i = 1;; i++, p = &(*p)->next) {
		if (!*p && !(*p = core->alloc(sizeof **p)))
			return 0;
		if (i == modid)
			return *p;
	}
}

/* A copy of `dtv` with room for `count` modules (the old one is never
 * freed: another thread walking the ring may have read it). */
static uintptr_t *longer_dtv(const uintptr_t *dtv, size_t count)
{
	uintptr_t *grown = core->alloc((count + 1) * sizeof *grown);
	if (!grown)
		return 0;
	for (size_t i = 0; i <= dtv[0]; i++)
		grown[i] = dtv[i];
	grown[0] = count;
	return grown;
}

/* This thread's new dtv for an in_place module, its image copied into the
 * thread's block; nothing is published yet. */
static uintptr_t *prepare_thread(struct musl_thread *td, size_t modid, size_t count,
				 const struct lt_tls_module_info *m)
{
	uintptr_t *dtv = td->dtv[0] < count ? longer_dtv(td->dtv, count) : td->dtv;
	if (!dtv)
		return 0;
	unsigned char *block = (unsigned char *)td - m->offset;
	__builtin_memcpy(block, m->image, m->len);
	__builtin_memset(block + m->len, 0, m->size - m->len);
	dtv[modid] = (uintptr_t)block;
	return dtv;
}

/* Give every live thread the in_place module, then publish the new dtvs at once. */
static int install_in_threads(size_t modid, size_t count, const struct lt_tls_module_info *m)
{
	size_t n = (size_t)__libc.threads_minus_1 + 1, i = 0;
	uintptr_t **dtvs = core->alloc(n * sizeof *dtvs);
	if (!dtvs)
		return -1;
	struct musl_thread *td = self();
	int r = 0;
	do {
		if (i == n || !(dtvs[i] = prepare_thread(td, modid, count, m))) {
			r = -1;
			break;
		}
		i++;
		td = td->next;
	} while (td != self());
	if (r == 0) {
		__membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0);
		i = 0;
		do {
			td->dtv = dtvs[i++];
			td = td->next;
		} while (td != self());
	}
	core->free(dtvs);
	return r;
}

/*
 * A dynamic block: right before it, a header that links it into its
 * thread's list (`pprev` is the pointer that points at it: the list head
 * in that thread's TLS, or the previous header's `next`), changed only
 * with the thread list locked.
 */
struct dynamic_block {
	struct dynamic_block *next, **pprev;
	void *mem;  /* the allocation the header and block are in */
};

static void free_dynamic_block(uintptr_t block)
{
	struct dynamic_block *h = (struct dynamic_block *)block - 1;
	*h->pprev = h->next;
	if (h->next)
		h->next->pprev = h->pprev;
	core->free(h->mem);
}

/* No live thread keeps a block of module `modid`: a module that reuses the
 * id starts afresh.  A dynamic module's blocks are freed; an in-place one's
 * lie in each thread's static TLS. */
static void forget_in_threads(size_t modid, int dynamic)
{
	struct musl_thread *td = self();
	do {
		if (modid <= td->dtv[0]) {
			if (dynamic && allocated(td, td->dtv[modid]))
				free_dynamic_block(td->dtv[modid]);
			td->dtv[modid] = 0;
		}
		td = td->next;
	} while (td != self());
}

/* Run `fn` on every live thread's view of module `modid` with new threads
 * held off, application signals blocked and the thread list locked. */
static int with_threads_held(int (*fn)(size_t, size_t, const struct lt_tls_module_info *),
			     size_t modid, size_t count, const struct lt_tls_module_info *m)
{
	char sigs[128];  /* a sigset_t */
	__block_app_sigs(sigs);
	__tl_lock();
	int r = fn(modid, count, m);
	__tl_unlock();
	__restore_sigs(sigs);
	return r;
}

/* (`count` says whether the module is dynamic: no offset in the static TLS.) */
static int forget(size_t modid, size_t dynamic, const struct lt_tls_module_info *m)
{
	(void)m;
	forget_in_threads(modid, (int)dynamic);
	return 0;
}

static int tls_add(size_t modid, const struct lt_tls_module_info *m, int in_place,
		   size_t tls_offset, size_t tls_align)
{
	size_t count = modid > __libc.tls_cnt ? modid : __libc.tls_cnt;
	__inhibit_ptc();  /* no new threads while the module list changes */
	struct musl_tls_module *node = module_node(modid);
	int r = !node ? -1 : in_place ? with_threads_held(install_in_threads, modid, count, m) : 0;
	if (r == 0) {
		/* Threads created from now on: an in_place module at TP - offset,
		 * a dynamic one marked not allocated (no length, no offset). */
		*node = (struct musl_tls_module){node->next, (void *)m->image, in_place ? m->len : 0,
						 m->size, m->align, in_place ? m->offset : 0};
		set_tls_size(count, tls_offset, tls_align);
	}
	__release_ptc();
	return r;
}

/* The module's image is about to be unmapped: later threads get nothing of
 * it, live ones forget their blocks. */
static void tls_remove(size_t modid)
{
	__inhibit_ptc();
	struct musl_tls_module *node = module_node(modid);
	int dynamic = node && !node->offset;
	if (node)
		node->len = node->offset = 0;
	with_threads_held(forget, modid, dynamic, 0);
	__release_ptc();
}

static void *tls_block(size_t modid)
{
	struct musl_thread *td = self();
	return modid <= td->dtv[0] && allocated(td, td->dtv[modid]) ? (void *)td->dtv[modid] : 0;
}

/* The calling thread's dynamic blocks, freed when it exits. */
static __thread struct dynamic_block *dynamic_blocks __attribute__((tls_model("initial-exec")));

/* A thread's first use of dynamic module v[0]: its block, from the module's image. */
static __attribute__((noinline)) void *first_use(size_t *v)
{
	struct lt_tls_module_info m;
	if (core->tls_module(v[0], &m) < 0)
		die("ld-teach.so: musl adapter: TLS access to a module that is not loaded\n");
	void *mem = core->alloc(sizeof(struct dynamic_block) + m.size + m.align);
	if (!mem)
		die("ld-teach.so: musl adapter: out of memory for a thread's TLS block\n");
	uintptr_t block = ((uintptr_t)mem + sizeof(struct dynamic_block) + m.align - 1) & -m.align;
	struct dynamic_block *h = (struct dynamic_block *)block - 1;
	h->mem = mem;
	__builtin_memcpy((void *)block, m.image, m.len);  /* (the rest is zero) */
	char sigs[128];
	__block_app_sigs(sigs);
	__tl_lock();  /* a dlopen may be replacing this thread's dtv */
	struct musl_thread *td = self();
	uintptr_t *dtv = td->dtv;
	if (v[0] > dtv[0] && !(dtv = longer_dtv(dtv, v[0] > __libc.tls_cnt ? v[0] : __libc.tls_cnt)))
		die("ld-teach.so: musl adapter: out of memory for a thread's dtv\n");
	dtv[v[0]] = block;
	td->dtv = dtv;
	h->next = dynamic_blocks;
	h->pprev = &dynamic_blocks;
	if (h->next)
		h->next->pprev = &h->next;
	dynamic_blocks = h;
	__tl_unlock();
	__restore_sigs(sigs);
	return (void *)(block + v[1]);
}

/* General-dynamic TLS: {module, offset} to an address in the calling thread. */
EXPORT void *__tls_get_addr(size_t *v)
{
	struct musl_thread *td = self();
	if (v[0] <= td->dtv[0] && allocated(td, td->dtv[v[0]]))
		return (void *)(td->dtv[v[0]] + v[1]);
	return first_use(v);
}

/* From pthread_exit, with the thread list locked (so no tls_remove frees
 * them meanwhile): the thread's dynamic blocks go, then what musl frees. */
void __lt_musl_dl_thread_cleanup(void) HIDDEN;
HIDDEN void __dl_thread_cleanup(void)
{
	for (struct dynamic_block *h = dynamic_blocks, *next; h; h = next) {
		next = h->next;
		core->free(h->mem);
	}
	dynamic_blocks = 0;
	__lt_musl_dl_thread_cleanup();
}

static char *error_slot(void)
{
	return error_line;
}

static const struct lt_libc_ops libc_ops = {
	.tls_add = tls_add,
	.tls_remove = tls_remove,
	.tls_block = tls_block,
	.tls_get_addr = __tls_get_addr,
	.error_slot = error_slot,
};

/* Called by the core once everything is relocated, before the program's _start. */
EXPORT const struct lt_libc_ops *__lt_adapter_start(const struct lt_adapter_boot *b)
{
	if (b->abi != LT_ADAPTER_ABI || b->core->abi != LT_ADAPTER_ABI)
		die("ld-teach.so: musl adapter: built for another version of ld-teach.so\n");
	core = b->core;
	__environ = b->envp;
	__libc.auxv = b->auxv;
	__hwcap = aux_value(b->auxv, AT_HWCAP);
	__sysinfo = aux_value(b->auxv, AT_SYSINFO);  /* absent on x86_64: 0 */
	__libc.page_size = aux_value(b->auxv, AT_PAGESZ);
	__libc.secure = b->secure;
	publish_tls_modules(b);
	install_thread_pointer();
	__malloc_replaced = b->malloc_replaced;
	__aligned_alloc_replaced = b->aligned_alloc_replaced;
	raise_stack_size(b->stack_size);
	return &libc_ops;
}

/* --- the hooks musl's libc calls (hidden weak in libc.a; ours win) --- */

/* From __libc_start_main, after __init_libc: every start-up constructor. */
HIDDEN void __libc_start_init(void)
{
	core->run_constructors();
}

/* From exit(), after the atexit handlers. */
HIDDEN void __libc_exit_fini(void)
{
	core->run_destructors();
}

/* From __init_libc.  Its fallback would rebuild TLS from the program alone
 * and move the thread pointer; ours already covers every module. */
HIDDEN void __init_tls(size_t *aux)
{
	(void)aux;
}

/* From fork(): keep a child from inheriting a loader lock held mid-dlopen. */
HIDDEN void __ldso_atfork(int who)
{
	core->atfork(who);
}

HIDDEN int __dl_invalid_handle(void *h)
{
	if (core->is_handle(h))
		return 0;
	__dl_seterr("Invalid library handle %p", h);
	return 1;
}

/* dlsym and dlvsym: `name` (of `version`, if any) as seen from the code at ra. */
static void *symbol_address(void *h, const char *name, const char *version, void *ra)
{
	struct lt_dlsym_result r;
	if (core->dlsym(h, name, version, ra, &r) < 0) {
		__dl_seterr("%s", error_line);
		return 0;
	}
	if (r.tls_module) {
		/* A TLS symbol: its address in the calling thread. */
		size_t v[2] = {r.tls_module, r.tls_offset};
		return __tls_get_addr(v);
	}
	return r.addr;
}

/* libc's dlsym is a two-instruction stub passing its caller's address as ra. */
HIDDEN void *__dlsym(void *restrict h, const char *restrict name, void *restrict ra)
{
	return symbol_address(h, name, 0, ra);
}

EXPORT void *dlopen(const char *file, int mode)
{
	void *h = core->dlopen(file, mode, __builtin_return_address(0));
	if (!h && error_line[0])
		__dl_seterr("%s", error_line);
	return h;
}

EXPORT int dladdr(const void *addr, Dl_info *info)
{
	return core->dladdr(addr, (struct lt_dl_info *)info, 0, 0);
}

/* glibc's extension: also the symbol's Elf64_Sym or the object's link_map. */
EXPORT int dladdr1(const void *addr, Dl_info *info, void **extra, int flags)
{
	return core->dladdr(addr, (struct lt_dl_info *)info, extra, flags);
}

EXPORT int dl_iterate_phdr(int (*cb)(struct dl_phdr_info *, size_t, void *), void *data)
{
	return core->iterate_phdr((int (*)(struct lt_dl_phdr_info *, size_t, void *))cb, data);
}

/* Replaces libc.a's, which never unloads (the build weakens it). */
EXPORT int dlclose(void *h)
{
	if (core->dlclose(h) < 0) {
		__dl_seterr("%s", error_line);
		return 1;
	}
	return 0;
}

/* Replaces libc.a's, which knows only RTLD_DI_LINKMAP (the build weakens it). */
EXPORT int dlinfo(void *restrict h, int request, void *restrict arg)
{
	if (core->dlinfo(h, request, arg) < 0) {
		__dl_seterr("%s", error_line);
		return -1;
	}
	return 0;
}

/* glibc's extension: a symbol of a given version. */
EXPORT void *dlvsym(void *restrict h, const char *restrict name, const char *restrict version)
{
	return symbol_address(h, name, version, __builtin_return_address(0));
}
