/* fs-hidden-ref: an unversioned reference to hid_only, which the real
 * libfs-ver.so defines only as the hidden version hid_only@VER_1. */
#include "rt.h"

int hid_only(void);

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	return hid_only();
}
