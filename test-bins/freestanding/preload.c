/* fs-preload: a_add(2, 3) is 5, unless a preloaded library overrides it. */
#include "rt.h"

int a_add(int, int);

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	rt_printf("a_add(2, 3) = %d\n", a_add(2, 3));
	return 0;
}
