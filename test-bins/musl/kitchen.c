/*
 * kitchen: an ordinary program that uses a bit of everything: stdio,
 * malloc, threads with TLS, qsort with a callback, getenv and atexit.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static __thread int per_thread = 1;

static int by_length_then_text(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t lx = strlen(x), ly = strlen(y);
	return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x, y);
}

static void *square(void *arg)
{
	per_thread = (int)(long)arg;
	per_thread *= per_thread;
	return (void *)(long)per_thread;
}

static void goodbye(void) { puts("atexit: goodbye"); }
static void first_registered(void) { puts("atexit: registered first, runs last"); }

int main(int argc, char **argv)
{
	atexit(first_registered);
	atexit(goodbye);
	const char *home = getenv("LT_KITCHEN");
	printf("LT_KITCHEN=%s\n", home ? home : "(unset)");

	const char *words[] = {"pear", "fig", "banana", "kiwi", "apple", "date", "cherry"};
	size_t n = sizeof words / sizeof *words;
	const char **copy = malloc(n * sizeof *copy);
	memcpy(copy, words, n * sizeof *copy);
	qsort(copy, n, sizeof *copy, by_length_then_text);
	for (size_t i = 0; i < n; i++)
		printf("%s%s", copy[i], i + 1 < n ? " " : "\n");
	free(copy);

	char *buf = NULL;
	size_t cap = 0;
	for (int i = 0; i < 1000; i++) {
		buf = realloc(buf, cap += 64);
		snprintf(buf, cap, "grown to %zu bytes", cap);
	}
	puts(buf);
	free(buf);

	pthread_t t[4];
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], 0, square, (void *)(i + 2));
	long sum = 0;
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		sum += (long)r;
	}
	printf("squares from threads: %ld, main's TLS still %d\n", sum, per_thread);
	printf("argc=%d, last argument: %s\n", argc, argv[argc - 1]);
	return 0;
}
