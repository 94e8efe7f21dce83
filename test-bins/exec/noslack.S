/*
 * noslack: a static program without libc whose only text segment ends
 * exactly at a page boundary, so that no text page has unused bytes for
 * ld-teach-exec's trampoline and the trampoline must stay in the stage's
 * first page (doc/exec.md).  It prints one line and exits with argc.
 */
#include <asm/unistd.h>

	.text
	.globl _start
_start:
	mov $__NR_write, %eax
	mov $1, %edi
	lea msg(%rip), %rsi
	mov $msg_len, %edx
	syscall
	mov (%rsp), %rdi
	mov $__NR_exit_group, %eax
	syscall
	.balign 4096, 0xcc		/* the text fills its page: no room left */

	.section .rodata
msg:	.ascii "a program with no room for the trampoline\n"
	.set msg_len, . - msg

	.section .note.GNU-stack, "", @progbits
