/* libfs-c.so: TLS descriptors (built with -mtls-dialect=gnu2) and a text
 * relocation (DT_TEXTREL, from textrel.S). */
#include "rt.h"

void d_log(const char *who);

__thread int c_desc_tls = 55;
int c_get_desc(void) { return c_desc_tls; }
int c_textrel_value = 1234;

__attribute__((constructor)) static void c_ctor(void) { d_log("c"); }
__attribute__((destructor)) static void c_dtor(void) { rt_printf("dtor: c\n"); }
