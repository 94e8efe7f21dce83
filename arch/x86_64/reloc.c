/*
 * x86_64 relocation types, as a table the generic loop in rtld/reloc.c
 * consults.  Each type maps to a kind (what to compute) and a field size.
 */
#include "arch.h"

static const struct lt_reloc_type types[] = {
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

const struct lt_reloc_type *arch_reloc_type(uint32_t type)
{
	if (type >= sizeof types / sizeof *types || !types[type].name)
		return 0;
	return &types[type];
}

int arch_reloc_value(unsigned kind, unsigned size, uint64_t S, int64_t A, uint64_t P, uint64_t B,
		     uint64_t tls_offset, uint64_t *value)
{
	uint64_t v;
	switch (kind) {
	case LT_RK_RELATIVE:
	case LT_RK_IRELATIVE:
		v = B + A;
		break;
	case LT_RK_ABS:
	case LT_RK_GOT:
	case LT_RK_PLT:
	case LT_RK_DTPOFF:
		v = S + A;
		break;
	case LT_RK_PCREL:
		v = S + A - P;
		break;
	case LT_RK_TPOFF:
	case LT_RK_TLSDESC:
		v = S + A - tls_offset;  /* variant II: blocks sit below the thread pointer */
		break;
	default:
		return -1;
	}
	if (size == 4 && (int64_t)v != (int32_t)v)
		return -1;  /* does not fit a signed 32-bit field */
	*value = v;
	return 0;
}
