/*
 * The handful of system calls the core needs, as typed inline wrappers.
 * Each returns the kernel's result: >= 0 on success, -errno on failure.
 */
#ifndef LT_SYS_H
#define LT_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <asm/unistd.h>
#include <asm/stat.h>
#include <asm/fcntl.h>
#include <asm/errno.h>
#include <linux/mman.h>
#include <linux/time.h>
#include <linux/openat2.h>
#include "syscall.h"

#ifndef AT_FDCWD
#define AT_FDCWD (-100)
#endif

static inline long sys_open(const char *path, int flags)
{
	return lt_syscall4(__NR_openat, AT_FDCWD, path, flags | O_CLOEXEC, 0);
}

/* openat2 (Linux 5.6): open with `resolve` flags (RESOLVE_*, linux/openat2.h). */
static inline long sys_open_resolve(const char *path, int flags, uint64_t resolve)
{
	struct { uint64_t flags, mode, resolve; } how = {(uint64_t)(flags | O_CLOEXEC), 0, resolve};
	return lt_syscall4(__NR_openat2, AT_FDCWD, path, &how, sizeof how);
}

/* openat: `dir` a descriptor of a directory, or AT_FDCWD. */
static inline long sys_openat(int dir, const char *path, int flags, int mode)
{
	return lt_syscall4(__NR_openat, dir, path, flags | O_CLOEXEC, mode);
}

static inline long sys_close(int fd) { return lt_syscall1(__NR_close, fd); }

static inline long sys_read(int fd, void *buf, size_t len)
{
	return lt_syscall3(__NR_read, fd, buf, len);
}

static inline long sys_pread(int fd, void *buf, size_t len, uint64_t off)
{
	return lt_syscall4(__NR_pread64, fd, buf, len, off);
}

static inline long sys_write(int fd, const void *buf, size_t len)
{
	return lt_syscall3(__NR_write, fd, buf, len);
}

static inline long sys_fstat(int fd, struct stat *st)
{
	return lt_syscall2(__NR_fstat, fd, st);
}

static inline long sys_mkdir(const char *path, int mode)
{
	return lt_syscall3(__NR_mkdirat, AT_FDCWD, path, mode);
}

static inline long sys_rename(const char *from, const char *to)
{
	return lt_syscall4(__NR_renameat, AT_FDCWD, from, AT_FDCWD, to);
}

static inline long sys_unlink(const char *path)
{
	return lt_syscall3(__NR_unlinkat, AT_FDCWD, path, 0);
}

static inline void *sys_mmap(void *addr, size_t len, int prot, int flags, int fd, uint64_t off)
{
	return (void *)lt_syscall6(__NR_mmap, (long)addr, (long)len, prot, flags, fd, (long)off);
}

/* mmap's error results are the top 4095 addresses. */
static inline int sys_mmap_failed(const void *p) { return (uintptr_t)p > (uintptr_t)-4096; }

static inline long sys_munmap(void *addr, size_t len)
{
	return lt_syscall2(__NR_munmap, addr, len);
}

static inline long sys_mprotect(void *addr, size_t len, int prot)
{
	return lt_syscall3(__NR_mprotect, addr, len, prot);
}

static inline long sys_readlink(const char *path, char *buf, size_t len)
{
	return lt_syscall4(__NR_readlinkat, AT_FDCWD, path, buf, len);
}

static inline long sys_getcwd(char *buf, size_t len)
{
	return lt_syscall2(__NR_getcwd, buf, len);
}

static inline long sys_getpid(void) { return lt_syscall0(__NR_getpid); }
static inline long sys_gettid(void) { return lt_syscall0(__NR_gettid); }

static inline long sys_clock_gettime(int clock, struct timespec *ts)
{
	return lt_syscall2(__NR_clock_gettime, clock, ts);
}

static inline long sys_futex(volatile int *addr, int op, int val)
{
	return lt_syscall4(__NR_futex, addr, op, val, 0);
}

static inline long sys_arch_prctl(int code, unsigned long addr)
{
	return lt_syscall2(__NR_arch_prctl, code, addr);
}

static inline long sys_membarrier(int cmd, int flags)
{
	return lt_syscall2(__NR_membarrier, cmd, flags);
}

__attribute__((noreturn)) static inline void sys_exit(int code)
{
	for (;;)
		lt_syscall1(__NR_exit_group, code);
}

#endif
