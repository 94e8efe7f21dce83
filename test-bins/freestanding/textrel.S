/* An absolute address inside code: R_X86_64_64 in .text, so the library
 * needs DT_TEXTREL (link with -z notext). */
	.text
	.globl c_textrel_get
	.type c_textrel_get, @function
c_textrel_get:
	movabs $c_textrel_value, %rax
	mov (%rax), %eax
	ret
	.size c_textrel_get, . - c_textrel_get
	.section .note.GNU-stack, "", @progbits
