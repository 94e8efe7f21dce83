/*
 * The picture of the link: a Graphviz DOT graph (render it with
 * `dot -Tsvg`).
 *
 * Each object is a node giving its name, its path, what brought it (the
 * program, a preload, dlopen, the kernel, ld-teach itself) and two places:
 * in the load order, and in the order its constructors start.  Each
 * DT_NEEDED entry is a solid edge; a preload and a dlopen are dashed edges
 * from whoever asked.  What could not be loaded is red, with the reason,
 * and a problem found in a loaded object hangs from it as a red note.
 *
 * --graph draws the initial set as loaded, runs nothing (constructor
 * places are those the run would use), and goes on past every problem.
 * LD_GRAPH_OUTPUT=FILE draws, at exit, everything loaded then, dlopen'ed
 * objects included, into FILE.PID (as LD_DEBUG_OUTPUT names files).
 */
#include "rtld.h"
#include "libc.h"
#include "look.h"
#include "print.h"
#include "str.h"
#include "sys.h"
#include "trace.h"

#define LABEL_MAX 1024

/*
 * A node's text, and the same as the inside of a DOT string: off the stack,
 * which may be small (the core refuses frames over 2 KiB).  A graph is
 * printed once, by one thread: at start-up (--graph) or at exit.
 */
static char text[LABEL_MAX] LT_LARGE_BSS, label[LABEL_MAX] LT_LARGE_BSS;

/*
 * `text` as the inside of a DOT string: quotes and backslashes escaped,
 * each newline (and, with `wrap`, each ": ", to keep error lines narrow)
 * a line break.
 */
static const char *dot_string(const char *text, int wrap, char *out)
{
	size_t n = 0;
	for (const char *s = text; *s && n + 3 < LABEL_MAX; s++) {
		if (*s == '\n' || (wrap && s[0] == ':' && s[1] == ' ')) {
			if (*s == ':')
				out[n++] = *s++;
			out[n++] = '\\';
			out[n++] = 'n';
			continue;
		}
		if (*s == '"' || *s == '\\')
			out[n++] = '\\';
		out[n++] = *s;
	}
	out[n] = 0;
	return out;
}

/* The name the object was asked for, else its soname, else its file's name. */
static const char *short_name(const struct lt_object *o)
{
	if (o->kind == LT_MAIN)
		return o->path;
	if (o->request)
		return o->request;
	if (o->soname)
		return o->soname;
	const char *slash = strrchr(o->path, '/');
	return slash ? slash + 1 : o->path;
}

/* Is `o` the object `dep` was asked for by, as a DT_NEEDED entry or a preload? */
static int needs(const struct lt_object *o, const struct lt_object *dep)
{
	for (size_t i = 0; i < o->nneeded; i++)
		if (o->needed[i] == dep)
			return 1;
	return 0;
}

static int dlopened(const struct lt_object *o)
{
	return !o->initial && o->kind == LT_LIB;
}

/* What brought the object, for its label, and the colour that says so. */
static const char *role(const struct lt_object *o, const char **fill)
{
	static char served[64];
	*fill = "#ffffff";
	switch (o->kind) {
	case LT_MAIN: *fill = "#dbe8fb"; return "the program";
	case LT_VDSO: return "the vDSO, mapped by the kernel";
	case LT_RTLD: *fill = "#e6e6e6"; return "the loader";
	case LT_LIB: break;
	}
	if (o->request && lt_libc_served(o->request)) {
		*fill = "#e6e6e6";
		lt_format(served, sizeof served, "ld-teach's own, for %s", lt.libc->name);
		return served;
	}
	if (o->preloaded) {
		*fill = "#fdf1c9";
		return "preloaded";
	}
	if (dlopened(o)) {
		*fill = "#dcf2e0";
		return "dlopen'ed";
	}
	return "";
}

static int has_problem(const struct lt_object *o)
{
	for (const struct lt_problem *p = lt_problems; p; p = p->next)
		if (!p->name && (p->obj ? p->obj : lt.main) == o)
			return 1;
	return 0;
}

