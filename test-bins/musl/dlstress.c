/*
 * dlstress: eight threads dlopen, dlsym, call and dlclose libraries with
 * TLS, thousands of times, while others make first (lazily bound) calls
 * into a library that is itself opened and closed over and over.  Nothing
 * may crash and every answer must be right.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 8

static int rounds = 2000;

static long open_call_close(long id)
{
	long bad = 0;
	for (int i = 0; i < rounds; i++) {
		void *h = dlopen(i % 2 ? "libmu-small.so" : "libmu-bigtls.so", RTLD_NOW);
		if (!h)
			return 1000000;
		if (i % 2) {
			int (*add)(int, int) = (int (*)(int, int))dlsym(h, "small_add");
			int *(*tls)(void) = (int *(*)(void))dlsym(h, "small_address");
			bad += !add || !tls || add((int)id, i) != id + i;
			if (tls)
				*tls() = (int)id;
		} else {
			int (*bump)(void) = (int (*)(void))dlsym(h, "big_bump");
			bad += !bump || bump() <= 10;
		}
		bad += dlclose(h) != 0;
	}
	return bad;
}

/* Lazily bound first calls into libmu-many while other threads close libraries. */
static long lazy_calls(long id)
{
	long bad = 0;
	for (int i = 0; i < rounds / 4; i++) {
		void *h = dlopen("libmu-many.so", RTLD_LAZY);
		long (*f)(long) = h ? (long (*)(long))dlsym(h, "many_ifunc") : 0;
		bad += !f || f(id) != id + 1000;
		bad += !h || dlclose(h) != 0;
	}
	return bad;
}

static void *worker(void *arg)
{
	long id = (long)arg;
	return (void *)(id % 4 == 3 ? lazy_calls(id) : open_call_close(id));
}

int main(int argc, char **argv)
{
	if (argc > 1)
		rounds = atoi(argv[1]);
	pthread_t t[THREADS];
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], 0, worker, (void *)i);
	long bad = 0;
	for (int i = 0; i < THREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		bad += (long)r;
	}
	printf("wrong answers: %ld\n", bad);
	return bad != 0;
}
