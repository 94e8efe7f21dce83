/* fs-lastbyte: needs libfs-lastbyte.so, whose initializer is its executable
 * segment's last byte. */
#include "rt.h"

int lastbyte_value(void);

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	rt_printf("lastbyte_value() = %d\n", lastbyte_value());
	return 0;
}
