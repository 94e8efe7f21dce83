/*
 * x86_64 relocation types and their arithmetic (arch/x86_64/reloc.c).
 * Type numbers and formulas are those of the x86-64 psABI, written out
 * here as numbers rather than taken from <elf.h>.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include "arch.h"

struct type_case {
	uint32_t number;
	const char *name;
	unsigned kind, size;
};

static const struct type_case handled[] = {
	{0, "R_X86_64_NONE", LT_RK_NONE, 0},
	{1, "R_X86_64_64", LT_RK_ABS, 8},
	{2, "R_X86_64_PC32", LT_RK_PCREL, 4},
	{5, "R_X86_64_COPY", LT_RK_COPY, 0},
	{6, "R_X86_64_GLOB_DAT", LT_RK_GOT, 8},
	{7, "R_X86_64_JUMP_SLOT", LT_RK_PLT, 8},
	{8, "R_X86_64_RELATIVE", LT_RK_RELATIVE, 8},
	{16, "R_X86_64_DTPMOD64", LT_RK_DTPMOD, 8},
	{17, "R_X86_64_DTPOFF64", LT_RK_DTPOFF, 8},
	{18, "R_X86_64_TPOFF64", LT_RK_TPOFF, 8},
	{36, "R_X86_64_TLSDESC", LT_RK_TLSDESC, 16},
	{37, "R_X86_64_IRELATIVE", LT_RK_IRELATIVE, 8},
};

Test(arch_reloc_type, names_kinds_and_sizes)
{
	for (size_t i = 0; i < sizeof handled / sizeof *handled; i++) {
		const struct type_case *c = &handled[i];
		const struct lt_reloc_type *t = arch_reloc_type(c->number);
		cr_assert(ne(ptr, (void *)t, NULL), "type %u must be handled", c->number);
		cr_expect(eq(str, (char *)t->name, (char *)c->name), "name of type %u", c->number);
		cr_expect(eq(uint, t->kind, c->kind), "kind of %s", c->name);
		cr_expect(eq(uint, t->size, c->size), "size of %s", c->name);
	}
}

/* Link-time-only types, types past the table, and garbage: not handled. */
Test(arch_reloc_type, unknown_types_are_refused)
{
	static const uint32_t refused[] = {
		3,   /* R_X86_64_GOT32 */
		4,   /* R_X86_64_PLT32 */
		9,   /* R_X86_64_GOTPCREL */
		10,  /* R_X86_64_32 */
		19,  /* R_X86_64_TLSGD */
		35,  /* R_X86_64_GOTPC32_TLSDESC */
		38,  /* R_X86_64_RELATIVE64, just past the table */
		42, 255, 0x10000, 0xffffffff,
	};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
		cr_expect(eq(ptr, (void *)arch_reloc_type(refused[i]), NULL), "type %u", refused[i]);
}

/* Helpers: the value for one kind, with a sentinel to show what was stored. */
#define UNTOUCHED 0x5a5a5a5a5a5a5a5aULL

static int value_of(unsigned kind, unsigned size, uint64_t S, int64_t A, uint64_t P, uint64_t B,
		    uint64_t tls_offset, uint64_t *v)
{
	*v = UNTOUCHED;
	return arch_reloc_value(kind, size, S, A, P, B, tls_offset, v);
}

/* Values for S, P and B that a formula must ignore when it does not use them. */
#define JUNK_S 0x1111111111111111ULL
#define JUNK_P 0x2222222222222222ULL
#define JUNK_B 0x3333333333333333ULL

Test(arch_reloc_value, relative_and_irelative_are_base_plus_addend)
{
	uint64_t v;
	cr_assert(eq(int, value_of(LT_RK_RELATIVE, 8, JUNK_S, 0x1234, JUNK_P, 0x7f0000000000, 0, &v), 0));
	cr_expect(eq(u64, v, 0x7f0000001234));
	cr_assert(eq(int, value_of(LT_RK_IRELATIVE, 8, JUNK_S, 0x16e0, JUNK_P, 0x555555554000, 0, &v), 0));
	cr_expect(eq(u64, v, 0x5555555556e0));
}

