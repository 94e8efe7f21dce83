/*
 * The lazy-binding trampoline.
 *
 * A PLT stub's first call lands here through GOT[2], with the stack
 * holding, from the top: the object (GOT[1], pushed by PLT0), the index of
 * the JUMP_SLOT relocation (pushed by the stub), and the caller's return
 * address.  Every register the callee may receive an argument in must
 * reach it unchanged: rdi, rsi, rdx, rcx, r8, r9, rax (the number of vector
 * registers a variadic call uses), r10 (the static chain), and the vector
 * registers.  The core is compiled with -mgeneral-regs-only, so its own
 * code never touches a vector register: the trampoline saves the general
 * ones only, and the one piece of foreign code a binding may run, an IFUNC
 * resolver, is called through lt_call_preserving_vectors below.
 */
#include "frame.h"
	.text
	.globl lt_plt_trampoline
	.hidden lt_plt_trampoline
	.type lt_plt_trampoline, @function
lt_plt_trampoline:
	.cfi_startproc
	.cfi_def_cfa_offset 24		/* object, index, return address */
	frame_on_rbx
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	and $-16, %rsp			/* the psABI's alignment at a call */
	mov 8(%rbx), %rdi		/* the object (pushed last, by PLT0) */
	mov 16(%rbx), %rsi		/* the relocation index (pushed by the stub) */
	call lt_lazy_bind
	mov %rax, %r11			/* the target; r11 is scratch across calls */
	lea -64(%rbx), %rsp
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	leave_plt_frame
	jmp *%r11
	.cfi_endproc
	.size lt_plt_trampoline, . - lt_plt_trampoline

/*
 * uint64_t lt_call_preserving_vectors(uint64_t (*fn)(void)): fn's result,
 * with the vector state saved around the call (arch_cpu_init has run).
 * For IFUNC resolvers reached from the trampoline, whose caller's vector
 * arguments are live.  fn is called through arch_call_code (call.S), so
 * the callee-saved registers this relies on come back whatever fn does.
 */
	.globl lt_call_preserving_vectors
	.hidden lt_call_preserving_vectors
	.type lt_call_preserving_vectors, @function
lt_call_preserving_vectors:
	.cfi_startproc
	push %rbx
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbx, 0
	push %r12
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r12, 0
	mov %rsp, %rbx
	.cfi_def_cfa_register rbx
	mov %rdi, %r12
	and $-64, %rsp			/* xsave needs 64-byte alignment */
	sub lt_xsave_size(%rip), %rsp
	call lt_save_vector_state
	mov %r12, %rdi
	xor %esi, %esi
	xor %edx, %edx
	xor %ecx, %ecx
	call arch_call_code		/* rsp is 64-byte aligned here: the psABI's 16 holds */
	mov %rax, %r12
	call lt_restore_vector_state
	mov %r12, %rax
	mov %rbx, %rsp
	.cfi_def_cfa_register rsp
	pop %r12
	.cfi_adjust_cfa_offset -8
	.cfi_restore r12
	pop %rbx
	.cfi_adjust_cfa_offset -8
	.cfi_restore rbx
	ret
	.cfi_endproc
	.size lt_call_preserving_vectors, . - lt_call_preserving_vectors

/*
 * Vector state, saved and restored at full width, for foreign code called
 * with live vector registers: IFUNC resolvers (above) and the libc's
 * __tls_get_addr (the dynamic TLS-descriptor resolver, tlsdesc.S).  The
 * save area, of lt_xsave_size bytes and 64-byte aligned, starts 8 bytes
 * above the return address.  Only rax and rdx are changed, and the caller restores them
 * itself.
 */
	.globl lt_save_vector_state
	.hidden lt_save_vector_state
	.type lt_save_vector_state, @function
lt_save_vector_state:
	.cfi_startproc
	cmpl $0, lt_xsave_mode(%rip)
	je 1f
	xor %eax, %eax			/* the xsave header must start zeroed */
	mov %rax, 8+512(%rsp)
	mov %rax, 8+520(%rsp)
	mov %rax, 8+528(%rsp)
	mov %rax, 8+536(%rsp)
	mov %rax, 8+544(%rsp)
	mov %rax, 8+552(%rsp)
	mov %rax, 8+560(%rsp)
	mov %rax, 8+568(%rsp)
	mov lt_xsave_mask(%rip), %eax
	mov lt_xsave_mask+4(%rip), %edx
	cmpl $2, lt_xsave_mode(%rip)
	je 2f
	xsave64 8(%rsp)
	ret
2:	xsavec64 8(%rsp)
	ret
1:	fxsave64 8(%rsp)
	ret
	.cfi_endproc
	.size lt_save_vector_state, . - lt_save_vector_state

	.globl lt_restore_vector_state
	.hidden lt_restore_vector_state
	.type lt_restore_vector_state, @function
lt_restore_vector_state:
	.cfi_startproc
	cmpl $0, lt_xsave_mode(%rip)
	je 1f
	mov lt_xsave_mask(%rip), %eax
	mov lt_xsave_mask+4(%rip), %edx
	xrstor64 8(%rsp)		/* reads xsavec's compacted form too */
	ret
1:	fxrstor64 8(%rsp)
	ret
	.cfi_endproc
	.size lt_restore_vector_state, . - lt_restore_vector_state

	.section .note.GNU-stack, "", @progbits
