/*
 * fs-asm-stack: part of it is assembled from asm-answer.s, which has no
 * .note.GNU-stack section, so GNU ld gives the program a PT_GNU_STACK
 * asking for an executable stack, as for any program so assembled.
 */
#include "rt.h"
#include "stackcode.h"

int asm_answer(void);

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	char here = 0;
	rt_printf("stack: %s\n", rt_perms_of(&here));
	rt_check("code on the stack runs", run_code_on_stack() == 42);
	rt_check("the assembled function runs", asm_answer() == 42);
	return rt_failures();
}
