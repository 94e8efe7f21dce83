/*
 * dlexecstack: dlopen libmu-execstack.so, which asks for an executable
 * stack.  glibc's rule since 2.41: refused unless the stack is executable
 * already (the program or a start-up library asked, or
 * glibc.rtld.execstack=2).  When it loads: code runs on the main stack,
 * and with the argument "thread", on a new thread's stack too (glibc's
 * libc gives threads executable stacks when the main one is; musl's never
 * does).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "../rt/stackcode.h"

static void *on_thread(void *arg)
{
	(void)arg;
	return (void *)(long)run_code_on_stack();
}

int main(int argc, char **argv)
{
	void *h = dlopen("libmu-execstack.so", RTLD_NOW);
	if (!h) {
		printf("dlopen: %s\n", dlerror());
		return 1;
	}
	int (*fn)(void) = (int (*)(void))dlsym(h, "mu_execstack");
	printf("dlopen: ok, %d\n", fn ? fn() : -1);
	printf("code on the main stack: %d\n", run_code_on_stack());
	if (argc > 1 && !strcmp(argv[1], "thread")) {
		pthread_t t;
		void *r = 0;
		if (pthread_create(&t, 0, on_thread, 0) || pthread_join(t, &r))
			return 2;
		printf("code on a thread's stack: %ld\n", (long)r);
	}
	return 0;
}
