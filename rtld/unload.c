/*
 * Taking objects down: after dlclose, and after a dlopen that failed.
 *
 * An object stays while it was loaded at start-up, is NODELETE, has an
 * open dlopen handle, or is needed (DT_NEEDED) by, or had a symbol bound to
 * it by, an object that stays.  After each dlclose the objects that dlopen
 * brought are marked from those roots; the rest are marked dying.  A
 * failed dlopen marks everything it brought dying.  Either way one path,
 * lt_unload_dying, takes them down: destructors first (in the reverse of
 * construction, for those whose constructors ran), then their TLS is
 * released, the adapter told, their mappings removed and their records
 * freed.  All under the loader lock, which lazy binding also takes, so a
 * first call elsewhere never walks a scope that is being torn down.
 *
 * Destructors may themselves dlclose and dlopen; no object is unmapped
 * while its code runs, because
 *   - one take-down runs at a time: a dlclose from a destructor only drops
 *     its handle, and the take-down whose destructor it was looks again
 *     once all of its destructors have returned, taking down in a round of
 *     its own what that handle kept (glibc's dlclose reruns the same way);
 *     a dlopen that fails in a destructor takes down only what it brought,
 *     none of whose constructors ran; and no dlopen finds a dying object
 *     (load.c), so a destructor that opens one gets a copy of its own;
 *   - nothing is unloaded once exit has begun: the finaliser holds every
 *     object and runs each destructor once (init.c), so a dlclose from a
 *     destructor at exit only drops its handle, as glibc's _dl_fini makes
 *     it do by raising every open count first.
 */
#include "rtld.h"
#include "alloc.h"
#include "audit.h"
#include "init.h"
#include "libc.h"
#include "load.h"
#include "lock.h"
#include "str.h"
#include "symbols.h"
#include "symindex.h"
#include "sys.h"
#include "tls.h"
#include "trace.h"

/* Lookups note bindings while holding the loader lock only for reading. */
static struct lt_mutex reldeps_lock;

static int already_kept_by(const struct lt_object *from, const struct lt_object *to)
{
	for (size_t i = 0; i < from->nneeded; i++)
		if (from->needed[i] == to)
			return 1;
	return lt_scope_has(&from->reldeps, to);
}

int lt_note_binding(struct lt_object *from, struct lt_object *to)
{
	if (to->initial || to == from)
		return 0;  /* start-up objects never go away */
	lt_mutex_lock(&reldeps_lock);
	int r = already_kept_by(from, to) ? 0 : lt_scope_add(&from->reldeps, to);
	lt_mutex_unlock(&reldeps_lock);
	return r;
}

struct keep {
	unsigned char reason;  /* enum lt_keep_reason */
	struct lt_object *by;  /* for LT_KEPT_NEEDED and LT_KEPT_BOUND */
};

static enum lt_keep_reason root_reason(const struct lt_object *o)
{
	if (o->initial)
		return LT_KEPT_INITIAL;
	if (lt.exiting)
		return LT_KEPT_EXITING;
	if (o->nodelete)
		return LT_KEPT_NODELETE;
	return o->dl_refs ? LT_KEPT_OPEN : LT_GOES;
}

/* Mark everything reachable from the roots, breadth-first. */
static void mark_kept(struct keep *keep, struct lt_object **queue)
{
	size_t head = 0, tail = 0;
	for (struct lt_object *o = lt.head; o; o = o->next) {
		keep[o->serial].reason = root_reason(o);
		if (keep[o->serial].reason != LT_GOES)
			queue[tail++] = o;
	}
	while (head < tail) {
		struct lt_object *o = queue[head++];
		const struct lt_scope edges[2] = {{o->needed, o->nneeded, 0}, o->reldeps};
		for (int e = 0; e < 2; e++)
			for (size_t i = 0; i < edges[e].n; i++) {
				struct lt_object *d = edges[e].objs[i];
				if (keep[d->serial].reason != LT_GOES)
					continue;
				keep[d->serial] = (struct keep){e ? LT_KEPT_BOUND : LT_KEPT_NEEDED, o};
				queue[tail++] = d;
			}
	}
}

