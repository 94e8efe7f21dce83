/*
 * The stage blob: the code that runs after the point of no return, linked
 * on its own into one piece of read-only, position-independent bytes
 * (loader/loader.mk links it twice, at two addresses, and requires the
 * results to be identical).  ld-teach-exec copies it into a fresh mapping.
 *
 * Page 0 holds the trampoline alone, page 1 starts with the entry.  The
 * stage has no writable data: its state is the plan, passed in %rdi.
 */
#include "stage-layout.h"

ENTRY(exec_stage_entry)
SECTIONS
{
	. = STAGE_LINK_BASE;
	.tramp : { *(.text.exec_trampoline) }
	. = STAGE_LINK_BASE + STAGE_ENTRY_OFFSET;
	.text : {
		*(.text.exec_stage_entry)
		*(.text .text.*)
		*(.rodata .rodata.*)
	}
	.data : { *(.data .data.* .bss .bss.* COMMON .got .got.plt) }
	/DISCARD/ : { *(.comment) *(.note.*) *(.eh_frame*) }
}

ASSERT(exec_stage_entry == STAGE_LINK_BASE + STAGE_ENTRY_OFFSET, "the stage entry must open page 1")
ASSERT(exec_trampoline_end - exec_trampoline <= STAGE_TRAMPOLINE_MAX, "the trampoline outgrew STAGE_TRAMPOLINE_MAX")
ASSERT(SIZEOF(.data) == 0, "the stage must have no writable data (no globals, no GOT)")
