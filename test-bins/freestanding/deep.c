/* fs-deep: calls libfs-deep.so's deep0, whose binding nests 20 deep. */
#include "rt.h"

int deep0(void);

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	rt_printf("deep0() = %d\n", deep0());
	return 0;
}