Test(arch_reloc_value, absolute_kinds_are_symbol_plus_addend)
{
	static const unsigned kinds[] = {LT_RK_ABS, LT_RK_GOT, LT_RK_PLT, LT_RK_DTPOFF};
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		uint64_t v;
		cr_assert(eq(int, value_of(kinds[i], 8, 0x555500001000, -16, JUNK_P, JUNK_B, 0, &v), 0),
			  "kind %u", kinds[i]);
		cr_expect(eq(u64, v, 0x555500000ff0), "kind %u: S + A with a negative addend", kinds[i]);
	}
}

Test(arch_reloc_value, pc32_is_symbol_plus_addend_minus_place)
{
	uint64_t v;
	cr_assert(eq(int, value_of(LT_RK_PCREL, 4, 0x7f0000001000, -4, 0x7f0000000800, JUNK_B, 0, &v), 0));
	cr_expect(eq(u64, v, 0x7fc));
	/* Backwards: a negative distance, stored sign-extended in the 64-bit result. */
	cr_assert(eq(int, value_of(LT_RK_PCREL, 4, 0x1000, 0, 0x3000, JUNK_B, 0, &v), 0));
	cr_expect(eq(u64, v, (uint64_t)-0x2000));
}

Test(arch_reloc_value, pc32_overflow_is_refused)
{
	uint64_t v;
	uint64_t P = 0x7f0000000000;
	/* The signed 32-bit range is [-2^31, 2^31 - 1], both ends included. */
	cr_expect(eq(int, value_of(LT_RK_PCREL, 4, P + 0x7fffffff, 0, P, 0, 0, &v), 0));
	cr_expect(eq(u64, v, 0x7fffffff));
	cr_expect(eq(int, value_of(LT_RK_PCREL, 4, P - 0x80000000, 0, P, 0, 0, &v), 0));
	cr_expect(eq(u64, v, (uint64_t)-0x80000000LL));
	cr_expect(eq(int, value_of(LT_RK_PCREL, 4, P + 0x80000000, 0, P, 0, 0, &v), -1));
	cr_expect(eq(u64, v, UNTOUCHED), "nothing is stored on overflow");
	cr_expect(eq(int, value_of(LT_RK_PCREL, 4, P - 0x80000001, 0, P, 0, 0, &v), -1));
	cr_expect(eq(int, value_of(LT_RK_PCREL, 4, 0x100000000, 0, 0, 0, 0, &v), -1));
	cr_expect(eq(int, value_of(LT_RK_PCREL, 4, 0x1000, 0x7fffffff, 0, 0, 0, &v), -1),
		  "the addend counts too");
}

/* An 8-byte field holds any distance. */
Test(arch_reloc_value, eight_byte_fields_never_overflow)
{
	uint64_t v;
	cr_assert(eq(int, value_of(LT_RK_PCREL, 8, 0x7f0000000000, 0, 0x1000, 0, 0, &v), 0));
	cr_expect(eq(u64, v, 0x7efffffff000));
}

/* Variant II TLS: the block sits tls_offset bytes below the thread pointer. */
Test(arch_reloc_value, tpoff_and_tlsdesc_subtract_the_block_offset)
{
	uint64_t v;
	cr_assert(eq(int, value_of(LT_RK_TPOFF, 8, 0x10, 4, JUNK_P, JUNK_B, 0x40, &v), 0));
	cr_expect(eq(u64, v, (uint64_t)-0x2c), "0x10 + 4 - 0x40");
	cr_assert(eq(int, value_of(LT_RK_TLSDESC, 16, 0x8, 0, JUNK_P, JUNK_B, 0x1000, &v), 0));
	cr_expect(eq(u64, v, (uint64_t)-0xff8));
	cr_assert(eq(int, value_of(LT_RK_TPOFF, 8, 0, 0, JUNK_P, JUNK_B, 0, &v), 0));
	cr_expect(eq(u64, v, 0));
}

/* NONE, COPY and DTPMOD have no arithmetic here; neither has a bogus kind. */
Test(arch_reloc_value, kinds_without_a_formula_are_refused)
{
	static const unsigned kinds[] = {LT_RK_NONE, LT_RK_COPY, LT_RK_DTPMOD, 99};
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		uint64_t v;
		cr_expect(eq(int, value_of(kinds[i], 8, 1, 2, 3, 4, 5, &v), -1), "kind %u", kinds[i]);
		cr_expect(eq(u64, v, UNTOUCHED), "kind %u stores nothing", kinds[i]);
	}
}
