/*
 * Executable stacks, as glibc has ruled since 2.41 (its tunable since
 * 2.42):
 *   - the program, or a library loaded at start-up, asks for an executable
 *     stack with a PT_GNU_STACK that has PF_X (or with no PT_GNU_STACK at
 *     all: the x86_64 ABI's default), and gets it: ld-teach makes the main
 *     stack executable, as the kernel does for a program that asks;
 *   - a library that dlopen brings and that asks is refused, unless the
 *     stack is executable already;
 *   - GLIBC_TUNABLES=glibc.rtld.execstack=0 refuses every request, and 2
 *     makes the stack executable from the start (so dlopen may then bring
 *     such libraries); 1, the default, is the above.  The one setting
 *     serves every program, musl's too: the policy is the loader's.
 * An executable stack is the one mapping ld-teach lets be writable and
 * executable (doc/design.md).
 */
#include <linux/mman.h>
#include "rtld.h"
#include "load.h"
#include "print.h"
#include "str.h"
#include "sys.h"
#include "trace.h"

enum { REFUSE, ON_REQUEST, ALWAYS };
static int setting = ON_REQUEST;
static int executable;                    /* the main stack is executable */
static const struct lt_object *asked_by;  /* ... because this object asked */
static uintptr_t stack_end;               /* the end of the initial stack's mapping */

static void take(const char *name, size_t len, const char *value, const char *end)
{
	static const char key[] = "glibc.rtld.execstack";
	/* (Other values are ignored, as glibc ignores a tunable out of its range.) */
	if (len == sizeof key - 1 && !strncmp(name, key, len) && end - value == 1 &&
	    *value >= '0' && *value <= '2')
		setting = *value - '0';
}

static void note_end(const char *s)
{
	uintptr_t end = page_up(s + strlen(s) + 1);
	if (end > stack_end)
		stack_end = end;
}

/* The kernel puts the strings (argv, envp, then the program's file name)
 * at the top of the initial stack's mapping.  (Read when the stack is to
 * be made executable, at start-up, before the program could change them.) */
static void find_stack_end(void)
{
	for (int i = 0; i < lt.argc; i++)
		note_end(lt.argv[i]);
	for (char **e = lt.envp; *e; e++)
		note_end(*e);
	if (lt.aux[AT_EXECFN])
		note_end((const char *)lt.aux[AT_EXECFN]);
}

/* The whole of the main thread's stack, down to where it may grow, as the kernel maps it. */
static long make_executable(void)
{
	uintptr_t in_stack = page_down((uintptr_t)lt.argv);
	find_stack_end();
	long r = sys_mprotect((void *)in_stack, stack_end - in_stack,
			      PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN);
	executable = r == 0;
	return r;
}

void lt_stack_init(void)
{
	if (!lt.secure)
		lt_each_tunable(lt.env.tunables, take);
	if (setting == ALWAYS) {
		long r = make_executable();
		if (r < 0)
			lt_fatal("cannot make the stack executable, as glibc.rtld.execstack=2 asks: %s",
				 lt_strerror(-r));
		trace_execstack(0);
	}
}

int lt_stack_admit(const struct lt_object *obj)
{
	if (!obj->execstack || executable)
		return 0;
	if (lt.started) {
		lt_error("%s: cannot enable executable stack as shared object requires: the stack "
			 "is not executable, and a library dlopen brings cannot make it so "
			 "(GLIBC_TUNABLES=glibc.rtld.execstack=2 makes it executable from the start)",
			 obj->path);
		return -1;
	}
	if (setting == REFUSE) {
		lt_error("%s: cannot enable executable stack as it asks (PT_GNU_STACK): "
			 "GLIBC_TUNABLES=glibc.rtld.execstack=0 forbids it", obj->path);
		return -1;
	}
	long r = make_executable();
	if (r < 0) {
		lt_error("%s: cannot enable executable stack as it asks (PT_GNU_STACK): %s",
			 obj->path, lt_strerror(-r));
		return -1;
	}
	asked_by = obj;
	trace_execstack(obj);
	return 0;
}

int lt_stack_executable(void)
{
	return executable;
}

int lt_stack_describe(char *out, size_t size)
{
	if (executable && asked_by)
		lt_format(out, size, "executable: %s asks (PT_GNU_STACK)", asked_by->path);
	else if (executable)
		lt_format(out, size, "executable: glibc.rtld.execstack=2");
	return executable;
}
