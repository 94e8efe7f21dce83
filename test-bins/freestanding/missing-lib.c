/* fs-missing-lib: needs libfs-nowhere.so, which does not exist. */
#include "rt.h"

int nowhere(void);

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	return nowhere();
}
