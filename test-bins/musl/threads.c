/* threads: eight threads, each with its own copy of every static TLS block
 * (the program's local-exec data and libmu-tls's general-dynamic and
 * initial-exec data), initialised from the TLS images. */
#include <pthread.h>
#include <stdio.h>

extern __thread int lib_tls_gd;
int *lib_gd_address(void);
int *lib_ie_address(void);
int lib_zero_ok(void);

static __thread int main_tls = 7;
static __thread char main_tbss[32];

#define NTHREADS 8

static void *worker(void *arg)
{
	long id = (long)arg;
	int ok = main_tls == 7 && *lib_gd_address() == 100 && *lib_ie_address() == 200 &&
		 lib_zero_ok() && main_tbss[31] == 0 && lib_tls_gd == 100;
	main_tls += id;
	*lib_gd_address() += id;
	*lib_ie_address() += id;
	sched_yield();
	ok = ok && main_tls == 7 + id && lib_tls_gd == 100 + id && *lib_ie_address() == 200 + id;
	return (void *)(long)ok;
}

int main(void)
{
	pthread_t t[NTHREADS];
	for (long i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], 0, worker, (void *)(i + 1))) {
			puts("pthread_create failed");
			return 1;
		}
	int good = 0;
	for (int i = 0; i < NTHREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		good += r != 0;
	}
	printf("threads with correct private TLS: %d of %d\n", good, NTHREADS);
	printf("main thread TLS untouched: %s\n",
	       main_tls == 7 && lib_tls_gd == 100 && *lib_ie_address() == 200 ? "yes" : "no");
	return good == NTHREADS ? 0 : 1;
}
