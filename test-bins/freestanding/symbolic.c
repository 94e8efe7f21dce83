/* fs-symbolic: prints which sym_value libfs-sym's sym_call reached (1 or
 * 2), plus 30 from this program's sym_outside. */
#include "rt.h"

int sym_call(void);
int sym_value(void) { return 2; }
int sym_outside(void) { return 30; }

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	rt_printf("sym_call() = %d\n", sym_call());
	return 0;
}
