/*
 * Constructor and destructor order for glibc programs, as glibc 2.36's
 * loader sorts (its default, depth-first algorithm).
 *
 * Constructors: the objects are taken as roots in the reverse of their
 * breadth-first load order, each root's dependencies visited depth-first
 * in DT_NEEDED order, and every object emitted once all it needs is; the
 * root of the whole set (the program, or the object dlopen opened) comes
 * last.  For a program needing a, b, c and v, each needing d, that is
 * d v c b a, where the core's own order (musl's) gives d a b c v.  The same
 * order serves relocation (dependencies first).
 *
 * Destructors, as its _dl_fini and dlclose sort: every loaded object is
 * taken as a root, from the last loaded to the first, and visited
 * depth-first through its DT_NEEDED entries, then the objects it bound
 * symbols to at run time (the latest first); an object is placed before
 * everything its visit reached, so its destructor runs before those of
 * what it needs or bound to, and unrelated objects keep their load order
 * (the program first: it is never reached as a dependency).  When run-time
 * bindings took part, the result is sorted again by DT_NEEDED alone, so
 * that a cycle through them never runs a library's destructor before that
 * of an object needing it.
 */
#include "glibc.h"
#include "alloc.h"
#include "symbols.h"

struct walk {
	struct lt_object **next;  /* where the next object visited goes */
	long step;                /* +1: emitted in order; -1: backwards */
	uint8_t *seen;            /* by serial */
	struct frame { struct lt_object *obj; size_t next; } *stack;
	int with_bindings, saw_bindings;
};

static int walk_init(struct walk *w, struct lt_object **next, long step, int with_bindings)
{
	size_t cap = lt.nobjects + 1;
	*w = (struct walk){next, step, lt_alloc(cap), lt_alloc(cap * sizeof *w->stack), with_bindings, 0};
	return w->seen && w->stack ? 0 : -1;
}

static void walk_free(struct walk *w)
{
	lt_free(w->seen), lt_free(w->stack);
}

/* Child i of o: its DT_NEEDED entries, then (with_bindings) what it bound to, the latest first. */
static struct lt_object *child(const struct walk *w, const struct lt_object *o, size_t i)
{
	if (i < o->nneeded)
		return o->needed[i];
	i -= o->nneeded;
	return w->with_bindings && i < o->reldeps.n ? o->reldeps.objs[o->reldeps.n - 1 - i] : 0;
}

/* Depth-first from `root`, emitting each object after all it reaches,
 * without recursion: a long chain must not exhaust a small stack. */
static void visit(struct walk *w, struct lt_object *root)
{
	size_t depth = 0;
	w->seen[root->serial] = 1;
	w->stack[depth++] = (struct frame){root, 0};
	while (depth) {
		struct frame *f = &w->stack[depth - 1];
		struct lt_object *dep = child(w, f->obj, f->next);
		if (dep) {
			w->saw_bindings |= ++f->next > f->obj->nneeded;
			if (!w->seen[dep->serial] && dep->kind != LT_MAIN) {
				w->seen[dep->serial] = 1;
				w->stack[depth++] = (struct frame){dep, 0};
			}
			continue;
		}
		*w->next = f->obj;
		w->next += w->step;
		depth--;
	}
}

struct lt_object **lt_glibc_init_order(struct lt_object *root, size_t *count)
{
	size_t n;
	struct lt_object **bfs = lt_dependency_order(root, &n);
	struct lt_object **out = lt_alloc((lt.nobjects + 1) * sizeof *out);
	struct walk w;
	if (walk_init(&w, out, 1, 0) < 0 || !bfs || !out) {
		walk_free(&w), lt_free(bfs), lt_free(out);
		return 0;
	}
	w.seen[root->serial] = 1;  /* the root is initialised last, whatever needs it */
	for (size_t i = n; i-- > 1;)
		if (!w.seen[bfs[i]->serial])
			visit(&w, bfs[i]);
	*w.next++ = root;
	*count = w.next - out;
	walk_free(&w), lt_free(bfs);
	return out;
}

/* Sort objs[0..n) into out[0..n), filled backwards, roots from the last object to the first. */
static int fini_pass(struct lt_object **objs, struct lt_object **out, size_t n, int with_bindings)
{
	struct walk w;
	if (walk_init(&w, out + n - 1, -1, with_bindings) < 0)
		lt_fatal("out of memory ordering destructors");
	for (size_t i = n; i-- > 0 && w.next >= out;)
		if (!w.seen[objs[i]->serial])
			visit(&w, objs[i]);
	walk_free(&w);
	return w.saw_bindings;
}

void lt_glibc_fini_order(struct lt_object **objs, size_t n)
{
	struct lt_object **sorted = lt_alloc(n * sizeof *sorted);
	if (!sorted)
		lt_fatal("out of memory ordering destructors");
	if (fini_pass(objs, sorted, n, 1))
		fini_pass(sorted, objs, n, 0);
	else
		memcpy(objs, sorted, n * sizeof *objs);
	lt_free(sorted);
}
