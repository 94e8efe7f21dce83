/*
 * The stage: ld-teach-exec after the point of no return.
 *
 * It runs from a mapping of its own, on a stack of its own, and its only
 * state is the plan that exec.c worked out and checked beforehand, so it
 * survives the unmapping of the old image.  It does what the kernel's
 * execve does after its own point of no return: forget the old image's
 * signal handlers, unmap the old image, map the new one, build the stack,
 * update the memory descriptor, close the close-on-exec descriptors, and
 * jump.
 *
 * Every step was checked before the point of no return.  Should one fail all
 * the same, there is no process left to return to: the stage says so and
 * kills the process (the kernel, in the same spot, sends a fatal SIGSEGV).
 *
 * This file is compiled into the stage blob (stage.lds.S): no global
 * variables, and nothing outside the blob may be called.
 */
#include <linux/signal.h>
#include <asm/prctl.h>
#include "plan.h"
#include "exec_arch.h"
#include "print.h"
#include "str.h"
#include "syscalls.h"
#include "trace.h"

#define trace(p, ...)                     \
	do {                              \
		if ((p)->trace)           \
			exec_trace(__VA_ARGS__); \
	} while (0)

__attribute__((noreturn)) static void fatal(const struct stage_plan *p, const char *what, long err)
{
	lt_dprintf(2, "ld-teach-exec: %s: fatal: %s failed after the point of no return "
		      "(errno %ld); the old image is gone, the process is killed\n",
		   p->names[STAGE_PROGRAM], what, -err);
	sys_kill(sys_getpid(), SIGKILL);
	sys_exit(127);
}

/* Nothing may interrupt the stage: signals stay pending until the new program runs. */
static void block_signals(struct stage_plan *p)
{
	const uint64_t all = ~0ULL;
	sys_rt_sigprocmask(SIG_SETMASK, &all, &p->saved_mask);
}

/*
 * Handlers live in the old image: caught signals go back to SIG_DFL, ignored
 * ones stay ignored, and flags, masks and restorers are cleared, as execve
 * does.  The alternate signal stack is in the old image too.
 */
static void reset_signal_handlers(const struct stage_plan *p)
{
	unsigned caught = 0;
	for (int sig = 1; sig <= KERNEL_NSIG; sig++) {
		struct kernel_sigaction old;
		if (sig == SIGKILL || sig == SIGSTOP || sys_rt_sigaction(sig, 0, &old) < 0)
			continue;
		struct kernel_sigaction fresh = {0};
		fresh.handler = old.handler == KERNEL_SIG_IGN ? KERNEL_SIG_IGN : KERNEL_SIG_DFL;
		caught += old.handler != KERNEL_SIG_IGN && old.handler != KERNEL_SIG_DFL;
		long r = sys_rt_sigaction(sig, &fresh, 0);
		if (r < 0)
			fatal(p, "resetting a signal handler", r);
	}
	stack_t no_altstack = {.ss_flags = SS_DISABLE};
	sys_sigaltstack(&no_altstack, 0);
	trace(p, "signals: %u caught signals back to SIG_DFL, ignored ones stay ignored", caught);
}

static void unmap_old_image(const struct stage_plan *p)
{
	for (uint32_t i = 0; i < p->n_unmap; i++) {
		const struct stage_range *r = &p->unmap[i];
		long err = sys_munmap((void *)r->start, r->end - r->start);
		if (err < 0)
			fatal(p, "unmapping the old image", err);
		trace(p, "unmapped 0x%lx-0x%lx", (unsigned long)r->start, (unsigned long)r->end);
	}
}

/* One string rather than a table of pointers: the blob must hold no absolute addresses. */
static const char *prot_text(int prot)
{
	static const char names[] = "---\0r--\0-w-\0rw-\0--x\0r-x\0-wx\0rwx";
	return names + 4 * (prot & 7);
}

static void map_one(const struct stage_plan *p, const struct stage_map *m)
{
	int flags = MAP_PRIVATE | MAP_FIXED_NOREPLACE | (m->fd < 0 ? MAP_ANONYMOUS : 0);
	void *got = sys_mmap((void *)m->addr, m->len, m->prot, flags, m->fd, m->offset);
	if (sys_mmap_failed(got))
		fatal(p, "mapping a segment", (long)got);
	if ((uint64_t)got != m->addr)
		fatal(p, "mapping a segment at its address", -EEXIST);
	if (m->zero_to > m->zero_from)
		memset((void *)m->zero_from, 0, m->zero_to - m->zero_from);
	if (m->tramp_at)
		memcpy((void *)m->tramp_at, exec_trampoline, exec_trampoline_end - exec_trampoline);
	if (m->final_prot != m->prot) {
		long err = sys_mprotect(got, m->len, m->final_prot);
		if (err < 0)
			fatal(p, "protecting a segment", err);
	}
	if (m->fd >= 0)
		trace(p, "mapped 0x%lx-0x%lx %s %s at offset 0x%lx", (unsigned long)m->addr,
		      (unsigned long)(m->addr + m->len), prot_text(m->final_prot), p->names[m->object],
		      (unsigned long)m->offset);
	else
		trace(p, "mapped 0x%lx-0x%lx %s zero-filled (.bss of %s)", (unsigned long)m->addr,
		      (unsigned long)(m->addr + m->len), prot_text(m->final_prot), p->names[m->object]);
	if (m->tramp_at)
		trace(p, "  trampoline copied to 0x%lx, in the unused end of that text page",
		      (unsigned long)m->tramp_at);
}

