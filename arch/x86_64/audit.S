/*
 * The lazy-binding trampoline when an audit module watches calls
 * (la_x86_64_gnu_pltenter, la_x86_64_gnu_pltexit): every call through a
 * PLT slot comes here, not only the first, because the slot is never
 * written (rtld/lazy.c).  When modules watch bindings only
 * (la_symbind64), first calls come here too, for its care of the vector
 * registers, and the slot is written as by the plain trampoline.
 *
 * It lays out a La_x86_64_regs (include/ld-teach/audit.h) with the
 * argument registers, %rbp, and %rsp as the address of the return
 * address; lt_lazy_bind_watched binds the slot (once) and calls
 * la_pltenter, which may change any of them, and returns the target and a
 * frame size.  The argument registers are loaded back from the structure,
 * so a module's changes reach the callee; rax (the vector count of a
 * variadic call) and r10 (the static chain) come back as they were.  A
 * vector register whose 16-byte lr_xmm a module left alone gets its full
 * width back from lr_vector (glibc's rule).
 *
 * With a frame size of -1 the trampoline jumps to the target.  Otherwise
 * it copies that many bytes of the caller's stack arguments (rounded to 16)
 * below its own frame, calls the target, fills a La_x86_64_retval for
 * lt_audit_pltexit (la_pltexit may change it), and returns to the caller
 * with the results from the structure.  The x87 state is saved whole around
 * la_pltexit, so the x87 stack stays as the callee left it.
 *
 * One copy per vector width (SSE, AVX, AVX-512), chosen from CPUID and
 * XCR0 (arch_vector_width, cpu.c) when an object is prepared for lazy
 * binding: each saves and restores the registers at the width the CPU has.
 *
 * Frame, from %rbx:
 *    32  the caller's stack arguments      -8  %rax
 *    24  the return address               -16  %r10
 *    16  the relocation index (the stub)  -24  the frame size
 *     8  the object (GOT[1], from PLT0)   -32  the La_x86_64_regs
 *     0  the caller's %rbx
 */
#include "ld-teach/audit.h"
#include "frame.h"

#define FRAME_SIZE -24
#define REGS -32
#define XMM_COPIES LT_LR_SIZE		/* lr_xmm as it was, to see what changed */
#define REGS_AREA (LT_LR_SIZE + 8 * 16)	/* a multiple of 64 */
#define RV_COPIES 256			/* lrv_xmm0 and lrv_xmm1 as they were */
#define RV_FXSAVE 320
#define RV_AREA (RV_FXSAVE + 512)	/* a multiple of 64 */

/* Vector register \i to and from 64 bytes at \mem, at each width. */
.macro store_vector width, i, mem
	.ifc \width, sse
	movdqu %xmm\i, \mem
	.else
	.ifc \width, avx
	vmovdqu %ymm\i, \mem
	.else
	vmovdqu64 %zmm\i, \mem
	.endif
	.endif
.endm
.macro load_vector width, i, mem
	.ifc \width, sse
	movdqu \mem, %xmm\i
	.else
	.ifc \width, avx
	vmovdqu \mem, %ymm\i
	.else
	vmovdqu64 \mem, %zmm\i
	.endif
	.endif
.endm

/*
 * Register \i back from the structure at %rsp: the 16 bytes at \xmm if a
 * module changed them (the copy at \copy says), else the full width at
 * \full.  Uses %rsi.
 */
.macro restore_vector width, i, xmm, copy, full
	mov \xmm+16*\i(%rsp), %rsi
	cmp \copy+16*\i(%rsp), %rsi
	jne 1f
	mov \xmm+16*\i+8(%rsp), %rsi
	cmp \copy+16*\i+8(%rsp), %rsi
	jne 1f
	load_vector \width, \i, \full(%rsp)
	jmp 2f
1:	.ifc \width, sse
	movdqu \xmm+16*\i(%rsp), %xmm\i
	.else
	vmovdqu \xmm+16*\i(%rsp), %xmm\i	/* (VEX: the upper bits become zero) */
	.endif
2:
.endm

.macro audit_trampoline width
	.text
	.globl lt_audit_trampoline_\width
	.hidden lt_audit_trampoline_\width
	.type lt_audit_trampoline_\width, @function
