/*
 * Where ld-teach-exec puts the new image (loader/layout.c): the kernel's
 * rules for x86_64 (fs/binfmt_elf.c, arch/x86/mm/mmap.c) on given random
 * numbers.  Addresses are written out as numbers: ET_DYN programs at two
 * thirds of the 47-bit user space (0x555555554aaa, page-aligned down), the
 * interpreter below the stack's gap.
 */
#include <time.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
/* loader.h brings the kernel's <linux/time.h>, whose types glibc's <time.h> defines too. */
#define _LINUX_TIME_H
#include "loader.h"

#define USER_TOP 0x7ffffffff000UL
#define STACK_END 0x7ffffffde000UL
#define GAP 0x8800000UL

static struct stage_range keep[2];
static struct layout_env env;
static struct lt_elf_info info;

static void setup(void)
{
	keep[0] = (struct stage_range){0x7ffff7fc0000, 0x7ffff7fc4000};  /* the vDSO */
	keep[1] = (struct stage_range){0x7ffffffdd000, 0x7ffffffff000};  /* the stack */
	env = (struct layout_env){.randomize = 2, .rnd_bits = 28, .mmap_min_addr = 0x10000,
				  .stack_gap = GAP, .stack_end = STACK_END, .keep = keep,
				  .nkeep = 2};
	info = (struct lt_elf_info){.lo = 0, .hi = 0x5000, .max_align = 0x1000};
}

TestSuite(layout, .init = setup);

Test(layout, alignment_is_the_largest_p_align_and_at_least_a_page)
{
	cr_expect(eq(u64, layout_alignment(&info), 0x1000));
	info.max_align = 0x200000;
	cr_expect(eq(u64, layout_alignment(&info), 0x200000));
	info.max_align = 16;
	cr_expect(eq(u64, layout_alignment(&info), 0x1000));
}

Test(layout, programs_go_at_two_thirds_plus_random_pages)
{
	cr_expect(eq(u64, layout_program_bias(&info, 0, &env, 5), 0), "ET_EXEC: where it says");
	cr_expect(eq(u64, layout_program_bias(&info, 1, &env, 0), 0x555555554000));
	cr_expect(eq(u64, layout_program_bias(&info, 1, &env, 3), 0x555555557000));
	/* Only rnd_bits of the random number count. */
	cr_expect(eq(u64, layout_program_bias(&info, 1, &env, (1UL << 28) | 3), 0x555555557000));
	env.randomize = 0;
	cr_expect(eq(u64, layout_program_bias(&info, 1, &env, 3), 0x555555554000));
	env.randomize = 1;
	info.max_align = 0x200000;
	cr_expect(eq(u64, layout_program_bias(&info, 1, &env, 0), 0x555555400000));
	info.lo = 0x400000;
	cr_expect(eq(u64, layout_program_bias(&info, 1, &env, 0), 0x555555000000));
}

Test(layout, the_interpreter_goes_below_the_stack_gap)
{
	/* STACK_END - GAP - 0x5000, page-aligned */
	cr_expect(eq(u64, layout_interp_bias(&info, 1, &env, 0), 0x7ffff77d9000));
	cr_expect(eq(u64, layout_interp_bias(&info, 1, &env, 2), 0x7ffff77d7000));
	cr_expect(eq(u64, layout_interp_bias(&info, 0, &env, 2), 0));
	env.randomize = 0;
	cr_expect(eq(u64, layout_interp_bias(&info, 1, &env, 2), 0x7ffff77d9000));
	env.randomize = 2;
	/* The span [lo, hi) ends at the same place. */
	info.lo = 0x1000;
	cr_expect(eq(u64, layout_interp_bias(&info, 1, &env, 0), 0x7ffff77d9000));
	/* No room below the stack: 0, which layout_fits refuses. */
	env.stack_end = GAP + 0x4fff;
	cr_expect(eq(u64, layout_interp_bias(&info, 1, &env, 0), 0));
	env.stack_end = GAP + 0x6000;
	cr_expect(eq(u64, layout_interp_bias(&info, 1, &env, 0), 0x1000));
}

