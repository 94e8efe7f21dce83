/*
 * TLS descriptor resolvers (R_X86_64_TLSDESC).  Code reaches a TLS
 * variable by calling the resolver in the descriptor's first word with
 * %rax = the descriptor; the resolver returns the variable's offset from
 * the thread pointer in %rax and, by the convention, preserves every other
 * register, vector registers included.
 */
#include "frame.h"

/* A block in static TLS: the descriptor's second word already holds the offset. */
	.text
	.globl lt_tlsdesc_static
	.hidden lt_tlsdesc_static
	.type lt_tlsdesc_static, @function
lt_tlsdesc_static:
	.cfi_startproc
	endbr64
	mov 8(%rax), %rax
	ret
	.cfi_endproc
	.size lt_tlsdesc_static, . - lt_tlsdesc_static

/*
 * A block that is not at the same distance from the TP in every thread (a
 * module dlopen brought, in threads that existed before): the descriptor's
 * second word points to {module id, offset}, which the libc's own
 * __tls_get_addr (lt_tls_get_addr_fn, set by the core) turns into this
 * thread's address.  The core never reads a libc's per-thread tables
 * itself.  Returns that address minus the TP.
 */
	.globl lt_tlsdesc_dynamic
	.hidden lt_tlsdesc_dynamic
	.type lt_tlsdesc_dynamic, @function
lt_tlsdesc_dynamic:
	.cfi_startproc
	frame_on_rbx
	push %rdi
	push %rsi
	push %rdx
	push %rcx
	push %r8
	push %r9
	push %r10
	push %r11
	mov 8(%rax), %rdi		/* -> {module id, offset} */
	and $-64, %rsp			/* xsave needs 64-byte alignment */
	sub lt_xsave_size(%rip), %rsp
	call lt_save_vector_state	/* changes rax and rdx only */
	call *lt_tls_get_addr_fn(%rip)	/* rsp is 64-byte aligned here */
	mov %rax, %r11
	call lt_restore_vector_state
	mov %r11, %rax
	sub %fs:0, %rax			/* the TLS ABI: %fs:0 holds the TP itself */
	lea -64(%rbx), %rsp
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rcx
	pop %rdx
	pop %rsi
	pop %rdi
	pop %rbx
	.cfi_def_cfa rsp, 8
	.cfi_restore rbx
	ret
	.cfi_endproc
	.size lt_tlsdesc_dynamic, . - lt_tlsdesc_dynamic

	.section .note.GNU-stack, "", @progbits
