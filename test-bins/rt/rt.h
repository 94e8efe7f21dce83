/*
 * A minimal runtime for ld-teach's freestanding test programs: no libc,
 * raw system calls, and formatted output from the core's own formatter.
 */
#ifndef RT_H
#define RT_H

#include <stddef.h>
#include <stdint.h>

int main(int argc, char **argv, char **envp);

void rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "name: ok" or "name: FAIL" and remember failures for the exit code. */
void rt_check(const char *name, int ok);
int rt_failures(void);
/* Exit after calling the finalizer the loader passed in %rdx (programs only). */
__attribute__((noreturn)) void rt_exit(int code);
/* Exit at once, without the loader's finalizer. */
__attribute__((noreturn)) void rt_exit_now(int code);

void *memset(void *, int, size_t);
int strcmp(const char *, const char *);

#endif
