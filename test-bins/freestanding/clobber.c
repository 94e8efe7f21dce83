/* fs-clobber: needs libfs-clobber.so, whose constructor, destructor and IFUNC
 * resolver break the calling convention. */
#include "rt.h"

int clobber_present(void);
int clobber_chosen(void);

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	rt_check("the program runs after the constructor", clobber_present() == 1);
	rt_check("the IFUNC's resolver chose", clobber_chosen() == 1);
	return rt_failures();
}
