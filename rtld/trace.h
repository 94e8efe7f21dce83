/*
 * LD_DEBUG: categories, and every trace event the loader emits, by name.
 *
 * The text of every event lives in trace.c, in glibc's LD_DEBUG format, so
 * that the code that loads and links says what happened (trace_mapped(obj))
 * rather than how to word it.  Each event is gated inline on its
 * category: when the category is off, an event costs one load and one
 * test.  The whole-process reports (LD_DEBUG=statistics, maps, scopes,
 * unused; LD_SHOW_AUXV) are in report.c.
 */
#ifndef LT_TRACE_H
#define LT_TRACE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct lt_object;
struct lt_verreq;

enum {
	LT_DBG_LIBS = 1 << 0,
	LT_DBG_FILES = 1 << 1,
	LT_DBG_RELOC = 1 << 2,
	LT_DBG_SYMBOLS = 1 << 3,
	LT_DBG_BINDINGS = 1 << 4,
	LT_DBG_VERSIONS = 1 << 5,
	LT_DBG_SCOPES = 1 << 6,
	LT_DBG_STATISTICS = 1 << 7,
	LT_DBG_UNUSED = 1 << 8,
	LT_DBG_MAPS = 1 << 9,
	LT_DBG_INIT = 1 << 10,
	LT_DBG_TLS = 1 << 11,
	LT_DBG_PRELINK = 1 << 12,
};
/* The categories that show constructor and destructor calls and the jump
 * to the program (glibc's DL_DEBUG_IMPCALLS, and ld-teach's init). */
#define LT_DBG_CALLS                                                                           \
	(LT_DBG_LIBS | LT_DBG_FILES | LT_DBG_RELOC | LT_DBG_SYMBOLS | LT_DBG_BINDINGS |          \
	 LT_DBG_VERSIONS | LT_DBG_INIT)

extern unsigned lt_debug_mask;
#define lt_debug_on(cat) __builtin_expect((lt_debug_mask & (cat)) != 0, 0)

/* Read LD_DEBUG and LD_DEBUG_OUTPUT (not in secure mode). */
void lt_debug_init(void);
/* Open BASE.PID for writing, as LD_DEBUG_OUTPUT names files, appending
 * (as glibc's loader does) or truncating it, never through a symbolic
 * link: a descriptor, or -errno. */
long lt_output_open(const char *base, int append);
/* One line of trace output, in glibc's layout (for the reports). */
void lt_debug_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A message whose format has lines of its own, as glibc's _dl_debug_printf
 * takes one: a trace line for each ("\nX\n\n" is three). */
void lt_debug_vprint_lines(const char *fmt, va_list ap);

/* Why dlclose keeps an object (trace_kept). */
enum lt_keep_reason { LT_GOES, LT_KEPT_INITIAL, LT_KEPT_EXITING, LT_KEPT_NODELETE, LT_KEPT_OPEN,
		      LT_KEPT_NEEDED, LT_KEPT_BOUND };

/* The events' text (trace.c); call them through the gates below. */
void lt_trace_search_start(const char *name);
void lt_trace_served(const char *name, const char *libc, const char *path);
void lt_trace_search_path(const char *list, const char *const *subdirs,
			  int (*gone)(const char *dir, size_t len), const char *why,
			  const char *why_file);
void lt_trace_search_cache(const char *file);
void lt_trace_cache_ignored(const char *file, const char *why);
void lt_trace_trying(const char *path);
void lt_trace_search_end(const char *found, int err);
void lt_trace_needed_by(const char *name, const struct lt_object *requester, int dlopened);
void lt_trace_new_object(const char *name, const struct lt_object *obj);
void lt_trace_stands_for(const char *path, const char *by);
void lt_trace_program_unread(const char *path, const char *why);
void lt_trace_mapped(const struct lt_object *obj);
void lt_trace_relro(const struct lt_object *obj);
void lt_trace_execstack(const struct lt_object *asked_by);
void lt_trace_libc(const char *libc, const struct lt_object *because);
void lt_trace_handing_over(const char *libc, const char *path);
void lt_trace_transfer(const struct lt_object *main, uintptr_t entry);
void lt_trace_kept(const struct lt_object *obj, int is_root, enum lt_keep_reason why,
		   const struct lt_object *by);
