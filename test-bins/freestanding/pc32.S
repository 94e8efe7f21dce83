/* A dynamic R_X86_64_PC32: the distance from here to d_pc_target; then a
 * word the 4-byte relocation must leave alone. */
	.data
	.globl b_pc_offset
	.type b_pc_offset, @object
b_pc_offset:
	.long d_pc_target - .
	.size b_pc_offset, 4
	.globl b_pc_after
	.type b_pc_after, @object
b_pc_after:
	.long 0x5a5a5a5a
	.size b_pc_after, 4
	.section .note.GNU-stack, "", @progbits
