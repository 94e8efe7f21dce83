/*
 * A static program without libc that fits nowhere, two ways (loader.mk):
 * - overstack, linked at 0x7ff000000000: its fixed addresses cover the top
 *   64 GiB of the user address space, up to its end.  The kernel puts the
 *   stack there (its randomization moves the stack's top down by 16 GiB at
 *   most), so no execve can load it; ld-teach-exec must say so, naming the
 *   program's range.
 * - nowhere (-DNOWHERE), a static PIE of 127.5 TiB, nearly all bss: no
 *   random place fits it, so ld-teach-exec draws a new one on every
 *   collision until it gives up.
 */
#include <asm/unistd.h>

	.text
	.globl _start
_start:
	mov $__NR_exit_group, %eax
	xor %edi, %edi
	syscall

	.bss
#ifdef NOWHERE
	.skip 0x7f8000000000
#else
	/* from the third page of the program to 0x7ffffffff000, the top */
	.skip 0x7ffffffff000 - 0x7ff000002000
#endif

	.section .note.GNU-stack, "", @progbits
