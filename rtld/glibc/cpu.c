/*
 * glibc's struct cpu_features, _dl_hwcap and _dl_platform, derived from
 * CPUID by the rules of glibc 2.36's own ld.so (doc/glibc-facts.md,
 * "cpu_features"): which leaves are recorded, which of their bits are
 * usable, the per-vendor preferences and quirks, the ISA level, the xsave
 * area sizes, the cache sizes and the copy thresholds.
 *
 * The work is done on a private `struct cpu`, written out at the end at the
 * offsets of the generated layout.h.  Every CPUID goes through arch_cpuid,
 * so each leaf and subleaf runs once in the process, however often glibc's
 * rules consult it.
 */
#include "layout.h"
#include "arch.h"
#include "cpu.h"

#define NLEAVES GLIBC_ENUM_CPUID_INDEX_MAX

enum reg { EAX, EBX, ECX, EDX };

/* A feature bit: the recorded leaf (CPUID_INDEX_*), register and bit. */
#define FEATURE(index, reg, bit) ((GLIBC_ENUM_CPUID_INDEX_##index) << 7 | (reg) << 5 | (bit))

enum feature {
	SSE3 = FEATURE(1, ECX, 0), PCLMULQDQ = FEATURE(1, ECX, 1), SSSE3 = FEATURE(1, ECX, 9),
	FMA = FEATURE(1, ECX, 12), CMPXCHG16B = FEATURE(1, ECX, 13), SSE4_1 = FEATURE(1, ECX, 19),
	SSE4_2 = FEATURE(1, ECX, 20), MOVBE = FEATURE(1, ECX, 22), POPCNT = FEATURE(1, ECX, 23),
	AES = FEATURE(1, ECX, 25), XSAVE = FEATURE(1, ECX, 26), OSXSAVE = FEATURE(1, ECX, 27),
	AVX = FEATURE(1, ECX, 28), F16C = FEATURE(1, ECX, 29), RDRAND = FEATURE(1, ECX, 30),
	FPU = FEATURE(1, EDX, 0), TSC = FEATURE(1, EDX, 4), CX8 = FEATURE(1, EDX, 8),
	CMOV = FEATURE(1, EDX, 15), CLFSH = FEATURE(1, EDX, 19), MMX = FEATURE(1, EDX, 23),
	FXSR = FEATURE(1, EDX, 24), SSE = FEATURE(1, EDX, 25), SSE2 = FEATURE(1, EDX, 26),
	HTT = FEATURE(1, EDX, 28),

	BMI1 = FEATURE(7, EBX, 3), HLE = FEATURE(7, EBX, 4), AVX2 = FEATURE(7, EBX, 5),
	BMI2 = FEATURE(7, EBX, 8), ERMS = FEATURE(7, EBX, 9), RTM = FEATURE(7, EBX, 11),
	AVX512F = FEATURE(7, EBX, 16), AVX512DQ = FEATURE(7, EBX, 17), RDSEED = FEATURE(7, EBX, 18),
	ADX = FEATURE(7, EBX, 19), AVX512_IFMA = FEATURE(7, EBX, 21), CLFLUSHOPT = FEATURE(7, EBX, 23),
	CLWB = FEATURE(7, EBX, 24), AVX512PF = FEATURE(7, EBX, 26), AVX512ER = FEATURE(7, EBX, 27),
	AVX512CD = FEATURE(7, EBX, 28), SHA = FEATURE(7, EBX, 29), AVX512BW = FEATURE(7, EBX, 30),
	AVX512VL = FEATURE(7, EBX, 31),
	PREFETCHWT1 = FEATURE(7, ECX, 0), AVX512_VBMI = FEATURE(7, ECX, 1), PKU = FEATURE(7, ECX, 3),
	OSPKE = FEATURE(7, ECX, 4), WAITPKG = FEATURE(7, ECX, 5), AVX512_VBMI2 = FEATURE(7, ECX, 6),
	GFNI = FEATURE(7, ECX, 8), VAES = FEATURE(7, ECX, 9), VPCLMULQDQ = FEATURE(7, ECX, 10),
	AVX512_VNNI = FEATURE(7, ECX, 11), AVX512_BITALG = FEATURE(7, ECX, 12),
	AVX512_VPOPCNTDQ = FEATURE(7, ECX, 14), RDPID = FEATURE(7, ECX, 22), KL = FEATURE(7, ECX, 23),
	CLDEMOTE = FEATURE(7, ECX, 25), MOVDIRI = FEATURE(7, ECX, 27), MOVDIR64B = FEATURE(7, ECX, 28),
	AVX512_4VNNIW = FEATURE(7, EDX, 2), AVX512_4FMAPS = FEATURE(7, EDX, 3), FSRM = FEATURE(7, EDX, 4),
	AVX512_VP2INTERSECT = FEATURE(7, EDX, 8), RTM_ALWAYS_ABORT = FEATURE(7, EDX, 11),
	SERIALIZE = FEATURE(7, EDX, 14), TSXLDTRK = FEATURE(7, EDX, 16), AMX_BF16 = FEATURE(7, EDX, 22),
	AVX512_FP16 = FEATURE(7, EDX, 23), AMX_TILE = FEATURE(7, EDX, 24), AMX_INT8 = FEATURE(7, EDX, 25),

	AVX_VNNI = FEATURE(7_ECX_1, EAX, 4), AVX512_BF16 = FEATURE(7_ECX_1, EAX, 5),
	FZLRM = FEATURE(7_ECX_1, EAX, 10), FSRS = FEATURE(7_ECX_1, EAX, 11),
	FSRCS = FEATURE(7_ECX_1, EAX, 12),

	XSAVEOPT = FEATURE(D_ECX_1, EAX, 0), XSAVEC = FEATURE(D_ECX_1, EAX, 1),
	XGETBV_ECX_1 = FEATURE(D_ECX_1, EAX, 2), XFD = FEATURE(D_ECX_1, EAX, 4),

	PTWRITE = FEATURE(14_ECX_0, EBX, 4),
	AESKLE = FEATURE(19, EBX, 0), WIDE_KL = FEATURE(19, EBX, 2),

