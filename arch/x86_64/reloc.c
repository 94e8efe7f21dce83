/*
 * x86_64 relocation types, as a table the generic loop in rtld/reloc.c
 * consults.  Each type maps to a kind (what to compute) and a field size.
 */
#include "arch.h"

const struct lt_reloc_type lt_reloc_types[LT_RELOC_TYPES_KNOWN] = {
	[R_X86_64_NONE] = {"R_X86_64_NONE", LT_RK_NONE, 0},
	[R_X86_64_64] = {"R_X86_64_64", LT_RK_ABS, 8},
	[R_X86_64_PC32] = {"R_X86_64_PC32", LT_RK_PCREL, 4},
	[R_X86_64_COPY] = {"R_X86_64_COPY", LT_RK_COPY, 0},
	[R_X86_64_GLOB_DAT] = {"R_X86_64_GLOB_DAT", LT_RK_GOT, 8},
	[R_X86_64_JUMP_SLOT] = {"R_X86_64_JUMP_SLOT", LT_RK_PLT, 8},
	[R_X86_64_RELATIVE] = {"R_X86_64_RELATIVE", LT_RK_RELATIVE, 8},
	[R_X86_64_DTPMOD64] = {"R_X86_64_DTPMOD64", LT_RK_DTPMOD, 8},
	[R_X86_64_DTPOFF64] = {"R_X86_64_DTPOFF64", LT_RK_DTPOFF, 8},
	[R_X86_64_TPOFF64] = {"R_X86_64_TPOFF64", LT_RK_TPOFF, 8},
	[R_X86_64_TLSDESC] = {"R_X86_64_TLSDESC", LT_RK_TLSDESC, 16},
	[R_X86_64_IRELATIVE] = {"R_X86_64_IRELATIVE", LT_RK_IRELATIVE, 8},
};
