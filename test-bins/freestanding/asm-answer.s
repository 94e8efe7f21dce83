# asm_answer: returns 42.  Assembled without a .note.GNU-stack section, on
# purpose: the program linked with it asks for an executable stack.
	.text
	.globl asm_answer
	.type asm_answer, @function
asm_answer:
	movl $42, %eax
	ret
	.size asm_answer, .-asm_answer