	LAHF64_SAHF64 = FEATURE(80000001, ECX, 0), LZCNT = FEATURE(80000001, ECX, 5),
	SSE4A = FEATURE(80000001, ECX, 6), PREFETCHW = FEATURE(80000001, ECX, 8),
	XOP = FEATURE(80000001, ECX, 11), FMA4 = FEATURE(80000001, ECX, 16),
	TBM = FEATURE(80000001, ECX, 21), RDTSCP = FEATURE(80000001, EDX, 27),
	WBNOINVD = FEATURE(80000008, EBX, 9),
};

#define PREFER(name) (1u << GLIBC_ENUM__bitindex_arch_##name)

/* XCR0 state components. */
#define XCR0_SSE_AVX ((1u << 1) | (1u << 2))
#define XCR0_AVX512 ((1u << 5) | (1u << 6) | (1u << 7))
#define XCR0_AMX ((1u << 17) | (1u << 18))

/* glibc's _dl_runtime_resolve keeps 8 words below its xsave area; the
 * components it saves are those of arch/x86_64/cpu.c, whether enabled or not. */
#define RESOLVER_SAVE_OFFSET 64
#define RESOLVER_SAVED_COMPONENTS ((1u << 1) | (1u << 2) | (1u << 3) | (1u << 5) | (1u << 6) | (1u << 7))

#define HWCAP_X86_64 (1u << 1)
#define HWCAP_X86_AVX512_1 (1u << 2)

/* The twelve cache numbers glibc keeps, and the sysconf queries it answers
 * with them, in the order of _SC_LEVEL1_ICACHE_SIZE...: size, associativity
 * and line size of each cache. */
enum cache_query {
	L1I_SIZE, L1I_ASSOC, L1I_LINESIZE, L1D_SIZE, L1D_ASSOC, L1D_LINESIZE,
	L2_SIZE, L2_ASSOC, L2_LINESIZE, L3_SIZE, L3_ASSOC, L3_LINESIZE,
	L4_SIZE, CACHE_QUERIES
};

/* What the thresholds are computed from. */
struct caches {
	long data, core, shared, shared_per_thread;
};

struct cpu {
	uint32_t kind, max_cpuid, family, model, stepping;
	uint32_t cpuid[NLEAVES][4];
	uint32_t active[NLEAVES][4];  /* usable */
	uint32_t preferred;
	uint32_t isa_1;
	uint64_t xsave_state_size;
	uint32_t xsave_state_full_size;
	uint64_t data_cache_size, shared_cache_size, non_temporal_threshold;
	uint64_t rep_movsb_threshold, rep_movsb_stop_threshold, rep_stosb_threshold;
	long cache[CACHE_QUERIES];  /* L1I_ASSOC is never asked */
};

/* --- feature bits --- */

static uint32_t feature_mask(enum feature f)
{
	return 1u << (f & 31);
}

static unsigned feature_index(enum feature f)
{
	return f >> 7;
}

static unsigned feature_reg(enum feature f)
{
	return (f >> 5) & 3;
}

static int present(const struct cpu *c, enum feature f)
{
	return (c->cpuid[feature_index(f)][feature_reg(f)] & feature_mask(f)) != 0;
}

static int usable(const struct cpu *c, enum feature f)
{
	return (c->active[feature_index(f)][feature_reg(f)] & feature_mask(f)) != 0;
}

static void set_usable(struct cpu *c, enum feature f)
{
	c->active[feature_index(f)][feature_reg(f)] |= feature_mask(f);
}

static void set_unusable(struct cpu *c, enum feature f)
{
	c->active[feature_index(f)][feature_reg(f)] &= ~feature_mask(f);
}

static void usable_if_present(struct cpu *c, enum feature f)
{
	if (present(c, f))
		set_usable(c, f);
}

static void usable_if_present_all(struct cpu *c, const enum feature *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		usable_if_present(c, list[i]);
}

#define USABLE_IF_PRESENT(c, ...) \
	usable_if_present_all(c, (const enum feature[]){ __VA_ARGS__ }, \
			      sizeof((enum feature[]){ __VA_ARGS__ }) / sizeof(enum feature))

static int all_usable(const struct cpu *c, const enum feature *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!usable(c, list[i]))
			return 0;
	return 1;
}

#define ALL_USABLE(c, ...) \
	all_usable(c, (const enum feature[]){ __VA_ARGS__ }, \
		   sizeof((enum feature[]){ __VA_ARGS__ }) / sizeof(enum feature))

/* --- which leaves are recorded --- */

static void record_leaf(struct cpu *c, unsigned index, uint32_t leaf, uint32_t subleaf)
{
	struct arch_cpuid_regs r = arch_cpuid(leaf, subleaf);
	c->cpuid[index][EAX] = r.eax;
	c->cpuid[index][EBX] = r.ebx;
	c->cpuid[index][ECX] = r.ecx;
	c->cpuid[index][EDX] = r.edx;
}

/* Family, model and stepping from leaf 1's EAX; the extended model is
 * folded in for family 15 here, and by the vendor's rules otherwise. */
struct signature {
	uint32_t family, model, extended_model, stepping;
};

static struct signature decode_signature(uint32_t eax)
{
	struct signature s = {
		.family = (eax >> 8) & 0x0f,
		.model = (eax >> 4) & 0x0f,
		.extended_model = (eax >> 12) & 0xf0,
		.stepping = eax & 0x0f,
	};
	if (s.family == 0x0f) {
		s.family += (eax >> 20) & 0xff;
		s.model += s.extended_model;
	}
	return s;
}

static void record_standard_leaves(struct cpu *c)
{
	if (c->max_cpuid >= 7) {
		record_leaf(c, GLIBC_ENUM_CPUID_INDEX_7, 7, 0);
		record_leaf(c, GLIBC_ENUM_CPUID_INDEX_7_ECX_1, 7, 1);
	}
	if (c->max_cpuid >= 0xd)
		record_leaf(c, GLIBC_ENUM_CPUID_INDEX_D_ECX_1, 0xd, 1);
	if (c->max_cpuid >= 0x14)
		record_leaf(c, GLIBC_ENUM_CPUID_INDEX_14_ECX_0, 0x14, 0);
	if (c->max_cpuid >= 0x19)
		record_leaf(c, GLIBC_ENUM_CPUID_INDEX_19, 0x19, 0);
}