/* LD_DEBUG=files: why the objects of a closed handle's group stay. */
static void explain_kept(const struct keep *keep, struct lt_object *closed)
{
	size_t n;
	struct lt_object **group = lt_dependency_order(closed, &n);
	for (size_t i = 0; group && i < n; i++) {
		const struct keep *k = &keep[group[i]->serial];
		trace_kept(group[i], group[i] == closed, k->reason, k->by);
	}
	lt_free(group);
}

static void remove_from_global_scope(struct lt_object *o)
{
	lt_symindex_remove(o);
	lt_scope_remove(&lt.global, o);
}

/* Survivors must not keep pointers into the records about to be freed. */
static void repair_survivors(void)
{
	for (struct lt_object *o = lt.head; o; o = o->next) {
		if (o->dying)
			continue;
		if (o->loader && o->loader->dying)
			o->loader = lt.main;  /* its RPATH chain now starts at the program */
		if (o->local_owner && o->local_owner->dying)
			lt_give_own_scope(o);
		for (size_t i = o->later_roots.n; i-- > 0;)
			if (o->later_roots.objs[i]->dying)
				lt_scope_remove(&o->later_roots, o->later_roots.objs[i]);
	}
}

static void release_tls(struct lt_object *o)
{
	if (!o->tls.modid)
		return;
	lt_libc_do(tls_remove, o);
	lt_tls_release(o);
}

static void take_down(struct lt_object *o)
{
	trace_unloading(o);
	lt_libc_do(object_removing, o);
	release_tls(o);
	if (o->in_global)
		remove_from_global_scope(o);
	lt_unique_forget(o);
	lt_forget_identity(o);
	lt_object_unlink(o);
	lt_object_free(o);
}

void lt_unload_dying(struct lt_object *first)
{
	lt_run_finalizers_of_dying();
	int any = 0;
	for (struct lt_object *o = first; o; o = o->next)
		if (o->dying) {
			any = 1;
			lt_audit_objclose(o);  /* (those never constructed; the rest have been told) */
		}
	if (any)
		lt_audit_deleting();
	lt_debugger_notify(LT_RT_DELETE);
	repair_survivors();
	for (struct lt_object *o = first, *next; o; o = next) {
		next = o->next;
		if (o->dying)
			take_down(o);
	}
	lt_debugger_notify(LT_RT_CONSISTENT);
	lt_audit_consistent();
}

/* One round: mark what stays, take down the rest.  `closed` (or NULL)
 * names the handle whose group LD_DEBUG=files explains. */
static int unload_round(struct lt_object *closed)
{
	size_t cap = lt.nobjects + 1;
	int any = 0;
	struct keep *keep = lt_alloc(cap * sizeof *keep);
	struct lt_object **queue = lt_alloc(cap * sizeof *queue);
	if (!keep || !queue) {
		lt_free(keep), lt_free(queue);
		lt_error("%s: out of memory while closing", closed ? closed->path : "dlclose");
		return -1;
	}
	mark_kept(keep, queue);
	if (closed && lt_debug_on(LT_DBG_FILES))
		explain_kept(keep, closed);
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (keep[o->serial].reason == LT_GOES)
			any = o->dying = 1;
	lt_free(keep);
	lt_free(queue);
	if (any)
		lt_unload_dying(lt.head);
	return 0;
}

int lt_unload_unreachable(struct lt_object *closed)
{
	static int unloading, look_again;
	if (unloading) {
		look_again = 1;  /* a destructor closed a handle: the running take-down looks again */
		return 0;
	}
	unloading = 1;
	int r = unload_round(closed);
	while (r == 0 && look_again) {
		look_again = 0;
		r = unload_round(0);
	}
	unloading = 0;
	return r;
}