lt_audit_trampoline_\width:
	.cfi_startproc
	.cfi_def_cfa_offset 24		/* object, index, return address */
	frame_on_rbx
	push %rax
	push %r10
	push $-1			/* the frame size: no la_pltexit unless a module asks */
	sub $8, %rsp
	and $-64, %rsp
	sub $REGS_AREA, %rsp
	mov %rsp, REGS(%rbx)

	mov %rdx, LT_LR_RDX(%rsp)
	mov %r8, LT_LR_R8(%rsp)
	mov %r9, LT_LR_R9(%rsp)
	mov %rcx, LT_LR_RCX(%rsp)
	mov %rsi, LT_LR_RSI(%rsp)
	mov %rdi, LT_LR_RDI(%rsp)
	mov %rbp, LT_LR_RBP(%rsp)
	lea 24(%rbx), %rax
	mov %rax, LT_LR_RSP(%rsp)
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
	movdqu %xmm\i, LT_LR_XMM+16*\i(%rsp)
	movdqu %xmm\i, XMM_COPIES+16*\i(%rsp)
	store_vector \width, \i, LT_LR_VECTOR+64*\i(%rsp)
	.endr

	mov 8(%rbx), %rdi		/* the object */
	mov 16(%rbx), %rsi		/* the relocation index */
	mov %rsp, %rdx			/* the La_x86_64_regs */
	lea FRAME_SIZE(%rbx), %rcx
	call lt_lazy_bind_watched	/* rsp is 64-byte aligned */
	mov %rax, %r11			/* the target; r11 is scratch across calls */

	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
	restore_vector \width, \i, LT_LR_XMM, XMM_COPIES, LT_LR_VECTOR+64*\i
	.endr
	mov LT_LR_RDX(%rsp), %rdx
	mov LT_LR_R8(%rsp), %r8
	mov LT_LR_R9(%rsp), %r9
	mov -8(%rbx), %rax
	mov -16(%rbx), %r10
	cmpq $0, FRAME_SIZE(%rbx)
	jge 3f

	mov LT_LR_RCX(%rsp), %rcx
	mov LT_LR_RSI(%rsp), %rsi
	mov LT_LR_RDI(%rsp), %rdi
	.cfi_remember_state
	mov %rbx, %rsp
	leave_plt_frame
	jmp *%r11
	.cfi_restore_state

3:	/* The caller's stack arguments, copied below this frame, then the call. */
	mov FRAME_SIZE(%rbx), %rcx
	add $8, %rcx
	and $-16, %rcx
	lea 32(%rbx), %rsi
	sub %rcx, %rsp
	mov %rsp, %rdi
	rep movsb
	mov REGS(%rbx), %rdi
	mov LT_LR_RCX(%rdi), %rcx
	mov LT_LR_RSI(%rdi), %rsi
	mov LT_LR_RDI(%rdi), %rdi
	call *%r11

	mov REGS(%rbx), %rsp
	sub $RV_AREA, %rsp
	mov %rax, LT_LRV_RAX(%rsp)
	mov %rdx, LT_LRV_RDX(%rsp)
	movdqu %xmm0, LT_LRV_XMM0(%rsp)
	movdqu %xmm1, LT_LRV_XMM1(%rsp)
	movdqu %xmm0, RV_COPIES(%rsp)
	movdqu %xmm1, RV_COPIES+16(%rsp)
	store_vector \width, 0, LT_LRV_VECTOR0(%rsp)
	store_vector \width, 1, LT_LRV_VECTOR1(%rsp)
	fxsave64 RV_FXSAVE(%rsp)	/* ST(0) and ST(1) at 32 and 48 in it */
	mov RV_FXSAVE+32(%rsp), %rax
	mov %rax, LT_LRV_ST0(%rsp)
	movzwl RV_FXSAVE+40(%rsp), %eax
	mov %rax, LT_LRV_ST0+8(%rsp)
	mov RV_FXSAVE+48(%rsp), %rax
	mov %rax, LT_LRV_ST1(%rsp)
	movzwl RV_FXSAVE+56(%rsp), %eax
	mov %rax, LT_LRV_ST1+8(%rsp)

	mov 8(%rbx), %rdi
	mov 16(%rbx), %rsi
	mov REGS(%rbx), %rdx		/* what la_pltenter left in the registers */
	mov %rsp, %rcx			/* the La_x86_64_retval */
	call lt_audit_pltexit

	mov LT_LRV_ST0(%rsp), %rax
	mov %rax, RV_FXSAVE+32(%rsp)
	mov LT_LRV_ST0+8(%rsp), %ax
	mov %ax, RV_FXSAVE+40(%rsp)
	mov LT_LRV_ST1(%rsp), %rax
	mov %rax, RV_FXSAVE+48(%rsp)
	mov LT_LRV_ST1+8(%rsp), %ax
	mov %ax, RV_FXSAVE+56(%rsp)
	fxrstor64 RV_FXSAVE(%rsp)
	restore_vector \width, 0, LT_LRV_XMM0, RV_COPIES, LT_LRV_VECTOR0
	restore_vector \width, 1, LT_LRV_XMM0, RV_COPIES, LT_LRV_VECTOR1
	mov LT_LRV_RAX(%rsp), %rax
	mov LT_LRV_RDX(%rsp), %rdx
	mov %rbx, %rsp
	leave_plt_frame
	ret
	.cfi_endproc
	.size lt_audit_trampoline_\width, . - lt_audit_trampoline_\width
.endm

	audit_trampoline sse
	audit_trampoline avx
	audit_trampoline avx512

/* void *arch_audit_trampoline(void): the copy for arch_vector_width(). */
	.globl arch_audit_trampoline
	.hidden arch_audit_trampoline
	.type arch_audit_trampoline, @function
arch_audit_trampoline:
	.cfi_startproc
	sub $8, %rsp
	.cfi_adjust_cfa_offset 8
	call arch_vector_width
	add $8, %rsp
	.cfi_adjust_cfa_offset -8
	lea lt_audit_trampoline_sse(%rip), %rdx
	cmp $32, %eax
	jb 1f
	lea lt_audit_trampoline_avx(%rip), %rdx
	cmp $64, %eax
	jb 1f
	lea lt_audit_trampoline_avx512(%rip), %rdx
1:	mov %rdx, %rax
	ret
	.cfi_endproc
	.size arch_audit_trampoline, . - arch_audit_trampoline

	.section .note.GNU-stack, "", @progbits
