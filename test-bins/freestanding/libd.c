/* libfs-d.so: the bottom of the diamond.  Keeps the constructor log, and a
 * table of pointers that become DT_RELR relocations. */
#include "rt.h"

static char log_buf[128];
static size_t log_len;

void d_log(const char *who)
{
	if (log_len)
		log_buf[log_len++] = ' ';
	while (*who && log_len < sizeof log_buf - 1)
		log_buf[log_len++] = *who++;
}

const char *d_log_text(void) { return log_buf; }

/* Relative relocations, packed into DT_RELR by -z pack-relative-relocs. */
static const char *const names[] = {"zero", "one", "two", "three", "four", "five"};
const char *d_name(int i) { return names[i]; }
/* The table lives in PT_GNU_RELRO: read-only once relocated. */
const void *d_relro_address(void) { return names; }

/* The target of libfs-b's R_X86_64_PC32. */
int d_pc_target = 77;

__attribute__((constructor)) static void d_ctor(void) { d_log("d"); }
__attribute__((destructor)) static void d_dtor(void) { rt_printf("dtor: d\n"); }
