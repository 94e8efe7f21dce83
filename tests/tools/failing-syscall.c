/*
 * failing-syscall CALL[,N=VALUE...] ERRNO PROGRAM [ARGS...]: run PROGRAM
 * with the system call CALL failing with ERRNO (a seccomp filter, which
 * execve keeps), when each of its arguments N (0 to 5) named is VALUE;
 * every other call goes through.  So one call can fail where others of its
 * kind do not: `arch_prctl,0=0x1002` fails ARCH_SET_FS alone,
 * `mprotect,2=7` the calls that ask for PROT_READ|PROT_WRITE|PROT_EXEC and
 * nothing more.  The kernel's execve reads the program's files without
 * system calls: only what PROGRAM does sees the failures.  When the filter
 * cannot be installed it says "seccomp: ..." and exits with 2.
 */
#define _GNU_SOURCE
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The calls the tests make fail; add others as they need them. */
static const struct { const char *name; int nr; } calls[] = {
	{"arch_prctl", SYS_arch_prctl},
	{"mprotect", SYS_mprotect},
	{"pread64", SYS_pread64},
	{"openat2", SYS_openat2},
};

#define MAX_CODE 64
static struct sock_filter code[MAX_CODE];
static unsigned short len;

static void emit(struct sock_filter insn)
{
	if (len == MAX_CODE) {
		fprintf(stderr, "failing-syscall: too many conditions\n");
		exit(2);
	}
	code[len++] = insn;
}

/* Load the 32-bit word at OFF; unless it is VALUE, let the call through
 * (the instruction after the next: the ALLOW ending every test). */
static void require(size_t off, uint32_t value)
{
	emit((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, off));
	emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, value, 1, 0));
	emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

static int syscall_number(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
		if (strlen(calls[i].name) == n && !strncmp(calls[i].name, name, n))
			return calls[i].nr;
	return -1;
}

static void usage(void)
{
	fprintf(stderr, "usage: failing-syscall CALL[,N=VALUE...] ERRNO PROGRAM [ARGS...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 4)
		usage();
	const char *spec = argv[1];
	size_t n = strcspn(spec, ",");
	int nr = syscall_number(spec, n);
	if (nr < 0) {
		fprintf(stderr, "failing-syscall: unknown system call: %.*s\n", (int)n, spec);
		return 2;
	}
	require(offsetof(struct seccomp_data, arch), AUDIT_ARCH_X86_64);
	require(offsetof(struct seccomp_data, nr), (uint32_t)nr);
	for (const char *p = spec + n; *p == ',';) {
		char *end;
		unsigned long arg = strtoul(p + 1, &end, 10);
		if (end == p + 1 || *end != '=' || arg > 5)
			usage();
		uint64_t value = strtoull(end + 1, &end, 0);
		if (*end && *end != ',')
			usage();
		/* (Little-endian: the low half first.) */
		size_t off = offsetof(struct seccomp_data, args) + arg * sizeof(uint64_t);
		require(off, (uint32_t)value);
		require(off + 4, (uint32_t)(value >> 32));
		p = end;
	}
	unsigned err = (unsigned)atoi(argv[2]);
	emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA)));

	struct sock_fprog prog = {len, code};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		perror("seccomp");
		return 2;
	}
	execv(argv[3], argv + 3);
	perror(argv[3]);
	return 127;
}
