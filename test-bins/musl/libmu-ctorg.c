/* libmu-ctorg.so: needs lib/wide/libmu-w1.so ... w19.so; its constructor
 * opens libmu-ctorm.so, which needs w20 ... w32, RTLD_GLOBAL: when a
 * dlopen makes libmu-ctorg.so global too, the room the global scope kept
 * for its twenty objects is partly taken by then (dlcases ctorglobal). */
#include <dlfcn.h>
#define NEED(n) int wide_##n(void);
NEED(1) NEED(2) NEED(3) NEED(4) NEED(5) NEED(6) NEED(7) NEED(8) NEED(9) NEED(10)
NEED(11) NEED(12) NEED(13) NEED(14) NEED(15) NEED(16) NEED(17) NEED(18) NEED(19)

int ctorg_value(void)
{
	return wide_1() + wide_19();
}

void *ctorm_handle;

__attribute__((constructor)) static void open_ctorm(void)
{
	/* (Kept, not returned: no tail call, so dlopen's caller is this library.) */
	ctorm_handle = dlopen("libmu-ctorm.so", RTLD_NOW | RTLD_GLOBAL);
}
