/* TLS of a library, general-dynamic and initial-exec, from several threads. */
#include <pthread.h>
#include <stdio.h>

extern __thread int gl_dynamic, gl_initial;
int gl_bump(int by);
static __thread int mine = 7;

static void *worker(void *arg)
{
	long by = (long)arg, sum = 0;
	for (int i = 0; i < 1000; i++)
		sum += gl_bump((int)by);
	mine += (int)by;
	return (void *)(sum + gl_dynamic + gl_initial + mine);
}

int main(void)
{
	pthread_t t[4];
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], 0, worker, (void *)(i + 1));
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		printf("thread %d: %ld\n", i, (long)r);
	}
	printf("main: %d %d %d\n", gl_dynamic, gl_initial, mine);
	return 0;
}