void lt_trace_unloading(const struct lt_object *obj);
void lt_trace_opening(const struct lt_object *obj);
void lt_trace_closing(const struct lt_object *obj);
void lt_trace_audit_module(const char *name);
void lt_trace_audit_declined(const struct lt_object *module);
void lt_trace_relocating(const struct lt_object *obj, int lazy);
void lt_trace_binding(const struct lt_object *from, const char *name, const struct lt_object *to,
		      const struct lt_verreq *ver, int lazily);
void lt_trace_lookup_in(const char *name, const struct lt_object *obj);
void lt_trace_version_check(const char *version, const struct lt_object *def,
			    const struct lt_object *obj, const char *result);
void lt_trace_call(const char *what, const struct lt_object *obj);
void lt_trace_init_order(struct lt_object *const *order, size_t n, const char *rule);
void lt_trace_fini_order(const char *rule);
void lt_trace_tls_static(size_t size, size_t modules, size_t surplus);
void lt_trace_tls_module(const struct lt_object *obj, const char *where);
void lt_trace_tls_released(const struct lt_object *obj, size_t surplus_left);
void lt_trace_tls_refused(const struct lt_object *obj, size_t surplus_left);
void lt_trace_thread_pointer(uintptr_t tp, size_t below);
void lt_trace_prelink_using(const char *file, unsigned objects, unsigned answers);
void lt_trace_prelink_ignored(const char *file, const char *why);
void lt_trace_prelink_none(const char *file);
void lt_trace_prelink_off(const char *why);
void lt_trace_prelink_answer_ignored(const char *file, const char *obj, uint64_t at);
void lt_trace_prelink_index_built(size_t walks);

#define LT_GATE(cat, call)            \
	do {                          \
		if (lt_debug_on(cat)) \
			call;         \
	} while (0)

/* --- libs: the search for each library --- */
#define trace_search_start(name) LT_GATE(LT_DBG_LIBS, lt_trace_search_start(name))
#define trace_served(name, libc, path) LT_GATE(LT_DBG_LIBS, lt_trace_served(name, libc, path))
#define trace_search_path(list, subdirs, gone, why, file) \
	LT_GATE(LT_DBG_LIBS, lt_trace_search_path(list, subdirs, gone, why, file))
#define trace_search_cache(file) LT_GATE(LT_DBG_LIBS, lt_trace_search_cache(file))
#define trace_cache_ignored(file, why) LT_GATE(LT_DBG_LIBS, lt_trace_cache_ignored(file, why))
#define trace_trying(path) LT_GATE(LT_DBG_LIBS, lt_trace_trying(path))
#define trace_search_end(found, err) LT_GATE(LT_DBG_LIBS, lt_trace_search_end(found, err))

/* --- files: objects as they come and go --- */
#define trace_needed_by(name, req, dlopened) \
	LT_GATE(LT_DBG_FILES, lt_trace_needed_by(name, req, dlopened))
#define trace_new_object(name, obj) LT_GATE(LT_DBG_FILES, lt_trace_new_object(name, obj))
#define trace_stands_for(path, by) LT_GATE(LT_DBG_FILES, lt_trace_stands_for(path, by))
#define trace_program_unread(path, why) LT_GATE(LT_DBG_FILES, lt_trace_program_unread(path, why))
#define trace_mapped(obj) LT_GATE(LT_DBG_FILES, lt_trace_mapped(obj))
#define trace_relro(obj) LT_GATE(LT_DBG_FILES, lt_trace_relro(obj))
#define trace_execstack(asked_by) LT_GATE(LT_DBG_FILES, lt_trace_execstack(asked_by))
#define trace_libc(libc, because) LT_GATE(LT_DBG_FILES, lt_trace_libc(libc, because))
#define trace_handing_over(libc, path) LT_GATE(LT_DBG_FILES, lt_trace_handing_over(libc, path))
/* A step of an adapter's own set-up, in its words: "  glibc adapter: ...". */
#define trace_adapter_step(libc, fmt, ...) \
	LT_GATE(LT_DBG_FILES, lt_debug_print("  %s adapter: " fmt, libc, __VA_ARGS__))
