/*
 * fork() while another thread is inside dlopen and dlclose, over and over:
 * every child must be able to dlopen.  (glibc's own loader can leave a
 * child blocked on a lock held by the forking process's other thread.)
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
static volatile int stop;
static void *opener(void *a) { (void)a; while (!stop) { void *h = dlopen("libz.so.1", RTLD_NOW); if (h) dlclose(h); } return 0; }
int main(void) {
	pthread_t t; pthread_create(&t, 0, opener, 0);
	int ok = 0;
	for (int i = 0; i < 100; i++) {
		pid_t p = fork();
		if (!p) { void *h = dlopen("libm.so.6", RTLD_NOW); _exit(h ? 0 : 1); }
		int st; waitpid(p, &st, 0); ok += WIFEXITED(st) && !WEXITSTATUS(st);
	}
	stop = 1; pthread_join(t, 0);
	printf("%d children could dlopen\n", ok);
	return 0;
}