static void map_new_image(const struct stage_plan *p)
{
	for (uint32_t i = 0; i < p->n_maps; i++)
		map_one(p, &p->maps[i]);
}

/* The stack mapping stays, but nothing of its old contents. */
static void build_stack(const struct stage_plan *p)
{
	long err = sys_madvise((void *)p->stack_start, p->stack_end - p->stack_start, MADV_DONTNEED);
	if (err < 0)
		fatal(p, "clearing the stack", err);
	memcpy((void *)p->sp, p->stack_image, p->stack_size);
	trace(p, "stack: old contents discarded, %lu bytes written at 0x%lx",
	      (unsigned long)p->stack_size, (unsigned long)p->sp);
}

/*
 * brk, the argument and environment bounds behind /proc/self/cmdline and
 * environ, the auxv behind /proc/self/auxv, and /proc/self/exe.  Changing
 * /proc/self/exe needs CAP_CHECKPOINT_RESTORE (or CAP_SYS_ADMIN); without
 * it the rest is still set.  doc/exec.md describes what stays otherwise.
 */
static void update_memory_descriptor(const struct stage_plan *p)
{
	struct prctl_mm_map mm = p->mm;
	long err = sys_prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)&mm, sizeof mm, 0);
	if (err == -EPERM) {
		trace(p, "PR_SET_MM_MAP with exe_fd: not permitted; /proc/self/exe keeps naming "
			 "the old program");
		mm.exe_fd = (uint32_t)-1;
		err = sys_prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)&mm, sizeof mm, 0);
	}
	if (err < 0)
		trace(p, "PR_SET_MM_MAP failed (errno %ld): brk stays where the old image had it, "
			 "/proc/self/cmdline and auxv are stale", -err);
	else
		trace(p, "PR_SET_MM_MAP: brk at 0x%lx, arguments 0x%lx-0x%lx, environment 0x%lx-0x%lx",
		      (unsigned long)mm.start_brk, (unsigned long)mm.arg_start,
		      (unsigned long)mm.arg_end, (unsigned long)mm.env_start,
		      (unsigned long)mm.env_end);
	sys_prctl(PR_SET_NAME, (unsigned long)p->comm, 0, 0, 0);
	trace(p, "command name: %s", p->comm);
}

struct dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int parse_fd(const char *s)
{
	int n = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (*s - '0');
	}
	return n;
}

/*
 * Close every descriptor marked close-on-exec, ld-teach-exec's own (the
 * program's and the interpreter's) among them.  Listing /proc/self/fd
 * takes a descriptor, but never the last free one: the plan read
 * /proc/self/maps with those two open, and that descriptor is closed.
 */
static void close_cloexec_fds(const struct stage_plan *p)
{
	unsigned closed = 0;
	long dir = sys_open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
	if (dir < 0)
		fatal(p, "listing the file descriptors", dir);
	char buf[2048] __attribute__((aligned(8)));
	for (long n; (n = sys_getdents64(dir, buf, sizeof buf)) > 0;) {
		for (long off = 0; off < n;) {
			const struct dirent64 *d = (const void *)(buf + off);
			int fd = parse_fd(d->d_name);
			off += d->d_reclen;
			if (fd < 0 || fd == dir)
				continue;
			long flags = sys_fcntl(fd, F_GETFD, 0);
			if (flags >= 0 && (flags & FD_CLOEXEC)) {
				sys_close(fd);
				closed++;
			}
		}
	}
	sys_close(dir);
	trace(p, "closed %u close-on-exec file descriptors, ld-teach-exec's own included", closed);
}

/*
 * Per-thread state that pointed into the old image: the robust futex list,
 * the clear-child-tid address and the thread pointer.  Memory locks of
 * future mappings (mlockall) do not survive execve either.
 */
static void reset_thread_state(void)
{
	sys_set_robust_list(0, 3 * sizeof(void *));
	sys_set_tid_address(0);
	sys_arch_prctl(ARCH_SET_FS, 0);
	sys_arch_prctl(ARCH_SET_GS, 0);
	sys_munlockall();
}

void stage_main(struct stage_plan *p)
{
	block_signals(p);
	trace(p, "point of no return passed: the stage runs at 0x%lx-0x%lx",
	      (unsigned long)p->stage_start, (unsigned long)p->stage_end);
	reset_signal_handlers(p);
	unmap_old_image(p);
	map_new_image(p);
	build_stack(p);
	update_memory_descriptor(p);
	close_cloexec_fds(p);
	reset_thread_state();
	trace(p, "jumping to 0x%lx through the trampoline at 0x%lx, which unmaps 0x%lx-0x%lx",
	      (unsigned long)p->entry, (unsigned long)p->trampoline,
	      (unsigned long)p->tramp_unmaps.start, (unsigned long)p->tramp_unmaps.end);
	sys_rt_sigprocmask(SIG_SETMASK, &p->saved_mask, 0);
	exec_reset_fpu(p->fpu_init, p->xsave);
	exec_jump(p->trampoline, p->tramp_unmaps.start, p->tramp_unmaps.end - p->tramp_unmaps.start,
		  p->entry, p->sp);
}
