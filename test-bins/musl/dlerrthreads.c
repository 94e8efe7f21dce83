/*
 * Two threads whose dlsym fails at the same moment, over and over: each
 * must read its own error from dlerror(), naming the symbol it asked for.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define ROUNDS 200000

static void *ask(void *name)
{
	for (int i = 0; i < ROUNDS; i++) {
		if (dlsym(RTLD_DEFAULT, name))
			return "found a symbol that does not exist";
		const char *err = dlerror();
		if (!err || !strstr(err, name))
			return "read another thread's error";
	}
	return 0;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, 0, ask, "missing_in_thread_one");
	const char *mine = ask("missing_in_thread_two"), *theirs;
	pthread_join(t, (void **)&theirs);
	printf("%s\n", mine ? mine : theirs ? theirs : "each thread read its own errors");
	return mine || theirs;
}
