/*
 * Runs that only look at a program, and ldd's interface.
 *
 *   LD_TRACE_LOADED_OBJECTS (either start mode) and --list load the
 *   initial set and print it in ldd's format, glibc's lines for every
 *   libc: a library that is not found is listed as `name => not found`
 *   and the loading goes on.  --list then exits 127 if anything was
 *   missing; LD_TRACE_LOADED_OBJECTS exits 0, as glibc's loader does.
 *   --verify goes through loading and relocation, runs nothing else, and
 *   answers with glibc's exit codes (0 a program, 2 a shared library, 1
 *   not a dynamic program) when ld-teach would load it, 127 when not.
 *   --graph (graph.c) goes on past every problem and draws it.
 *
 * The glibc rules the list follows: the program is not listed; a library
 * is `name => path (address)`, or `name (address)` when the name is the
 * path; the loader's own line is the program's PT_INTERP, with `=> path`
 * when ld-teach.so was reached another way (command mode), and takes the
 * place of the libc's stand-in for its loader where the libc has one
 * (glibc's ld.so sits where the objects that need it put it); a library
 * not found is listed where it was asked for, except that glibc puts its
 * loader right after the last library found before it.
 */
#include "rtld.h"
#include "alloc.h"
#include "init.h"
#include "libc.h"
#include "load.h"
#include "look.h"
#include "print.h"
#include "str.h"
#include "sys.h"

struct lt_problem *lt_problems;
static struct lt_problem **problems_end = &lt_problems;

static void note(const char *name, const struct lt_object *obj, const struct lt_object *requester,
		 int not_found)
{
	struct lt_problem *p = lt_alloc(sizeof *p);
	char *reason = lt_strdup(lt_error_text()), *copy = name ? lt_strdup(name) : 0;
	if (!p || !reason || (name && !copy))
		lt_fatal("out of memory recording what went wrong");
	*p = (struct lt_problem){.name = copy, .obj = obj, .reason = reason, .not_found = not_found,
				 .after = lt.tail, .requester = requester};
	*problems_end = p;
	problems_end = &p->next;
}

static void print_problem(void)
{
	lt_dprintf(2, LT_NAME ": %s\n", lt_error_text());
}

/* A list goes on past a library that is not found; a picture past anything. */
static int goes_on_without(int not_found)
{
	if (lt.started)
		return 0;
	return lt.mode == LT_MODE_GRAPH ||
	       (not_found && (lt.mode == LT_MODE_TRACE || lt.mode == LT_MODE_LIST));
}

int lt_look_unloaded(const char *name, const struct lt_object *requester, int not_found)
{
	if (!goes_on_without(not_found))
		return -1;
	if (lt.mode == LT_MODE_GRAPH)
		print_problem();
	note(name, 0, requester, not_found);
	return 0;
}

void lt_look_failed(const struct lt_object *obj)
{
	if (lt.mode == LT_MODE_RUN || lt.mode == LT_MODE_VERIFY)
		lt_die();
	print_problem();
	note(0, obj, 0, 0);
}

void lt_look_program_failed(const char *path)
{
	if (lt.mode == LT_MODE_VERIFY)
		sys_exit(1);  /* glibc's answer: not a dynamic program */
	if (lt.mode != LT_MODE_GRAPH)
		lt_die();
	print_problem();
	note(path, 0, 0, 0);
	lt_graph_print(1);
	sys_exit(127);
}

/* ----- ldd's list ----- */

/* The object the list shows as the loader: the libc's stand-in for its own
 * loader, where it has one, else ld-teach.so. */
static const struct lt_object *listed_as_loader(void)
{
	const struct lt_object *o = lt.libc->loader_name ? lt_find_loaded(lt.libc->loader_name) : 0;
	return o ? o : lt.self;
}

static void print_loader(void)
{
	const char *interp = lt_object_interp(lt.main);
	if (interp && strcmp(interp, lt.self->path))
		lt_dprintf(1, "\t%s => %s (0x%016lx)\n", interp, lt.self->path, lt.self->base);
	else
		lt_dprintf(1, "\t%s (0x%016lx)\n", lt.self->path, lt.self->base);
}

static void print_object(const struct lt_object *o)
{
	const char *name = o->request ? o->request : o->path;
	if (!strcmp(name, o->path))
		lt_dprintf(1, "\t%s (0x%016lx)\n", name, o->base);
	else
		lt_dprintf(1, "\t%s => %s (0x%016lx)\n", name, o->path, o->base);
}

/* The libraries not found, up to (not including) those asked for after `o` was loaded. */
static const struct lt_problem *print_missing(const struct lt_problem *p, const struct lt_object *o)
{
	for (; p && (!o || !p->after || p->after->serial < o->serial); p = p->next)
		if (p->not_found)
			lt_dprintf(1, "\t%s => not found\n", p->name);
	return p;
}

static void print_list(void)
{
	const struct lt_object *loader = listed_as_loader();
	const struct lt_problem *p = lt_problems;
	for (const struct lt_object *o = lt.head; o; o = o->next) {
		if (o->kind == LT_MAIN || (o == lt.self && loader != lt.self))
			continue;
		if (o != loader || loader == lt.self)
			p = print_missing(p, o);
		if (o == loader)
			print_loader();
		else
			print_object(o);
	}
	print_missing(p, 0);
}

/* Where the constructors of the initial set will run, for the picture. */
static void rank_constructors(void)
{
	size_t n;
	struct lt_object **order = lt_init_order(lt.main, &n);
	if (!order)
		lt_fatal("out of memory ordering constructors");
	for (size_t i = 0; i < n; i++)
		order[i]->init_rank = i + 1;
	lt_free(order);
}

void lt_look_loaded(void)
{
	switch (lt.mode) {
	case LT_MODE_TRACE:
	case LT_MODE_LIST:
		print_list();
		sys_exit(lt.mode == LT_MODE_LIST && lt_problems ? 127 : 0);
	case LT_MODE_GRAPH:
		rank_constructors();
		lt_graph_print(1);
		sys_exit(lt_problems ? 127 : 0);
	case LT_MODE_RUN:
	case LT_MODE_VERIFY:
		return;
	}
}

void lt_look_relocated(void)
{
	/* glibc's exit codes: 0 a dynamic program, 2 a shared library (no PT_INTERP). */
	if (lt.mode == LT_MODE_VERIFY)
		sys_exit(lt_object_interp(lt.main) ? 0 : 2);
}
