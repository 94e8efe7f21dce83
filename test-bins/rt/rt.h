/*
 * A minimal runtime for ld-teach's freestanding test programs: no libc,
 * raw system calls, and formatted output from the core's own formatter.
 */
#ifndef RT_H
#define RT_H

#include <stddef.h>
#include <elf.h>
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

/* The auxiliary vector's first entry: it follows envp on the stack. */
const Elf64_auxv_t *rt_auxv(char **envp);
/* The value of auxiliary vector entry `type`, or 0. */
uintptr_t rt_aux(char **envp, uint64_t type);

/* Read a whole (small) file into buf, NUL-terminated; returns its length or -1. */
long rt_read_file(const char *path, char *buf, size_t size);
/* The permissions column ("r-xp", ...) of the /proc/self/maps line holding addr. */
const char *rt_perms_of(const void *addr);
/* Does any mapping in /proc/self/maps have both w and x? */
int rt_any_wx_mapping(void);

void *memset(void *, int, size_t);
int strcmp(const char *, const char *);

#endif
