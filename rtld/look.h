/*
 * Runs that only look at a program (enum lt_mode in rtld.h): ldd's
 * interface (look.c: LD_TRACE_LOADED_OBJECTS, --list, --verify) and the
 * picture of the link (graph.c: --graph, LD_GRAPH_OUTPUT).  A list or a
 * picture goes on past what would stop a run, and records each problem,
 * so that it shows everything that is wrong at once.
 */
#ifndef LT_LOOK_H
#define LT_LOOK_H

#include "object.h"

/* Something that would have stopped a run. */
struct lt_problem {
	const char *name;               /* a library that could not be loaded; NULL: see obj */
	const struct lt_object *obj;    /* the loaded object at fault (NULL: the whole process) */
	const char *reason;             /* its error line */
	int not_found;                  /* no file was found: ldd's "=> not found" */
	const struct lt_object *after;  /* the object loaded last before it: its place in load order */
	const struct lt_object *requester;  /* who needs the library (NULL: the program itself) */
	struct lt_problem *next;
};
extern struct lt_problem *lt_problems;  /* in the order they were found */

/* Library `name`, which `requester` needs, could not be loaded (the error
 * line says why; `not_found`: no file was found).  0: this run goes on
 * without it; -1: it stops.  (Each request is recorded: glibc lists a
 * library not found once for every object that needs it.) */
int lt_look_unloaded(const char *name, const struct lt_object *requester, int not_found);
/* Something is wrong with `obj` (NULL: with the process), as the error line
 * says.  A run, and --verify, stop (exit 127); a list or a picture records
 * it and goes on. */
void lt_look_failed(const struct lt_object *obj);
/* The program file itself cannot be loaded (the error line says why). */
__attribute__((noreturn)) void lt_look_program_failed(const char *path);
/* The initial set is loaded: a list or a picture is printed now, and the process exits. */
void lt_look_loaded(void);
/* The initial set is relocated: --verify exits with its answer now. */
void lt_look_relocated(void);

/* graph.c: the link as a Graphviz DOT graph on `fd`. */
void lt_graph_print(int fd);
/* At exit: LD_GRAPH_OUTPUT=FILE writes the graph of everything then loaded to FILE.PID. */
void lt_graph_at_exit(void);

#endif
