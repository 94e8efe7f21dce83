/*
 * arch_call_code(fn, argc, argv, envp): call code of a loaded object (an
 * initializer, a finalizer, an IFUNC resolver) as fn(argc, argv, envp), and
 * give the loader back its callee-saved registers whatever that code did to
 * them.  Code from a file that breaks the calling convention must not
 * corrupt the loader's own state.  Returns what fn returned, in %rax.
 */
	.text
	.globl arch_call_code
	.hidden arch_call_code
	.type arch_call_code, @function
arch_call_code:
	.cfi_startproc
	push %rbp
	.cfi_adjust_cfa_offset 8
	push %rbx
	.cfi_adjust_cfa_offset 8
	push %r12
	.cfi_adjust_cfa_offset 8
	push %r13
	.cfi_adjust_cfa_offset 8
	push %r14
	.cfi_adjust_cfa_offset 8
	push %r15
	.cfi_adjust_cfa_offset 8
	sub $8, %rsp			/* the psABI's 16-byte alignment at the call */
	.cfi_adjust_cfa_offset 8
	mov %rdi, %rax
	mov %esi, %edi			/* argc */
	mov %rdx, %rsi			/* argv */
	mov %rcx, %rdx			/* envp */
	call *%rax
	add $8, %rsp
	.cfi_adjust_cfa_offset -8
	pop %r15
	.cfi_adjust_cfa_offset -8
	pop %r14
	.cfi_adjust_cfa_offset -8
	pop %r13
	.cfi_adjust_cfa_offset -8
	pop %r12
	.cfi_adjust_cfa_offset -8
	pop %rbx
	.cfi_adjust_cfa_offset -8
	pop %rbp
	.cfi_adjust_cfa_offset -8
	ret
	.cfi_endproc
	.size arch_call_code, . - arch_call_code

	.section .note.GNU-stack, "", @progbits
