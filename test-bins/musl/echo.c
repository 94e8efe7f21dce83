/* echo: argv, LT_ECHO (and the variable LT_ECHO_VAR names), __progname, and facts from
 * the auxiliary vector, as the program sees them. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

extern const char *__progname;
extern const Elf64_Ehdr __ehdr_start;
extern char _start[];

int main(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	const char *v = getenv("LT_ECHO");
	printf("LT_ECHO=%s\n", v ? v : "(unset)");
	const char *also = getenv("LT_ECHO_VAR");  /* the name of one more to show */
	if (also)
		printf("%s=%s\n", also, getenv(also) ? getenv(also) : "(unset)");
	printf("__progname=%s\n", __progname);
	printf("AT_PAGESZ=%lu\n", getauxval(AT_PAGESZ));
	printf("AT_PHDR is ours: %s\n",
	       getauxval(AT_PHDR) == (unsigned long)&__ehdr_start + __ehdr_start.e_phoff ? "yes" : "no");
	printf("AT_PHNUM is ours: %s\n", getauxval(AT_PHNUM) == __ehdr_start.e_phnum ? "yes" : "no");
	printf("AT_ENTRY is ours: %s\n", getauxval(AT_ENTRY) == (unsigned long)_start ? "yes" : "no");
	printf("AT_BASE set: %s\n", getauxval(AT_BASE) ? "yes" : "no");
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	printf("AT_EXECFN ends in argv[0]: %s\n",
	       execfn && strlen(execfn) >= strlen(argv[0]) &&
			       !strcmp(execfn + strlen(execfn) - strlen(argv[0]), argv[0])
		       ? "yes" : "no");
	return 0;
}
