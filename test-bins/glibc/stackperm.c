/*
 * stackperm: __nptl_change_stack_perm, the loader's function that glibc's
 * libc calls to make a new thread's stack executable, on a live thread:
 * what it returns (0, or an errno), and after it the permissions of the
 * thread's stack, at both ends, and of its guard page, below it.  libc
 * calls it only when the stacks were made executable while that thread's
 * stack was being made, a race no test can time (and which under ld-teach,
 * which never makes the stacks executable once the program runs, cannot
 * happen), so the program calls it as libc does, found as libc finds it:
 * among the loader's GLIBC_PRIVATE symbols.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t hold = PTHREAD_MUTEX_INITIALIZER;

static void *wait_for_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&hold);
	pthread_mutex_unlock(&hold);
	return 0;
}

/* The permissions of the mapping that holds ADDR, as /proc/self/maps says. */
static void print_perms(const char *what, uintptr_t addr)
{
	char line[512], perms[8] = "none";
	FILE *f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char p[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, p) == 3 && addr >= lo && addr < hi) {
			strcpy(perms, p);
			break;
		}
	}
	if (f)
		fclose(f);
	printf("%s: %s\n", what, perms);
}

int main(void)
{
	int (*change_stack_perm)(pthread_t) =
		(int (*)(pthread_t))dlsym(RTLD_DEFAULT, "__nptl_change_stack_perm");
	if (!change_stack_perm) {
		printf("no __nptl_change_stack_perm: %s\n", dlerror());
		return 1;
	}
	pthread_t t;
	pthread_attr_t attr;
	void *stack;
	size_t size, guard;
	pthread_mutex_lock(&hold);
	if (pthread_create(&t, 0, wait_for_main, 0) || pthread_getattr_np(t, &attr) ||
	    pthread_attr_getstack(&attr, &stack, &size) || pthread_attr_getguardsize(&attr, &guard))
		return 2;
	/* (A pthread_t is the thread's struct pthread, which the function takes.) */
	int err = change_stack_perm(t);
	printf("__nptl_change_stack_perm: %s\n", err ? strerror(err) : "0");
	print_perms("stack, lowest byte", (uintptr_t)stack);
	print_perms("stack, highest byte", (uintptr_t)stack + size - 1);
	if (guard)
		print_perms("guard page", (uintptr_t)stack - 1);
	pthread_mutex_unlock(&hold);
	return pthread_join(t, 0) ? 2 : 0;
}