static void object_node(int fd, const struct lt_object *o)
{
	char places[64];
	const char *fill, *what = role(o, &fill), *name = short_name(o);
	size_t n = lt_format(places, sizeof places, "load #%u", o->serial + 1);
	if (o->init_rank)
		lt_format(places + n, sizeof places - n, ", init #%u", o->init_rank);
	lt_format(text, sizeof text, "%s%s%s%s%s\n%s", name, strcmp(name, o->path) ? "\n" : "",
		  strcmp(name, o->path) ? o->path : "", *what ? "\n" : "", what, places);
	lt_dprintf(fd, "\to%u [label=\"%s\", fillcolor=\"%s\"%s%s%s];\n", o->serial,
		   dot_string(text, 0, label), fill, o->kind == LT_MAIN ? ", penwidth=2" : "",
		   o->kind == LT_VDSO ? ", style=\"rounded,filled,dashed\"" : "",
		   has_problem(o) ? ", color=red, penwidth=2" : "");
}

static void object_edges(int fd, const struct lt_object *o)
{
	for (size_t i = 0; i < o->nneeded; i++) {
		const struct lt_object *dep = o->needed[i];
		lt_dprintf(fd, "\to%u -> o%u%s;\n", o->serial, dep->serial,
			   dep->preloaded && o->kind == LT_MAIN ? " [style=dashed, label=\"preload\"]"
								: "");
	}
	if (dlopened(o) && o->loader && !needs(o->loader, o))
		lt_dprintf(fd, "\to%u -> o%u [style=dashed, label=\"dlopen\"];\n", o->loader->serial,
			   o->serial);
}

/* `s` without a leading "`prefix`: ", which the node says already. */
static const char *without_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	return !strncmp(s, prefix, n) && s[n] == ':' && s[n + 1] == ' ' ? s + n + 2 : s;
}

/* The first problem about library `name`: its node stands for every request of it. */
static unsigned first_about(const char *name)
{
	unsigned id = 0;
	for (const struct lt_problem *q = lt_problems; q; q = q->next, id++)
		if (q->name && !strcmp(q->name, name))
			break;
	return id;
}

/* A library that could not be loaded: red, with why, and an edge from whoever needs it. */
static void unloaded_node(int fd, const struct lt_problem *p, unsigned id)
{
	unsigned node = first_about(p->name);
	if (node == id) {
		const char *why = p->requester ? without_prefix(p->reason, p->requester->path)
					       : p->reason;
		lt_format(text, sizeof text, "%s\n%s", p->name,
			  p->not_found ? "not found" : without_prefix(why, p->name));
		lt_dprintf(fd, "\tp%u [label=\"%s\", color=red, fontcolor=red, "
			   "style=\"rounded,dashed\"];\n", id, dot_string(text, !p->not_found, label));
	}
	if (p->requester)
		lt_dprintf(fd, "\to%u -> p%u [color=red];\n", p->requester->serial, node);
}

/* A problem of a loaded object (or of the process: the program's), as a red note on it. */
static void problem_note(int fd, const struct lt_problem *p, unsigned id)
{
	const struct lt_object *at = p->obj ? p->obj : lt.main;
	lt_dprintf(fd, "\tp%u [shape=note, style=filled, fillcolor=\"#fde2e1\", color=red, "
		   "fontcolor=red, label=\"%s\"];\n", id, dot_string(p->reason, 1, label));
	if (at)
		lt_dprintf(fd, "\to%u -> p%u [color=red, style=dotted, arrowhead=none];\n",
			   at->serial, id);
}

void lt_graph_print(int fd)
{
	lt_dprintf(fd, "digraph link {\n"
		   "\tgraph [fontname=\"Helvetica\", fontsize=11, labelloc=b, label=\"%s\"];\n"
		   "\tnode [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", "
		   "fontsize=10];\n"
		   "\tedge [fontname=\"Helvetica\", fontsize=9];\n",
		   dot_string(lt.started ? "The link at exit (" LT_NAME ", LD_GRAPH_OUTPUT)\n"
					   "solid: DT_NEEDED   dashed: preload or dlopen"
					 : "The link at start-up (" LT_NAME " --graph)\n"
					   "solid: DT_NEEDED   dashed: preload   red: cannot be loaded",
				      0, label));
	for (const struct lt_object *o = lt.head; o; o = o->next)
		object_node(fd, o);
	for (const struct lt_object *o = lt.head; o; o = o->next)
		object_edges(fd, o);
	unsigned id = 0;
	for (const struct lt_problem *p = lt_problems; p; p = p->next, id++) {
		if (p->name)
			unloaded_node(fd, p, id);
		else
			problem_note(fd, p, id);
	}
	lt_dprintf(fd, "}\n");
}

void lt_graph_at_exit(void)
{
	const char *base = lt.env.graph_output;
	if (lt.secure || !base || !*base)
		return;
	long fd = lt_output_open(base, 0);
	if (fd < 0)
		return;
	lt_graph_print((int)fd);
	sys_close((int)fd);
}
