/* fs-execstack: needs libfs-execstack.so. */
#include "rt.h"

int execstack_fn(void);

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	return execstack_fn();
}
