/*
 * Constructors and destructors (init.c).
 */
#ifndef LT_INIT_H
#define LT_INIT_H

#include "object.h"

/* `root` and what it needs, dependencies before dependents (lt_alloc'ed). */
struct lt_object **lt_init_order(struct lt_object *root, size_t *count);
/* Run constructors in that order: the program's DT_PREINIT_ARRAY, then
 * every object's DT_INIT and DT_INIT_ARRAY (the program's own only when
 * `include_main`: glibc leaves those to the program's start-up code). */
void lt_run_initializers(int include_main);
/* The program's constructors run in its libc's start-up code, after those
 * of its libraries; its destructors, first of all, in ours (glibc's rule). */
void lt_program_constructed_by_libc(void);
/* Run destructors at exit, in the reverse order of construction or in the
 * libc's order (its adapter's fini_order); the %rdx function. */
void lt_run_finalizers(void);
/* dlopen: constructors of `root` and its dependencies not yet initialised. */
void lt_run_initializers_of(struct lt_object *root);
/* dlclose: destructors of the objects marked dying, in the same order. */
void lt_run_finalizers_of_dying(void);
/* fork(): -1 takes the init/fini lock, 0 and 1 release it. */
void lt_init_atfork(int phase);

#endif
