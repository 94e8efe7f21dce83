/*
 * For the assembly entry points the loader is called through (the PLT
 * trampolines, the dynamic TLS descriptor resolver): %rbx kept on the
 * stack and then pointing at it, so that the frame stays addressable
 * however far the stack pointer is moved for alignment.  The CFA follows.
 * A PLT trampoline leaves with %rsp at the kept %rbx: it takes %rbx back
 * and drops what PLT0 and the stub pushed (the object, the index).
 */
.macro frame_on_rbx
	endbr64
	push %rbx
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbx, 0
	mov %rsp, %rbx
	.cfi_def_cfa_register rbx
.endm

.macro leave_plt_frame
	pop %rbx
	.cfi_def_cfa rsp, 24
	.cfi_restore rbx
	add $16, %rsp
	.cfi_adjust_cfa_offset -16
.endm
