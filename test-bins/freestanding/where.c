/* fs-where-* and fs-hop-*: print which copy of libfs-where.so the library
 * search found, asked directly (ASK=where) or through libfs-hop.so
 * (ASK=hop_where). */
#include "rt.h"

const char *ASK(void);

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	rt_printf("%s\n", ASK());
	return 0;
}
