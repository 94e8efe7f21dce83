/* lib/sub/libmu-dstopen.so: dlopen on its own behalf, so that $ORIGIN
 * means lib/sub. */
#include <dlfcn.h>
int dst_opens;
void *dst_open(const char *name)
{
	void *h = dlopen(name, RTLD_NOW);
	dst_opens++;  /* (after the call: no tail call, so dlopen's caller is this library) */
	return h;
}
