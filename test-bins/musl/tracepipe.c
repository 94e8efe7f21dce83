/*
 * tracepipe FILL TICKS: sends the loader's trace (LD_DEBUG) of a dlopen of
 * a library found nowhere into a pipe of one page, which holds FILL bytes
 * of filler first, and prints to stdout what comes out of the pipe after
 * the filler.  A child reads the pipe.
 *
 * With TICKS 0 it reads from the start, and no write of the loader waits.
 * With TICKS 1 a 1 ms interval timer runs during the dlopen, its handler
 * installed without SA_RESTART, and the child reads nothing until the
 * trace has filled the pipe and the handler has run three times more: a
 * write of the loader then waits on the full pipe, and signals interrupt
 * it, with nothing written (EINTR) or, when the pipe had room for part of
 * a line of over a page, with that part written (a short count).  What
 * comes out must be the same either way.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PIPE_SIZE 4096

/* Shared with the child: the handler's runs, and whether dlopen returned. */
static volatile int *ticks, *done;

static void on_tick(int sig)
{
	(void)sig;
	__atomic_add_fetch(ticks, 1, __ATOMIC_SEQ_CST);
}

static void nap(void)
{
	nanosleep(&(struct timespec){ .tv_nsec = 100000 }, 0);
}

/* Wait for the trace to fill the pipe (or for 100 of the handler's runs,
 * when it leaves room), then for three more of the handler's runs. */
static void until_interrupted(int fd)
{
	int queued = 0;
	while (!*done && ioctl(fd, FIONREAD, &queued) == 0 && queued < PIPE_SIZE && *ticks < 100)
		nap();
	int seen = *ticks;
	while (!*done && *ticks < seen + 3)
		nap();
}

/* Skip FILL bytes of the pipe, copy the rest to stdout. */
static int reader(int fd, long fill)
{
	char buf[8192];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		ssize_t skip = fill < n ? fill : n;
		fill -= skip;
		if (fwrite(buf + skip, 1, n - skip, stdout) != (size_t)(n - skip))
			return 1;
	}
	return n < 0 || fflush(stdout) != 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: tracepipe FILL TICKS\n");
		return 2;
	}
	long fill = atol(argv[1]);
	int timed = atoi(argv[2]);
	int p[2];
	volatile int *shared = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || pipe(p) || fcntl(p[1], F_SETPIPE_SZ, PIPE_SIZE) != PIPE_SIZE ||
	    fill < 0 || fill >= PIPE_SIZE) {
		perror("tracepipe: setting up");
		return 2;
	}
	ticks = shared;
	done = shared + 1;
	char filler[PIPE_SIZE];
	memset(filler, 'f', sizeof filler);
	if (write(p[1], filler, fill) != fill) {
		perror("tracepipe: filling the pipe");
		return 2;
	}
	fflush(stdout);
	pid_t child = fork();
	if (child < 0) {
		perror("tracepipe: fork");
		return 2;
	}
	if (!child) {
		close(p[1]);
		if (timed)
			until_interrupted(p[0]);
		_exit(reader(p[0], fill));
	}
	close(p[0]);
	int saved = dup(2);
	dup2(p[1], 2);
	close(p[1]);
	if (timed) {
		struct sigaction sa = { .sa_handler = on_tick };  /* no SA_RESTART */
		sigaction(SIGALRM, &sa, 0);
		struct itimerval every_ms = { { 0, 1000 }, { 0, 1000 } };
		setitimer(ITIMER_REAL, &every_ms, 0);
	}
	void *h = dlopen("libmu-nowhere.so", RTLD_NOW);
	setitimer(ITIMER_REAL, &(struct itimerval){ 0 }, 0);
	*done = 1;
	dup2(saved, 2);  /* the child sees the end of the pipe */
	int status;
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "tracepipe: the reader failed\n");
		return 1;
	}
	if (h) {
		fprintf(stderr, "tracepipe: libmu-nowhere.so was found\n");
		return 1;
	}
	return 0;
}
