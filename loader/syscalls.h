/*
 * The system calls ld-teach-exec needs beyond the core's (rtld/sys.h), as
 * typed inline wrappers.  Each returns the kernel's result: >= 0 on
 * success, -errno on failure.  Inline, so the stage (stage.c) gets its own
 * copy inside its position-independent blob.
 */
#ifndef EXEC_SYSCALLS_H
#define EXEC_SYSCALLS_H

#include <stdint.h>
#include <linux/fcntl.h>
#include <linux/resource.h>
#include <linux/stat.h>
#include "sys.h"

/* The kernel's struct sigaction on x86_64 (not libc's). */
struct kernel_sigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

#define KERNEL_SIG_DFL ((void *)0)
#define KERNEL_SIG_IGN ((void *)1)
#define KERNEL_NSIG 64

#define EXEC_X_OK 1 /* access(2)'s X_OK */

static inline long sys_getrandom(void *buf, size_t len, unsigned flags)
{
	return lt_syscall3(__NR_getrandom, buf, len, flags);
}

static inline long sys_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4,
			     unsigned long a5)
{
	return lt_syscall6(__NR_prctl, option, a2, a3, a4, a5, 0);
}

static inline long sys_rt_sigaction(int sig, const struct kernel_sigaction *act,
				    struct kernel_sigaction *old)
{
	return lt_syscall4(__NR_rt_sigaction, sig, act, old, sizeof(uint64_t));
}

static inline long sys_rt_sigprocmask(int how, const uint64_t *set, uint64_t *old)
{
	return lt_syscall4(__NR_rt_sigprocmask, how, set, old, sizeof(uint64_t));
}

static inline long sys_sigaltstack(const void *ss, void *old)
{
	return lt_syscall2(__NR_sigaltstack, ss, old);
}

static inline long sys_madvise(void *addr, size_t len, int advice)
{
	return lt_syscall3(__NR_madvise, addr, len, advice);
}

static inline long sys_getdents64(int fd, void *buf, size_t len)
{
	return lt_syscall3(__NR_getdents64, fd, buf, len);
}

static inline long sys_fcntl(int fd, int cmd, long arg)
{
	return lt_syscall3(__NR_fcntl, fd, cmd, arg);
}

static inline long sys_fork(void) { return lt_syscall0(__NR_fork); }

static inline long sys_wait4(int pid, int *status, int options)
{
	return lt_syscall4(__NR_wait4, pid, status, options, 0);
}

static inline long sys_getuid(void) { return lt_syscall0(__NR_getuid); }
static inline long sys_geteuid(void) { return lt_syscall0(__NR_geteuid); }
static inline long sys_getgid(void) { return lt_syscall0(__NR_getgid); }
static inline long sys_getegid(void) { return lt_syscall0(__NR_getegid); }

static inline long sys_getrlimit(int resource, struct rlimit64 *old)
{
	return lt_syscall4(__NR_prlimit64, 0, resource, 0, old);
}

static inline long sys_personality(unsigned long persona)
{
	return lt_syscall1(__NR_personality, persona);
}

static inline long sys_fstatat(const char *path, struct stat *st)
{
	return lt_syscall4(__NR_newfstatat, AT_FDCWD, path, st, 0);
}

static inline long sys_faccessat2(int dirfd, const char *path, int mode, int flags)
{
	return lt_syscall4(__NR_faccessat2, dirfd, path, mode, flags);
}

static inline long sys_set_robust_list(void *head, size_t len)
{
	return lt_syscall2(__NR_set_robust_list, head, len);
}

static inline long sys_set_tid_address(int *tidptr)
{
	return lt_syscall1(__NR_set_tid_address, tidptr);
}

static inline long sys_rseq(void *area, uint32_t len, int flags, uint32_t sig)
{
	return lt_syscall4(__NR_rseq, area, len, flags, sig);
}

static inline long sys_munlockall(void) { return lt_syscall0(__NR_munlockall); }

static inline long sys_kill(int pid, int sig) { return lt_syscall2(__NR_kill, pid, sig); }

#endif
