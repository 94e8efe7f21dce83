/*
 * Raw Linux system calls for x86_64.
 *
 * The kernel takes the number in rax and up to six arguments in rdi, rsi,
 * rdx, r10, r8 and r9; `syscall` clobbers rcx and r11.  Results in
 * [-4095, -1] are negated errno values.
 */
#ifndef LT_ARCH_SYSCALL_H
#define LT_ARCH_SYSCALL_H

static inline long lt_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define lt_syscall0(n) lt_syscall6((n), 0, 0, 0, 0, 0, 0)
#define lt_syscall1(n, a) lt_syscall6((n), (long)(a), 0, 0, 0, 0, 0)
#define lt_syscall2(n, a, b) lt_syscall6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define lt_syscall3(n, a, b, c) lt_syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define lt_syscall4(n, a, b, c, d) \
	lt_syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

#endif
