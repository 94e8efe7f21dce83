/* pthread_cancel and pthread_exit: libc loads libgcc_s to unwind the thread. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void cleanup(void *what)
{
	printf("cleanup handler: %s\n", (const char *)what);
}

static void *waits_forever(void *arg)
{
	pthread_cleanup_push(cleanup, "cancelled while waiting");
	for (;;)
		pause();
	pthread_cleanup_pop(0);
	return arg;
}

static void *exits_early(void *arg)
{
	pthread_cleanup_push(cleanup, "exited with pthread_exit");
	pthread_exit(arg);
	pthread_cleanup_pop(0);
}

int main(void)
{
	pthread_t t;
	void *r;
	pthread_create(&t, 0, waits_forever, 0);
	pthread_cancel(t);
	pthread_join(t, &r);
	printf("first thread: %s\n", r == PTHREAD_CANCELED ? "cancelled" : "not cancelled");
	pthread_create(&t, 0, exits_early, (void *)42);
	pthread_join(t, &r);
	printf("second thread: %ld\n", (long)r);
	return 0;
}
