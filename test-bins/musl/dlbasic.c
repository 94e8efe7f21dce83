/*
 * dlbasic: dlopen a library with a constructor, a destructor and TLS;
 * use it from four threads and from a thread that existed before the
 * dlopen; check dladdr, RTLD_NOLOAD, dlinfo and dlerror; dlclose it and
 * check that its destructor ran and its mappings are gone.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "maps.h"

#define RTLD_DI_ORIGIN 6      /* glibc's values; musl's <dlfcn.h> lacks them */
#define RTLD_DL_SYMENT 1
#define RTLD_DL_LINKMAP 2
#define RTLD_DI_TLS_MODID 9
#define RTLD_DI_TLS_DATA 10

static int (*dl_add)(int, int);
static int *(*dl_tls_address)(void);
static int (*dl_get_ie)(void);
static void (*dl_set_ie)(int);
static int (*dl_zero_ok)(void);
static int *dl_tls_sym;
static pthread_barrier_t opened;

static void check(const char *what, int ok)
{
	printf("%s: %s\n", what, ok ? "ok" : "FAIL");
}

static int thread_ok(long id)
{
	int *tls = dl_tls_address();
	int ok = *tls == 5 && dl_get_ie() == 6 && dl_zero_ok();
	*tls = 100 + (int)id;
	dl_set_ie(200 + (int)id);
	return ok && *dl_tls_address() == 100 + id && dl_get_ie() == 200 + id && dl_add(2, 3) == 5;
}

static void *worker(void *arg) { return (void *)(long)thread_ok((long)arg); }

/* Started before the dlopen: it must get the new TLS too. */
static void *early(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&opened);
	return (void *)(long)thread_ok(42);
}

static int count_objects(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	if (strstr(info->dlpi_name, "libmu-dl.so"))
		*(int *)data += 1 + 10 * (info->dlpi_tls_modid != 0 && info->dlpi_tls_data != NULL);
	return 0;
}

/* dladdr of an address inside function `name` of library h names it. */
static int names_its_function(void *h, const char *name)
{
	Dl_info info;
	const char *inside = (const char *)dlsym(h, name) + 1;
	return dladdr(inside, &info) && info.dli_sname && !strcmp(info.dli_sname, name);
}

/* Descriptors open on a file the loader reads (a library, musl's path file). */
static int loader_files_open(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	char link[300], target[4096];
	for (struct dirent *e; d && (e = readdir(d));) {
		snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
		ssize_t len = readlink(link, target, sizeof target - 1);
		target[len > 0 ? len : 0] = 0;
		n += strstr(target, ".so") || strstr(target, "ld-musl");
	}
	if (d)
		closedir(d);
	return n;
}

int main(void)
{
	int loader_files = loader_files_open();
	pthread_t before, t[4];
	pthread_barrier_init(&opened, 0, 2);
	pthread_create(&before, 0, early, 0);

	/* What dlerror says then differs between glibc and musl (see dldiffer.c). */
	check("not loaded yet (RTLD_NOLOAD)", dlopen("libmu-dl.so", RTLD_NOW | RTLD_NOLOAD) == NULL);
	void *bad = dlopen("libmu-nowhere.so", RTLD_NOW);
	const char *e = dlerror();
	check("dlerror names a missing library", !bad && e && strstr(e, "libmu-nowhere.so"));

	void *h = dlopen("libmu-dl.so", RTLD_NOW);
	check("dlopen", h != NULL);
	if (!h) {
		printf("dlerror: %s\n", dlerror());
		return 1;
	}
	dl_add = (int (*)(int, int))dlsym(h, "dl_add");
	dl_tls_address = (int *(*)(void))dlsym(h, "dl_tls_address");
	dl_get_ie = (int (*)(void))dlsym(h, "dl_get_ie");
	dl_set_ie = (void (*)(int))dlsym(h, "dl_set_ie");
	dl_zero_ok = (int (*)(void))dlsym(h, "dl_zero_ok");
	dl_tls_sym = (int *)dlsym(h, "dl_tls");
	check("dlsym", dl_add && dl_tls_address && dl_get_ie && dl_set_ie && dl_zero_ok);
	check("dlsym of a TLS symbol gives this thread's copy", dl_tls_sym == dl_tls_address());
	check("dlsym of a missing symbol fails", dlsym(h, "dl_nope") == NULL &&
						    (e = dlerror()) && strstr(e, "dl_nope"));

	pthread_barrier_wait(&opened);
	long good = 0;
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], 0, worker, (void *)i);
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		good += (long)r;
	}
	void *r;
	pthread_join(before, &r);
	check("TLS in four new threads", good == 4);
	check("TLS in a thread that existed before dlopen", (long)r == 1);
	check("TLS in the main thread", thread_ok(0));

	Dl_info info;
	check("dladdr", dladdr((void *)dl_add, &info) && info.dli_sname &&
				!strcmp(info.dli_sname, "dl_add") && strstr(info.dli_fname, "libmu-dl.so"));
	check("dladdr names the function an address lies in, for each of them",
	      names_its_function(h, "dl_add") && names_its_function(h, "dl_tls_address") &&
		      names_its_function(h, "dl_get_ie") && names_its_function(h, "dl_set_ie") &&
		      names_its_function(h, "dl_zero_ok"));
	typedef int dladdr1_fn(const void *, Dl_info *, void **, int);
	dladdr1_fn *dladdr1 = (dladdr1_fn *)dlsym(RTLD_DEFAULT, "dladdr1");
	void *sym = NULL, *map = NULL;
	check("dladdr1", dladdr1 && dladdr1((void *)dl_add, &info, &sym, RTLD_DL_SYMENT) && sym &&
				 ((Elf64_Sym *)sym)->st_size > 0 &&
				 dladdr1((void *)dl_add, &info, &map, RTLD_DL_LINKMAP) && map == h);
	struct link_map *lm = NULL;
	check("a handle is a struct link_map", dlinfo(h, RTLD_DI_LINKMAP, &lm) == 0 && (void *)lm == h &&
						     strstr(lm->l_name, "libmu-dl.so") &&
						     (void *)lm->l_addr == info.dli_fbase);
	check("RTLD_NOLOAD finds it now", dlopen("libmu-dl.so", RTLD_NOW | RTLD_NOLOAD) == h);
	size_t modid = 0;
	void *block = NULL;
	char origin[4096] = "";
	check("dlinfo", dlinfo(h, RTLD_DI_TLS_MODID, &modid) == 0 && modid > 0 &&
				dlinfo(h, RTLD_DI_TLS_DATA, &block) == 0 && block != NULL &&
				dlinfo(h, RTLD_DI_ORIGIN, origin) == 0 && strstr(origin, "/lib"));
	int seen = 0;
	dl_iterate_phdr(count_objects, &seen);
	check("dl_iterate_phdr sees it, with its TLS", seen == 11);
	check("mapped while open", mapped("libmu-dl.so"));

	dlclose(h);  /* the RTLD_NOLOAD reference */
	check("still mapped after one of two dlcloses", mapped("libmu-dl.so"));
	fflush(stdout);
	dlclose(h);
	check("unmapped after the last dlclose", !mapped("libmu-dl.so"));
	check("no descriptor of a file the loader read stays open",
	      !loader_files && !loader_files_open());
	check("dlclose of a closed handle fails", dlclose(h) != 0 && dlerror() != NULL);
	return 0;
}
