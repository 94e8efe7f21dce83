/*
 * CPUID, once per leaf and subleaf; and how vector registers are saved
 * around foreign code called while they are live (an IFUNC resolver from
 * a lazy binding, the libc's __tls_get_addr from the dynamic
 * TLS-descriptor resolver), decided once from it, when first needed:
 * xsavec (compacted) when the CPU has it, else xsave, else fxsave.  (On
 * some VMs each CPUID traps, several microseconds: a program that needs
 * neither never runs one.)
 * The component mask keeps what calls can carry: SSE, AVX and AVX-512
 * registers (and MPX bounds, for bnd-prefixed PLTs), as far as the OS
 * enabled them in XCR0.  x87 state is left alone: no argument travels
 * there.
 */
#include <stdint.h>
#include "arch.h"
#include "page.h"

uint32_t lt_xsave_mode;   /* 0: fxsave, 1: xsave, 2: xsavec */
uint64_t lt_xsave_size;   /* bytes of save area, a multiple of 64 */
uint64_t lt_xsave_mask;   /* state components to save */

#define XSAVE_LEGACY_AND_HEADER 576  /* 512-byte legacy area + 64-byte header */
#define SAVED_COMPONENTS ((1u << 1) | (1u << 2) | (1u << 3) | (1u << 5) | (1u << 6) | (1u << 7))

/* Enough for every leaf and subleaf glibc's cpu_features and this file ask
 * for (about 30) twice over; past half full CPUID still answers, only not
 * from memory.
 * Open addressing: glibc's rules ask the same leaves again and again, and a
 * scan of every answer so far cost more than the rest of the work. */
#define CPUID_MEMO_SLOTS 128

/* Page-aligned: the probes scatter over the whole table (3.5 KiB), which
 * would otherwise straddle two pages and fault both in. */
static struct cpuid_memo {
	uint32_t leaf, subleaf;
	int used;
	struct arch_cpuid_regs regs;
} memo[CPUID_MEMO_SLOTS] LT_LARGE_BSS __attribute__((aligned(LT_PAGE_SIZE)));
_Static_assert(sizeof memo <= LT_PAGE_SIZE, "the CPUID memo fits in one page");
static unsigned memo_used;

#ifdef LT_CPUID_TRACE
/* Defined by the test that counts CPUID executions (tests/glibc.mk). */
void lt_cpuid_executed(uint32_t leaf, uint32_t subleaf);
#endif

static struct arch_cpuid_regs execute_cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct arch_cpuid_regs r;
	__asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
#ifdef LT_CPUID_TRACE
	lt_cpuid_executed(leaf, subleaf);
#endif
	return r;
}

/* The memo slot of (leaf, subleaf), *hit; or the free one where it would
 * go.  An empty memo is not read: a first read of its page would map the
 * zero page, and the first answer's write fault again. */
static struct cpuid_memo *memo_slot(uint32_t leaf, uint32_t subleaf, int *hit)
{
	unsigned i = ((leaf ^ subleaf << 16) * 0x9e3779b1u) >> 25;  /* (7 bits: 128 slots) */
	*hit = 0;
	for (;; i = (i + 1) % CPUID_MEMO_SLOTS) {
		struct cpuid_memo *m = &memo[i];
		if (!memo_used || !m->used)
			return m;
		if (m->leaf == leaf && m->subleaf == subleaf) {
			*hit = 1;
			return m;
		}
	}
}

struct arch_cpuid_regs arch_cpuid(uint32_t leaf, uint32_t subleaf)
{
	int hit;
	struct cpuid_memo *m = memo_slot(leaf, subleaf, &hit);
	if (hit)
		return m->regs;
	struct arch_cpuid_regs r = execute_cpuid(leaf, subleaf);
	if (memo_used < CPUID_MEMO_SLOTS / 2) {
		*m = (struct cpuid_memo){ leaf, subleaf, 1, r };
		memo_used++;
	}
	return r;
}

uint64_t arch_xcr0(void)
{
	uint32_t lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

/* Components packed in order, some of them 64-byte aligned. */
uint64_t arch_xsave_compacted_size(uint64_t mask)
{
	uint64_t size = XSAVE_LEGACY_AND_HEADER;
	for (unsigned i = 2; i < 64; i++) {
		if (!(mask >> i & 1))
			continue;
		struct arch_cpuid_regs c = arch_cpuid(0xd, i);
		if (c.ecx & 2)
			size = (size + 63) & ~63UL;
		size += c.eax;
	}
	return size;
}

void arch_cpu_init(void)
{
	static int done;  /* (first called while start-up is single-threaded) */
	if (done)
		return;
	done = 1;
	struct arch_cpuid_regs one = arch_cpuid(1, 0);
	int xsave = (one.ecx >> 26) & 1, osxsave = (one.ecx >> 27) & 1;
	if (!xsave || !osxsave || arch_cpuid(0, 0).eax < 0xd) {
		lt_xsave_mode = 0;
		lt_xsave_size = 512;
		return;
	}
	lt_xsave_mask = arch_xcr0() & SAVED_COMPONENTS;
	if (arch_cpuid(0xd, 1).eax & 2) {
		lt_xsave_mode = 2;
		lt_xsave_size = arch_xsave_compacted_size(lt_xsave_mask);
	} else {
		lt_xsave_mode = 1;
		lt_xsave_size = arch_cpuid(0xd, 0).ebx;  /* standard layout of everything in XCR0 */
	}
	lt_xsave_size = (lt_xsave_size + 63) & ~63UL;
}

/* AVX needs the CPU's flag and the OS saving SSE and AVX state (XCR0 bits
 * 1-2); AVX-512 its flag and the opmask and upper ZMM state too (5-7). */
unsigned arch_vector_width(void)
{
	struct arch_cpuid_regs one = arch_cpuid(1, 0);
	int osxsave = (one.ecx >> 27) & 1, avx = (one.ecx >> 28) & 1;
	uint64_t xcr0 = osxsave ? arch_xcr0() : 0;
	if (!avx || (xcr0 & 0x6) != 0x6)
		return 16;
	int avx512f = arch_cpuid(0, 0).eax >= 7 && ((arch_cpuid(7, 0).ebx >> 16) & 1);
	return avx512f && (xcr0 & 0xe6) == 0xe6 ? 64 : 32;
}
