/*
 * Code on the stack, for the executable-stack tests: `mov $42, %eax; ret`,
 * written into the calling thread's stack and called.  Returns 42 where
 * that stack is executable, and dies of SIGSEGV where it is not.
 */
#ifndef STACKCODE_H
#define STACKCODE_H

#include <stdint.h>

static inline int run_code_on_stack(void)
{
	volatile unsigned char code[] = {0xb8, 42, 0, 0, 0, 0xc3};
	return ((int (*)(void))(uintptr_t)code)();
}

#endif
