/* fs-protected: defines a prot_data of its own and prints which one
 * libfs-prot.so's references reached (1: the library's, 2: this one). */
#include "rt.h"

int prot_data = 2;
int prot_through_got(void);
int prot_through_pointer(void);

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	rt_printf("got: %d, pointer: %d\n", prot_through_got(), prot_through_pointer());
	return 0;
}
