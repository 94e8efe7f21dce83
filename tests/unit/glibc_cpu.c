/*
 * glibc's struct cpu_features (rtld/glibc/cpu.c) for CPUs this machine is
 * not: the test is the CPU.  arch_cpuid, arch_xcr0 and
 * arch_xsave_compacted_size are link seams answered from a fake register
 * file the test fills in, and each expected value is worked out from the
 * vendors' documentation of those registers (Intel SDM vol. 2A, CPUID;
 * AMD APM vol. 3, CPUID) and glibc 2.36's rules as doc/glibc-facts.md
 * states them ("cpu_features"), never from what cpu.c answers.
 */
#include <elf.h>
#include <string.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <sys/platform/x86.h>
#include "arch.h"
#include "glibc/cpu.h"
#include "layout.h"

enum reg { EAX, EBX, ECX, EDX };

static struct fake_cpu {
	struct fake_leaf {
		uint32_t leaf, subleaf, regs[4];
	} leaves[32];
	unsigned nleaves;
	uint64_t xcr0;
} cpu;

/* A leaf this CPU does not list reads as zeros. */
struct arch_cpuid_regs arch_cpuid(uint32_t leaf, uint32_t subleaf)
{
	for (unsigned i = 0; i < cpu.nleaves; i++) {
		const struct fake_leaf *l = &cpu.leaves[i];
		if (l->leaf == leaf && l->subleaf == subleaf)
			return (struct arch_cpuid_regs){ l->regs[EAX], l->regs[EBX], l->regs[ECX],
							 l->regs[EDX] };
	}
	return (struct arch_cpuid_regs){ 0 };
}

uint64_t arch_xcr0(void)
{
	return cpu.xcr0;
}

/* No test gives its CPU XSAVEC. */
uint64_t arch_xsave_compacted_size(uint64_t mask)
{
	cr_fail("compacted size of %#lx asked of a CPU without XSAVEC", (unsigned long)mask);
	return 0;
}

static uint32_t *regs(uint32_t leaf, uint32_t subleaf)
{
	for (unsigned i = 0; i < cpu.nleaves; i++)
		if (cpu.leaves[i].leaf == leaf && cpu.leaves[i].subleaf == subleaf)
			return cpu.leaves[i].regs;
	cr_assert(cpu.nleaves < sizeof cpu.leaves / sizeof *cpu.leaves);
	struct fake_leaf *l = &cpu.leaves[cpu.nleaves++];
	*l = (struct fake_leaf){ .leaf = leaf, .subleaf = subleaf };
	return l->regs;
}

static void set_leaf(uint32_t leaf, uint32_t subleaf, uint32_t eax, uint32_t ebx, uint32_t ecx,
		     uint32_t edx)
{
	uint32_t *r = regs(leaf, subleaf);
	r[EAX] = eax, r[EBX] = ebx, r[ECX] = ecx, r[EDX] = edx;
}

static void set_bits(uint32_t leaf, enum reg reg, uint32_t bits)
{
	regs(leaf, 0)[reg] |= bits;
}

static uint32_t chars(const char *four)
{
	return (uint32_t)four[0] | (uint32_t)four[1] << 8 | (uint32_t)four[2] << 16 |
	       (uint32_t)four[3] << 24;
}

/* Leaf 0 (the highest standard leaf, the vendor in EBX, EDX, ECX), leaf 1's
 * signature (family above 15 in the extended family, the model's high
 * nibble in the extended model), and the highest extended leaf. */
static void make_cpu(const char vendor[13], uint32_t max_leaf, uint32_t max_extended,
		     uint32_t family, uint32_t model, uint32_t stepping)
{
	set_leaf(0, 0, max_leaf, chars(vendor), chars(vendor + 8), chars(vendor + 4));
	uint32_t base_family = family < 0xf ? family : 0xf;
	regs(1, 0)[EAX] = (family - base_family) << 20 | (model >> 4) << 16 | base_family << 8 |
			  (model & 0xf) << 4 | stepping;
	set_leaf(0x80000000, 0, max_extended, 0, 0, 0);
}

/* Leaf 1 EDX: FPU, TSC, CX8, CMOV, MMX, FXSR, SSE, SSE2. */
#define BASELINE_EDX (1u << 0 | 1u << 4 | 1u << 8 | 1u << 15 | 1u << 23 | 1u << 24 | 1u << 25 | 1u << 26)
#define HTT (1u << 28)
/* Leaf 1 ECX: SSE3, SSSE3, CMPXCHG16B, SSE4.1, SSE4.2, POPCNT (x86-64-v2);
 * FMA, MOVBE, F16C (v3); XSAVE, OSXSAVE, AVX. */