static void record_extended_leaves(struct cpu *c)
{
	uint32_t max = arch_cpuid(0x80000000, 0).eax;
	if (max >= 0x80000001)
		record_leaf(c, GLIBC_ENUM_CPUID_INDEX_80000001, 0x80000001, 0);
	if (max >= 0x80000007)
		record_leaf(c, GLIBC_ENUM_CPUID_INDEX_80000007, 0x80000007, 0);
	if (max >= 0x80000008)
		record_leaf(c, GLIBC_ENUM_CPUID_INDEX_80000008, 0x80000008, 0);
}

/* Intel, AMD and Zhaoxin: leaf 1, the standard and the extended leaves. */
static struct signature record_known_vendor_leaves(struct cpu *c)
{
	record_leaf(c, GLIBC_ENUM_CPUID_INDEX_1, 1, 0);
	struct signature s = decode_signature(c->cpuid[GLIBC_ENUM_CPUID_INDEX_1][EAX]);
	record_standard_leaves(c);
	record_extended_leaves(c);
	return s;
}

/* --- usable bits --- */

static void mark_plain_features_usable(struct cpu *c)
{
	USABLE_IF_PRESENT(c, SSE3, PCLMULQDQ, SSSE3, CMPXCHG16B, SSE4_1, SSE4_2, MOVBE, POPCNT,
			  AES, OSXSAVE, TSC, CX8, CMOV, CLFSH, MMX, FXSR, SSE, SSE2, HTT, BMI1,
			  HLE, BMI2, ERMS, RDSEED, ADX, CLFLUSHOPT, CLWB, SHA, PREFETCHWT1, OSPKE,
			  WAITPKG, GFNI, RDPID, RDRAND, CLDEMOTE, MOVDIRI, MOVDIR64B, FSRM,
			  RTM_ALWAYS_ABORT, SERIALIZE, TSXLDTRK, LAHF64_SAHF64, LZCNT, SSE4A,
			  PREFETCHW, TBM, RDTSCP, WBNOINVD, FZLRM, FSRS, FSRCS, PTWRITE);
	if (!present(c, RTM_ALWAYS_ABORT))
		usable_if_present(c, RTM);
}

static void mark_avx_usable(struct cpu *c)
{
	if (!present(c, AVX))
		return;
	set_usable(c, AVX);
	if (present(c, AVX2)) {
		set_usable(c, AVX2);
		c->preferred |= PREFER(AVX_Fast_Unaligned_Load);
	}
	USABLE_IF_PRESENT(c, AVX_VNNI, FMA, VAES, VPCLMULQDQ, XOP, F16C);
}

static void mark_avx512_usable(struct cpu *c)
{
	if (!present(c, AVX512F))
		return;
	set_usable(c, AVX512F);
	USABLE_IF_PRESENT(c, AVX512CD, AVX512ER, AVX512PF, AVX512VL, AVX512DQ, AVX512BW,
			  AVX512_4FMAPS, AVX512_4VNNIW, AVX512_BITALG, AVX512_IFMA, AVX512_VBMI,
			  AVX512_VBMI2, AVX512_VNNI, AVX512_VPOPCNTDQ, AVX512_VP2INTERSECT,
			  AVX512_BF16, AVX512_FP16);
}

static uint32_t align64(uint32_t n)
{
	return (n + 63) & ~63u;
}

/* The area glibc's lazy-binding trampoline would reserve: standard xsave
 * layout, or compacted when the CPU has xsavec. */
static void size_xsave_area(struct cpu *c)
{
	uint32_t standard = arch_cpuid(0xd, 0).ebx;
	if (!standard)
		return;
	c->xsave_state_full_size = align64(standard + RESOLVER_SAVE_OFFSET);
	c->xsave_state_size = c->xsave_state_full_size;
	if (present(c, XSAVEC))
		c->xsave_state_size = align64(arch_xsave_compacted_size(RESOLVER_SAVED_COMPONENTS) +
					      RESOLVER_SAVE_OFFSET);
}

/* Vector state is usable only as far as the OS enabled it in XCR0. */
static void mark_os_enabled_features_usable(struct cpu *c)
{
	uint64_t xcr0 = arch_xcr0();
	if ((xcr0 & XCR0_SSE_AVX) == XCR0_SSE_AVX) {
		mark_avx_usable(c);
		if ((xcr0 & XCR0_AVX512) == XCR0_AVX512)
			mark_avx512_usable(c);
	}
	if ((xcr0 & XCR0_AMX) == XCR0_AMX)
		USABLE_IF_PRESENT(c, AMX_BF16, AMX_TILE, AMX_INT8);
	set_usable(c, XSAVE);
	USABLE_IF_PRESENT(c, XSAVEOPT, XSAVEC, XGETBV_ECX_1, XFD);
	if (c->max_cpuid >= 0xd)
		size_xsave_area(c);
}

/* GNU_PROPERTY_X86_ISA_1_* bits, by the psABI's lists of usable features. */
static uint32_t isa_bits(const struct cpu *c)
{
	if (!ALL_USABLE(c, CMOV, CX8, FXSR, MMX, SSE, SSE2) || !present(c, FPU))
		return 0;
	uint32_t isa = GNU_PROPERTY_X86_ISA_1_BASELINE;
	if (!ALL_USABLE(c, CMPXCHG16B, LAHF64_SAHF64, POPCNT, SSE3, SSSE3, SSE4_1, SSE4_2))
		return isa;
	isa |= GNU_PROPERTY_X86_ISA_1_V2;
	if (!ALL_USABLE(c, AVX, AVX2, BMI1, BMI2, F16C, FMA, LZCNT, MOVBE))
		return isa;
	isa |= GNU_PROPERTY_X86_ISA_1_V3;
	if (ALL_USABLE(c, AVX512F, AVX512BW, AVX512CD, AVX512DQ, AVX512VL))
		isa |= GNU_PROPERTY_X86_ISA_1_V4;
	return isa;
}

