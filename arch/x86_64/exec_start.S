/*
 * _start for the ld-teach-exec command, which runs without libc: pass the
 * initial stack (argc, argv, envp, auxv) to exec_command_start (main.c).
 */
	.text
	.globl _start
	.type _start, @function
_start:
	.cfi_startproc
	.cfi_undefined rip		/* the outermost frame */
	xor %ebp, %ebp
	mov %rsp, %rdi
	and $-16, %rsp
	call exec_command_start
	hlt
	.cfi_endproc
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
