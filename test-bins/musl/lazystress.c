/*
 * lazystress: sixteen threads released together by a barrier make the first
 * calls, each in its own order, to the same 32 lazily bound functions and
 * to an IFUNC.  Every result must be right, and the IFUNC's resolver must
 * have run once.
 */
#include <pthread.h>
#include <stdio.h>

#define D(i) long many_##i(long);
D(0) D(1) D(2) D(3) D(4) D(5) D(6) D(7) D(8) D(9) D(10) D(11) D(12) D(13) D(14) D(15)
D(16) D(17) D(18) D(19) D(20) D(21) D(22) D(23) D(24) D(25) D(26) D(27) D(28) D(29) D(30) D(31)
long many_ifunc(long);
extern int resolver_calls;

static long (*const fns[32])(long) = {
	many_0, many_1, many_2, many_3, many_4, many_5, many_6, many_7, many_8, many_9, many_10,
	many_11, many_12, many_13, many_14, many_15, many_16, many_17, many_18, many_19, many_20,
	many_21, many_22, many_23, many_24, many_25, many_26, many_27, many_28, many_29, many_30,
	many_31,
};

#define NTHREADS 16
static pthread_barrier_t start;

/* Call each function directly, so every call goes through its PLT slot. */
static long call(int i, long x)
{
	switch (i) {
#define C(n) case n: return many_##n(x);
	C(0) C(1) C(2) C(3) C(4) C(5) C(6) C(7) C(8) C(9) C(10) C(11) C(12) C(13) C(14) C(15)
	C(16) C(17) C(18) C(19) C(20) C(21) C(22) C(23) C(24) C(25) C(26) C(27) C(28) C(29)
	C(30) C(31)
	}
	return -1;
}

static void *worker(void *arg)
{
	long id = (long)arg, bad = 0;
	pthread_barrier_wait(&start);
	bad += many_ifunc(id) != id + 1000;
	for (int k = 0; k < 32; k++) {
		int i = (int)((k * 7 + id * 5) % 32);
		bad += call(i, id + 3) != (id + 3) * (i + 1);
	}
	return (void *)bad;
}

int main(void)
{
	pthread_t t[NTHREADS];
	pthread_barrier_init(&start, 0, NTHREADS);
	for (long i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], 0, worker, (void *)i);
	long bad = 0;
	for (int i = 0; i < NTHREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		bad += (long)r;
	}
	printf("wrong results: %ld\n", bad);
	printf("IFUNC resolver calls: %d\n", resolver_calls);
	printf("function table still consistent: %s\n", fns[5](2) == 12 ? "yes" : "no");
	return bad != 0;
}
