/* fs-emptyro: needs libfs-emptyro.so, which has an empty PT_LOAD. */
#include "rt.h"

int emptyro_next(void);

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	rt_check("a library with an empty PT_LOAD works", emptyro_next() == 42);
	return rt_failures();
}
