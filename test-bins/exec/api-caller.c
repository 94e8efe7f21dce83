/*
 * api-caller: teach_execve (include/ld-teach/exec.h) called from an
 * ordinary glibc program that has process state for execve to deal with: a
 * caught signal and an ignored one, a blocked signal, a close-on-exec
 * descriptor (5) and an inherited one (6), the FPU rounding mode set
 * upwards, and glibc's rseq registration.
 *
 *   api-caller kernel|teach|threads PROGRAM [ARGS...]
 *
 * kernel runs PROGRAM with execve(2), teach with teach_execve, threads with
 * teach_execve while a second thread runs (which it must refuse).  When
 * teach_execve fails, the caller must be exactly as before, with no
 * descriptor more or less open: it says what failed, checks its own
 * state, and exits 3.  API_CALLER_STACK_KIB in the
 * environment sets RLIMIT_STACK first (for the argument size limits);
 * API_CALLER_CLOEXEC_STDIN=1 marks descriptor 0 close-on-exec too;
 * API_CALLER_OWN_RSEQ=1 registers an rseq area of its own (built with
 * musl, as api-caller-musl, no libc registers one, nor says where);
 * API_CALLER_BIG_ARGS=N adds N arguments of 120,000 bytes each to PROGRAM's
 * (more than the test's own shell could pass).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <fenv.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "ld-teach/exec.h"

extern char **environ;

static void on_usr1(int sig) { (void)sig; }

static void *idle(void *fd)
{
	char c;
	return (void *)(long)read(*(int *)fd, &c, 1);
}

static void set_up_state(void)
{
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, SIG_IGN);
	sigset_t winch;
	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	sigprocmask(SIG_BLOCK, &winch, NULL);
	int fd = open("/dev/null", O_RDONLY);
	dup3(fd, 5, O_CLOEXEC);
	dup2(fd, 6);
	close(fd);
	fesetround(FE_UPWARD);
	if (getenv("API_CALLER_CLOEXEC_STDIN"))
		fcntl(0, F_SETFD, FD_CLOEXEC);
	/* (32 bytes, the kernel's least, aligned as it asks; 0x53053053, x86's signature.) */
	static unsigned char own_rseq[32] __attribute__((aligned(32)));
	if (getenv("API_CALLER_OWN_RSEQ") && syscall(SYS_rseq, own_rseq, sizeof own_rseq, 0, 0x53053053))
		perror("rseq");
	const char *kib = getenv("API_CALLER_STACK_KIB");
	if (kib) {
		struct rlimit r;
		getrlimit(RLIMIT_STACK, &r);
		r.rlim_cur = strtoul(kib, NULL, 10) << 10;
		setrlimit(RLIMIT_STACK, &r);
	}
}

/* How many descriptors are open (the one reading the list among them). */
static int open_descriptors(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

static int descriptors_before;

/* After a failed teach_execve: is everything still as set_up_state left it? */
static int state_intact(void)
{
	struct sigaction sa;
	sigaction(SIGUSR1, NULL, &sa);
	return sa.sa_handler == on_usr1 && fcntl(0, F_GETFD) == 0 && fcntl(5, F_GETFD) == FD_CLOEXEC &&
	       fcntl(6, F_GETFD) == 0 && fegetround() == FE_UPWARD &&
	       open_descriptors() == descriptors_before;
}

/* PROGRAM and its arguments, with API_CALLER_BIG_ARGS's added. */
static char **program_argv(int argc, char **argv)
{
	const char *big = getenv("API_CALLER_BIG_ARGS");
	int n = big ? atoi(big) : 0;
	if (n <= 0)
		return argv + 2;
	char **out = calloc(argc - 2 + n + 1, sizeof *out), *arg = malloc(120000);
	if (!out || !arg)
		exit(2);
	memset(arg, 'x', 119999);
	arg[119999] = 0;
	for (int i = 2; i < argc; i++)
		out[i - 2] = argv[i];
	for (int i = 0; i < n; i++)
		out[argc - 2 + i] = arg;
	return out;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: api-caller kernel|teach|threads PROGRAM [ARGS...]\n");
		return 2;
	}
	char **args = program_argv(argc, argv);
	set_up_state();
	if (!strcmp(argv[1], "kernel")) {
		descriptors_before = open_descriptors();
		execve(argv[2], args, environ);
		perror("execve");
		printf("the caller is intact: %s\n", state_intact() ? "ok" : "WRONG");
		return 3;
	}
	int pipefd[2];
	pthread_t thread;
	if (!strcmp(argv[1], "threads") &&
	    (pipe(pipefd) || pthread_create(&thread, NULL, idle, &pipefd[0])))
		return 2;
	descriptors_before = open_descriptors();
	/* API_CALLER_TRACE: through teach_execve_opts, with --trace's description. */
	struct teach_exec_options opts = {.trace = getenv("API_CALLER_TRACE") != NULL};
	int err = teach_execve_opts(argv[2], args, environ, &opts);
	printf("teach_execve returned %d: %s\n", err, teach_exec_error());
	printf("the caller is intact: %s\n", state_intact() ? "ok" : "WRONG");
	return 3;
}
