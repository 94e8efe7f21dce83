/*
 * The registry of libc adapters, and the rule "one libc per process".
 *
 * Start-up begins with no libc.  Each object of the initial set is shown to
 * every adapter in turn; the first that claims it (by its DT_NEEDED
 * entries, or as the libc's own file) becomes the process's libc.  An
 * object another adapter claims is refused before any code runs, naming
 * the object and the libc it needs.  Because the decision can come from any object, not only the
 * program, a program without libc whose library needs musl's gets musl's
 * adapter, as it would under musl's own loader.
 */
#include "rtld.h"
#include "libc.h"
#include "load.h"
#include "trace.h"
#include "ld-teach/adapter.h"

_Static_assert(LT_DLERROR_MAX == LT_ERROR_MAX, "an error slot holds one error line");

/* The registry: one line per libc.  lt_no_libc is implied, last. */
#define LT_LIBC_ADAPTERS(X) X(lt_musl_adapter) X(lt_glibc_adapter)

#define DECLARE(a) extern const struct lt_libc_adapter a;
#define ENTRY(a) &a,
LT_LIBC_ADAPTERS(DECLARE)
static const struct lt_libc_adapter *const adapters[] = {LT_LIBC_ADAPTERS(ENTRY)};

const struct lt_libc_adapter *lt_libc_claimant(const struct lt_object *obj)
{
	for (size_t i = 0; i < sizeof adapters / sizeof *adapters; i++)
		if (adapters[i]->claims(obj))
			return adapters[i];
	return &lt_no_libc;
}

/* The libc's rule for origins, for `obj` and, when the libc was just
 * decided, the objects made before it was. */
static void fix_origins(struct lt_object *obj, int decided)
{
	if (!lt.libc->absolute_origins)
		return;
	for (struct lt_object *o = decided ? lt.head : 0; o; o = o->next)
		lt_object_fix_origin(o);
	lt_object_fix_origin(obj);
}

int lt_libc_note(struct lt_object *obj)
{
	const struct lt_libc_adapter *wants = lt_libc_claimant(obj);
	if (wants == &lt_no_libc || wants == lt.libc) {
		fix_origins(obj, 0);
		return 0;
	}
	if (lt.libc == &lt_no_libc && !lt.started) {
		lt.libc = wants;
		trace_libc(wants->name, obj);
		if (wants->first_entries)
			lt_env_take_first_entries();
		fix_origins(obj, 1);
		return 0;
	}
	lt_error("%s: built for %s, but this process uses %s", obj->path, wants->name,
		 lt.libc == &lt_no_libc ? "no libc" : lt.libc->name);
	return -1;
}

const char *lt_libc_own_file(const struct lt_object *obj)
{
	return lt.libc->own_file ? lt.libc->own_file(obj) : 0;
}

const char *lt_libc_served(const char *name)
{
	return lt.libc->serves ? lt.libc->serves(name) : 0;
}

int lt_libc_announce(struct lt_object *obj)
{
	if (obj->announced)
		return 0;
	obj->announced = 1;
	if (lt_libc_call(object_added, obj) < 0) {
		obj->announced = 0;  /* (asked again, it fails again, and says why) */
		return -1;
	}
	return 0;
}

/* (Twice when audit modules start the libc before the program's libraries are loaded.) */
int lt_libc_adopt_initial(void)
{
	static int adopted;
	if (!adopted) {
		adopted = 1;
		if (lt.libc == &lt_no_libc)
			trace_libc(lt.libc->name, 0);
		if (lt.libc->supported && !lt.libc->supported())
			return -1;
	}
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (lt_libc_announce(o) < 0)
			return -1;
	return 0;
}

int lt_libc_admit(struct lt_object *const *order, size_t n)
{
	for (size_t i = 0; i < n && lt.libc->admit; i++)
		if (!order[i]->init_started && lt.libc->admit(order[i]) < 0)
			return -1;
	return 0;
}
