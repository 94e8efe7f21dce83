/*
 * The glibc adapter's private view of glibc's loader data model.
 *
 * glibc's libc.so.6 treats its loader as data: it reads and writes
 * _rtld_global and _rtld_global_ro at fixed offsets, walks glibc-layout
 * link_maps and reads glibc's thread block.  Every size and offset used
 * here comes from build/glibc/layout.h, which `make` generates from the
 * installed glibc's debug information (rtld/glibc/host/gen-layout.c);
 * none is typed by hand.  The build compiles this adapter only when that
 * header exists (else rtld/glibc/fallback/ refuses glibc programs).
 */
#ifndef LT_GLIBC_H
#define LT_GLIBC_H

#include "rtld.h"
#include "layout.h"

/* A field of glibc's data: type T at byte offset OFF from BASE. */
#define GLIBC_AT(base, off, T) (*(T *)((char *)(base) + (off)))

/* glibc's data, as the stand-in object (libc/ldso.c) defines it. */
struct lt_glibc {
	unsigned char *gl;        /* _rtld_global */
	unsigned char *glro;      /* _rtld_global_ro */
	struct lt_object *ldso;   /* the stand-in for ld-linux-x86-64.so.2 */
	struct lt_object *libc;   /* libc.so.6 */
	uintptr_t tp;             /* the main thread's struct pthread */
	/* the stand-in's own variables */
	unsigned *rseq_size;
	ptrdiff_t *rseq_offset;
	const char *initial_report_events;
	uint64_t generation;      /* TLS generation: bumped when modules come or go */
	/* libc's allocator, once libc is relocated */
	void *(*malloc)(size_t);
	void *(*calloc)(size_t, size_t);
	void *(*realloc)(void *, size_t);
	void (*free)(void *);
};
extern struct lt_glibc lt_glibc;

#define GL(field, T) GLIBC_AT(lt_glibc.gl, GLIBC_OFF_rtld_global__##field, T)
#define GLRO(field, T) GLIBC_AT(lt_glibc.glro, GLIBC_OFF_rtld_global_ro__##field, T)

/* linkmap.c: one glibc-layout link_map per object, in obj->priv. */
int lt_glibc_map_added(struct lt_object *obj);
void lt_glibc_map_relocated(struct lt_object *obj);
void lt_glibc_map_global(struct lt_object *obj);
void lt_glibc_map_removing(struct lt_object *obj);
/* The link_map of an object, and back. */
static inline void *lt_glibc_map(const struct lt_object *obj)
{
	return obj ? obj->priv : 0;
}
struct lt_object *lt_glibc_object(const void *map);
/* Publish the list heads and counters in _rtld_global. */
void lt_glibc_publish_maps(void);

/* thread.c: the main thread, TLS for every thread. */
void lt_glibc_main_thread(void);
void lt_glibc_fill_static_tls(void);
size_t lt_glibc_tls_surplus(void);
/* glibc.rtld.optional_static_tls: what modules may take of it without needing it. */
size_t lt_glibc_tls_optional(void);
/* The bridge's TLS operations (bridge.h). */
void *lt_glibc_allocate_tls(void *tcb);
void *lt_glibc_allocate_tls_init(void *tcb, int init);
void lt_glibc_deallocate_tls(void *tcb, int dealloc_tcb);
void lt_glibc_threads_after_fork(void);
void *lt_glibc_tls_get_addr_slow(size_t *ti);
void *lt_glibc_tls_block(const struct lt_object *obj);
int lt_glibc_tls_add(const struct lt_object *obj);
void lt_glibc_tls_remove(const struct lt_object *obj);
/* This thread's error line (for lt_error_use_slots). */
char *lt_glibc_error_slot(void);

/* tunables.c: GLIBC_TUNABLES and the variables that stand for tunables. */
void lt_glibc_read_tunables(void);
/* A numeric tunable's value, or `otherwise` when nobody set it. */
int64_t lt_glibc_tunable(unsigned id, int64_t otherwise);
void lt_glibc_tunable_get_val(int id, void *valp, void (*callback)(void *));

#include "isa.h"

/* order.c: glibc's constructor order. */
struct lt_object **lt_glibc_init_order(struct lt_object *root, size_t *count);
void lt_glibc_fini_order(struct lt_object **objs, size_t n);

/* runtime.c: what libc calls through _rtld_global_ro and the stand-in, and libc's lock. */
struct lt_glibc_bridge;
extern const struct lt_glibc_bridge lt_glibc_bridge;
void lt_glibc_fill_function_slots(void);
/* Hold the core's locks across fork (libc only re-initialises its own), with
 * a handler registered with libc as late as is safe: note each start-up
 * object, then at start (registered now if an object can register one
 * too, or audit modules run), and at the first thread. */
void lt_glibc_note_fork_handler_user(const struct lt_object *obj);
void lt_glibc_fork_handler_at_start(void);
void lt_glibc_fork_handler_for_thread(void);
void lt_glibc_lock(void);
void lt_glibc_unlock(void);

#endif
