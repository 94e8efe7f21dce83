/*
 * overstack: a static program without libc whose fixed addresses cover the
 * top 64 GiB of the user address space, up to its end.  The kernel puts the
 * stack there (its randomization moves the stack's top down by 16 GiB at
 * most), so no execve can load it; ld-teach-exec must say so, naming the
 * program's range.  Linked at 0x7ff000000000 (loader.mk).
 */
#include <asm/unistd.h>

	.text
	.globl _start
_start:
	mov $__NR_exit_group, %eax
	xor %edi, %edi
	syscall

	/* from the third page of the program to 0x7ffffffff000, the top */
	.bss
	.skip 0x7ffffffff000 - 0x7ff000002000

	.section .note.GNU-stack, "", @progbits
