/*
 * The machine-specific parts of ld-teach-exec's stage (see loader/stage.c
 * and doc/exec.md).  They are linked into the stage blob (loader/stage.ld),
 * which runs from its own mapping once the old image is gone.
 */
#include <asm/unistd.h>

/*
 * The trampoline: the last instructions before the new program.
 *
 * No code can unmap the page it runs from and then carry on, so the
 * trampoline does not run from the stage: the stage copies it into unused
 * bytes at the end of the new program's (or interpreter's) last text page,
 * or, when there are none, leaves it alone in the stage's first page.
 *
 *   %rdi, %rsi   the range to unmap: the stage (or all of it but this page)
 *   %rdx         the entry point
 *   %rcx         the new stack pointer (it points at argc)
 *
 * The program starts as the kernel starts it: %rsp at argc and every other
 * register zero, %rdx included (x86_64 psABI: no finalizer to register).
 * The jump is a `ret` so that no register has to hold the entry point.
 * Should munmap fail, the stage's pages merely stay mapped: nothing uses them.
 */
	.section .text.exec_trampoline, "ax", @progbits
	.globl exec_trampoline, exec_trampoline_end
	.hidden exec_trampoline, exec_trampoline_end
exec_trampoline:
	mov %rdx, %r8
	mov %rcx, %r9
	mov $__NR_munmap, %eax
	syscall
	mov %r9, %rsp
	push %r8
	xor %eax, %eax
	xor %ebx, %ebx
	xor %ecx, %ecx
	xor %edx, %edx
	xor %esi, %esi
	xor %edi, %edi
	xor %ebp, %ebp
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d
	xor %r12d, %r12d
	xor %r13d, %r13d
	xor %r14d, %r14d
	xor %r15d, %r15d
	ret
exec_trampoline_end:

/*
 * The stage's entry, at offset 0x1000 of the blob.  The caller switched
 * %rsp to the stage's own stack (16-byte aligned) and put the plan in %rdi.
 */
	.section .text.exec_stage_entry, "ax", @progbits
	.globl exec_stage_entry
	.hidden exec_stage_entry
	.type exec_stage_entry, @function
exec_stage_entry:
	.cfi_startproc
	.cfi_undefined rip
	call stage_main
	ud2
	.cfi_endproc
	.size exec_stage_entry, . - exec_stage_entry

	.text
/*
 * exec_reset_fpu(area, xsave): give the x87, SSE and AVX registers the
 * state a new process starts with, from the image in `area` (64-byte
 * aligned).  XRSTOR with XSTATE_BV = 0 puts every requested component in
 * its init state; the mask leaves PKRU (bit 9) alone, as exec does, and AMX,
 * whose use needs the kernel's permission.  Without XSAVE, FXRSTOR loads the
 * same image's legacy part.
 */
	.globl exec_reset_fpu
	.hidden exec_reset_fpu
	.type exec_reset_fpu, @function
exec_reset_fpu:
	.cfi_startproc
	test %esi, %esi
	jz 1f
	mov $0xe7, %eax			/* x87, SSE, AVX, AVX-512 (opmask, ZMM_Hi256, Hi16_ZMM) */
	xor %edx, %edx
	xrstor (%rdi)
	ret
1:	fxrstor (%rdi)
	ret
	.cfi_endproc
	.size exec_reset_fpu, . - exec_reset_fpu

/*
 * exec_jump(trampoline, unmap_start, unmap_len, entry, sp): call the
 * trampoline with its arguments in the registers it expects.
 */
	.globl exec_jump
	.hidden exec_jump
	.type exec_jump, @function
exec_jump:
	.cfi_startproc
	mov %rdi, %rax
	mov %rsi, %rdi
	mov %rdx, %rsi
	mov %rcx, %rdx
	mov %r8, %rcx
	jmp *%rax
	.cfi_endproc
	.size exec_jump, . - exec_jump

	.section .note.GNU-stack, "", @progbits
