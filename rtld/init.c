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
 * started, as musl's loader runs them, unless the libc's adapter sorts
 * them its own way (glibc's: by dependencies, relocation ones too).  The
 * same rule orders the destructors at exit and those of a dlclose.
 */
#include <linux/mman.h>
#include "rtld.h"
#include "alloc.h"
#include "arch.h"
#include "audit.h"
#include "init.h"
#include "libc.h"
#include "lock.h"
#include "look.h"
#include "report.h"
#include "trace.h"

/* Objects whose constructors have started, most recent first. */
static struct lt_object **fini_list;
static size_t nfini, fini_cap;
static struct lt_mutex fini_lock;

struct frame {
	struct lt_object *obj;
	size_t next_dep;
};

/* Post-order DFS without recursion: a long dependency chain must not exhaust a small stack. */
static struct lt_object **dfs_order(struct lt_object *root, size_t *count)
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

static const char *order_rule(void)
{
	return lt.libc->init_order ? lt.libc->init_order_rule
				   : "depth-first: preloads, then DT_NEEDED, in order";
}

struct lt_object **lt_init_order(struct lt_object *root, size_t *count)
{
	return lt.libc->init_order ? lt.libc->init_order(root, count) : dfs_order(root, count);
}

/* Empty slots and old -1 terminators of the arrays: nothing to call. */
static int empty_slot(uintptr_t fn)
{
	return fn == 0 || fn == (uintptr_t)-1;
}

/* Initializer and finalizer addresses come from the file: they must be code. */
static void check_code(const struct lt_object *o, uintptr_t fn)
{
	const struct lt_segment *s = lt_object_segment(o, fn, 1);
	if (!s || !(s->prot & PROT_EXEC))
		lt_fatal("%s: initializer or finalizer at %#lx is not in an executable segment",
			 o->path, fn);
}

static void call(const struct lt_object *o, uintptr_t fn)
{
	if (empty_slot(fn))
		return;
	check_code(o, fn);
	arch_call_code(fn, lt.argc, lt.argv, lt.envp);
}

/*
 * The program's constructors, when its libc or start code runs them
 * (glibc's __libc_start_main, from the link map): checked as those ld-teach
 * calls are, since the libc would jump wherever the file says.
 */
static void check_constructors(const struct lt_object *o)
{
	if (o->init)
		check_code(o, o->init);
	for (size_t i = 0; i < o->ninit_array; i++)
		if (!empty_slot(o->init_array[i]))
			check_code(o, o->init_array[i]);
}

/* (Its place in the order constructors start in is remembered too: the picture shows it.) */
static void remember_for_fini(struct lt_object *o)
{
	static unsigned started;
	lt_mutex_lock(&fini_lock);
	o->init_rank = ++started;
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
	trace_call("init", o);  /* (with constructors or without, as glibc's loader says it) */
	if (o->init)
		call(o, o->init);
	for (size_t i = 0; i < o->ninit_array; i++)
		call(o, o->init_array[i]);
	o->init_done = 1;
}

static void run_preinit(struct lt_object *main)
{
	if (main->npreinit_array)
		trace_call("preinit", main);
	for (size_t i = 0; i < main->npreinit_array; i++)
		call(main, main->preinit_array[i]);
}

void lt_run_initializers_of(struct lt_object *root)
{
	size_t n;
	struct lt_object **order = lt_init_order(root, &n);
	if (!order)
		lt_fatal("%s: out of memory computing the initialization order", root->path);
	trace_init_order(order, n, order_rule());
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
	trace_init_order(order, n, order_rule());
	if (!include_main)
		check_constructors(lt.main);
	run_preinit(lt.main);
	for (size_t i = 0; i < n; i++)
		if (order[i] != lt.main || include_main)
			run_init(order[i]);
	lt_free(order);
}

void lt_program_constructed_by_libc(void)
{
	lt.main->init_started = 1;
	remember_for_fini(lt.main);
}

/* Its destructors, then la_objclose. */
static void run_fini(struct lt_object *o)
{
	if (o->fini_done)
		return;
	o->fini_done = 1;
	trace_call("fini", o);
	for (size_t i = o->nfini_array; i-- > 0;)
		call(o, o->fini_array[i]);
	if (o->fini)
		call(o, o->fini);
	lt_audit_objclose(o);
}

/* Take the objects `pick` chooses out of the list of those constructed, in
 * the order their constructors started. */
static struct lt_object **take_constructed(int (*pick)(const struct lt_object *), size_t *count)
{
	lt_mutex_lock(&fini_lock);
	size_t kept = 0, n = 0;
	struct lt_object **taken = lt_alloc((nfini + 1) * sizeof *taken);
	if (!taken)
		lt_fatal("out of memory ordering destructors");
	for (size_t i = 0; i < nfini; i++) {
		struct lt_object *o = fini_list[i];
		if (pick(o))
			taken[n++] = o;
		else
			fini_list[kept++] = o;
	}
	nfini = kept;
	lt_mutex_unlock(&fini_lock);
	*count = n;
	return taken;
}

/* Put objs[0..n), in the order their constructors started, in the order
 * their destructors run: the libc's, which sorts every loaded object, or
 * the reverse. */
static void order_for_fini(struct lt_object **objs, size_t n)
{
	if (!lt.libc->fini_order) {
		for (size_t i = 0; i < n / 2; i++) {
			struct lt_object *t = objs[i];
			objs[i] = objs[n - 1 - i];
			objs[n - 1 - i] = t;
		}
		return;
	}
	size_t cap = lt.nobjects + 1, total = 0, k = 0;
	struct lt_object **all = lt_alloc(cap * sizeof *all);
	uint8_t *chosen = lt_alloc(cap);
	if (!all || !chosen)
		lt_fatal("out of memory ordering destructors");
	for (struct lt_object *o = lt.head; o; o = o->next)
		all[total++] = o;
	for (size_t i = 0; i < n; i++)
		chosen[objs[i]->serial] = 1;
	lt.libc->fini_order(all, total);
	for (size_t i = 0; i < total; i++)
		if (chosen[all[i]->serial])
			objs[k++] = all[i];
	lt_free(all);
	lt_free(chosen);
}

/* The constructed objects `pick` chooses, taken off the list, in the order their destructors run. */
static struct lt_object **take_for_fini(int (*pick)(const struct lt_object *), size_t *n)
{
	lt_read_lock(&lt_loader_lock);  /* (the order reads the object list; a dlclose holds it already) */
	struct lt_object **objs = take_constructed(pick, n);
	order_for_fini(objs, *n);
	lt_read_unlock(&lt_loader_lock);
	return objs;
}

static void run_finalizers_of(int (*pick)(const struct lt_object *))
{
	size_t n;
	struct lt_object **objs = take_for_fini(pick, &n);
	for (size_t i = 0; i < n; i++)
		run_fini(objs[i]);
	lt_free(objs);
}

static int is_dying(const struct lt_object *o)
{
	return o->dying;
}

static int of_the_program(const struct lt_object *o)
{
	return !o->audit_group;
}

static int of_audit_modules(const struct lt_object *o)
{
	return o->audit_group;
}

void lt_run_finalizers_of_dying(void)
{
	run_finalizers_of(is_dying);
}

/*
 * At exit no object is unloaded (unload.c), and no dlopen succeeds: the
 * order is settled once, for every object constructed.  The program's
 * objects go first, then those of the audit modules' groups, as glibc
 * finalizes its namespaces: the modules hear of every object of the
 * program closing (la_objclose), also of the libc they share with it,
 * whose destructors run after theirs.
 */
void lt_run_finalizers(void)
{
	lt.exiting = 1;
	trace_fini_order(lt.libc->fini_order ? lt.libc->fini_order_rule
					     : "the reverse of the order constructors started");
	if (lt_debug_on(LT_DBG_STATISTICS))
		lt_report_lazy_statistics();
	if (lt_debug_on(LT_DBG_UNUSED))
		lt_report_unused();  /* at exit: lazy bindings count too */
	lt_graph_at_exit();
	lt_audit_deleting();
	run_finalizers_of(of_the_program);
	size_t n;
	struct lt_object **modules = take_for_fini(of_audit_modules, &n);
	for (size_t i = 0; i < n; i++)
		lt_audit_objclose(modules[i]);  /* (shared with the program, which has closed) */
	lt_audit_consistent();
	for (size_t i = 0; i < n; i++)
		run_fini(modules[i]);
	lt_free(modules);
}

void lt_init_atfork(int phase)
{
	if (phase < 0)
		lt_mutex_lock(&fini_lock);
	else
		lt_mutex_unlock(&fini_lock);
}
