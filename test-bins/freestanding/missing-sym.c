/* fs-missing-sym: linked against a stand-in libfs-d.so that has d_gone;
 * the real one does not. */
#include "rt.h"

int d_gone(void);

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	return d_gone();
}
