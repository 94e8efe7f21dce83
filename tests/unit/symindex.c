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

/* One lookup: the address, whether it is inside, and the segment
 * remembered after it (an index into segs). */
struct probe {
	uintptr_t addr;
	int inside;
	unsigned remembered;
	const char *what;
};

/* Lookups in turn on one object, which starts remembering nothing. */
struct sequence {
	const char *name;
	struct probe probes[3];
	size_t n;
};

static const struct sequence sequences[] = {
	{"remembers the segment of the last definition",
	 {{0x11800, 1, 1, "in the code"},
	  {0x14000, 1, 2, "a definition elsewhere moves the memory"}}, 2},
	{"a segment ends before its end address",
	 {{0x12fff, 1, 1, "the code's last byte"},
	  {0x13000, 0, 1, "one past the remembered segment's end"},
	  {0x14800, 0, 1, "one past the last segment's end"}}, 3},
	{"a segment starts at its start address",
	 {{0x12000, 1, 1, "in the code"},
	  {0x11000, 1, 1, "the remembered segment's first byte"},
	  {0x10fff, 1, 0, "the last byte of the segment before"}}, 3},
	{"the gap and beyond are outside",
	 {{0x10000, 1, 0, "the first segment's first byte"},
	  {0x13800, 0, 0, "between two segments"},
	  {0xffff, 0, 0, "before the first (the memory left alone)"}}, 3},
};

Test(symindex_inside, lookups_in_turn)
{
	for (size_t k = 0; k < sizeof sequences / sizeof *sequences; k++) {
		const struct sequence *q = &sequences[k];
		struct lt_object o = {.segs = segs, .nsegs = 3};
		for (size_t i = 0; i < q->n; i++) {
			const struct probe *p = &q->probes[i];
			cr_expect(eq(int, lt_symindex_inside(&o, p->addr), p->inside), "%s: %s (%#lx)",
				  q->name, p->what, (unsigned long)p->addr);
			cr_expect(eq(ptr, (void *)o.def_seg, (void *)&segs[p->remembered]),
				  "%s: %s: the segment remembered", q->name, p->what);
		}
	}
}