/* Usable bits common to all vendors; isa_1 is taken before any vendor's
 * quirks clear bits again. */
static void mark_usable_features(struct cpu *c)
{
	mark_plain_features_usable(c);
	if (present(c, OSXSAVE))
		mark_os_enabled_features_usable(c);
	if (present(c, OSPKE))
		set_usable(c, PKU);
	if (present(c, AESKLE)) {
		set_usable(c, AESKLE);
		USABLE_IF_PRESENT(c, KL, WIDE_KL);
	}
	c->isa_1 = isa_bits(c);
}

/* --- vendors --- */

static int vendor_is(struct arch_cpuid_regs leaf0, const char *name)
{
	const uint32_t regs[3] = { leaf0.ebx, leaf0.edx, leaf0.ecx };
	for (unsigned i = 0; i < 12; i++)
		if ((char)(regs[i / 4] >> (8 * (i % 4))) != name[i])
			return 0;
	return 1;
}

static void prefer_by_intel_model(struct cpu *c)
{
	const uint32_t core_i7 = PREFER(Fast_Rep_String) | PREFER(Fast_Unaligned_Load) |
				 PREFER(Fast_Unaligned_Copy) | PREFER(Prefer_PMINUB_for_stringop);
	const uint32_t silvermont = PREFER(Fast_Unaligned_Load) | PREFER(Fast_Unaligned_Copy) |
				    PREFER(Prefer_PMINUB_for_stringop) | PREFER(Slow_SSE4_2);
	switch (c->model) {
	case 0x1c: case 0x26:  /* Atom: slow BSF */
		c->preferred |= PREFER(Slow_BSF);
		break;
	case 0x57: case 0x7a: case 0x5c: case 0x5f: case 0x4c: case 0x5a: case 0x75:
	case 0x37: case 0x4a: case 0x4d: case 0x5d:
		c->preferred |= silvermont;
		break;
	case 0x86: case 0x96: case 0x9c:  /* Tremont */
		c->preferred |= silvermont | PREFER(Fast_Rep_String);
		break;
	case 0x1a: case 0x1e: case 0x1f: case 0x25: case 0x2c: case 0x2e: case 0x2f:
		c->preferred |= core_i7;
		break;
	default:
		if (present(c, AVX))  /* taken for a later Core */
			c->preferred |= core_i7;
	}
}

/* Models whose TSX microcode may be missing: RTM (and HLE) are not used. */
static void disable_intel_tsx(struct cpu *c)
{
	switch (c->model) {
	case 0x55:
		if (c->stepping > 5)
			return;
		break;
	case 0x8e: case 0x9e:
		if (c->stepping > 0xc)
			return;
		break;
	case 0x4e: case 0x5e:
		break;
	case 0x3f:
		if (c->stepping >= 4)
			return;
		/* fall through */
	case 0x3c: case 0x45: case 0x46:
		set_unusable(c, RTM);
		return;
	default:
		return;
	}
	set_unusable(c, HLE);
	set_unusable(c, RTM);
	set_usable(c, RTM_ALWAYS_ABORT);
}

static void setup_intel(struct cpu *c)
{
	struct signature s = record_known_vendor_leaves(c);
	c->kind = GLIBC_ENUM_arch_kind_intel;
	c->family = s.family;
	c->model = s.model;
	c->stepping = s.stepping;
	mark_usable_features(c);
	if (c->family == 0x06) {
		c->model += s.extended_model;
		prefer_by_intel_model(c);
		disable_intel_tsx(c);
	}
	if (present(c, AVX512ER)) {
		c->preferred |= PREFER(Prefer_No_VZEROUPPER);
	} else {
		if (!present(c, AVX_VNNI))
			c->preferred |= PREFER(Prefer_No_AVX512);
		if (usable(c, RTM))
			c->preferred |= PREFER(Prefer_No_VZEROUPPER);
	}
	if (present(c, FSRM))
		c->preferred |= PREFER(Avoid_Short_Distance_REP_MOVSB);
}

static void setup_amd(struct cpu *c)
{
	struct signature s = record_known_vendor_leaves(c);
	c->kind = GLIBC_ENUM_arch_kind_amd;
	c->family = s.family;
	c->model = s.model;
	c->stepping = s.stepping;
	mark_usable_features(c);
	if (usable(c, AVX))
		usable_if_present(c, FMA4);
	if (c->family == 0x15 && c->model >= 0x60 && c->model <= 0x7f) {  /* Excavator */
		c->preferred |= PREFER(Fast_Unaligned_Load) | PREFER(Fast_Copy_Backward);
		c->preferred &= ~PREFER(AVX_Fast_Unaligned_Load);
	}
}

static void zhaoxin_without_avx(struct cpu *c, int slow_sse4_2)
{
	set_unusable(c, AVX);
	set_unusable(c, AVX2);
	if (slow_sse4_2)
		c->preferred |= PREFER(Slow_SSE4_2);
	c->preferred &= ~PREFER(AVX_Fast_Unaligned_Load);
}

/* glibc 2.36 leaves basic.stepping 0 for Zhaoxin (its stepping goes to a
 * shadowing local), and adds the extended model for every family. */
static void setup_zhaoxin(struct cpu *c)
{
	struct signature s = record_known_vendor_leaves(c);
	c->kind = GLIBC_ENUM_arch_kind_zhaoxin;
	c->family = s.family;
	c->model = s.model + s.extended_model;
	mark_usable_features(c);
	if (c->family == 0x6 && (c->model == 0xf || c->model == 0x19))
		zhaoxin_without_avx(c, 1);
	else if (c->family == 0x7 && c->model == 0x1b)
		zhaoxin_without_avx(c, 1);
	else if (c->family == 0x7 && c->model == 0x3b)
		zhaoxin_without_avx(c, 0);
}

/* Other vendors: neither leaf 1 nor the extended leaves are recorded. */
static void setup_other(struct cpu *c)
{
	c->kind = GLIBC_ENUM_arch_kind_other;
	record_standard_leaves(c);
	mark_usable_features(c);
}

