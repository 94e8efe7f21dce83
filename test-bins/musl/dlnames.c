/*
 * dlnames: dlopen and dlsym with names in heap blocks of exactly their
 * size, so that each block ends right after the name's terminator, at
 * every alignment.  The loader must not read past those ends in a way
 * memcheck can see (the word-at-a-time compare is done in its own
 * strings only): run under valgrind, nothing may be reported from it.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *exact_copy(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

/* dlsym(handle, name) with the name in a block of its own size. */
static int found(void *handle, const char *name)
{
	char *copy = exact_copy(name);
	int ok = copy && dlsym(handle, copy) != NULL;
	free(copy);
	return ok;
}

int main(void)
{
	static const char *const missing[] = {"many_", "many_32", "no_such_symbol_of_ld_teach",
					      "many_0_and_then_some_more_to_pass_a_page_of_words"};
	char *lib = exact_copy("libmu-many.so");
	void *h = lib ? dlopen(lib, RTLD_NOW) : NULL;
	free(lib);
	if (!h) {
		printf("dlopen: %s\n", dlerror());
		return 1;
	}
	int n = 0, m = 0;
	char name[16];
	for (int i = 0; i < 32; i++) {
		snprintf(name, sizeof name, "many_%d", i);
		n += found(h, name);
	}
	for (size_t i = 0; i < sizeof missing / sizeof *missing; i++)
		m += found(h, missing[i]);
	printf("by the handle: %d of 32, and %d of %zu names it lacks\n", n, m,
	       sizeof missing / sizeof *missing);
	printf("RTLD_DEFAULT: printf %s, many_0 %s\n", found(RTLD_DEFAULT, "printf") ? "found" : "missing",
	       found(RTLD_DEFAULT, "many_0") ? "found" : "missing");
	return dlclose(h);
}
