/*
 * libfs-clobber.so: a constructor, a destructor and an IFUNC resolver that
 * break the x86-64 calling convention: they return with every callee-saved
 * register changed.  The loader that calls them must not depend on those
 * registers.  clobber_chosen is the IFUNC: its resolver picks
 * clobber_present.
 */
	.text
	.globl clobber_present
	.type clobber_present, @function
clobber_present:
present_code:
	mov $1, %eax
	ret
	.size clobber_present, . - clobber_present

	.type clobber_everything, @function
clobber_everything:
	movabs $0x5a5a5a5a5a5a5a5a, %rbx
	mov %rbx, %rbp
	mov %rbx, %r12
	mov %rbx, %r13
	mov %rbx, %r14
	mov %rbx, %r15
	ret
	.size clobber_everything, . - clobber_everything

	.globl clobber_chosen
	.type clobber_chosen, @gnu_indirect_function
clobber_chosen:
	call clobber_everything
	lea present_code(%rip), %rax
	ret
	.size clobber_chosen, . - clobber_chosen

	.section .rodata  /* (GNU ld would give an empty .rodata an empty PT_LOAD) */
	.byte 1

	.section .init_array, "aw"
	.quad clobber_everything
	.section .fini_array, "aw"
	.quad clobber_everything
	.section .note.GNU-stack, "", @progbits
