/* fs-symbolic: prints which sym_value libfs-sym's sym_call reached. */
#include "rt.h"

int sym_call(void);
int sym_value(void) { return 2; }

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	rt_printf("sym_call() = %d\n", sym_call());
	return 0;
}
