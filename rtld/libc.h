/*
 * The libc adapters, seen from the core.  A program's libc decides who
 * installs the thread pointer and runs constructors:
 *   - freestanding (no libc): the core does both;
 *   - musl: ld-teach's own libc.so for musl programs (rtld/musl/), whose
 *     glue the core calls once everything is relocated;
 *   - glibc: not yet (its adapter is a later milestone).
 */
#ifndef LT_LIBC_H
#define LT_LIBC_H

#include "rtld.h"

/* Decide the flavour from the program's PT_INTERP and DT_NEEDED entries. */
enum lt_flavour lt_libc_detect(const struct lt_object *main);
const char *lt_libc_name(void);

/* If `name` is a library the adapter serves itself, the file that serves it. */
const char *lt_libc_library(const char *name);

/* Can the program run under this flavour?  (Reports why not.) */
int lt_libc_supported(void);

/* Last steps before the jump: thread pointer, constructors, finalizer. */
void lt_libc_start(struct lt_handoff *out);

/* musl.c */
int lt_musl_reserved(const char *name);
const char *lt_musl_library(const char *name);
void lt_musl_start(struct lt_handoff *out);

/* dl.c: what the core offers every adapter. */
extern const struct lt_core_ops lt_core_ops;

#endif
