/*
 * Link seams: the few core symbols the modules under test reach for, which
 * the unit-test binary provides itself instead of linking their real home.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rtld.h"
#include "alloc.h"
#include "audit.h"

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

/* New bytes are zero, as the core's.  (Under memcheck a block's usable
 * size is the size asked for.) */
void *lt_realloc(void *p, size_t size)
{
	size_t old = p ? malloc_usable_size(p) : 0;
	void *q = realloc(p, size);
	if (q && size > old)
		memset((char *)q + old, 0, size - old);
	return q;
}

/* The tests run under memcheck: strings are compared a byte at a time,
 * as ld-teach does there (memcheck.c). */
int lt_exact_strings = 1;

/* str.c stays out (see unit.mk), and glibc 2.36 has no strlcpy. */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);
	if (size) {
		size_t k = n < size - 1 ? n : size - 1;
		memcpy(dst, src, k);
		dst[k] = 0;
	}
	return n;
}

/* object.c maps and parses objects; search.c wants only this of it: the
 * directory of the object's file (the tests give no program of their own). */
void lt_object_origin(const struct lt_object *obj, char *out, size_t size)
{
	const char *slash = strrchr(obj->path, '/');
	if (slash)
		snprintf(out, size, "%.*s", (int)(slash - obj->path), obj->path);
	else
		snprintf(out, size, ".");
}

/* lookup.c records a lookup fault, which version.c reports for a DT_VERSYM
 * entry out of range; lookup.c itself needs the symbol index and the rest
 * of the core.  The tests read lt.lookup_faulted. */
void lt_lookup_fault(const struct lt_object *obj, const char *what, size_t at)
{
	(void)obj, (void)what, (void)at;
	lt.lookup_faulted = 1;
}

/* audit.c loads modules and calls them; search.c asks it about each path
 * it tries.  The tests turn the audit on (lt_audit_count), see each
 * question in lt_audit_seam_log, and may have a name refused. */
unsigned lt_audit_count;
FILE *lt_audit_seam_log;
const char *lt_audit_seam_refuse;

const char *lt_audit_objsearch(const char *name, const struct lt_object *requester,
			       unsigned where)
{
	(void)requester;
	if (lt_audit_seam_log)
		fprintf(lt_audit_seam_log, "%s %u\n", name, where);
	return lt_audit_seam_refuse && strstr(name, lt_audit_seam_refuse) ? NULL : name;
}

/* boot.c's moves the rest of the initial stack (the environment's end,
 * the auxiliary vector) down over the n words at `at`; a test's
 * environment ends at its NULL. */
void lt_stack_remove(uintptr_t *at, size_t n)
{
	size_t rest = 0;
	while (at[n + rest])
		rest++;
	memmove(at, at + n, (rest + 1) * sizeof *at);
}
