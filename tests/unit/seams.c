/*
 * Link seams: the few core symbols the modules under test reach for, which
 * the unit-test binary provides itself instead of linking their real home.
 */
#include <stdlib.h>
#include "rtld.h"
#include "alloc.h"
#include "debug.h"

/* The loader's global state lives in boot.c, whose start-up code (self
 * relocation, the initial stack) cannot run in a hosted process.  The tests
 * fill in what they need (lt.head for lt_versions_check). */
struct lt_state lt;

/* object.c is about mapping files, and at -O1 gcc wrongly thinks its
 * map_validated may use `base` uninitialized, which -Werror refuses.  The
 * modules under test only ask it whether a range lies inside one of an
 * object's segments; the tests give each fake object its segments, and this
 * answers that question over them. */
const struct lt_segment *lt_object_segment(const struct lt_object *obj, uintptr_t addr, size_t len)
{
	for (unsigned i = 0; i < obj->nsegs; i++) {
		const struct lt_segment *s = &obj->segs[i];
		if (addr >= s->start && addr <= s->end && len <= s->end - addr)
			return s;
	}
	return NULL;
}

/* The core allocator carves blocks out of arenas it maps with raw system
 * calls, where memcheck sees neither the blocks nor their leaks.  calloc
 * keeps the contract (zeroed memory) and lets valgrind watch every block. */
void *lt_alloc(size_t size)
{
	return calloc(1, size);
}

void lt_free(void *p)
{
	free(p);
}

/* Tracing stays off: debug.c reads LD_DEBUG through the loader's own
 * environment pointer, which only start-up sets. */
unsigned lt_debug_mask;

void lt_debug_print(const char *fmt, ...)
{
	(void)fmt;
}
