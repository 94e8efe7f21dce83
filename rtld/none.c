/*
 * The adapter for programs without a libc: the core does what a libc's
 * start-up would.  It installs a minimal thread block (thread pointer,
 * dtv, stack-protector canary) before constructors run, runs the
 * libraries' constructors, and hands the program the finalizer in %rdx.  Such a program has one thread
 * and no dl* API, so there is no dynamic TLS to serve.
 *
 * Its libraries are searched for in the system's default directories,
 * without a cache: the rules of glibc's loader, which such a program
 * (linked by plain gcc) names as its interpreter.
 */
#include "rtld.h"
#include "alloc.h"
#include "arch.h"
#include "audit.h"
#include "init.h"
#include "libc.h"
#include "tls.h"
#include "trace.h"

/* The thread block: what the TLS ABI and -fstack-protector code read. */
struct minimal_tcb {
	uintptr_t self;       /* %fs:0, as the TLS ABI requires */
	uintptr_t *dtv;       /* %fs:8: dtv[id] is module id's block */
	uintptr_t unused[3];
	uintptr_t canary;     /* %fs:0x28, read by -fstack-protector code */
	uintptr_t pad[2];
};

static void install_thread_block(uint64_t canary)
{
	size_t align = lt_tls_static_align() > 16 ? lt_tls_static_align() : 16;
	size_t below = lt_tls_static_size();
	size_t dtv_size = (lt_tls_module_count() + 1) * sizeof(uintptr_t);
	char *mem = lt_alloc(dtv_size + below + align + sizeof(struct minimal_tcb));
	if (!mem)
		lt_fatal("cannot allocate the thread control block");
	uintptr_t tp = ((uintptr_t)mem + dtv_size + below + align - 1) & ~(align - 1);
	uintptr_t *dtv = (uintptr_t *)mem;
	dtv[0] = lt_tls_module_count();
	lt_tls_fill_static(tp, dtv);
	struct minimal_tcb *tcb = (struct minimal_tcb *)tp;
	tcb->self = tp;
	tcb->dtv = dtv;
	tcb->canary = canary & ~(uint64_t)0xff;  /* a zero low byte stops string overruns */
	if (arch_set_thread_pointer(tcb) < 0)
		lt_fatal("cannot set the thread pointer");
	trace_thread_pointer(tp, below);
}

static void before_constructors(void)
{
	const uint64_t *random = (const uint64_t *)lt.aux[AT_RANDOM];
	install_thread_block(random ? *random : 0);
}

/* The libraries' constructors; the program's own are its start code's, so
 * la_preinit comes before them. */
static void hand_off(struct lt_handoff *out)
{
	lt_run_initializers(0);
	lt_audit_preinit();
	out->fini = lt_run_finalizers;
}

/*
 * General-dynamic TLS access: {module, offset} to an address, through the
 * dtv.  ld-teach.so exports it for programs without a libc (it is last in
 * the global scope, so a libc's own definition wins where there is one).
 */
__attribute__((visibility("default"))) void *__tls_get_addr(size_t *ti)
{
	const struct minimal_tcb *tcb = (const struct minimal_tcb *)arch_thread_pointer();
	return (void *)(tcb->dtv[ti[0]] + ti[1]);
}

const struct lt_libc_adapter lt_no_libc = {
	.name = "none",
	.system_dirs = "/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib:/usr/lib",
	.before_constructors = before_constructors,
	.hand_off = hand_off,
	.tls_get_addr = __tls_get_addr,
};
