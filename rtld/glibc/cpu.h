/*
 * glibc's x86 CPU description, as glibc 2.36's own ld.so makes it: struct
 * cpu_features (in _rtld_global_ro._dl_x86_cpu_features), _dl_hwcap and
 * _dl_platform (doc/glibc-facts.md, "cpu_features").
 */
#ifndef LT_GLIBC_CPU_H
#define LT_GLIBC_CPU_H

#include <stdint.h>

/*
 * Fill `cpu_features` (GLIBC_SIZEOF_cpu_features bytes, zeroed), once,
 * before any IFUNC resolver of libc or libm runs.  *hwcap receives glibc's
 * own bits (what getauxval(AT_HWCAP) returns), not the kernel's.  *hwcap2
 * and *platform come in as the kernel's AT_HWCAP2 and AT_PLATFORM and go
 * out as glibc keeps them: AT_HWCAP2 unchanged, the platform replaced by
 * "haswell" or "xeon_phi" on Intel CPUs that qualify.
 */
void lt_glibc_cpu_init(unsigned char *cpu_features, uint64_t *hwcap, uint64_t *hwcap2,
		       const char **platform);

/*
 * The GNU_PROPERTY_X86_ISA_1_* bits of a filled cpu_features (its isa_1,
 * taken before the vendors' quirks): what glibc's loader checks an
 * object's GNU_PROPERTY_X86_ISA_1_NEEDED against (isa.c).
 */
uint32_t lt_x86_isa_1(const unsigned char *cpu_features);

/*
 * The x86-64 ISA level of a filled cpu_features, as glibc's glibc-hwcaps
 * search sees it: 4, 3 or 2 for x86-64-v4, -v3, -v2, else 0 (baseline).
 */
unsigned lt_x86_isa_level(const unsigned char *cpu_features);

#endif