static void identify(struct cpu *c)
{
	struct arch_cpuid_regs leaf0 = arch_cpuid(0, 0);
	c->max_cpuid = leaf0.eax;
	if (vendor_is(leaf0, "GenuineIntel"))
		setup_intel(c);
	else if (vendor_is(leaf0, "AuthenticAMD") || vendor_is(leaf0, "HygonGenuine"))
		setup_amd(c);
	else if (vendor_is(leaf0, "CentaurHauls") || vendor_is(leaf0, "  Shanghai  "))
		setup_zhaoxin(c);
	else
		setup_other(c);
	if (present(c, CX8))
		c->preferred |= PREFER(I586);
	if (present(c, CMOV))
		c->preferred |= PREFER(I686);
}

/* --- caches: CPUID leaf 4 (Intel, Zhaoxin) --- */

/* Sizes in leaf 4 are products of 32-bit fields, and wrap as glibc's do. */
static long leaf4_answer(struct arch_cpuid_regs r, unsigned field)
{
	uint32_t ways = (r.ebx >> 22) + 1, partitions = ((r.ebx >> 12) & 0x3ff) + 1;
	uint32_t line = (r.ebx & 0xfff) + 1, sets = r.ecx + 1;
	if (field == 0)
		return ways * partitions * line * sets;
	return field == 1 ? ways : line;
}

/* Subleaves past this are taken as the end of the list (glibc would loop
 * on forever on a CPU that never ends it). */
#define LEAF4_MAX_SUBLEAVES 16

/* The leaf-4 entry describing the cache of `first` (a *_SIZE query). */
static int leaf4_find(enum cache_query first, int with_level4, struct arch_cpuid_regs *found)
{
	enum { NO_MORE, DATA, INSTRUCTION };
	for (uint32_t i = 0; i < LEAF4_MAX_SUBLEAVES; i++) {
		struct arch_cpuid_regs r = arch_cpuid(4, i);
		unsigned type = r.eax & 0x1f, level = (r.eax >> 5) & 7;
		if (type == NO_MORE)
			return 0;
		if ((level == 1 && type == DATA && first == L1D_SIZE) ||
		    (level == 1 && type == INSTRUCTION && first == L1I_SIZE) ||
		    (level == 2 && first == L2_SIZE) || (level == 3 && first == L3_SIZE) ||
		    (with_level4 && level == 4 && first == L4_SIZE)) {
			*found = r;
			return 1;
		}
	}
	return 0;
}

static long zhaoxin_cache(enum cache_query q)
{
	enum cache_query first = q / 3 * 3;
	struct arch_cpuid_regs r;
	return leaf4_find(first, 0, &r) ? leaf4_answer(r, q - first) : 0;
}

/* --- caches: Intel's leaf-2 descriptors --- */

struct descriptor {
	unsigned char assoc, linesize, first;  /* first: the cache's *_SIZE query */
	uint32_t size;                         /* 0: a byte glibc does not know */
};

/* The descriptor bytes glibc knows (Intel SDM, "CPUID leaf 2: cache
 * descriptors"), as gen-layout read them from the installed ld.so's
 * intel_02_known.  glibc's rel_name counts sysconf names from
 * _SC_LEVEL1_ICACHE_SIZE as enum cache_query counts from L1I_SIZE, so it
 * is the cache's *_SIZE query.  A table of 256: each byte of leaf 2 is one
 * load, not a search. */
#define DESCRIPTOR(byte, assoc, linesize, rel_name, size) [byte] = { assoc, linesize, rel_name, size },
static const struct descriptor intel_descriptors[256] = { GLIBC_INTEL_02_KNOWN(DESCRIPTOR) };
#undef DESCRIPTOR

static const struct descriptor *find_descriptor(unsigned byte)
{
	return intel_descriptors[byte].size ? &intel_descriptors[byte] : 0;
}

static long descriptor_answer(const struct descriptor *d, unsigned field)
{
	if (field == 0)
		return d->size;
	return field == 1 ? d->assoc : d->linesize;
}

#define DESCRIPTOR_USE_LEAF4 0xff
#define DESCRIPTOR_NO_L2_OR_L3 0x40
#define DESCRIPTOR_L2_OR_L3_ON_P4_MODEL_6 0x49

/* One register of leaf 2: the answer to `q`, 0 if it has none, or -1 when
 * leaf 4 had to be asked and has none. */
static long intel_descriptor_word(const struct cpu *c, enum cache_query q, uint32_t word,
				  int *no_l2_or_l3)
{
	if (word & 0x80000000)  /* reserved */
		return 0;
	enum cache_query first = q / 3 * 3;
	for (; word; word >>= 8) {
		unsigned byte = word & 0xff;
		if (byte == DESCRIPTOR_NO_L2_OR_L3) {
			*no_l2_or_l3 = 1;
			if (first == L3_SIZE)
				return 0;
			continue;
		}
		if (byte == DESCRIPTOR_USE_LEAF4) {
			struct arch_cpuid_regs r;
			return leaf4_find(first, 1, &r) ? leaf4_answer(r, q - first) : -1;
		}
		if (byte == DESCRIPTOR_L2_OR_L3_ON_P4_MODEL_6 && first == L3_SIZE &&
		    c->family == 15 && c->model == 6) {
			q = q - L3_SIZE + L2_SIZE;  /* the table lists its L2 meaning */
			first = L2_SIZE;
		}
		const struct descriptor *d = find_descriptor(byte);
		if (d && d->first == first)
			return descriptor_answer(d, q - first);
	}
	return 0;
}

static long intel_cache(const struct cpu *c, enum cache_query q)
{
	if (c->max_cpuid < 2)
		return -1;
	struct arch_cpuid_regs r = arch_cpuid(2, 0);
	int no_l2_or_l3 = 0;
	if ((r.eax & 0xff) != 1)  /* leaf 2 is not to be trusted: ask leaf 4 */
		return intel_descriptor_word(c, q, DESCRIPTOR_USE_LEAF4, &no_l2_or_l3);
	const uint32_t words[4] = { r.eax & 0xffffff00, r.ebx, r.ecx, r.edx };
	for (unsigned i = 0; i < 4; i++) {
		long answer = intel_descriptor_word(c, q, words[i], &no_l2_or_l3);
		if (answer)
			return answer;
	}
	return q >= L2_SIZE && q <= L3_LINESIZE && no_l2_or_l3 ? -1 : 0;
}

