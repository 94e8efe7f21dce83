/*
 * dltls: TLS of dlopen'ed libraries beyond the static surplus (dynamic
 * modules, through __tls_get_addr and TLS descriptors), in threads started
 * before and after the dlopen; surplus space and module ids reused across
 * dlopen/dlclose; a clear failure when initial-exec TLS does not fit; and
 * two libraries with initial-exec TLS open at once.
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

/* libmu-tls.so's initial-exec variable, as its own code reaches it and through dlsym. */
static int *(*ie_address)(void);
static void *tls_lib;

static int one_address_each_way(void)
{
	int *ie = ie_address();
	return ie == dlsym(tls_lib, "lib_tls_ie") && *ie == 200;
}

static void *started_after(void *arg)
{
	(void)arg;
	return (void *)(long)one_address_each_way();
}

/*
 * Both libraries' initial-exec TLS goes in the static surplus, the second
 * block after the first.  A variable has one address per thread, whichever
 * way it is reached: in this thread and in one started after the dlopens.
 */
static void two_libraries_with_initial_exec_tls(void)
{
	void *small = dlopen("libmu-small.so", RTLD_NOW);
	tls_lib = dlopen("libmu-tls.so", RTLD_NOW);
	ie_address = tls_lib ? (int *(*)(void))dlsym(tls_lib, "lib_ie_address") : 0;
	int (*small_add)(int, int) = small ? (int (*)(int, int))dlsym(small, "small_add") : 0;
	check("two libraries with initial-exec TLS open at once", ie_address && small_add);
	if (!ie_address || !small_add)
		return;
	check("initial-exec TLS of the second has one address, reached either way",
	      one_address_each_way() && small_add(1, 2) == 3);
	pthread_t t;
	void *r = 0;
	pthread_create(&t, 0, started_after, 0);
	pthread_join(t, &r);
	check("...also in a thread started after the dlopens", (long)r == 1);
	dlclose(tls_lib);
	dlclose(small);
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
	two_libraries_with_initial_exec_tls();
	return 0;
}