#define V2_ECX (1u << 0 | 1u << 9 | 1u << 13 | 1u << 19 | 1u << 20 | 1u << 23)
#define V3_ECX (1u << 12 | 1u << 22 | 1u << 29)
#define XSAVE_OSXSAVE (1u << 26 | 1u << 27)
#define AVX (1u << 28)
/* Leaf 7 EBX: BMI1, AVX2, BMI2; ERMS; AVX512F, DQ, CD, BW, VL. */
#define V3_LEAF7_EBX (1u << 3 | 1u << 5 | 1u << 8)
#define ERMS (1u << 9)
#define AVX512_V4 (1u << 16 | 1u << 17 | 1u << 28 | 1u << 30 | 1u << 31)
/* Leaf 0x80000001 ECX: LAHF/SAHF (v2), LZCNT (v3). */
#define LAHF (1u << 0)
#define LZCNT (1u << 5)
/* XCR0: x87, SSE and AVX state; opmask and the two ZMM states. */
#define XCR0_AVX 0x7u
#define XCR0_AVX512 0xe0u

/* An x86-64-v3 CPU with its OS's AVX state on: the leaves of a Haswell. */
static void make_v3_intel(void)
{
	make_cpu("GenuineIntel", 0xd, 0x80000001, 6, 0x3c, 3);
	set_bits(1, EDX, BASELINE_EDX);
	set_bits(1, ECX, V2_ECX | V3_ECX | XSAVE_OSXSAVE | AVX);
	set_bits(7, EBX, V3_LEAF7_EBX);
	set_bits(0x80000001, ECX, LAHF | LZCNT);
	cpu.xcr0 = XCR0_AVX;
}

static unsigned char features[GLIBC_SIZEOF_cpu_features];
static uint64_t hwcap, hwcap2;
static const char *platform;

static void describe(void)
{
	platform = "x86_64";  /* AT_PLATFORM, as the kernel gives it */
	lt_glibc_cpu_init(features, &hwcap, &hwcap2, &platform);
}

static uint64_t field_at(size_t offset, size_t size)
{
	uint64_t v = 0;
	memcpy(&v, features + offset, size);  /* little-endian, as x86 keeps it */
	return v;
}
#define FIELD(name) field_at(GLIBC_OFF_cpu_features__##name, GLIBC_SIZEOF_cpu_features__##name)
#define PREFERRED(name) ((FIELD(preferred) >> GLIBC_ENUM__bitindex_arch_##name) & 1)
#define EXPECT_PREFERRED(name, ...) cr_expect(eq(u64, PREFERRED(name), 1), #name " " __VA_ARGS__)
#define EXPECT_NOT_PREFERRED(name, ...) cr_expect(eq(u64, PREFERRED(name), 0), #name " " __VA_ARGS__)
#define EXPECT_ISA(bit, on) cr_expect(eq(u64, FIELD(isa_1) & (bit), (on) ? (bit) : 0), #bit)

static void reset(void)
{
	memset(&cpu, 0, sizeof cpu);
	memset(features, 0, sizeof features);
}

TestSuite(glibc_cpu, .init = reset);

/* Leaf 4 subleaf: EAX type (1 data, 2 instruction, 3 unified), level,
 * threads sharing it less 1 in 25:14; EBX ways-1 in 31:22, partitions-1 in
 * 21:12, line size-1 in 11:0; ECX sets-1; EDX bit 1: inclusive of the
 * lower levels. */
static void leaf4(uint32_t subleaf, unsigned type, unsigned level, unsigned sharing,
		  unsigned ways, unsigned partitions, unsigned line, unsigned sets, int inclusive)
{
	set_leaf(4, subleaf, type | level << 5 | (sharing - 1) << 14,
		 (ways - 1) << 22 | (partitions - 1) << 12 | (line - 1), sets - 1,
		 inclusive ? 2 : 0);
}

/* The SDM's descriptor table: 0x0c "1st-level data cache: 16 KBytes, 4-way
 * set associative, 32 byte line size", 0x83 "2nd-level cache: 512 KByte,
 * 8-way set associative, 32 byte line size". */
Test(glibc_cpu, leaf2_descriptors_are_the_sdm_s)
{
	make_cpu("GenuineIntel", 2, 0, 6, 0x0f, 0);
	set_leaf(2, 0, 0x00830c01, 0, 0, 0);  /* AL 1: one CPUID 2 call says it all */
	describe();
	cr_expect(eq(u64, FIELD(level1_dcache_size), 16384));
	cr_expect(eq(u64, FIELD(level1_dcache_assoc), 4));
	cr_expect(eq(u64, FIELD(level1_dcache_linesize), 32));
	cr_expect(eq(u64, FIELD(level2_cache_size), 524288));
	cr_expect(eq(u64, FIELD(level2_cache_assoc), 8));
	cr_expect(eq(u64, FIELD(level2_cache_linesize), 32));
	cr_expect(eq(u64, FIELD(data_cache_size), 16384), "data_cache_size is L1d");
	cr_expect(eq(u64, FIELD(shared_cache_size), 524288), "without an L3, L2 stands in");
}

/* A cache's numbers in cpu_features, by the sysconf name of its size
 * counted from _SC_LEVEL1_ICACHE_SIZE; glibc keeps no L1i associativity. */
struct cache_answer {
	int64_t size, assoc, linesize;
	bool has_assoc;
};

