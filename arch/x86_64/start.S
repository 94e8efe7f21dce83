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

	.section .note.GNU-stack, "", @progbits
