/*
 * The stage plan: everything the stage (stage.c) does after the point of no
 * return, worked out and checked before it.
 *
 * The plan lives in the stage's own mapping, next to the stage's code and
 * stack, so that it survives the unmapping of the old image.  For the same
 * reason its pointers point into that mapping or into the new image, never
 * into the old one.
 */
#ifndef EXEC_PLAN_H
#define EXEC_PLAN_H

#include <stdint.h>
#include <linux/prctl.h>
#include "stage-layout.h"

/* Mappings that survive the old image: the stage, the stack, the vDSO and its data pages. */
#define STAGE_MAX_KEEP 8
#define STAGE_NAME_MAX 256

#define STAGE_STACK_SIZE (64 * 1024)

enum { STAGE_PROGRAM, STAGE_INTERP };

struct stage_range {
	uint64_t start, end;
};

/* One mmap of the new image. */
struct stage_map {
	uint64_t addr, len;
	uint64_t offset;             /* in the file */
	int32_t fd;                  /* -1: anonymous memory */
	int32_t object;              /* STAGE_PROGRAM or STAGE_INTERP */
	int32_t prot;                /* while the stage fills it in */
	int32_t final_prot;          /* once it is done */
	uint64_t zero_from, zero_to; /* .bss that shares the last file page: cleared */
	uint64_t tramp_at;           /* nonzero: the trampoline is copied there */
};

struct stage_plan {
	/* The stage mapping: code (read+exec), then the stage's stack, then this plan. */
	uint64_t stage_start, stage_end;
	int trace;
	char names[2][STAGE_NAME_MAX]; /* program and interpreter paths, for messages */

	/* The old image: each of these ranges is unmapped; what lies between them stays. */
	uint32_t n_unmap;
	struct stage_range unmap[STAGE_MAX_KEEP + 1];

	/* The new image. */
	uint32_t n_maps;
	const struct stage_map *maps;

	/* The stack: the kept stack mapping is wiped, then the image is copied to sp. */
	uint64_t stack_start, stack_end, sp;
	const void *stack_image;
	uint64_t stack_size;

	/* The memory descriptor (brk, arguments, auxv, /proc/self/exe) and the name. */
	struct prctl_mm_map mm;
	char comm[16];

	/* The jump. */
	uint64_t entry, trampoline;
	/* What the trampoline unmaps: all of the stage, or all but its first page. */
	struct stage_range tramp_unmaps;
	int xsave;                   /* the CPU and kernel support XSAVE */
	uint64_t saved_mask;         /* the caller's signal mask, which survives exec */
	/* An FXSAVE/XSAVE image of the state a new process starts with. */
	unsigned char fpu_init[576] __attribute__((aligned(64)));
};

/* The stage's entry, at STAGE_ENTRY_OFFSET in the blob (arch/x86_64/exec_stage.S). */
void stage_main(struct stage_plan *plan) __attribute__((noreturn));

#endif