static struct cache_answer cache_answer(unsigned rel_name)
{
	switch (rel_name + _SC_LEVEL1_ICACHE_SIZE) {
	case _SC_LEVEL1_ICACHE_SIZE:
		return (struct cache_answer){ FIELD(level1_icache_size), 0, FIELD(level1_icache_linesize), false };
	case _SC_LEVEL1_DCACHE_SIZE:
		return (struct cache_answer){ FIELD(level1_dcache_size), FIELD(level1_dcache_assoc),
					      FIELD(level1_dcache_linesize), true };
	case _SC_LEVEL2_CACHE_SIZE:
		return (struct cache_answer){ FIELD(level2_cache_size), FIELD(level2_cache_assoc),
					      FIELD(level2_cache_linesize), true };
	case _SC_LEVEL3_CACHE_SIZE:
		return (struct cache_answer){ FIELD(level3_cache_size), FIELD(level3_cache_assoc),
					      FIELD(level3_cache_linesize), true };
	}
	cr_fail("rel_name %u names no cache size", rel_name);
	return (struct cache_answer){ 0 };
}

/* Every descriptor byte glibc knows, alone in leaf 2, answers for its own
 * cache.  The bytes and answers are ld.so's intel_02_known as layout.h
 * holds it, which tests/integration/glibc-layout.sh checks against gdb. */
struct known_descriptor {
	unsigned byte, assoc, linesize, rel_name, size;
};
#define KNOWN(byte, assoc, linesize, rel_name, size) { byte, assoc, linesize, rel_name, size },
static const struct known_descriptor known_descriptors[] = { GLIBC_INTEL_02_KNOWN(KNOWN) };
#undef KNOWN

Test(glibc_cpu, every_descriptor_glibc_knows_answers_for_its_cache)
{
	for (size_t i = 0; i < sizeof known_descriptors / sizeof *known_descriptors; i++) {
		const struct known_descriptor *k = &known_descriptors[i];
		reset();
		make_cpu("GenuineIntel", 2, 0, 6, 0x0f, 0);
		set_leaf(2, 0, k->byte << 8 | 1, 0, 0, 0);
		describe();
		struct cache_answer a = cache_answer(k->rel_name);
		cr_expect(eq(i64, a.size, k->size), "descriptor %#04x: size", k->byte);
		if (a.has_assoc)
			cr_expect(eq(i64, a.assoc, k->assoc), "descriptor %#04x: associativity", k->byte);
		cr_expect(eq(i64, a.linesize, k->linesize), "descriptor %#04x: line size", k->byte);
	}
}

/* Descriptor 0xff: the sizes are leaf 4's, ways x partitions x line size x
 * sets.  (0xfe sends TLBs to leaf 0x18, and is no cache.)  The L2 here has
 * 2 partitions, which the SDM allows and a size must count. */
Test(glibc_cpu, leaf4_sizes_count_ways_partitions_lines_and_sets)
{
	make_cpu("GenuineIntel", 4, 0, 6, 0x0f, 0);
	set_leaf(2, 0, 0x00feff01, 0, 0, 0);
	leaf4(0, 1, 1, 1, 8, 1, 64, 64, 1);
	leaf4(1, 2, 1, 1, 8, 1, 64, 64, 1);
	leaf4(2, 3, 2, 1, 16, 2, 64, 1024, 1);
	describe();
	cr_expect(eq(u64, FIELD(level1_dcache_size), 8 * 64 * 64));
	cr_expect(eq(u64, FIELD(level1_dcache_assoc), 8));
	cr_expect(eq(u64, FIELD(level1_dcache_linesize), 64));
	cr_expect(eq(u64, FIELD(level2_cache_size), 16 * 2 * 64 * 1024));
	cr_expect(eq(u64, FIELD(level2_cache_assoc), 16));
	cr_expect(eq(u64, FIELD(level2_cache_linesize), 64));
}

/* A 16 MiB L3 that 16 threads share, not inclusive of a 1 MiB L2 that 2
 * threads share (as on Skylake-SP), without ERMS: glibc counts L2 into the
 * shared cache, and a thread's share is L3/16 + L2/2; without ERMS the
 * non-temporal threshold is 3/4 of that share. */
Test(glibc_cpu, threads_sharing_l3_divide_it_and_a_non_inclusive_l3_adds_l2)
{
	const uint64_t l2 = 1 << 20, l3 = 16 << 20;
	make_cpu("GenuineIntel", 4, 0, 6, 0x0f, 0);
	set_bits(1, EDX, BASELINE_EDX | HTT);
	set_bits(1, EBX, 32 << 16);  /* logical processors in the package */
	set_leaf(2, 0, 0x00feff01, 0, 0, 0);
	leaf4(0, 1, 1, 2, 8, 1, 64, 64, 1);
	leaf4(1, 2, 1, 2, 8, 1, 64, 64, 1);
	leaf4(2, 3, 2, 2, 16, 1, 64, l2 / 16 / 64, 1);
	leaf4(3, 3, 3, 16, 16, 1, 64, l3 / 16 / 64, 0);
	describe();
	cr_expect(eq(u64, FIELD(level3_cache_size), l3));
	cr_expect(eq(u64, FIELD(shared_cache_size), l3 + l2));
	cr_expect(eq(u64, FIELD(non_temporal_threshold), (l3 / 16 + l2 / 2) * 3 / 4));
}

