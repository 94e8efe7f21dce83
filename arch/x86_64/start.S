/*
 * ld-teach.so's entry point, for both ways of starting:
 *   - PT_INTERP: the kernel mapped the program and us, and jumps here;
 *   - command mode: the kernel ran ld-teach.so itself as the program.
 * Either way %rsp points at argc, followed by argv, envp and auxv.
 *
 * rtld_start(sp, &handoff) does all the work and fills the handoff: where
 * to jump, the stack the program must see (argv may have been shifted in
 * command mode), and the finalizer to pass in %rdx (x86_64 psABI: the
 * program registers it with atexit).
 */
	.text
	.globl _lt_start
	.hidden _lt_start
	.type _lt_start, @function
_lt_start:
	.cfi_startproc
	.cfi_undefined rip		/* the outermost frame: backtraces stop here */
	xor %ebp, %ebp
	mov %rsp, %rdi			/* arg 1: the initial stack */
	sub $32, %rsp			/* room for struct lt_handoff; keeps 16-byte alignment */
	mov %rsp, %rsi			/* arg 2: &handoff */
	call rtld_start
	mov 0(%rsp), %rax		/* handoff.entry */
	mov 16(%rsp), %rdx		/* handoff.fini */
	mov 8(%rsp), %rsp		/* handoff.sp */
	jmp *%rax
	.cfi_endproc
	.size _lt_start, . - _lt_start

/*
 * TLS descriptor resolver for a block in static TLS: the descriptor's
 * second word already holds the offset from the thread pointer.  Called
 * with %rax = descriptor; returns the offset in %rax and, per the TLSDESC
 * convention, preserves every other register.
 */
	.globl lt_tlsdesc_static
	.hidden lt_tlsdesc_static
	.type lt_tlsdesc_static, @function
lt_tlsdesc_static:
	.cfi_startproc
	mov 8(%rax), %rax
	ret
	.cfi_endproc
	.size lt_tlsdesc_static, . - lt_tlsdesc_static

/*
 * TLS descriptor resolver for a block that is not at the same distance
 * from the TP in every thread (a module dlopen brought, in threads that
 * existed before): the descriptor's second word points to {module id,
 * offset}, and this thread's dtv (at %fs:8, in musl's layout and in the
 * core's own thread block) holds the block's address.  Returns the block
 * plus the offset, minus the TP, in %rax; preserves every other register.
 */
	.globl lt_tlsdesc_dynamic
	.hidden lt_tlsdesc_dynamic
	.type lt_tlsdesc_dynamic, @function
lt_tlsdesc_dynamic:
	.cfi_startproc
	push %rcx
	.cfi_adjust_cfa_offset 8
	push %rdx
	.cfi_adjust_cfa_offset 8
	mov 8(%rax), %rax		/* -> {module id, offset} */
	mov %fs:8, %rcx			/* this thread's dtv */
	mov (%rax), %rdx		/* module id */
	mov (%rcx,%rdx,8), %rcx		/* this thread's block */
	add 8(%rax), %rcx		/* + offset */
	sub %fs:0, %rcx			/* - TP */
	mov %rcx, %rax
	pop %rdx
	.cfi_adjust_cfa_offset -8
	pop %rcx
	.cfi_adjust_cfa_offset -8
	ret
	.cfi_endproc
	.size lt_tlsdesc_dynamic, . - lt_tlsdesc_dynamic

	.section .note.GNU-stack, "", @progbits
