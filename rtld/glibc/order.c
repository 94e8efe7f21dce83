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
