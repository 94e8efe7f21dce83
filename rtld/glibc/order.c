/*
 * Constructor order for glibc programs, as glibc 2.36's loader sorts
 * (its default, depth-first algorithm): the objects are taken as roots in
 * the reverse of their breadth-first load order, each root's dependencies
 * visited depth-first in DT_NEEDED order, and every object emitted once
 * all it needs is; the root of the whole set (the program, or the object
 * dlopen opened) comes last.  For a program needing a, b, c and v, each
 * needing d, that is d v c b a, where the core's own order (musl's) gives
 * d a b c v.  The same order serves relocation (dependencies first).
 */
#include "glibc.h"
#include "alloc.h"
#include "symbols.h"

struct walk {
	struct lt_object **out;
	size_t n;
	uint8_t *seen;       /* by serial */
	struct frame { struct lt_object *obj; size_t next; } *stack;
};

/* Depth-first from `root`, without recursion: a long chain must not exhaust a small stack. */
static void visit(struct walk *w, struct lt_object *root)
{
	size_t depth = 0;
	w->seen[root->serial] = 1;
	w->stack[depth++] = (struct frame){root, 0};
	while (depth) {
		struct frame *f = &w->stack[depth - 1];
		if (f->next < f->obj->nneeded) {
			struct lt_object *dep = f->obj->needed[f->next++];
			if (!w->seen[dep->serial]) {
				w->seen[dep->serial] = 1;
				w->stack[depth++] = (struct frame){dep, 0};
			}
			continue;
		}
		w->out[w->n++] = f->obj;
		depth--;
	}
}

struct lt_object **lt_glibc_init_order(struct lt_object *root, size_t *count)
{
	size_t n, cap = lt.nobjects + 1;
	struct lt_object **bfs = lt_dependency_order(root, &n);
	struct walk w = {lt_alloc(cap * sizeof *w.out), 0, lt_alloc(cap), lt_alloc(cap * sizeof *w.stack)};
	if (!bfs || !w.out || !w.seen || !w.stack) {
		lt_free(bfs), lt_free(w.out), lt_free(w.seen), lt_free(w.stack);
		return 0;
	}
	w.seen[root->serial] = 1;  /* the root is initialised last, whatever needs it */
	for (size_t i = n; i-- > 1;)
		if (!w.seen[bfs[i]->serial])
			visit(&w, bfs[i]);
	w.out[w.n++] = root;
	lt_free(bfs), lt_free(w.seen), lt_free(w.stack);
	*count = w.n;
	return w.out;
}

/*
 * Destructor order for glibc programs, as glibc 2.36's _dl_fini and
 * dlclose sort (its depth-first algorithm, for finalisation): every loaded
 * object is taken as a root, from the last loaded to the first, and each
 * is visited depth-first through its DT_NEEDED entries, then the objects it
 * bound symbols to at run time (the latest first); an object is placed
 * before everything its visit reached, so its destructor runs before those
 * of what it needs or bound to, and unrelated objects keep their load
 * order (the program first: it is never reached as a dependency).  When
 * run-time bindings took part, the result is sorted again by DT_NEEDED
 * alone, so that a cycle through them never runs a library's destructor
 * before that of an object needing it.
 */
struct fini_walk {
	struct lt_object **head;  /* filled backwards */
	uint8_t *seen;            /* by serial */
	struct fini_frame { struct lt_object *obj; size_t next; } *stack;
	int with_bindings, saw_bindings;
};

/* Child i of o: its DT_NEEDED entries, then (with_bindings) its run-time bindings, latest first. */
static struct lt_object *fini_child(const struct fini_walk *w, const struct lt_object *o, size_t i)
{
	if (i < o->nneeded)
		return o->needed[i];
	i -= o->nneeded;
	return w->with_bindings && i < o->reldeps.n ? o->reldeps.objs[o->reldeps.n - 1 - i] : 0;
}

static void fini_visit(struct fini_walk *w, struct lt_object *root)
{
	size_t depth = 0;
	w->seen[root->serial] = 1;
	w->stack[depth++] = (struct fini_frame){root, 0};
	while (depth) {
		struct fini_frame *f = &w->stack[depth - 1];
		struct lt_object *dep = fini_child(w, f->obj, f->next);
		if (dep) {
			f->next++;
			w->saw_bindings |= f->next > f->obj->nneeded;
			if (!w->seen[dep->serial] && dep->kind != LT_MAIN) {
				w->seen[dep->serial] = 1;
				w->stack[depth++] = (struct fini_frame){dep, 0};
			}
			continue;
		}
		*--w->head = f->obj;
		depth--;
	}
}

/* Sort objs[0..n) into out[0..n), roots from the last to the first. */
static void fini_pass(struct fini_walk *w, struct lt_object **objs, struct lt_object **out, size_t n)
{
	memset(w->seen, 0, lt.nobjects + 1);
	w->head = out + n;
	for (size_t i = n; i-- > 0 && w->head > out;)
		if (!w->seen[objs[i]->serial])
			fini_visit(w, objs[i]);
}

void lt_glibc_fini_order(struct lt_object **objs, size_t n)
{
	size_t cap = lt.nobjects + 1;
	struct lt_object **sorted = lt_alloc(n * sizeof *sorted);
	struct fini_walk w = {0, lt_alloc(cap), lt_alloc(cap * sizeof *w.stack), 1, 0};
	if (!sorted || !w.seen || !w.stack)
		lt_fatal("out of memory ordering destructors");
	fini_pass(&w, objs, sorted, n);
	if (w.saw_bindings) {
		w.with_bindings = 0;
		fini_pass(&w, sorted, objs, n);
	} else {
		memcpy(objs, sorted, n * sizeof *objs);
	}
	lt_free(sorted), lt_free(w.seen), lt_free(w.stack);
}
