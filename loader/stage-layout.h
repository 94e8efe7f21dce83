/*
 * The layout of the stage blob, shared by the C code and the blob's linker
 * script (stage.lds.S, run through the C preprocessor): plain numbers only.
 */
#ifndef EXEC_STAGE_LAYOUT_H
#define EXEC_STAGE_LAYOUT_H

#define STAGE_PAGE_SIZE 4096
/* The trampoline sits alone in the blob's first page; the stage's entry opens the second. */
#define STAGE_ENTRY_OFFSET STAGE_PAGE_SIZE
/* The trampoline's size is at most this (checked when the blob is linked). */
#define STAGE_TRAMPOLINE_MAX 96

#endif