/* --- caches: AMD's leaves 0x80000005 and 0x80000006 --- */

/* The 4-bit associativity code of L2 and L3; 15 means "size / line". */
static long amd_ways(unsigned code, uint32_t size, uint32_t linesize)
{
	static const unsigned char ways[15] = { 0, 1, 2, 0, 4, 0, 8, 0, 16, 0, 32, 48, 64, 96, 128 };
	if (code < 15)
		return ways[code];
	return linesize ? size / linesize : 0;
}

static long amd_l1(enum cache_query q, uint32_t reg)
{
	if (q == L1D_SIZE)
		return (reg >> 14) & 0x3fc00;
	if (q == L1D_LINESIZE)
		return reg & 0xff;
	uint32_t assoc = reg >> 16;
	return (assoc & 0xff) == 0xff ? (assoc << 2) & 0x3fc00 : assoc & 0xff;
}

static long amd_l2(enum cache_query q, uint32_t ecx)
{
	uint32_t size = (ecx >> 6) & 0x3fffc00;
	if (q == L2_ASSOC)
		return amd_ways((ecx >> 12) & 0xf, size, ecx & 0xff);
	if (!(ecx & 0xf000))
		return 0;
	return q == L2_SIZE ? size : ecx & 0xff;
}

static long amd_l3(enum cache_query q, uint32_t edx)
{
	uint32_t size = (edx & 0x3ffc0000) << 1;
	if (q == L3_ASSOC)
		return amd_ways((edx >> 12) & 0xf, size, edx & 0xff);
	if (!(edx & 0xf000))
		return 0;
	return q == L3_SIZE ? size : edx & 0xff;
}

static long amd_cache(enum cache_query q)
{
	uint32_t max = arch_cpuid(0x80000000, 0).eax;
	uint32_t leaf = q >= L2_SIZE ? 0x80000006 : 0x80000005;
	if (max < leaf)
		return 0;
	struct arch_cpuid_regs r = arch_cpuid(leaf, 0);
	if (q < L1D_SIZE)  /* the L1 instruction cache: EDX, read like the data cache's ECX */
		return amd_l1(q + L1D_SIZE - L1I_SIZE, r.edx);
	if (q < L2_SIZE)
		return amd_l1(q, r.ecx);
	return q < L3_SIZE ? amd_l2(q, r.ecx) : amd_l3(q, r.edx);
}

/* --- caches: what one thread may count on --- */

static int highest_bit(uint32_t n)
{
	return 31 - __builtin_clz(n);
}

/* A count of sharing IDs cut to what the topology leaf ships. */
static int shipped_count(int ids, uint32_t shipped)
{
	return (shipped - 1) & ~(-1u << (highest_bit(ids) + 1));
}

struct sharing {
	int threads_l2, threads_l3, level;
	int inclusive;
};

/* Leaf 4: how many logical processors share L2 and, when it is asked for,
 * L3.  0 when a broken Intel CPU stops listing. */
static int leaf4_sharing(const struct cpu *c, struct sharing *s)
{
	unsigned want = 1 | (s->threads_l3 == 0) << 1;
	for (uint32_t i = 0; want && i < LEAF4_MAX_SUBLEAVES; i++) {
		struct arch_cpuid_regs r = arch_cpuid(4, i);
		if (c->kind == GLIBC_ENUM_arch_kind_intel && (r.eax & 0x1f) == 0)
			return 0;
		unsigned level = (r.eax >> 5) & 7;
		if (level == 2 && (want & 1)) {
			s->threads_l2 = (r.eax >> 14) & 0x3ff;
			want &= ~1u;
		} else if (level == 3 && (want & 2)) {
			s->threads_l3 = (r.eax >> 14) & 0x3ff;
			s->inclusive = (r.edx & 2) != 0;
			want &= ~2u;
		}
	}
	return 1;
}

/* Leaf 11 (topology): the counts above are ID ranges; cut them to the
 * threads per core and cores per package that exist. */
static void leaf11_counts(struct sharing *s)
{
	unsigned todo = (s->threads_l2 > 0 && s->level == 3) |
			(s->threads_l3 > 0 || (s->threads_l2 > 0 && s->level == 2)) << 1;
	enum { SMT = 0x100, CORE = 0x200 };
	for (uint32_t i = 0; todo && i < LEAF4_MAX_SUBLEAVES; i++) {
		struct arch_cpuid_regs r = arch_cpuid(11, i);
		uint32_t shipped = r.ebx & 0xff, type = r.ecx & 0xff00;
		if (!shipped || !type)
			break;
		if (type == SMT && (todo & 1)) {
			s->threads_l2 = shipped_count(s->threads_l2, shipped);
			todo &= ~1u;
		} else if (type == CORE && (todo & 2)) {
			int *core = s->level == 2 ? &s->threads_l2 : &s->threads_l3;
			*core = shipped_count(*core, shipped);
			todo &= ~2u;
		}
	}
}

static int is_silvermont_with_shared_l2(const struct cpu *c)
{
	if (c->kind != GLIBC_ENUM_arch_kind_intel || c->family != 6)
		return 0;
	switch (c->model) {
	case 0x37: case 0x4a: case 0x4d: case 0x5a: case 0x5d:
		return 1;
	}
	return 0;
}

/* How many threads share the highest cache, by leaves 4 and 11. */
static unsigned enumerated_threads(const struct cpu *c, struct sharing *s)
{
	if (c->max_cpuid < 4 || !leaf4_sharing(c, s))
		return (c->cpuid[GLIBC_ENUM_CPUID_INDEX_1][EBX] >> 16) & 0xff;
	int count_mask_ok = !(c->kind == GLIBC_ENUM_arch_kind_zhaoxin && c->family == 6);
	if (c->max_cpuid >= 11 && count_mask_ok)
		leaf11_counts(s);
	if (s->threads_l2 > 0)
		s->threads_l2++;
	if (s->threads_l3 > 0)
		s->threads_l3++;
	if (s->level == 3)
		return s->threads_l3;
	if (s->threads_l2 > 2 && is_silvermont_with_shared_l2(c))
		return 2;  /* its L2 is shared by 2 cores */
	return s->threads_l2;
}

