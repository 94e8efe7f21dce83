/*
 * Constructors and destructors.
 *
 * Order: a depth-first walk from the program over each object's
 * dependencies (preloads first, then DT_NEEDED, in order), emitting an
 * object after all of its dependencies: dependencies before dependents.
 * A dependency cycle is broken where the walk meets an object that is
 * already on its path: that object is initialised after the one that
 * closed the cycle.  The walk is deterministic, so the choice is too; see
 * doc/design.md.
 *
 * Destructors run in the reverse of the order in which constructors
 * started, as glibc and musl do.
 */
#include <linux/mman.h>
#include "rtld.h"
#include "alloc.h"
#include "debug.h"
#include "lock.h"
#include "print.h"
#include "string.h"

/* Objects whose constructors have started, most recent first. */
static struct lt_object **fini_list;
static size_t nfini, fini_cap;
static struct lt_mutex fini_lock;

struct frame {
	struct lt_object *obj;
	size_t next_dep;
};

/* Post-order DFS without recursion: a long dependency chain must not exhaust a small stack. */
struct lt_object **lt_init_order(struct lt_object *root, size_t *count)
{
	size_t cap = lt.nobjects + 1;
	struct lt_object **order = lt_alloc(cap * sizeof *order);
	struct frame *stack = lt_alloc(cap * sizeof *stack);
	uint8_t *seen = lt_alloc(cap);
	size_t n = 0, depth = 0;
	if (!order || !stack || !seen) {
		lt_free(order), lt_free(stack), lt_free(seen);
		return 0;
	}
	stack[depth++] = (struct frame){root, 0};
	seen[root->serial] = 1;
	while (depth) {
		struct frame *f = &stack[depth - 1];
		if (f->next_dep < f->obj->nneeded) {
			struct lt_object *dep = f->obj->needed[f->next_dep++];
			if (dep->serial < cap && !seen[dep->serial]) {
				seen[dep->serial] = 1;
				stack[depth++] = (struct frame){dep, 0};
			}
			continue;
		}
		order[n++] = f->obj;
		depth--;
	}
	lt_free(stack);
	lt_free(seen);
	*count = n;
	return order;
}

/* Initializer and finalizer addresses come from the file: they must be code. */
static void check_code(const struct lt_object *o, uintptr_t fn)
{
	const struct lt_segment *s = lt_object_segment(o, fn, 1);
	if (!s || !(s->prot & PROT_EXEC))
		lt_fatal("%s: initializer or finalizer at %#lx is not in an executable segment",
			 o->path, fn);
}

typedef void (*init_fn)(int, char **, char **);

static void call(const struct lt_object *o, uintptr_t fn)
{
	if (fn == 0 || fn == (uintptr_t)-1)
		return;  /* empty slots and old -1 terminators */
	check_code(o, fn);
	((init_fn)fn)(lt.argc, lt.argv, lt.envp);
}

static void remember_for_fini(struct lt_object *o)
{
	lt_mutex_lock(&fini_lock);
	if (nfini == fini_cap) {
		size_t cap = fini_cap ? 2 * fini_cap : 16;
		struct lt_object **grown = lt_realloc(fini_list, cap * sizeof *grown);
		if (!grown)
			lt_fatal("%s: out of memory", o->path);
		fini_list = grown;
		fini_cap = cap;
	}
	fini_list[nfini++] = o;
	lt_mutex_unlock(&fini_lock);
}

static void run_init(struct lt_object *o)
{
	if (o->init_started)
		return;
	o->init_started = 1;
	remember_for_fini(o);
	if (o->init || o->ninit_array)
		lt_debug(LT_DBG_LIBS | LT_DBG_FILES | LT_DBG_INIT, "calling init: %s", o->path);
	if (o->init)
		call(o, o->init);
	for (size_t i = 0; i < o->ninit_array; i++)
		call(o, o->init_array[i]);
	o->init_done = 1;
}

