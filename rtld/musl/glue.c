/*
 * ld-teach's glue for musl.
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
 * Until __lt_musl_start has installed the thread pointer, no libc function
 * may run: 309 of libc.a's members read the stack-protector canary at
 * %fs:0x28.  This file is compiled without the stack protector and only
 * calls __init_tp and __copy_tls (built without it too) before that point.
 */
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
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

#define MUSL_PTHREAD_SIZE 200  /* sizeof(struct pthread): the TCB above the TP */
#define MUSL_MIN_TLS_ALIGN 8

extern struct musl_libc __libc HIDDEN;
extern size_t __hwcap HIDDEN;
extern size_t __sysinfo HIDDEN;
extern int __malloc_replaced HIDDEN, __aligned_alloc_replaced HIDDEN;
extern unsigned __default_stacksize HIDDEN;
extern char **__environ;
int __init_tp(void *td) HIDDEN;
void *__copy_tls(unsigned char *mem) HIDDEN;
void __dl_seterr(const char *fmt, ...) HIDDEN;
void *__tls_get_addr(size_t *v);

#define MUSL_DEFAULT_STACK_MAX (8 << 20)

static const struct lt_core_ops *core;

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
	size_t align = b->tls_align > MUSL_MIN_TLS_ALIGN ? b->tls_align : MUSL_MIN_TLS_ALIGN;
	size_t size = (1 + b->tls_count) * sizeof(void *) + b->tls_offset + MUSL_PTHREAD_SIZE +
		      2 * align;
	__libc.tls_cnt = b->tls_count;
	__libc.tls_align = align;
	__libc.tls_size = (size + align - 1) & -align;
}

/*
 * The main thread's block: dtv, TLS blocks and struct pthread, laid out by
 * libc's own __copy_tls exactly as it will lay out every later thread.  It
 * comes from mmap, zeroed, not from malloc: the program may have replaced
 * malloc, and no replacement may run this early.
 */
static void install_thread_pointer(void)
{
	long mem = lt_syscall6(__NR_mmap, 0, __libc.tls_size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem < 0 && mem > -4096)
		die("ld-teach.so: musl adapter: cannot allocate the main thread's TLS\n");
	if (__init_tp(__copy_tls((unsigned char *)mem)) < 0)
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

/* Called by the core once everything is relocated, before the program's _start. */
EXPORT void __lt_musl_start(const struct lt_adapter_boot *b)
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

/* libc's dlsym is a two-instruction stub passing its caller's address as ra. */
HIDDEN void *__dlsym(void *restrict h, const char *restrict name, void *restrict ra)
{
	struct lt_dlsym_result r;
	char err[LT_DLERROR_MAX];
	if (core->dlsym(h, name, 0, ra, &r, err) < 0) {
		__dl_seterr("%s", err);
		return 0;
	}
	if (r.tls_module) {
		/* A TLS symbol: its address in the calling thread. */
		size_t v[2] = {r.tls_module, r.tls_offset};
		return __tls_get_addr(v);
	}
	return r.addr;
}

EXPORT void *dlopen(const char *file, int mode)
{
	char err[LT_DLERROR_MAX];
	void *h = core->dlopen(file, mode, __builtin_return_address(0), err);
	if (!h)
		__dl_seterr("%s", err);
	return h;
}

EXPORT int dladdr(const void *addr, Dl_info *info)
{
	return core->dladdr(addr, (struct lt_dl_info *)info);
}

EXPORT int dl_iterate_phdr(int (*cb)(struct dl_phdr_info *, size_t, void *), void *data)
{
	return core->iterate_phdr((int (*)(struct lt_dl_phdr_info *, size_t, void *))cb, data);
}
