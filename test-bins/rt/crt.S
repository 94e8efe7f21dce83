/* _start for freestanding test programs: pass the stack and the loader's
 * finalizer (%rdx, x86_64 psABI) to rt_start. */
	.text
	.globl _start
	.type _start, @function
_start:
	.cfi_startproc
	.cfi_undefined rip
	xor %ebp, %ebp
	mov %rsp, %rdi
	mov %rdx, %rsi
	and $-16, %rsp
	call rt_start
	hlt
	.cfi_endproc
	.size _start, . - _start
	.section .note.GNU-stack, "", @progbits