/* Goldmont (family 6, model 0x5c) is tuned as Silvermont. */
Test(glibc_cpu, goldmont_is_tuned_as_silvermont)
{
	make_cpu("GenuineIntel", 1, 0, 6, 0x5c, 9);
	set_bits(1, EDX, BASELINE_EDX);
	set_bits(1, ECX, V2_ECX);
	describe();
	cr_expect(eq(u32, FIELD(basic__model), 0x5c));
	EXPECT_PREFERRED(Fast_Unaligned_Load);
	EXPECT_PREFERRED(Fast_Unaligned_Copy);
	EXPECT_PREFERRED(Prefer_PMINUB_for_stringop);
	EXPECT_PREFERRED(Slow_SSE4_2);
	EXPECT_NOT_PREFERRED(Fast_Rep_String, "that is Tremont's and the big cores'");
}

/* AMD family 0x15 models 0x60-0x7f (Excavator) prefer unaligned loads and
 * backward copies, but not AVX unaligned loads, though AVX2 is usable;
 * Steamroller (model 0x30) keeps glibc's defaults. */
static void make_amd_family_15h(uint32_t model)
{
	make_cpu("AuthenticAMD", 0xd, 0x80000001, 0x15, model, 1);
	set_bits(1, EDX, BASELINE_EDX);
	set_bits(1, ECX, V2_ECX | XSAVE_OSXSAVE | AVX);
	set_bits(7, EBX, 1u << 5);  /* AVX2 */
	cpu.xcr0 = XCR0_AVX;
}

Test(glibc_cpu, excavator_prefers_unaligned_loads_and_backward_copies_not_avx_loads)
{
	make_amd_family_15h(0x60);
	describe();
	cr_expect(eq(u32, FIELD(basic__family), 0x15));
	cr_expect(eq(u32, FIELD(basic__model), 0x60));
	EXPECT_PREFERRED(Fast_Unaligned_Load);
	EXPECT_PREFERRED(Fast_Copy_Backward);
	EXPECT_NOT_PREFERRED(AVX_Fast_Unaligned_Load);
	EXPECT_PREFERRED(I586, "CX8");
	EXPECT_PREFERRED(I686, "CMOV");
}

Test(glibc_cpu, steamroller_keeps_avx_unaligned_loads)
{
	make_amd_family_15h(0x30);
	describe();
	EXPECT_PREFERRED(AVX_Fast_Unaligned_Load);
	EXPECT_NOT_PREFERRED(Fast_Unaligned_Load);
	EXPECT_NOT_PREFERRED(Fast_Copy_Backward);
}

/* Leaf 0x80000006: L2 size in KiB in ECX 31:16, its associativity code in
 * 15:12 and line size in 7:0; L3 in EDX, size in 512 KiB units in 31:18.
 * The APM's codes: 0xe is 128 ways, 0xd 96. */
Test(glibc_cpu, amd_associativity_codes_are_the_apm_s)
{
	make_cpu("AuthenticAMD", 1, 0x80000006, 0x10, 4, 2);
	set_leaf(0x80000006, 0, 0, 0, 512u << 16 | 0xeu << 12 | 1u << 8 | 64,
		 32u << 18 | 0xdu << 12 | 1u << 8 | 64);
	describe();
	cr_expect(eq(u64, FIELD(level2_cache_size), 512 * 1024));
	cr_expect(eq(u64, FIELD(level2_cache_assoc), 128));
	cr_expect(eq(u64, FIELD(level2_cache_linesize), 64));
	cr_expect(eq(u64, FIELD(level3_cache_size), 32 * 512 * 1024));
	cr_expect(eq(u64, FIELD(level3_cache_assoc), 96));
}

/* x86-64-v4 on Intel: glibc's hwcap gains HWCAP_X86_AVX512_1 (4) next to
 * HWCAP_X86_64 (2), the platform is "haswell" (no AVX512ER, so not
 * "xeon_phi"), and the glibc-hwcaps level is 4. */
Test(glibc_cpu, avx512_intel_is_level_4_with_hwcap_avx512_1)
{
	make_v3_intel();
	regs(0, 0)[EAX] = 0xd;
	regs(1, 0)[EAX] = 0x50657;  /* family 6, model 0x55, stepping 7: Cascade Lake */
	set_bits(7, EBX, AVX512_V4 | ERMS);
	cpu.xcr0 = XCR0_AVX | XCR0_AVX512;
	describe();
	cr_expect(eq(u64, hwcap, 2 | 4));
	cr_expect(eq(str, (char *)platform, "haswell"));
	cr_expect(eq(u32, lt_x86_isa_level(features), 4));
	EXPECT_ISA(GNU_PROPERTY_X86_ISA_1_V4, 1);
}

