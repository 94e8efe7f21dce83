/*
 * fs-execstack: needs libfs-execstack.so, which asks for an executable
 * stack (PT_GNU_STACK with PF_X): when main runs, the stack is executable.
 */
#include "rt.h"
#include "stackcode.h"

int execstack_fn(void);

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	char here = 0;
	rt_printf("stack: %s\n", rt_perms_of(&here));
	rt_check("code on the stack runs", run_code_on_stack() == 42);
	rt_check("the library runs", execstack_fn() == 1);
	return rt_failures();
}
