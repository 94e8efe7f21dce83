/* libc reaches the kernel's clocks through the vDSO when its loader says
 * where the vDSO's functions are.  With the system calls themselves made to
 * fail (a seccomp filter), each call says which way it went. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#define DENY(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)

static int deny_clock_calls(void)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		DENY(SYS_clock_gettime), DENY(SYS_gettimeofday), DENY(SYS_time), DENY(SYS_getcpu),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof code / sizeof code[0], code};
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

static const char *way(int failed)
{
	return failed ? "system call" : "vDSO";
}

int main(void)
{
	if (deny_clock_calls()) {
		perror("seccomp");
		return 2;
	}
	struct timespec ts;
	struct timeval tv;
	unsigned cpu;
	printf("clock_gettime: %s\n", way(clock_gettime(CLOCK_MONOTONIC, &ts) != 0));
	printf("gettimeofday: %s\n", way(gettimeofday(&tv, 0) != 0));
	printf("time: %s\n", way(time(0) == (time_t)-1));
	printf("getcpu: %s\n", way(getcpu(&cpu, 0) != 0));
	return 0;
}
