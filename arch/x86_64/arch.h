/*
 * What the generic core needs to know about x86_64.
 */
#ifndef LT_ARCH_H
#define LT_ARCH_H

#include <stddef.h>
#include <stdint.h>
#include <elf.h>

#define ARCH_R_RELATIVE R_X86_64_RELATIVE
#define ARCH_R_JUMP_SLOT R_X86_64_JUMP_SLOT
#define ARCH_R_GLOB_DAT R_X86_64_GLOB_DAT

/* What a relocation type does, independent of its number. */
enum lt_reloc_kind {
	LT_RK_NONE,
	LT_RK_RELATIVE,   /* B + A */
	LT_RK_ABS,        /* S + A */
	LT_RK_PCREL,      /* S + A - P */
	LT_RK_GOT,        /* GLOB_DAT: S + A */
	LT_RK_PLT,        /* JUMP_SLOT: S + A, may be bound lazily */
	LT_RK_COPY,       /* copy the definition's bytes into the program */
	LT_RK_IRELATIVE,  /* call the resolver at B + A */
	LT_RK_DTPMOD,     /* module id of the defining object */
	LT_RK_DTPOFF,     /* S + A within the module's block */
	LT_RK_TPOFF,      /* S + A - (block offset below the TP) */
	LT_RK_TLSDESC,    /* a TLS descriptor: resolver and argument */
};

struct lt_reloc_type {
	const char *name;
	unsigned char kind;   /* enum lt_reloc_kind */
	unsigned char size;   /* bytes written: 4 or 8 (16 for TLSDESC) */
};

/* Indexed by type number (reloc.c); entries without a name are unknown. */
#define LT_RELOC_TYPES_KNOWN (R_X86_64_IRELATIVE + 1)
extern const struct lt_reloc_type lt_reloc_types[LT_RELOC_TYPES_KNOWN];

/* NULL for a type the loader does not handle. */
static inline const struct lt_reloc_type *arch_reloc_type(uint32_t type)
{
	if (type >= LT_RELOC_TYPES_KNOWN || !lt_reloc_types[type].name)
		return 0;
	return &lt_reloc_types[type];
}

/*
 * The arithmetic of a relocation: the value to store for kind `kind`,
 * given the symbol value S, the addend A, the place P, the load bias B and,
 * for TLS, the block offset below the thread pointer.  Pure.  Returns -1
 * when the value does not fit the field.
 */
static inline int arch_reloc_value(unsigned kind, unsigned size, uint64_t S, int64_t A,
				   uint64_t P, uint64_t B, uint64_t tls_offset, uint64_t *value)
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

/* TLS descriptor resolvers (tlsdesc.S): static (the offset is in the
 * descriptor) and dynamic (the libc's __tls_get_addr, which the core keeps
 * in lt_tls_get_addr_fn, finds this thread's block). */
extern char lt_tlsdesc_static[], lt_tlsdesc_dynamic[];
extern void *(*lt_tls_get_addr_fn)(size_t *ti);

/* CPUID, executed once per leaf and subleaf in the whole process: later
 * calls are answered from memory (on some VMs each CPUID traps, ~10 us).
 * Leaves that ignore the subleaf are asked for with subleaf 0.  Callers
 * run during start-up or hold the loader lock. */
struct arch_cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};
struct arch_cpuid_regs arch_cpuid(uint32_t leaf, uint32_t subleaf);
/* XCR0: the state components the OS enabled (needs CPUID.1:ECX.OSXSAVE). */
uint64_t arch_xcr0(void);
/* Bytes xsavec writes for the components in `mask`, legacy area and header
 * included. */
uint64_t arch_xsave_compacted_size(uint64_t mask);

/* Lazy binding: the PLT trampoline (plt.S).  How foreign code called with
 * live vector registers (an IFUNC resolver from a first call, the libc's
 * __tls_get_addr from the dynamic TLS descriptor resolver) has the vector
 * state saved around it: decided once, on first use, by arch_cpu_init
 * (cpu.c), which must run before lt_call_preserving_vectors. */
extern char lt_plt_trampoline[];
uint64_t lt_call_preserving_vectors(uint64_t (*fn)(void));
void arch_cpu_init(void);
/* The widest vector registers this CPU and OS have, in bytes: 16, 32, 64. */
unsigned arch_vector_width(void);
/* While an audit module watches calls: the trampoline (audit.S) for them. */
void *arch_audit_trampoline(void);
extern uint32_t lt_xsave_mode;
extern uint64_t lt_xsave_size, lt_xsave_mask;

/*
 * Call code of a loaded object (an initializer, a finalizer, an IFUNC
 * resolver) as fn(argc, argv, envp); the caller's callee-saved registers
 * come back whatever that code does to them (call.S).
 */
uintptr_t arch_call_code(uintptr_t fn, int argc, char **argv, char **envp);

/* Install `tp` as the thread pointer (the %fs base). */
int arch_set_thread_pointer(void *tp);

/* The thread pointer: by the TLS ABI, the word at %fs:0 holds its own address. */
static inline uintptr_t arch_thread_pointer(void)
{
	uintptr_t tp;
	__asm__("mov %%fs:0, %0" : "=r"(tp));
	return tp;
}

#endif
