/* fs-needs-ver3: requires version VER_3 of libfs-ver.so. */
#include "rt.h"

int ver3_fn(void);

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	return ver3_fn();
}
