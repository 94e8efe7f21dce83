/*
 * Static TLS for threads that are being made.  libc's pthread_create gets
 * a new thread's TLS set up (_dl_allocate_tls) and only then links the
 * thread into its lists; this program makes a dlopen happen in between,
 * by defining _dl_allocate_tls itself (newthread.map gives it glibc's
 * version, so libc's call comes here first), and checks that the new
 * thread sees the module's initial values.
 *
 * And in a fork's child: a thread on a stack of the program's own lived in
 * the parent; the child unmaps that stack and dlopens a library with
 * static TLS, which must touch only the child's own thread.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define STACK_SIZE (256 * 1024)
/* libgl-tls.so's gl_bump(0) on a fresh block: 100 + 200 + 1 */
#define FRESH 301

void *_dl_allocate_tls(void *mem);

static sem_t go, opened, release;
static int open_in_between;
static void *lib;

/* libc's call, then (once) a dlopen in another thread before pthread_create goes on. */
void *_dl_allocate_tls(void *mem)
{
	void *(*loaders)(void *) =
		(void *(*)(void *))dlvsym(RTLD_NEXT, "_dl_allocate_tls", "GLIBC_PRIVATE");
	void *r = loaders(mem);
	if (open_in_between) {
		open_in_between = 0;
		sem_post(&go);
		sem_wait(&opened);
	}
	return r;
}

static long bump_now(void)
{
	int (*bump)(int) = (int (*)(int))dlsym(lib, "gl_bump");
	return bump ? bump(0) : -1;
}

static void *opener(void *arg)
{
	(void)arg;
	sem_wait(&go);
	lib = dlopen("libgl-tls.so", RTLD_NOW);
	sem_post(&opened);
	return 0;
}

static void *new_thread(void *arg)
{
	(void)arg;
	return (void *)bump_now();
}

static void *waiter(void *arg)
{
	(void)arg;
	sem_wait(&release);
	return 0;
}

static void fork_with_a_thread_on_our_stack(void)
{
	void *stack = mmap(0, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstack(&attr, stack, STACK_SIZE);
	pthread_t t;
	pthread_create(&t, &attr, waiter, 0);
	pid_t child = fork();
	if (child == 0) {
		munmap(stack, STACK_SIZE);
		lib = dlopen("libgl-tls.so", RTLD_NOW);
		_exit(lib && bump_now() == FRESH ? 0 : 1);
	}
	int status;
	waitpid(child, &status, 0);
	printf("fork's child, the other thread's stack unmapped: %s\n",
	       WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "ok" : "FAILED");
	sem_post(&release);
	pthread_join(t, 0);
}

static void dlopen_while_a_thread_is_made(void)
{
	pthread_t o, t;
	pthread_create(&o, 0, opener, 0);
	open_in_between = 1;
	pthread_create(&t, 0, new_thread, 0);
	void *r;
	pthread_join(t, &r);
	pthread_join(o, 0);
	printf("a thread made while a dlopen placed static TLS: gl_bump(0) = %ld: %s\n", (long)r,
	       (long)r == FRESH ? "ok" : "FAILED");
}

int main(void)
{
	sem_init(&go, 0, 0);
	sem_init(&opened, 0, 0);
	sem_init(&release, 0, 0);
	fork_with_a_thread_on_our_stack();
	dlopen_while_a_thread_is_made();
	return 0;
}
