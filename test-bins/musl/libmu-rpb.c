/* lib/rp/libmu-rpb.so: no search path of its own, so its dlopen searches
 * the DT_RPATH of the object that loaded it (dlcases loadergone). */
#include <dlfcn.h>
int rpb_opens;
int rpb_value(void) { return 2; }
void *rpb_open(const char *name)
{
	void *h = dlopen(name, RTLD_NOW);
	rpb_opens++;  /* (after the call: no tail call, so dlopen's caller is this library) */
	return h;
}
