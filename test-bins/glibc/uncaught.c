/*
 * A loader error that nothing catches: libc's _dl_signal_error called
 * outside dlopen, dlsym and the rest, which set up a catcher.  libc then
 * prints it through the loader's _dl_fatal_printf, and the process ends
 * there with status 127, as when a library is missing at start-up.
 */
#include <stdio.h>

void _dl_signal_error(int errcode, const char *objname, const char *occasion,
		      const char *errstring) __attribute__((noreturn));

int main(void)
{
	puts("signalling");
	fflush(stdout);
	_dl_signal_error(0, "libnowhere.so", "uncaught", "nobody catches this");
}