/* Intel and Zhaoxin: the share of the highest cache per thread; without
 * an L3, L2 stands in for it. */
static void share_highest_cache(const struct cpu *c, struct caches *k)
{
	struct sharing s = { .threads_l2 = 0, .threads_l3 = 0, .level = 3, .inclusive = 1 };
	if (k->shared <= 0) {
		s.level = 2;
		s.threads_l3 = -1;
		k->shared = k->shared_per_thread = k->core;
	}
	if (present(c, HTT)) {
		unsigned threads = enumerated_threads(c, &s);
		if (k->shared_per_thread > 0 && threads > 0)
			k->shared_per_thread /= threads;
	}
	if (!s.inclusive) {
		k->shared_per_thread += s.threads_l2 > 0 ? k->core / s.threads_l2 : k->core;
		k->shared += k->core;
	}
}

/* AMD: the L3 share of a thread, scaled up to its core complex on Zen. */
static void share_amd_l3(const struct cpu *c, struct caches *k)
{
	if (k->shared <= 0) {
		k->shared = k->shared_per_thread = k->core;
		return;
	}
	unsigned threads = 0;
	if (arch_cpuid(0x80000000, 0).eax >= 0x80000008)
		threads = 1u << ((arch_cpuid(0x80000008, 0).ecx >> 12) & 0x0f);
	if (threads == 0 || c->family >= 0x17) {
		struct arch_cpuid_regs one = arch_cpuid(1, 0);
		if (one.edx & (1u << 28))
			threads = (one.ebx >> 16) & 0xff;
	}
	if (threads > 0)
		k->shared_per_thread /= threads;
	if (c->family >= 0x17) {
		uint32_t per_ccx = ((arch_cpuid(0x8000001d, 3).eax >> 14) & 0xfff) + 1;
		k->shared_per_thread *= per_ccx;
	} else {  /* exclusive L2 and L3 */
		k->shared += k->core;
		k->shared_per_thread += k->core;
	}
}

static long vendor_cache(const struct cpu *c, enum cache_query q)
{
	switch (c->kind) {
	case GLIBC_ENUM_arch_kind_intel:
		return intel_cache(c, q);
	case GLIBC_ENUM_arch_kind_zhaoxin:
		return q == L4_SIZE ? -1 : zhaoxin_cache(q);
	case GLIBC_ENUM_arch_kind_amd:
		return q == L4_SIZE ? -1 : amd_cache(q);
	}
	return -1;
}

static void measure_caches(struct cpu *c, struct caches *k)
{
	for (enum cache_query q = 0; q < CACHE_QUERIES; q++)
		c->cache[q] = q == L1I_ASSOC ? 0 : vendor_cache(c, q);
	k->data = c->cache[L1D_SIZE];
	k->core = c->cache[L2_SIZE];
	k->shared = k->shared_per_thread = c->cache[L3_SIZE];
	if (c->kind == GLIBC_ENUM_arch_kind_intel || c->kind == GLIBC_ENUM_arch_kind_zhaoxin)
		share_highest_cache(c, k);
	else if (c->kind == GLIBC_ENUM_arch_kind_amd)
		share_amd_l3(c, k);
}

#define NON_TEMPORAL_MIN 0x4040UL
#define NON_TEMPORAL_MAX (UINT64_MAX >> 4)

/* A quarter of the whole cache, but no less than 3/4 of a thread's share
 * (nor more: without ERMS), within the bounds memmove's loops need. */
static uint64_t non_temporal_threshold(const struct cpu *c, const struct caches *k)
{
	uint64_t threshold = (uint64_t)(k->shared / 4);
	uint64_t low = (uint64_t)(k->shared_per_thread * 3 / 4);
	if (threshold < low || !usable(c, ERMS))
		threshold = low;
	if (threshold < NON_TEMPORAL_MIN)
		return NON_TEMPORAL_MIN;
	return threshold > NON_TEMPORAL_MAX ? NON_TEMPORAL_MAX : threshold;
}

/* 4096 * (vector size / 16) for 32- and 64-byte vectors, 2048 for 16. */
static uint64_t rep_movsb_threshold(const struct cpu *c)
{
	if (usable(c, FSRM))
		return 2112;
	if (usable(c, AVX512F) && !(c->preferred & PREFER(Prefer_No_AVX512)))
		return 16384;
	return c->preferred & PREFER(AVX_Fast_Unaligned_Load) ? 8192 : 2048;
}

static void set_thresholds(struct cpu *c)
{
	struct caches k;
	measure_caches(c, &k);
	c->data_cache_size = (uint64_t)k.data;
	c->shared_cache_size = (uint64_t)k.shared;
	c->non_temporal_threshold = non_temporal_threshold(c, &k);
	c->rep_movsb_threshold = rep_movsb_threshold(c);
	c->rep_stosb_threshold = 2048;
	/* AMD's ERMS is slow past L2. */
	c->rep_movsb_stop_threshold = c->kind == GLIBC_ENUM_arch_kind_amd ?
		(uint64_t)k.core : c->non_temporal_threshold;
}

/* --- hwcap and platform --- */

static uint64_t glibc_hwcap(const struct cpu *c, const char **platform)
{
	uint64_t hwcap = HWCAP_X86_64;
	if (c->kind != GLIBC_ENUM_arch_kind_intel)
		return hwcap;
	const char *name = 0;
	if (usable(c, AVX512CD)) {
		if (usable(c, AVX512ER)) {
			if (usable(c, AVX512PF))
				name = "xeon_phi";
		} else if (ALL_USABLE(c, AVX512BW, AVX512DQ, AVX512VL)) {
			hwcap |= HWCAP_X86_AVX512_1;
		}
	}
	if (!name && ALL_USABLE(c, AVX2, FMA, BMI1, BMI2, LZCNT, MOVBE, POPCNT))
		name = "haswell";
	if (name)
		*platform = name;
	return hwcap;
}

