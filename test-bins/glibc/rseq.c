/*
 * The main thread's rseq area as libc finds it: __rseq_size (0 when
 * registration failed or glibc.pthread.rseq=0 turned it off) and the
 * area's cpu_id, reached through __rseq_offset, which glibc publishes
 * either way.
 */
#include <stddef.h>
#include <stdio.h>

extern const ptrdiff_t __rseq_offset;
extern const unsigned int __rseq_size;

int main(void)
{
	const char *tp = __builtin_thread_pointer();
	int cpu_id = *(const volatile int *)(tp + __rseq_offset + sizeof(unsigned));
	printf("rseq: __rseq_size %u, cpu_id %s\n", __rseq_size,
	       cpu_id >= 0 ? "a CPU" : cpu_id == -1 ? "uninitialized"
	       : cpu_id == -2 ? "registration failed" : "unknown");
	return 0;
}
