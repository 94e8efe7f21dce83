/* glibc's x86 ISA level check (isa.c).  Apart from glibc.h, whose layouts
 * it does not need: the in-process fuzzer runs the note's reading. */
#ifndef LT_GLIBC_ISA_H
#define LT_GLIBC_ISA_H

#include "rtld.h"

/* The GNU_PROPERTY_X86_ISA_1_NEEDED bits `obj` says, in its GNU property
 * note, it needs, read by glibc's rules; 0: none, or a note glibc ignores. */
uint32_t lt_glibc_isa_needed(const struct lt_object *obj);
/* -1, with glibc's error line, when the CPU's ISA bits (cpu_features'
 * isa_1) lack one of them. */
int lt_glibc_isa_admit(const struct lt_object *obj, uint32_t cpu_isa_1);

#endif