/* Without the ZMM state in XCR0, the same CPU has no usable AVX-512: v3. */
Test(glibc_cpu, avx512_not_enabled_by_the_os_is_level_3)
{
	make_v3_intel();
	set_bits(7, EBX, AVX512_V4);
	describe();
	cr_expect(eq(u64, hwcap, 2));
	cr_expect(eq(str, (char *)platform, "haswell"));
	cr_expect(eq(u32, lt_x86_isa_level(features), 3));
	EXPECT_ISA(GNU_PROPERTY_X86_ISA_1_V4, 0);
	EXPECT_ISA(GNU_PROPERTY_X86_ISA_1_V3, 1);
}

/* The save area of glibc's lazy-binding trampoline: leaf 0xd.0's EBX (the
 * standard xsave area) + 64, rounded up to 64.  A size one byte past a
 * multiple of 64 takes a whole 64 more. */
Test(glibc_cpu, xsave_area_is_rounded_up_to_64_bytes)
{
	make_v3_intel();
	set_leaf(0xd, 0, XCR0_AVX, 10 * 64 + 1, 0, 0);
	describe();
	cr_expect(eq(u32, FIELD(xsave_state_full_size), 12 * 64));
	cr_expect(eq(u64, FIELD(xsave_state_size), 12 * 64), "no XSAVEC: the standard layout");
}

/* Where glibc's own <sys/platform/x86.h> puts a feature: x86_cpu_NAME
 * counts bits from the first recorded leaf, 32 to a register (EAX, EBX,
 * ECX, EDX) and four registers to a recorded leaf (CPUID_INDEX_*). */
#define PLACE(name) { #name, x86_cpu_##name }
struct feature_place {
	const char *name;
	unsigned bit;
};

/* The features glibc 2.36 makes usable whenever the CPU has them, with no
 * OS state or other feature to wait for (doc/glibc-facts.md, "cpu_features"). */
static const struct feature_place usable_when_present[] = {
	PLACE(SSE3), PLACE(PCLMULQDQ), PLACE(SSSE3), PLACE(CMPXCHG16B), PLACE(SSE4_1),
	PLACE(SSE4_2), PLACE(MOVBE), PLACE(POPCNT), PLACE(AES), PLACE(OSXSAVE), PLACE(TSC),
	PLACE(CX8), PLACE(CMOV), PLACE(CLFSH), PLACE(MMX), PLACE(FXSR), PLACE(SSE), PLACE(SSE2),
	PLACE(HTT), PLACE(BMI1), PLACE(HLE), PLACE(BMI2), PLACE(ERMS), PLACE(RDSEED), PLACE(ADX),
	PLACE(CLFLUSHOPT), PLACE(CLWB), PLACE(SHA), PLACE(PREFETCHWT1), PLACE(OSPKE),
	PLACE(WAITPKG), PLACE(GFNI), PLACE(RDPID), PLACE(RDRAND), PLACE(CLDEMOTE), PLACE(MOVDIRI),
	PLACE(MOVDIR64B), PLACE(FSRM), PLACE(RTM_ALWAYS_ABORT), PLACE(SERIALIZE), PLACE(TSXLDTRK),
	PLACE(LAHF64_SAHF64), PLACE(LZCNT), PLACE(SSE4A), PLACE(PREFETCHW), PLACE(TBM),
	PLACE(RDTSCP), PLACE(WBNOINVD), PLACE(FZLRM), PLACE(FSRS), PLACE(FSRCS), PLACE(PTWRITE),
};

/* The CPUID leaf and subleaf behind each recorded leaf. */
static const uint32_t recorded_leaf[][2] = {
	[CPUID_INDEX_1] = { 1, 0 },
	[CPUID_INDEX_7] = { 7, 0 },
	[CPUID_INDEX_80000001] = { 0x80000001, 0 },
	[CPUID_INDEX_D_ECX_1] = { 0xd, 1 },
	[CPUID_INDEX_80000007] = { 0x80000007, 0 },
	[CPUID_INDEX_80000008] = { 0x80000008, 0 },
	[CPUID_INDEX_7_ECX_1] = { 7, 1 },
	[CPUID_INDEX_19] = { 0x19, 0 },
	[CPUID_INDEX_14_ECX_0] = { 0x14, 0 },
};

/* The register of recorded leaf `bit / 128` that holds `bit`: its CPUID
 * answer, or (active) its usable bits. */
static uint32_t feature_word(unsigned bit, int active)
{
	return (uint32_t)field_at(GLIBC_OFF_cpu_features__features +
					  bit / 128 * GLIBC_ELEMSIZE_cpu_features__features +
					  (active ? GLIBC_OFF_cpuid_feature_internal__active_array
						  : GLIBC_OFF_cpuid_feature_internal__cpuid_array) +
					  bit / 32 % 4 * 4,
				  4);
}

/* Each such feature, alone on an Intel CPU with every leaf and no model
 * quirks, is recorded and usable at the bit glibc's header names, and is
 * the only usable bit of its register (but OSPKE and OSXSAVE, the OS's
 * consent, which bring PKU and XSAVE). */
