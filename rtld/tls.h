/*
 * Thread-local storage, x86_64 variant II (tls.c): module ids, and each
 * module's place below the thread pointer.  The core decides both; the
 * libc adapter owns the threads, their thread blocks and their dtvs.
 */
#ifndef LT_TLS_H
#define LT_TLS_H

#include "object.h"
#include "ld-teach/adapter.h"

/* Static TLS kept free for dlopen'ed libraries, unless the libc adapter
 * says otherwise: glibc's classic default, 1664 bytes; and the part of it
 * that modules may take without needing it: glibc's default, 512. */
#define LT_TLS_SURPLUS 1664
#define LT_TLS_OPTIONAL 512

/* A start-up module: the next id, and a place after the ones before it. */
void lt_tls_assign_static(struct lt_object *obj);
/* After the start-up modules: reserve `surplus` bytes for TLS that dlopen
 * brings, of which `optional` may go to modules that do not need them. */
void lt_tls_reserve_surplus(size_t surplus, size_t optional);
/*
 * A module dlopen brings: an id, and a place in the surplus if its code
 * needs one (`needs_static`: initial-exec references; then it must fit),
 * or, as glibc decides, if it is reached through TLS descriptors
 * (`by_descriptors`) and what is left of the optional part holds it.
 * Otherwise it is dynamic, with no place: each thread gets a block of its
 * own when it first uses it.
 */
int lt_tls_assign_dynamic(struct lt_object *obj, int needs_static, int by_descriptors);
void lt_tls_release(struct lt_object *obj);
/* The object whose module `modid` is, or NULL. */
struct lt_object *lt_tls_owner(size_t modid);
/* Is the module's block at TP - offset in every thread? */
int lt_tls_is_static(const struct lt_object *obj);

/* The static area: bytes below the TP, their alignment, and the highest module id. */
size_t lt_tls_static_size(void);
size_t lt_tls_static_align(void);
size_t lt_tls_module_count(void);
/* Every module, in id order (lt_alloc'ed; NULL when out of memory). */
struct lt_tls_module_info *lt_tls_modules(void);
/* One module, for an adapter. */
struct lt_tls_module_info lt_tls_module_of(const struct lt_object *obj);
/* Copy each start-up module's init image into its block below `tp`; `dtv`
 * (if not NULL) gets each block's address at its module id. */
void lt_tls_fill_static(uintptr_t tp, uintptr_t *dtv);
/* Copy it again into the calling thread's block (the only thread): the
 * image was copied before its object was relocated (boot.c, audit). */
void lt_tls_refill(const struct lt_object *obj);

/* This thread's block of the object's module, or NULL. */
void *lt_tls_block(const struct lt_object *obj);

#endif
