/*
 * dlfork: fork while another thread is inside dlopen and dlclose, over and
 * over.  Each child must be able to dlopen, call and dlclose in turn: no
 * loader lock may be inherited held.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int stop;

static void *churn(void *arg)
{
	(void)arg;
	while (!stop) {
		void *h = dlopen("libmu-small.so", RTLD_NOW);
		if (h)
			dlclose(h);
	}
	return 0;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, 0, churn, 0);
	int good = 0;
	for (int i = 0; i < 50; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			void *h = dlopen("libmu-small.so", RTLD_NOW);
			int (*add)(int, int) = h ? (int (*)(int, int))dlsym(h, "small_add") : 0;
			_exit(add && add(1, 2) == 3 && dlclose(h) == 0 ? 0 : 1);
		}
		int status;
		waitpid(pid, &status, 0);
		good += WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	stop = 1;
	pthread_join(t, 0);
	printf("children that could dlopen after fork: %d of 50\n", good);
	return good != 50;
}
