/*
 * dltls: TLS of dlopen'ed libraries beyond the static surplus (dynamic
 * modules, through __tls_get_addr and TLS descriptors), in threads started
 * before and after the dlopen; surplus space and module ids reused across
 * dlopen/dlclose; and a clear failure when initial-exec TLS does not fit.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define RTLD_DI_TLS_MODID 9

static char *(*big_address)(void), *(*desc_address)(void);
static int (*big_bump)(void), (*desc_bump)(void);
static pthread_barrier_t opened, checked;

static void check(const char *what, int ok) { printf("%s: %s\n", what, ok ? "ok" : "FAIL"); }

static int thread_ok(void)
{
	char *b = big_address(), *d = desc_address();
	return b[0] == 1 && b[2] == 3 && b[4095] == 0 && d[0] == 7 && big_bump() == 11 &&
	       big_bump() == 12 && desc_bump() == 21 && b != d;
}

static void *early(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&opened);
	long ok = thread_ok();
	pthread_barrier_wait(&checked);
	return (void *)ok;
}

static void *late(void *arg)
{
	(void)arg;
	return (void *)(long)thread_ok();
}

int main(void)
{
	pthread_t t1, t2;
	pthread_barrier_init(&opened, 0, 2);
	pthread_barrier_init(&checked, 0, 2);
	pthread_create(&t1, 0, early, 0);
	void *big = dlopen("libmu-bigtls.so", RTLD_NOW), *desc = dlopen("libmu-bigdesc.so", RTLD_NOW);
	check("dlopen of libraries with large TLS", big && desc);
	if (!big || !desc) {
		printf("%s\n", dlerror());
		return 1;
	}
	big_address = (char *(*)(void))dlsym(big, "big_address");
	big_bump = (int (*)(void))dlsym(big, "big_bump");
	desc_address = (char *(*)(void))dlsym(desc, "desc_address");
	desc_bump = (int (*)(void))dlsym(desc, "desc_bump");
	check("dynamic TLS in the main thread", thread_ok());
	pthread_barrier_wait(&opened);
	pthread_barrier_wait(&checked);
	void *r1, *r2;
	pthread_join(t1, &r1);
	pthread_create(&t2, 0, late, 0);
	pthread_join(t2, &r2);
	check("dynamic TLS in a thread started before dlopen", (long)r1 == 1);
	check("dynamic TLS in a thread started after dlopen", (long)r2 == 1);
	dlclose(desc);
	dlclose(big);

	const char *e;
	/* The wording differs between glibc and musl (see dldiffer.c). */
	check("initial-exec TLS too large for the surplus is refused",
	      !dlopen("libmu-bigie.so", RTLD_NOW) && (e = dlerror()) && strstr(e, "libmu-bigie.so"));

	size_t first = 0, id = 0;
	int reused = 1, *first_tls = 0;
	for (int i = 0; i < 200; i++) {
		void *h = dlopen("libmu-small.so", RTLD_NOW);
		int *(*small_address)(void) = h ? (int *(*)(void))dlsym(h, "small_address") : 0;
		if (!small_address || dlinfo(h, RTLD_DI_TLS_MODID, &id)) {
			reused = 0;
			break;
		}
		if (!first)
			first = id, first_tls = small_address();
		reused &= id == first && small_address() == first_tls;
		dlclose(h);
	}
	check("surplus space and module ids are reused across 200 dlopen/dlclose", reused);
	return 0;
}
