/*
 * stacksize: whether a new thread's default stack holds 1 MiB.  Linked
 * with -z stack-size=2 MiB, the program's PT_GNU_STACK asks for more than
 * musl's default of 128 KiB, and musl's loader raises the default to what
 * it asks (up to 8 MiB).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

static void *report(void *unused)
{
	pthread_attr_t attr;
	size_t size = 0;
	(void)unused;
	if (!pthread_getattr_np(pthread_self(), &attr))
		pthread_attr_getstacksize(&attr, &size);
	printf("a new thread's stack holds 1 MiB: %s\n", size >= 1 << 20 ? "yes" : "no");
	return 0;
}

int main(void)
{
	pthread_t t;
	return pthread_create(&t, 0, report, 0) || pthread_join(t, 0);
}
