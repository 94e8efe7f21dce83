/*
 * Where the new image goes, with the kernel's address-space layout
 * randomization (fs/binfmt_elf.c, arch/x86/mm/mmap.c):
 *
 *   - ET_DYN programs at two thirds of the address space plus a random
 *     number of pages (mmap_rnd_bits of them), aligned to their largest
 *     p_align;
 *   - the interpreter below the stack's reserved gap, at its own random
 *     offset, also aligned to its p_align;
 *   - brk just after the program's .bss, plus up to 1 GiB at random.
 *
 * Pure: the caller supplies the random numbers and retries when a choice
 * collides with something that stays (the stack, the vDSO, the stage).
 * Without randomization a colliding object slides down below what it hit,
 * as the kernel's top-down mmap would place it.
 */
#include "loader.h"
#include "exec_arch.h"

static uint64_t random_offset(const struct layout_env *env, uint64_t rnd)
{
	if (!env->randomize)
		return 0;
	return (rnd & ((1ULL << env->rnd_bits) - 1)) * LT_PAGE_SIZE;
}

uint64_t layout_alignment(const struct lt_elf_info *info)
{
	return info->max_align > LT_PAGE_SIZE ? info->max_align : LT_PAGE_SIZE;
}

uintptr_t layout_program_bias(const struct lt_elf_info *info, int is_dyn,
			      const struct layout_env *env, uint64_t rnd)
{
	if (!is_dyn)
		return 0;
	uint64_t base = EXEC_ET_DYN_BASE + random_offset(env, rnd);
	return (base - info->lo) & ~(layout_alignment(info) - 1);
}

uintptr_t layout_interp_bias(const struct lt_elf_info *info, int is_dyn,
			     const struct layout_env *env, uint64_t rnd)
{
	if (!is_dyn)
		return 0;
	uint64_t span = info->hi - info->lo;
	uint64_t top = env->stack_end - env->stack_gap - random_offset(env, rnd);
	if (top < span + info->lo)
		return 0; /* no room below the stack: layout_fits refuses it */
	return (top - span - info->lo) & ~(layout_alignment(info) - 1);
}

uint64_t layout_brk(uint64_t image_end, const struct layout_env *env, uint64_t rnd)
{
	uint64_t start = page_up(image_end);
	if (env->randomize >= 2)
		start += rnd % (EXEC_BRK_RANDOM_RANGE / LT_PAGE_SIZE) * LT_PAGE_SIZE;
	return start;
}

/* The first kept range that [start, end) overlaps, or NULL. */
static const struct stage_range *collision(uint64_t start, uint64_t end,
					   const struct layout_env *env)
{
	for (unsigned i = 0; i < env->nkeep; i++)
		if (start < env->keep[i].end && env->keep[i].start < end)
			return &env->keep[i];
	return 0;
}

int layout_fits(uint64_t start, uint64_t end, const struct layout_env *env)
{
	return start < end && start >= env->mmap_min_addr && end <= EXEC_USER_TOP &&
	       !collision(start, end, env);
}

uint64_t layout_slide_down(uint64_t start, uint64_t end, uint64_t align,
			   const struct layout_env *env)
{
	uint64_t size = end - start;
	for (unsigned tries = 0; tries <= env->nkeep; tries++) {
		const struct stage_range *hit = collision(start, end, env);
		if (!hit)
			return layout_fits(start, end, env) ? start : 0;
		if (hit->start < size)
			return 0;
		start = (hit->start - size) & ~(align - 1);
		end = start + size;
	}
	return 0;
}

unsigned layout_unmap_ranges(const struct stage_range *keep, unsigned nkeep, uint64_t top,
			     struct stage_range *out)
{
	unsigned n = 0;
	uint64_t from = 0;
	for (unsigned i = 0; i < nkeep; i++) {
		if (keep[i].start > from)
			out[n++] = (struct stage_range){from, keep[i].start};
		if (keep[i].end > from)
			from = keep[i].end;
	}
	if (top > from)
		out[n++] = (struct stage_range){from, top};
	return n;
}
