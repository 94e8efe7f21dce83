/* libfs-ver.so: versioned symbols (see libver.map).
 *   ver_fn@VER_1 (old, hidden) and ver_fn@@VER_2 (the default);
 *   hid_only@VER_1 exists only as a hidden version. */
#include "rt.h"

void d_log(const char *who);

int ver_fn_1(void) { return 1; }
int ver_fn_2(void) { return 2; }
__asm__(".symver ver_fn_1, ver_fn@VER_1");
__asm__(".symver ver_fn_2, ver_fn@@VER_2");

int hid_only_1(void) { return 9; }
__asm__(".symver hid_only_1, hid_only@VER_1");

__attribute__((constructor)) static void ver_ctor(void) { d_log("ver"); }
__attribute__((destructor)) static void ver_dtor(void) { rt_printf("dtor: ver\n"); }
