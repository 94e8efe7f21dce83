/*
 * The lean GOT path's check that a definition lies inside one of its
 * object's segments (lt_symindex_inside, rtld/symindex.h), with each
 * object's memory of the segment its last definition lay in.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <sys/mman.h>
#include "symindex.h"

static struct lt_segment segs[] = {
	{0x10000, 0x11000, PROT_READ},
	{0x11000, 0x13000, PROT_READ | PROT_EXEC},
	{0x14000, 0x14800, PROT_READ | PROT_WRITE},
};

static struct lt_object object(void)
{
	return (struct lt_object){.segs = segs, .nsegs = 3};
}

Test(symindex_inside, remembers_the_segment_of_the_last_definition)
{
	struct lt_object o = object();
	cr_assert(lt_symindex_inside(&o, 0x11800));
	cr_expect(eq(ptr, (void *)o.def_seg, &segs[1]));
	cr_assert(lt_symindex_inside(&o, 0x14000));
	cr_expect(eq(ptr, (void *)o.def_seg, &segs[2]), "a definition elsewhere moves the memory");
}

Test(symindex_inside, a_segment_ends_before_its_end_address)
{
	struct lt_object o = object();
	cr_assert(lt_symindex_inside(&o, 0x12fff));
	cr_expect(not(lt_symindex_inside(&o, 0x13000)), "one past the remembered segment's end");
	cr_expect(not(lt_symindex_inside(&o, 0x14800)), "one past the last segment's end");
}

Test(symindex_inside, a_segment_starts_at_its_start_address)
{
	struct lt_object o = object();
	cr_assert(lt_symindex_inside(&o, 0x12000));
	cr_expect(lt_symindex_inside(&o, 0x11000), "the remembered segment's first byte");
	cr_assert(lt_symindex_inside(&o, 0x10fff), "the last byte of the segment before");
	cr_expect(eq(ptr, (void *)o.def_seg, &segs[0]), "found in the segment that holds it");
}

Test(symindex_inside, the_gap_and_beyond_are_outside)
{
	struct lt_object o = object();
	cr_assert(lt_symindex_inside(&o, 0x10000));
	cr_expect(not(lt_symindex_inside(&o, 0x13800)), "between two segments");
	cr_expect(not(lt_symindex_inside(&o, 0xffff)), "before the first");
	cr_expect(eq(ptr, (void *)o.def_seg, &segs[0]), "a refused address leaves the memory alone");
}