Test(glibc_cpu, features_usable_when_present_sit_where_glibcs_header_puts_them)
{
	for (size_t i = 0; i < sizeof usable_when_present / sizeof *usable_when_present; i++) {
		const struct feature_place *f = &usable_when_present[i];
		const uint32_t *leaf = recorded_leaf[f->bit / 128];
		reset();
		make_cpu("GenuineIntel", 0x19, 0x80000008, 6, 0x0f, 0);
		regs(leaf[0], leaf[1])[f->bit / 32 % 4] |= 1u << f->bit % 32;
		describe();
		uint32_t usable = 1u << f->bit % 32;
		if (f->bit == x86_cpu_OSPKE)
			usable |= 1u << x86_cpu_PKU % 32;
		if (f->bit == x86_cpu_OSXSAVE)
			usable |= 1u << x86_cpu_XSAVE % 32;
		cr_expect(eq(u32, feature_word(f->bit, 0) & 1u << f->bit % 32, 1u << f->bit % 32),
			  "%s recorded", f->name);
		cr_expect(eq(u32, feature_word(f->bit, 1), usable), "%s usable", f->name);
	}
}

/* AMX (leaf 7 EDX: AMX_BF16, AMX_TILE, AMX_INT8, each where glibc's header
 * puts it) is usable only when the OS enabled both tile states in XCR0,
 * XTILECFG (bit 17) and XTILEDATA (bit 18), as glibc 2.36 rules: neither
 * alone is enough.  The CPU's answer is recorded either way. */
Test(glibc_cpu, amx_is_usable_only_with_both_tile_states_in_xcr0)
{
	const uint32_t amx = 1u << x86_cpu_AMX_BF16 % 32 | 1u << x86_cpu_AMX_TILE % 32 |
			     1u << x86_cpu_AMX_INT8 % 32;
	const uint64_t tile_states[] = { 0, 1u << 17, 1u << 18, 1u << 17 | 1u << 18 };
	for (size_t i = 0; i < sizeof tile_states / sizeof *tile_states; i++) {
		reset();
		make_v3_intel();
		set_bits(7, EDX, amx);
		cpu.xcr0 = XCR0_AVX | tile_states[i];
		describe();
		cr_expect(eq(u32, feature_word(x86_cpu_AMX_TILE, 0) & amx, amx));
		cr_expect(eq(u32, feature_word(x86_cpu_AMX_TILE, 1) & amx, i == 3 ? amx : 0),
			  "AMX usable with XCR0 %#lx", (unsigned long)cpu.xcr0);
	}
}

/* A recorded leaf is read when the highest leaf of its range (leaf 0's
 * EAX, or 0x80000000's) reaches it, and not when it stops one short:
 * the recorded EBX is the CPU's then, or 0.  (Leaf 1 is always read.) */
Test(glibc_cpu, a_leaf_is_recorded_when_the_highest_leaf_reaches_it)
{
	const uint32_t marker = 0x00a5a500;
	for (unsigned index = CPUID_INDEX_1 + 1; index < GLIBC_ENUM_CPUID_INDEX_MAX; index++) {
		uint32_t leaf = recorded_leaf[index][0], subleaf = recorded_leaf[index][1];
		int extended = leaf >= 0x80000000;
		for (uint32_t highest = leaf - 1; highest <= leaf; highest++) {
			reset();
			make_cpu("GenuineIntel", extended ? 1 : highest, extended ? highest : 0, 6, 0x0f, 0);
			regs(leaf, subleaf)[EBX] = marker;
			describe();
			cr_expect(eq(u32, feature_word(index * 128 + EBX * 32, 0), highest == leaf ? marker : 0),
				  "leaf %#x.%u with the highest leaf %#x", leaf, subleaf, highest);
		}
	}
}

/* An L2 of 1 MiB whose leaf 4 says 8 threads share it, and no L3: L2
 * stands in for the shared cache, and a thread's share is L2 over the
 * sharing threads, 3/4 of it the non-temporal threshold (no ERMS).  On
 * the Silvermonts and Airmonts glibc names (family 6, models 0x37, 0x4a,
 * 0x4d, 0x5a, 0x5d) two cores share an L2, whatever leaf 4 counts. */
static uint64_t l2_share_per_thread(uint32_t family, uint32_t model)
{
	const uint64_t l2 = 1 << 20;
	reset();
	make_cpu("GenuineIntel", 4, 0, family, model, 0);
	set_bits(1, EDX, BASELINE_EDX | HTT);
	set_leaf(2, 0, 0x00feff01, 0, 0, 0);
	leaf4(0, 1, 1, 1, 8, 1, 64, 64, 1);
	leaf4(1, 3, 2, 8, 16, 1, 64, l2 / 16 / 64, 1);
	describe();
	cr_expect(eq(u64, FIELD(shared_cache_size), l2), "family %u model %#x", family, model);
	return FIELD(non_temporal_threshold) * 4 / 3;
}

Test(glibc_cpu, silvermont_s_l2_is_shared_by_two_cores)
{
	const uint32_t silvermonts[] = { 0x37, 0x4a, 0x4d, 0x5a, 0x5d };
	for (size_t i = 0; i < sizeof silvermonts / sizeof *silvermonts; i++)
		cr_expect(eq(u64, l2_share_per_thread(6, silvermonts[i]), (1 << 20) / 2),
			  "model %#x", silvermonts[i]);
	cr_expect(eq(u64, l2_share_per_thread(6, 0x4c), (1 << 20) / 8), "another Atom");
	cr_expect(eq(u64, l2_share_per_thread(5, 0x4d), (1 << 20) / 8), "another family");
}

