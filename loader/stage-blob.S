/*
 * The stage blob, built from stage.c and friends by loader.mk (see
 * stage.lds.S), as read-only bytes in ld-teach-exec.  teach_execve copies
 * them into the stage mapping.  STAGE_BLOB is the path of the binary.
 */
	.section .rodata.exec_stage_blob, "a", @progbits
	.balign 4096
	.globl exec_stage_blob, exec_stage_blob_end
	.hidden exec_stage_blob, exec_stage_blob_end
exec_stage_blob:
	.incbin STAGE_BLOB
exec_stage_blob_end:

	.section .note.GNU-stack, "", @progbits
