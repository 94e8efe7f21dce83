/*
 * runner MIN_RUNS SECONDS -- A [ARG...] [-- B [ARG...]]...
 *
 * Runs each command at least MIN_RUNS times, taking turns (A, B, A, B,
 * ...), so that whatever else the machine does falls on all of them alike,
 * and more rounds while the total stays under SECONDS (at most 501 runs of
 * each), with their output thrown away.  Prints one line per command, in
 * order: the median wall time in microseconds and the median of the runs'
 * peak resident set sizes in kilobytes (from wait4's rusage; a single run
 * can be an outlier, by where address randomization put things).  Exits
 * non-zero if any run fails.  Built static with musl-gcc, so that the
 * runner itself starts the same way under every loader being measured.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 501
#define MAX_COMMANDS 8

struct command {
	char **argv;
	double times[MAX_RUNS], peaks[MAX_RUNS];
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One run: its wall time in seconds and peak RSS in kilobytes; on
 * failure -1, and *status says how it ended. */
static double run_once(char **argv, long *maxrss_kb, int *status)
{
	double start = now();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	struct rusage ru;
	if (wait4(pid, status, 0, &ru) < 0)
		return -1;
	double t = now() - start;
	if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0)
		return -1;
	*maxrss_kb = ru.ru_maxrss;
	return t;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Split argv at each "--" into commands; returns how many. */
static int split(char **argv, struct command *cmds)
{
	int n = 0;
	for (char **a = argv; *a; a++) {
		if (strcmp(*a, "--"))
			continue;
		*a = 0;
		if (!a[1] || !strcmp(a[1], "--") || n == MAX_COMMANDS)
			return 0;
		cmds[n++].argv = a + 1;
	}
	return n;
}

int main(int argc, char **argv)
{
	static struct command cmds[MAX_COMMANDS];
	int ncmds = argc >= 5 && !strcmp(argv[3], "--") ? split(argv + 3, cmds) : 0;
	if (!ncmds) {
		fprintf(stderr, "usage: runner MIN_RUNS SECONDS -- A [ARG...] [-- B [ARG...]]...\n");
		return 2;
	}
	int min_runs = atoi(argv[1]), n = 0;
	double budget = atof(argv[2]), total = 0;
	while (n < MAX_RUNS && (n < min_runs || total < budget)) {
		for (int c = 0; c < ncmds; c++) {
			long rss = 0;
			int status = 0;
			double t = run_once(cmds[c].argv, &rss, &status);
			if (t < 0) {
				fprintf(stderr, "runner: %s %s failed (wait status %#x, run %d)\n",
					cmds[c].argv[0], cmds[c].argv[1] ? cmds[c].argv[1] : "", status,
					n + 1);
				return 1;
			}
			cmds[c].times[n] = t;
			cmds[c].peaks[n] = rss;
			total += t;
		}
		n++;
	}
	for (int c = 0; c < ncmds; c++) {
		qsort(cmds[c].times, n, sizeof *cmds[c].times, by_value);
		qsort(cmds[c].peaks, n, sizeof *cmds[c].peaks, by_value);
		printf("%.0f %.0f\n", cmds[c].times[n / 2] * 1e6, cmds[c].peaks[n / 2]);
	}
	return 0;
}
