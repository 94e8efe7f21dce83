/*
 * What ld-teach-exec needs to know about x86_64: the kernel's address-space
 * layout constants, the platform string, the CPU's extended state, and the
 * jump into the stage.
 */
#ifndef EXEC_ARCH_H
#define EXEC_ARCH_H

#include <stdint.h>
#include "str.h"   /* the core's (rtld/str.h) */

/* AT_PLATFORM, as the kernel reports it (ELF_PLATFORM, the machine name). */
#define EXEC_PLATFORM "x86_64"

/* The top of the default 47-bit user address space (DEFAULT_MAP_WINDOW). */
#define EXEC_USER_TOP 0x00007ffffffff000UL
/* Where the kernel puts ET_DYN programs before randomizing: two thirds of the way up. */
#define EXEC_ET_DYN_BASE (EXEC_USER_TOP / 3 * 2)
/* The kernel randomizes the start of brk within this range (arch_randomize_brk, 64-bit). */
#define EXEC_BRK_RANDOM_RANGE 0x40000000UL
/* ...and the stack pointer below the strings by up to this much (arch_align_stack). */
#define EXEC_STACK_RANDOM_RANGE 8192UL
/* The psABI: %rsp is 16-byte aligned at the process entry point. */
#define EXEC_STACK_ALIGN 16UL

/* Does the CPU support XSAVE, with the kernel having enabled it (CPUID.1:ECX.OSXSAVE)? */
static inline int exec_cpu_has_xsave(void)
{
	uint32_t eax = 1, ebx, ecx = 0, edx;
	__asm__("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	return (ecx >> 27) & 1;
}

/*
 * The FXSAVE/XSAVE image of a new process's x87/SSE/AVX state: the default
 * x87 control word and MXCSR, every register zero.  Its XSAVE header
 * (XSTATE_BV = 0) asks XRSTOR for the init state of every component.
 */
static inline void exec_fill_fpu_init(unsigned char area[576])
{
	const uint16_t fcw = 0x037f;
	const uint32_t mxcsr = 0x1f80;
	memset(area, 0, 576);
	memcpy(area + 0, &fcw, sizeof fcw);
	memcpy(area + 24, &mxcsr, sizeof mxcsr);
}

/* Switch to the stage's stack and jump to its entry, with the plan as its argument. */
__attribute__((noreturn)) static inline void exec_enter_stage(uintptr_t entry, void *plan,
							      uintptr_t stack_top)
{
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "jmp *%1"
			 :
			 : "r"(stack_top), "r"(entry), "D"(plan)
			 : "memory");
	__builtin_unreachable();
}

/* In the stage blob (exec_stage.S). */
extern const char exec_trampoline[], exec_trampoline_end[];
void exec_reset_fpu(const void *area, int xsave);
__attribute__((noreturn)) void exec_jump(uint64_t trampoline, uint64_t unmap_start,
					 uint64_t unmap_len, uint64_t entry, uint64_t sp);

#endif
