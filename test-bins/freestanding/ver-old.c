/* fs-ver-old: binds the old version explicitly (ver_fn@VER_1). */
#include "rt.h"

int ver_fn_old(void);
__asm__(".symver ver_fn_old, ver_fn@VER_1");

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	rt_check("old version", ver_fn_old() == 1);
	return rt_failures();
}