/* LD_DEBUG=init: the order, and for each object what it had to wait for. */
static void explain_order(struct lt_object *const *order, size_t n)
{
	lt_debug_print("constructor order: dependencies before dependents, depth-first from %s "
		       "(preloads, then DT_NEEDED, in order):", order[n - 1]->path);
	for (size_t i = 0; i < n; i++) {
		char deps[512] = "";
		size_t len = 0;
		for (size_t j = 0; j < order[i]->nneeded && len < sizeof deps; j++) {
			const struct lt_object *d = order[i]->needed[j];
			size_t k = 0;
			while (k < n && order[k] != d)
				k++;
			len += lt_format(deps + len, sizeof deps - len, "%s%s%s", j ? ", " : "", d->path,
					 k > i ? " (later: a dependency cycle, broken here)" : "");
		}
		lt_debug_print("  %zu. %s%s%s", i + 1, order[i]->path, len ? " after " : "",
			       len ? deps : " (no dependencies)");
	}
}

static void run_preinit(struct lt_object *main)
{
	for (size_t i = 0; i < main->npreinit_array; i++) {
		lt_debug(LT_DBG_INIT, "calling preinit: %s", main->path);
		call(main, main->preinit_array[i]);
	}
}

void lt_run_initializers_of(struct lt_object *root)
{
	size_t n;
	struct lt_object **order = lt_init_order(root, &n);
	if (!order)
		lt_fatal("%s: out of memory computing the initialization order", root->path);
	if (lt_debug_on(LT_DBG_INIT))
		explain_order(order, n);
	for (size_t i = 0; i < n; i++)
		run_init(order[i]);  /* those already initialised are skipped */
	lt_free(order);
}

void lt_run_initializers(int include_main)
{
	size_t n;
	struct lt_object **order = lt_init_order(lt.main, &n);
	if (!order)
		lt_fatal("out of memory computing the initialization order");
	if (lt_debug_on(LT_DBG_INIT))
		explain_order(order, n);
	run_preinit(lt.main);
	for (size_t i = 0; i < n; i++)
		if (order[i] != lt.main || include_main)
			run_init(order[i]);
	lt_free(order);
}

static void run_fini(struct lt_object *o)
{
	if (o->fini_done)
		return;
	o->fini_done = 1;
	if (!o->fini && !o->nfini_array)
		return;
	lt_debug(LT_DBG_LIBS | LT_DBG_FILES | LT_DBG_INIT, "calling fini: %s", o->path);
	for (size_t i = o->nfini_array; i-- > 0;)
		call(o, o->fini_array[i]);
	if (o->fini)
		call(o, o->fini);
}

/* dlclose: the destructors of the objects marked dying, newest first. */
void lt_run_finalizers_of_dying(void)
{
	lt_mutex_lock(&fini_lock);
	size_t kept = 0, n = nfini;
	struct lt_object **dying = lt_alloc((n + 1) * sizeof *dying);
	size_t ndying = 0;
	for (size_t i = 0; i < n; i++) {
		struct lt_object *o = fini_list[i];
		if (!o->dying)
			fini_list[kept++] = o;
		else if (dying)
			dying[ndying++] = o;
		/* (else out of memory: it leaves the list, which it must, unfinalized) */
	}
	nfini = kept;
	lt_mutex_unlock(&fini_lock);
	while (ndying)
		run_fini(dying[--ndying]);
	lt_free(dying);
}

void lt_run_finalizers(void)
{
	lt.exiting = 1;
	if (lt_debug_on(LT_DBG_INIT))
		lt_debug_print("destructor order: the reverse of the order constructors started");
	if (lt_debug_on(LT_DBG_STATISTICS))
		lt_report_lazy_statistics();
	if (lt_debug_on(LT_DBG_UNUSED))
		lt_report_unused();  /* at exit: lazy bindings count too */
	for (;;) {
		lt_mutex_lock(&fini_lock);
		struct lt_object *o = nfini ? fini_list[--nfini] : 0;
		lt_mutex_unlock(&fini_lock);
		if (!o)
			return;
		run_fini(o);
	}
}

void lt_init_atfork(int phase)
{
	if (phase < 0)
		lt_mutex_lock(&fini_lock);
	else
		lt_mutex_unlock(&fini_lock);
}
