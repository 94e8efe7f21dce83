/* fs-clobber: needs libfs-clobber.so, whose constructor and destructor break the calling convention. */
#include "rt.h"

int clobber_present(void);

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	rt_check("the program runs after the constructor", clobber_present() == 1);
	return rt_failures();
}
