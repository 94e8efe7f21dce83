/* Program start-up (linked into programs only, never into libraries). */
#include "rt.h"
#include "sys.h"

static void (*loader_fini)(void);

void rt_exit(int code)
{
	if (loader_fini)
		loader_fini();
	sys_exit(code);
}

/* Called by _start (crt.S) with the initial stack and the loader's %rdx. */
__attribute__((noreturn)) void rt_start(uintptr_t *sp, void (*fini)(void))
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	loader_fini = fini;
	rt_exit(main(argc, argv, argv + argc + 1));
}