/* --- glibc's layout --- */

static const size_t reg_offset[2][4] = {
	{ GLIBC_OFF_cpuid_feature_internal__cpuid__eax, GLIBC_OFF_cpuid_feature_internal__cpuid__ebx,
	  GLIBC_OFF_cpuid_feature_internal__cpuid__ecx, GLIBC_OFF_cpuid_feature_internal__cpuid__edx },
	{ GLIBC_OFF_cpuid_feature_internal__active__eax, GLIBC_OFF_cpuid_feature_internal__active__ebx,
	  GLIBC_OFF_cpuid_feature_internal__active__ecx, GLIBC_OFF_cpuid_feature_internal__active__edx },
};

static size_t feature_word_offset(unsigned index, int active, unsigned reg)
{
	return GLIBC_OFF_cpu_features__features + index * GLIBC_ELEMSIZE_cpu_features__features +
	       reg_offset[active][reg];
}

/* `size` bytes of `value` at `offset`, as x86 keeps them (little-endian). */
static void store(unsigned char *out, size_t offset, size_t size, uint64_t value)
{
	__builtin_memcpy(out + offset, &value, size);
}

static uint32_t load32(const unsigned char *in, size_t offset)
{
	uint32_t v;
	__builtin_memcpy(&v, in + offset, 4);
	return v;
}

#define STORE(out, field, value)                                                         \
	do {                                                                             \
		_Static_assert(GLIBC_SIZEOF_cpu_features__##field <= 8, #field " fits"); \
		store(out, GLIBC_OFF_cpu_features__##field,                              \
		      GLIBC_SIZEOF_cpu_features__##field, value);                        \
	} while (0)

_Static_assert(GLIBC_LEN_cpu_features__features == NLEAVES, "one features[] entry a leaf");
_Static_assert(GLIBC_ELEMSIZE_cpu_features__preferred == 4 && GLIBC_LEN_cpu_features__preferred == 1,
	       "one 32-bit preferred word");
_Static_assert(GLIBC_SIZEOF_cpuid_feature_internal__cpuid__eax == 4, "32-bit registers");

static void write_features(const struct cpu *c, unsigned char *out)
{
	for (unsigned i = 0; i < NLEAVES; i++)
		for (unsigned reg = EAX; reg <= EDX; reg++) {
			store(out, feature_word_offset(i, 0, reg), 4, c->cpuid[i][reg]);
			store(out, feature_word_offset(i, 1, reg), 4, c->active[i][reg]);
		}
}

static void write_caches(const struct cpu *c, unsigned char *out)
{
	STORE(out, level1_icache_size, c->cache[L1I_SIZE]);
	STORE(out, level1_icache_linesize, c->cache[L1I_LINESIZE]);
	STORE(out, level1_dcache_size, c->cache[L1D_SIZE]);
	STORE(out, level1_dcache_assoc, c->cache[L1D_ASSOC]);
	STORE(out, level1_dcache_linesize, c->cache[L1D_LINESIZE]);
	STORE(out, level2_cache_size, c->cache[L2_SIZE]);
	STORE(out, level2_cache_assoc, c->cache[L2_ASSOC]);
	STORE(out, level2_cache_linesize, c->cache[L2_LINESIZE]);
	STORE(out, level3_cache_size, c->cache[L3_SIZE]);
	STORE(out, level3_cache_assoc, c->cache[L3_ASSOC]);
	STORE(out, level3_cache_linesize, c->cache[L3_LINESIZE]);
	STORE(out, level4_cache_size, c->cache[L4_SIZE]);
}

static void write_out(const struct cpu *c, unsigned char *out)
{
	STORE(out, basic__kind, c->kind);
	STORE(out, basic__max_cpuid, c->max_cpuid);
	STORE(out, basic__family, c->family);
	STORE(out, basic__model, c->model);
	STORE(out, basic__stepping, c->stepping);
	write_features(c, out);
	STORE(out, preferred, c->preferred);
	STORE(out, isa_1, c->isa_1);
	STORE(out, xsave_state_size, c->xsave_state_size);
	STORE(out, xsave_state_full_size, c->xsave_state_full_size);
	STORE(out, data_cache_size, c->data_cache_size);
	STORE(out, shared_cache_size, c->shared_cache_size);
	STORE(out, non_temporal_threshold, c->non_temporal_threshold);
	STORE(out, rep_movsb_threshold, c->rep_movsb_threshold);
	STORE(out, rep_movsb_stop_threshold, c->rep_movsb_stop_threshold);
	STORE(out, rep_stosb_threshold, c->rep_stosb_threshold);
	write_caches(c, out);
}

void lt_glibc_cpu_init(unsigned char *cpu_features, uint64_t *hwcap, uint64_t *hwcap2,
		       const char **platform)
{
	struct cpu c = { 0 };
	identify(&c);
	set_thresholds(&c);
	*hwcap = glibc_hwcap(&c, platform);
	(void)hwcap2;  /* glibc 2.36 keeps the kernel's AT_HWCAP2 on x86 */
	write_out(&c, cpu_features);
}

uint32_t lt_x86_isa_1(const unsigned char *cpu_features)
{
	return load32(cpu_features, GLIBC_OFF_cpu_features__isa_1);
}

unsigned lt_x86_isa_level(const unsigned char *cpu_features)
{
	struct cpu c = { 0 };
	for (unsigned i = 0; i < NLEAVES; i++)
		for (unsigned reg = EAX; reg <= EDX; reg++) {
			c.cpuid[i][reg] = load32(cpu_features, feature_word_offset(i, 0, reg));
			c.active[i][reg] = load32(cpu_features, feature_word_offset(i, 1, reg));
		}
	uint32_t isa = isa_bits(&c);
	if (isa & GNU_PROPERTY_X86_ISA_1_V4)
		return 4;
	if (isa & GNU_PROPERTY_X86_ISA_1_V3)
		return 3;
	return isa & GNU_PROPERTY_X86_ISA_1_V2 ? 2 : 0;
}