/* Leaf 2's descriptor 0xff sends glibc to leaf 4 for every cache, the
 * fourth level too (as on Broadwell's eDRAM): 128 MiB, 16 ways of 64-byte
 * lines. */
Test(glibc_cpu, leaf4_answers_for_a_level_4_cache)
{
	const uint64_t l4 = 128 << 20;
	make_cpu("GenuineIntel", 4, 0, 6, 0x0f, 0);
	set_leaf(2, 0, 0x00feff01, 0, 0, 0);
	leaf4(0, 1, 1, 1, 8, 1, 64, 64, 1);
	leaf4(1, 2, 1, 1, 8, 1, 64, 64, 1);
	leaf4(2, 3, 2, 1, 16, 1, 64, 1024, 1);
	leaf4(3, 3, 4, 1, 16, 1, 64, l4 / 16 / 64, 0);
	describe();
	cr_expect(eq(u64, FIELD(level4_cache_size), l4));
}

/* Leaf 4 counts the IDs that may share a cache (64 for this L3), leaf 11
 * (topology) the logical processors a package ships at each level: glibc
 * cuts the count to those, 16 at the core level, and a thread's share of
 * an inclusive 16 MiB L3 is 1 MiB (3/4 of it the non-temporal threshold,
 * without ERMS). */
Test(glibc_cpu, topology_leaf_cuts_the_threads_sharing_l3)
{
	const uint64_t l3 = 16 << 20;
	make_cpu("GenuineIntel", 11, 0, 6, 0x0f, 0);
	set_bits(1, EDX, BASELINE_EDX | HTT);
	set_leaf(2, 0, 0x00feff01, 0, 0, 0);
	leaf4(0, 1, 1, 2, 8, 1, 64, 64, 1);
	leaf4(1, 3, 2, 2, 16, 1, 64, 1024, 1);
	leaf4(2, 3, 3, 64, 16, 1, 64, l3 / 16 / 64, 1);
	set_leaf(11, 0, 1, 2, 0x100 | 0, 0);   /* SMT: 2 threads a core */
	set_leaf(11, 1, 5, 16, 0x200 | 1, 0);  /* core: 16 threads a package */
	describe();
	cr_expect(eq(u64, FIELD(shared_cache_size), l3));
	cr_expect(eq(u64, FIELD(non_temporal_threshold), l3 / 16 * 3 / 4));
}

/* AMD before Zen (family 0x10): leaf 0x80000008's ECX 15:12 is the log2
 * of the cores a package's APIC IDs count, 3 here: eight threads share
 * the 16 MiB L3, and L3 and L2 are exclusive, so a thread may count on
 * L3/8 + L2 (3/4 of it the non-temporal threshold, no ERMS). */
Test(glibc_cpu, amd_threads_sharing_l3_come_from_the_apic_id_size)
{
	const uint64_t l2 = 512 << 10, l3 = 16 << 20;
	make_cpu("AuthenticAMD", 1, 0x80000008, 0x10, 4, 2);
	set_leaf(0x80000006, 0, 0, 0, 512u << 16 | 0x8u << 12 | 1u << 8 | 64,
		 32u << 18 | 0x8u << 12 | 1u << 8 | 64);
	set_leaf(0x80000008, 0, 0, 0, 3u << 12, 0);
	describe();
	cr_expect(eq(u64, FIELD(shared_cache_size), l3 + l2));
	cr_expect(eq(u64, FIELD(non_temporal_threshold), (l3 / 8 + l2) * 3 / 4));
}

/* Without SMT (leaf 11 ships one thread a core), the two IDs leaf 4 lets
 * share L2 come to no thread that shares it: a thread's share of a
 * non-inclusive L3 (16 MiB over the 8 threads the core level ships) gains
 * the whole L2, not half of it. */
Test(glibc_cpu, topology_without_smt_leaves_l2_unshared)
{
	const uint64_t l2 = 1 << 20, l3 = 16 << 20;
	make_cpu("GenuineIntel", 11, 0, 6, 0x0f, 0);
	set_bits(1, EDX, BASELINE_EDX | HTT);
	set_leaf(2, 0, 0x00feff01, 0, 0, 0);
	leaf4(0, 1, 1, 2, 8, 1, 64, 64, 1);
	leaf4(1, 3, 2, 2, 16, 1, 64, l2 / 16 / 64, 1);
	leaf4(2, 3, 3, 16, 16, 1, 64, l3 / 16 / 64, 0);
	set_leaf(11, 0, 0, 1, 0x100 | 0, 0);  /* SMT: 1 thread a core */
	set_leaf(11, 1, 3, 8, 0x200 | 1, 0);  /* core: 8 threads a package */
	describe();
	cr_expect(eq(u64, FIELD(shared_cache_size), l3 + l2));
	cr_expect(eq(u64, FIELD(non_temporal_threshold), (l3 / 8 + l2) * 3 / 4));
}

