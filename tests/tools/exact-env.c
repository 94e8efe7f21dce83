/*
 * exact-env NAME=VALUE... -- PROGRAM [ARG...]
 *
 * Runs PROGRAM (a path) with exactly the environment given, in that order,
 * a name given twice included, which env(1) and the shells cannot make:
 * for the tests of how a loader reads a variable with two entries.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int sep = 1;
	while (sep < argc && strcmp(argv[sep], "--"))
		sep++;
	if (sep + 1 >= argc) {
		fprintf(stderr, "usage: exact-env NAME=VALUE... -- PROGRAM [ARG...]\n");
		return 2;
	}
	argv[sep] = 0;  /* the environment: argv[1] .. argv[sep - 1] */
	execve(argv[sep + 1], argv + sep + 1, argv + 1);
	perror(argv[sep + 1]);
	return 127;
}
