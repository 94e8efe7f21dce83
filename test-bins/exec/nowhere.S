/*
 * nowhere: a static PIE without libc that spans 127.5 TiB of its 128 TiB
 * address space, nearly all of it bss.  No random place fits it, so
 * ld-teach-exec draws a new one on every collision until it gives up.
 */
#include <asm/unistd.h>

	.text
	.globl _start
_start:
	mov $__NR_exit_group, %eax
	xor %edi, %edi
	syscall

	.bss
	.skip 0x7f8000000000

	.section .note.GNU-stack, "", @progbits