#define trace_transfer(main, entry) LT_GATE(LT_DBG_CALLS, lt_trace_transfer(main, entry))
#define trace_kept(obj, is_root, why, by) \
	LT_GATE(LT_DBG_FILES, lt_trace_kept(obj, is_root, why, by))
#define trace_unloading(obj) LT_GATE(LT_DBG_FILES, lt_trace_unloading(obj))
#define trace_opening(obj) LT_GATE(LT_DBG_FILES, lt_trace_opening(obj))
#define trace_closing(obj) LT_GATE(LT_DBG_FILES, lt_trace_closing(obj))
#define trace_audit_module(name) LT_GATE(LT_DBG_FILES, lt_trace_audit_module(name))
#define trace_audit_declined(module) LT_GATE(LT_DBG_FILES, lt_trace_audit_declined(module))

/* --- reloc, bindings, symbols, versions --- */
#define trace_relocating(obj, lazy) LT_GATE(LT_DBG_RELOC, lt_trace_relocating(obj, lazy))
#define trace_binding(from, name, to, ver, lazily) \
	LT_GATE(LT_DBG_BINDINGS, lt_trace_binding(from, name, to, ver, lazily))
#define trace_lookup_in(name, obj) LT_GATE(LT_DBG_SYMBOLS, lt_trace_lookup_in(name, obj))
#define trace_version_check(version, def, obj, result) \
	LT_GATE(LT_DBG_VERSIONS, lt_trace_version_check(version, def, obj, result))

/* --- init: constructors and destructors --- */
#define trace_call(what, obj) LT_GATE(LT_DBG_CALLS, lt_trace_call(what, obj))
#define trace_init_order(order, n, rule) LT_GATE(LT_DBG_INIT, lt_trace_init_order(order, n, rule))
#define trace_fini_order(rule) LT_GATE(LT_DBG_INIT, lt_trace_fini_order(rule))

/* --- tls --- */
#define trace_tls_static(size, modules, surplus) \
	LT_GATE(LT_DBG_TLS, lt_trace_tls_static(size, modules, surplus))
#define trace_tls_module(obj, where) LT_GATE(LT_DBG_TLS, lt_trace_tls_module(obj, where))
#define trace_tls_released(obj, left) LT_GATE(LT_DBG_TLS, lt_trace_tls_released(obj, left))
#define trace_tls_refused(obj, left) LT_GATE(LT_DBG_TLS, lt_trace_tls_refused(obj, left))
#define trace_thread_pointer(tp, below) LT_GATE(LT_DBG_TLS, lt_trace_thread_pointer(tp, below))

/* --- prelink: the program's cache, used or not, and why --- */
#define trace_prelink_using(file, objects, answers) \
	LT_GATE(LT_DBG_PRELINK, lt_trace_prelink_using(file, objects, answers))
#define trace_prelink_ignored(file, why) LT_GATE(LT_DBG_PRELINK, lt_trace_prelink_ignored(file, why))
#define trace_prelink_none(file) LT_GATE(LT_DBG_PRELINK, lt_trace_prelink_none(file))
#define trace_prelink_off(why) LT_GATE(LT_DBG_PRELINK, lt_trace_prelink_off(why))
#define trace_prelink_index_built(walks) LT_GATE(LT_DBG_PRELINK, lt_trace_prelink_index_built(walks))
#define trace_prelink_answer_ignored(file, obj, at) \
	LT_GATE(LT_DBG_PRELINK, lt_trace_prelink_answer_ignored(file, obj, at))

#endif
