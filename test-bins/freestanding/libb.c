/* libfs-b.so: initial-exec TLS (R_X86_64_TPOFF64) and a PC32 data
 * relocation to libfs-d. */
#include "rt.h"

void d_log(const char *who);
extern int d_pc_target;
extern const int b_pc_offset;  /* pc32.S: .long d_pc_target - . */
extern const unsigned b_pc_after;  /* pc32.S: the word after it */

__thread int b_ie_tls __attribute__((tls_model("initial-exec"))) = 21;
int b_get_ie(void) { return b_ie_tls; }

int b_pc32_ok(void)
{
	return (const char *)&b_pc_offset + b_pc_offset == (const char *)&d_pc_target &&
	       b_pc_after == 0x5a5a5a5a;
}

__attribute__((constructor)) static void b_ctor(void) { d_log("b"); }
__attribute__((destructor)) static void b_dtor(void) { rt_printf("dtor: b\n"); }
