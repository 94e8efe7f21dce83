/*
 * dlclose: which objects stay and which go.
 *
 * An object stays while it was loaded at start-up, is NODELETE, has an
 * open dlopen handle, or is needed (DT_NEEDED) by, or had a symbol bound to
 * it by, an object that stays.  After each dlclose the objects that dlopen
 * brought are marked from those roots; the rest are unloaded: destructors
 * first (in the reverse of construction), then their TLS is released, their
 * mappings removed and their records freed.  All under the loader lock,
 * which lazy binding also takes, so a first call elsewhere never walks a
 * scope that is being torn down.
 */
#include "rtld.h"
#include "alloc.h"
#include "debug.h"
#include "libc.h"
#include "str.h"
#include "symindex.h"
#include "sys.h"
#include "ld-teach/adapter.h"

int lt_note_binding(struct lt_object *from, struct lt_object *to)
{
	if (to->initial || to == from)
		return 0;  /* start-up objects never go away */
	for (size_t i = 0; i < from->nneeded; i++)
		if (from->needed[i] == to)
			return 0;
	for (size_t i = 0; i < from->reldeps.n; i++)
		if (from->reldeps.objs[i] == to)
			return 0;
	return lt_scope_add(&from->reldeps, to);
}

enum keep_reason { GOES, KEPT_INITIAL, KEPT_NODELETE, KEPT_OPEN, KEPT_NEEDED, KEPT_BOUND };

struct keep {
	unsigned char reason;
	struct lt_object *by;  /* for KEPT_NEEDED and KEPT_BOUND */
};

static enum keep_reason root_reason(const struct lt_object *o)
{
	if (o->initial)
		return KEPT_INITIAL;
	if (o->nodelete)
		return KEPT_NODELETE;
	return o->dl_refs ? KEPT_OPEN : GOES;
}

/* Mark everything reachable from the roots, breadth-first. */
static void mark_kept(struct keep *keep, struct lt_object **queue)
{
	size_t head = 0, tail = 0;
	for (struct lt_object *o = lt.head; o; o = o->next) {
		keep[o->serial].reason = root_reason(o);
		if (keep[o->serial].reason != GOES)
			queue[tail++] = o;
	}
	while (head < tail) {
		struct lt_object *o = queue[head++];
		const struct lt_scope edges[2] = {{o->needed, o->nneeded, 0}, o->reldeps};
		for (int e = 0; e < 2; e++)
			for (size_t i = 0; i < edges[e].n; i++) {
				struct lt_object *d = edges[e].objs[i];
				if (keep[d->serial].reason != GOES)
					continue;
				keep[d->serial] = (struct keep){e ? KEPT_BOUND : KEPT_NEEDED, o};
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
		const struct lt_object *o = group[i];
		const struct keep *k = &keep[o->serial];
		switch (k->reason) {
		case GOES:
			break;
		case KEPT_INITIAL:
			if (o == closed)
				lt_debug_print("file=%s [0];  not unloaded: loaded at start-up", o->path);
			break;
		case KEPT_NODELETE:
			lt_debug_print("file=%s [0];  not unloaded: NODELETE", o->path);
			break;
		case KEPT_OPEN:
			lt_debug_print("file=%s [0];  not unloaded: %u dlopen handle%s still open",
				       o->path, o->dl_refs, o->dl_refs > 1 ? "s" : "");
			break;
		case KEPT_NEEDED:
		case KEPT_BOUND:
			lt_debug_print("file=%s [0];  not unloaded: %s by %s, which stays", o->path,
				       k->reason == KEPT_NEEDED ? "needed" : "bound to", k->by->path);
			break;
		}
	}
	lt_free(group);
}

static void remove_from_global_scope(struct lt_object *o)
{
	lt_symindex_remove(o);
	for (size_t i = 0; i < lt.global.n; i++)
		if (lt.global.objs[i] == o) {
			memmove(&lt.global.objs[i], &lt.global.objs[i + 1],
				(lt.global.n - i - 1) * sizeof *lt.global.objs);
			lt.global.n--;
			return;
		}
}

static void unlink_object(struct lt_object *o)
{
	if (o->prev)
		o->prev->next = o->next;
	else
		lt.head = o->next;
	if (o->next)
		o->next->prev = o->prev;
	else
		lt.tail = o->prev;
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
	}
}

static void release_tls(struct lt_object *o)
{
	if (!o->tls.modid)
		return;
	if (lt.adapter)
		lt.adapter->tls_remove(o->tls.modid);
	lt_tls_release(o);
}

static void unload(struct lt_object **victims, size_t n)
{
	lt_debugger_notify(LT_RT_DELETE);
	lt_run_finalizers_of_dying();
	repair_survivors();
	for (size_t i = 0; i < n; i++) {
		struct lt_object *o = victims[i];
		lt_debug(LT_DBG_FILES, "file=%s [0];  unloading: nothing keeps it any more", o->path);
		release_tls(o);
		if (o->in_global)
			remove_from_global_scope(o);
		unlink_object(o);
		if (o->map_len)
			sys_munmap((void *)o->map_start, o->map_len);
		lt_object_free(o);
	}
	lt.objects_removed += n;
	lt_debugger_notify(LT_RT_CONSISTENT);
}

int lt_unload_unreachable(struct lt_object *closed)
{
	size_t cap = lt.nobjects + 1, n = 0;
	struct keep *keep = lt_alloc(cap * sizeof *keep);
	struct lt_object **queue = lt_alloc(cap * sizeof *queue);
	if (!keep || !queue) {
		lt_free(keep), lt_free(queue);
		lt_error("%s: out of memory while closing", closed->path);
		return -1;
	}
	mark_kept(keep, queue);
	if (lt_debug_on(LT_DBG_FILES))
		explain_kept(keep, closed);
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (keep[o->serial].reason == GOES) {
			o->dying = 1;
			queue[n++] = o;  /* reused: the victims, in load order */
		}
	if (n)
		unload(queue, n);
	lt_free(keep);
	lt_free(queue);
	return 0;
}
