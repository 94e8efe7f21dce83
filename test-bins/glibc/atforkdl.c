/*
 * atforkdl: the program's own fork handlers use the loader.  Its prepare
 * handler dlopens and dlcloses a library (whose constructors run), its
 * child handler looks a symbol up, and each child then dlopens.  The
 * loader's own handler, which holds the loader's locks across fork, must
 * run after the program's prepare handler and before its child handler:
 * registered before it.  Three forks, so that a handler registered late
 * (during the first) would be met by the next.  Built with -DBY_DLSYM, it
 * refers to no registering function: it finds __register_atfork, libc's,
 * with dlsym.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static int prepared;

static void prepare(void)
{
	void *h = dlopen("libz.so.1", RTLD_NOW);
	prepared += h != 0;
	if (h)
		dlclose(h);
}

static void in_child(void)
{
	if (!dlsym(RTLD_DEFAULT, "printf"))
		_exit(3);
}

static int register_handlers(void)
{
#ifdef BY_DLSYM
	int (*reg)(void (*)(void), void (*)(void), void (*)(void), void *) =
		(int (*)(void (*)(void), void (*)(void), void (*)(void), void *))dlsym(RTLD_DEFAULT,
										 "__register_atfork");
	return reg ? reg(prepare, 0, in_child, 0) : -1;
#else
	return pthread_atfork(prepare, 0, in_child);
#endif
}

int main(void)
{
	if (register_handlers())
		return 1;
	int ok = 0;
	for (int i = 0; i < 3; i++) {
		pid_t p = fork();
		if (!p)
			_exit(dlopen("libm.so.6", RTLD_NOW) ? 0 : 2);
		int st;
		waitpid(p, &st, 0);
		ok += WIFEXITED(st) && !WEXITSTATUS(st);
	}
	printf("%d prepare handlers opened libz; %d children ran their handlers and could dlopen\n",
	       prepared, ok);
	return 0;
}
