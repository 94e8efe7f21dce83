/*
 * runner MIN_RUNS SECONDS -- COMMAND [ARG...]
 *
 * Runs COMMAND at least MIN_RUNS times, and more while the total stays
 * under SECONDS (at most 501), with its output thrown away.  Prints one
 * line: the median wall time in microseconds and the median of the runs'
 * peak resident set sizes in kilobytes (from wait4's rusage; a single run
 * can be an outlier, by where address randomization put things).  Exits
 * non-zero if any run fails.  Built static with musl-gcc, so that the runner itself starts the
 * same way under every loader being measured.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 501

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One run: its wall time in seconds and peak RSS in kilobytes; -1 on failure. */
static double run_once(char **argv, long *maxrss_kb)
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
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0)
		return -1;
	double t = now() - start;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	*maxrss_kb = ru.ru_maxrss;
	return t;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 5 || argv[3][0] != '-' || argv[3][1] != '-') {
		fprintf(stderr, "usage: runner MIN_RUNS SECONDS -- COMMAND [ARG...]\n");
		return 2;
	}
	int min_runs = atoi(argv[1]);
	double budget = atof(argv[2]), total = 0;
	static double times[MAX_RUNS], peaks[MAX_RUNS];
	int n = 0;
	while (n < MAX_RUNS && (n < min_runs || total < budget)) {
		long rss = 0;
		double t = run_once(argv + 4, &rss);
		if (t < 0) {
			fprintf(stderr, "runner: %s failed\n", argv[4]);
			return 1;
		}
		times[n] = t;
		peaks[n++] = rss;
		total += t;
	}
	qsort(times, n, sizeof *times, by_value);
	qsort(peaks, n, sizeof *peaks, by_value);
	printf("%.0f %.0f\n", times[n / 2] * 1e6, peaks[n / 2]);
	return 0;
}