/* glibc's HWCAP_X86_AVX512_1 asks for AVX512CD before BW, DQ and VL: an
 * Intel CPU with those three but not CD (as no real one is) stays at
 * HWCAP_X86_64, a "haswell". */
Test(glibc_cpu, avx512_without_cd_gains_no_hwcap)
{
	make_v3_intel();
	set_bits(7, EBX, AVX512_V4 & ~(1u << 28));
	cpu.xcr0 = XCR0_AVX | XCR0_AVX512;
	describe();
	cr_expect(eq(u64, hwcap, 2));
	cr_expect(eq(str, (char *)platform, "haswell"));
}

/* Leaf 2's descriptors give the caches (0x2c: 32 KiB L1d, 0x7d: 2 MiB L2,
 * 0x4d: 16 MiB L3), and leaf 4 lists nothing, as on a broken Intel CPU:
 * glibc then takes the 16 logical processors of leaf 1's EBX as the
 * threads sharing L3. */
Test(glibc_cpu, an_empty_leaf4_leaves_leaf1_s_count)
{
	const uint64_t l3 = 16 << 20;
	make_cpu("GenuineIntel", 4, 0, 6, 0x0f, 0);
	set_bits(1, EDX, BASELINE_EDX | HTT);
	set_bits(1, EBX, 16 << 16);
	set_leaf(2, 0, 0x004d7d01, 0x2c, 0, 0);
	set_leaf(4, 0, 0, 0, 0, 0);
	describe();
	cr_expect(eq(u64, FIELD(level3_cache_size), l3));
	cr_expect(eq(u64, FIELD(non_temporal_threshold), l3 / 16 * 3 / 4));
}

/* Leaf 2 gives a 2 MiB L2 (0x7d) and no L3; leaf 4, asked only who shares
 * L2, lists sixteen first-level caches and no end: ld-teach stops there
 * (glibc would ask on forever) with no thread counted as sharing L2, so a
 * thread may count on all of it. */
Test(glibc_cpu, an_l2_leaf4_does_not_list_is_shared_by_none)
{
	const uint64_t l2 = 2 << 20;
	make_cpu("GenuineIntel", 4, 0, 6, 0x0f, 0);
	set_bits(1, EDX, BASELINE_EDX | HTT);
	set_leaf(2, 0, 0x00007d01, 0x2c, 0, 0);
	for (uint32_t i = 0; i < 16; i++)
		leaf4(i, 1, 1, 2, 8, 1, 64, 64, 1);
	describe();
	cr_expect(eq(u64, FIELD(shared_cache_size), l2));
	cr_expect(eq(u64, FIELD(non_temporal_threshold), l2 * 3 / 4));
}

/* Descriptor 0x40, "no 2nd- or 3rd-level cache", in one register ends that
 * register's answer for L3, and the next register is read, as glibc's
 * handle_intel reads on: an L3 descriptor there (0x29: 4 MB, 8-way, 64-byte
 * lines) stands. */
Test(glibc_cpu, no_l2_or_l3_in_one_register_leaves_the_next_to_answer)
{
	make_cpu("GenuineIntel", 2, 0, 6, 0x0f, 0);
	set_leaf(2, 0, 0x00004001, 0, 0, 0x00000029);
	describe();
	cr_expect(eq(i64, (int64_t)FIELD(level3_cache_size), 4 << 20));
	cr_expect(eq(i64, (int64_t)FIELD(level3_cache_assoc), 8));
	cr_expect(eq(i64, (int64_t)FIELD(level3_cache_linesize), 64));
}

/* Descriptor 0x40 and no cache descriptor at all: glibc's handle_intel
 * answers -1, not 0, for every L2 and L3 question. */
Test(glibc_cpu, no_l2_or_l3_and_nothing_else_answers_minus_one)
{
	make_cpu("GenuineIntel", 2, 0, 6, 0x0f, 0);
	set_leaf(2, 0, 0x00004001, 0, 0, 0);
	describe();
	cr_expect(eq(i64, (int64_t)FIELD(level2_cache_size), -1));
	cr_expect(eq(i64, (int64_t)FIELD(level2_cache_linesize), -1));
	cr_expect(eq(i64, (int64_t)FIELD(level3_cache_size), -1));
	cr_expect(eq(i64, (int64_t)FIELD(level1_dcache_size), 0));
}

/* An AMD L1 data cache marked fully associative (0xff in leaf 0x80000005
 * ECX's associativity byte) counts its size in bytes as its ways, as
 * glibc's handle_amd reads it: 64 KB here. */
Test(glibc_cpu, amd_fully_associative_l1_counts_its_size_as_ways)
{
	make_cpu("AuthenticAMD", 1, 0x80000006, 0x10, 4, 2);
	set_leaf(0x80000005, 0, 0, 0, 64u << 24 | 0xffu << 16 | 1u << 8 | 64, 0);
	describe();
	cr_expect(eq(u64, FIELD(level1_dcache_size), 64 * 1024));
	cr_expect(eq(u64, FIELD(level1_dcache_assoc), 64 * 1024));
	cr_expect(eq(u64, FIELD(level1_dcache_linesize), 64));
}
