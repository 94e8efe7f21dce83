/* A dynamic R_X86_64_PC32: the distance from here to d_pc_target. */
	.data
	.globl b_pc_offset
	.type b_pc_offset, @object
b_pc_offset:
	.long d_pc_target - .
	.size b_pc_offset, 4
	.section .note.GNU-stack, "", @progbits
