/*
 * copydata: libc data that programs reach directly (environ, optarg,
 * optind, stdout), which the linker copies into the program.  libc must
 * read and write the program's copies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	int c;
	while ((c = getopt(argc, argv, "a:b")) != -1)
		printf("option %c%s%s\n", c, optarg ? " with " : "", optarg ? optarg : "");
	printf("optind=%d, next argument: %s\n", optind, optind < argc ? argv[optind] : "(none)");
	setenv("LT_NEW", "set-by-setenv", 1);
	int seen = 0;
	for (char **e = environ; *e; e++)
		seen |= !strcmp(*e, "LT_NEW=set-by-setenv");
	printf("setenv is visible through the program's environ: %s\n", seen ? "yes" : "no");
	fprintf(stdout, "stdout is the program's copy: %s\n", stdout != NULL ? "yes" : "no");
	return 0;
}
