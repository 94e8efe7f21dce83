/*
 * Link seams: the few core symbols the modules under test reach for, which
 * the unit-test binary provides itself instead of linking their real home.
 */
#include <stdlib.h>
#include "rtld.h"
#include "alloc.h"

/* The loader's global state lives in boot.c, whose start-up code (self
 * relocation, the initial stack) cannot run in a hosted process.  The tests
 * fill in what they need (lt.head for lt_versions_check). */
struct lt_state lt;

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