Test(layout, brk_follows_the_image_and_moves_only_with_full_randomization)
{
	cr_expect(eq(u64, layout_brk(0x555555559001, &env, 7), 0x55555555a000 + 7 * 0x1000));
	cr_expect(eq(u64, layout_brk(0x555555559000, &env, 0x40000 + 7), 0x555555559000 + 7 * 0x1000),
		  "up to 1 GiB: 0x40000 pages");
	env.randomize = 1;
	cr_expect(eq(u64, layout_brk(0x555555559001, &env, 7), 0x55555555a000));
}

Test(layout, fits_inside_the_address_space_and_clear_of_kept_ranges)
{
	cr_expect(eq(int, layout_fits(0x10000, 0x20000, &env), 1));
	cr_expect(eq(int, layout_fits(0xf000, 0x20000, &env), 0), "below mmap_min_addr");
	cr_expect(eq(int, layout_fits(0x20000, 0x20000, &env), 0), "empty");
	cr_expect(eq(int, layout_fits(USER_TOP - 0x1000, USER_TOP, &env), 0), "the stack is kept");
	env.nkeep = 0;
	cr_expect(eq(int, layout_fits(USER_TOP - 0x1000, USER_TOP, &env), 1));
	cr_expect(eq(int, layout_fits(USER_TOP - 0x1000, USER_TOP + 0x1000, &env), 0));
	env.nkeep = 2;
	cr_expect(eq(int, layout_fits(0x7ffff7fbc000, 0x7ffff7fc0000, &env), 1), "just below the vDSO");
	cr_expect(eq(int, layout_fits(0x7ffff7fbc000, 0x7ffff7fc0001, &env), 0));
	cr_expect(eq(int, layout_fits(0x7ffff7fc4000, 0x7ffff7fc8000, &env), 1), "just above it");
	cr_expect(eq(int, layout_fits(0x7ffff7fc3fff, 0x7ffff7fc8000, &env), 0));
}

Test(layout, a_colliding_object_slides_down_below_what_it_hit)
{
	cr_expect(eq(u64, layout_slide_down(0x7ffff7fbc000, 0x7ffff7fc0000, 0x1000, &env),
		     0x7ffff7fbc000), "no collision: stays");
	cr_expect(eq(u64, layout_slide_down(0x7ffff7fc2000, 0x7ffff7fc6000, 0x1000, &env),
		     0x7ffff7fbc000));
	cr_expect(eq(u64, layout_slide_down(0x7ffff7fc2000, 0x7ffff7fc6000, 0x10000, &env),
		     0x7ffff7fb0000), "aligned down");
	cr_expect(eq(u64, layout_slide_down(0x7ffffffdc000, 0x7ffffffe0000, 0x1000, &env),
		     0x7ffffffd9000));
	cr_expect(eq(u64, layout_slide_down(0x1000, 0x9000, 0x1000, &env), 0), "below mmap_min_addr");
	keep[0] = (struct stage_range){0x3000, 0x4000};
	env.nkeep = 1;
	cr_expect(eq(u64, layout_slide_down(0x2000, 0x6000, 0x1000, &env), 0), "no room below");
}

Test(layout, a_slide_may_meet_every_kept_range_in_turn)
{
	static struct stage_range three[3] = {{0x400000, 0x401000}, {0x402000, 0x403000},
					      {0x404000, 0x405000}};
	env.keep = three;
	env.nkeep = 3;
	cr_expect(eq(u64, layout_slide_down(0x404000, 0x406000, 0x1000, &env), 0x3fe000));
}

Test(layout, what_is_unmapped_is_the_complement_of_what_stays)
{
	struct stage_range out[4];
	unsigned n = layout_unmap_ranges(keep, 2, USER_TOP, out);
	cr_assert(eq(uint, n, 2));
	cr_expect(eq(u64, out[0].start, 0));
	cr_expect(eq(u64, out[0].end, 0x7ffff7fc0000));
	cr_expect(eq(u64, out[1].start, 0x7ffff7fc4000));
	cr_expect(eq(u64, out[1].end, 0x7ffffffdd000));
	static const struct stage_range overlapping[2] = {{0x1000, 0x5000}, {0x2000, 0x3000}};
	n = layout_unmap_ranges(overlapping, 2, 0x8000, out);
	cr_assert(eq(uint, n, 2));
	cr_expect(eq(u64, out[0].end, 0x1000));
	cr_expect(eq(u64, out[1].start, 0x5000));
	cr_expect(eq(u64, out[1].end, 0x8000));
}
