/*
 * What glibc's libc calls in its loader once the program runs: the
 * function pointers in _rtld_global_ro (dlopen, dlsym, dlclose and error
 * catching go through them since 2.34), the stand-in's forwarded functions
 * (the bridge), and libc's own lock around loader data.
 *
 * Errors follow glibc's protocol: the failing operation signals through
 * libc's own _dl_signal_error, which builds the message with
 * _dl_exception_create (libc's malloc) and jumps back to the catcher that
 * libc's dlerror machinery set up; dlerror() then reads it per thread.
 */
#include <stdarg.h>
#include "glibc.h"
#include "alloc.h"
#include "arch.h"
#include "audit.h"
#include "bridge.h"
#include "libc.h"
#include "load.h"
#include "lock.h"
#include "print.h"
#include "str.h"
#include "symbols.h"
#include "sys.h"
#include "tls.h"
#include "trace.h"
#include "ld-teach/adapter.h"

#define MAP(m, field, T) GLIBC_AT(m, GLIBC_OFF_link_map__##field, T)
#define RTLD_DLOPEN_INTERNAL 0x80000000u  /* __RTLD_DLOPEN: libc's own mark */
#define LM_ID_BASE 0
#define LM_ID_CALLER (-2)
#define DL_LOOKUP_ADD_DEPENDENCY 1  /* dlsym(RTLD_DEFAULT): the caller now depends on the definer */

/* The fork handler (below): dlsym of a function that registers one registers it first. */
static int registers_fork_handlers(const char *name);
static void register_fork_handler(const char *who, const char *why);

/* libc's error signaller, found once libc.so.6 is loaded. */
static void (*signal_error)(int errcode, const char *objname, const char *occasion,
			    const char *errstring) __attribute__((noreturn));

/* Signal the calling thread's last loader error to libc's catcher. */
static __attribute__((noreturn)) void signal_last_error(void)
{
	signal_error(0, "", 0, lt_error_text());
}

static void *dl_open(const char *file, int mode, const void *caller, long nsid, int argc,
		     char **argv, char **env)
{
	(void)argc, (void)argv, (void)env;  /* constructors get the program's own */
	if (nsid != LM_ID_BASE && nsid != LM_ID_CALLER) {
		lt_error("%s: dlmopen into another namespace is not supported", file);
		signal_last_error();
	}
	struct lt_object *o = lt_core_ops.dlopen(*file ? file : 0, mode & ~RTLD_DLOPEN_INTERNAL,
						 caller);
	if (!o && *lt_error_text())
		signal_last_error();
	return lt_glibc_map(o);  /* (NULL and no error: RTLD_NOLOAD of something not loaded) */
}

static void dl_close(void *map)
{
	struct lt_object *o = lt_glibc_object(map);
	if (!o || lt_core_ops.dlclose(o) < 0)
		signal_last_error();
}

/* Which scope libc asks about: dlsym through a handle passes the handle's
 * l_local_scope, dlsym(RTLD_DEFAULT) the caller's l_scope. */
static int asks_local_scope(const unsigned char *map, void *scope)
{
	return scope == (void *)(map + GLIBC_OFF_link_map__l_local_scope);
}

static const char *referrer_name(const unsigned char *map)
{
	const char *name = map ? MAP(map, l_name, const char *) : 0;
	return name && *name ? name : lt.argv[0];
}

/* glibc's _dl_lookup_symbol_x, as libc calls it: for dlsym, dlvsym and its own lookups. */
static void *lookup_symbol_x(const char *name, unsigned char *map, const Elf64_Sym **ref,
			     void *scope, const unsigned char *version, int type_class, int flags,
			     unsigned char *skip)
{
	(void)type_class;
	struct lt_verreq req;
	if (version)
		req = (struct lt_verreq){
			GLIBC_AT(version, GLIBC_OFF_r_found_version__name, const char *),
			GLIBC_AT(version, GLIBC_OFF_r_found_version__hash, uint32_t),
			GLIBC_AT(version, GLIBC_OFF_r_found_version__hidden, int)};
	struct lt_ref want = lt_ref_of(name, version ? &req : 0, 0);
	struct lt_object *requester = lt_glibc_object(map);
	if (registers_fork_handlers(name))
		register_fork_handler("", "dlsym of a function that registers fork handlers");
	struct lt_symdef d;
	lt_read_lock(&lt_loader_lock);
	if (skip)
		d = lt_lookup_in_scope(&want, &lt.global, lt_glibc_object(skip));
	else if (requester && asks_local_scope(map, scope))
		d = lt_dl_lookup_in_handle(requester, &want);
	else
		d = lt_lookup(&want, requester);
	lt_read_unlock(&lt_loader_lock);
	/* A weak reference may stay undefined, with no error (libc's own
	 * lookups in the vDSO ask so). */
	int weak = *ref && ELF64_ST_BIND((*ref)->st_info) == STB_WEAK;
	if (!d.sym && weak) {
		*ref = 0;
		return 0;
	}
	if (!d.sym && !lt.lookup_faulted)
		lt_error("%s: undefined symbol: %s%s%s", referrer_name(map), name,
			 version ? ", version " : "", version ? req.name : "");
	if (d.sym && requester && flags & DL_LOOKUP_ADD_DEPENDENCY &&
	    lt_note_binding(requester, d.obj) < 0)
		d.sym = 0;  /* (out of memory: the error says so) */
	if (!d.sym)
		signal_last_error();
	*ref = d.sym;
	return lt_glibc_map(d.obj);
}

static void *tls_get_addr_soft(unsigned char *map)
{
	struct lt_object *o = lt_glibc_object(map);
	return o ? lt_tls_block(o) : 0;
}

/* Where the unwinder finds an object's unwind tables (libgcc's _Unwind_Find_FDE). */
static int find_object(uintptr_t pc, unsigned char *result)
{
	lt_read_lock(&lt_loader_lock);
	struct lt_object *o = lt_object_containing(pc);
	uintptr_t eh_frame = 0;
	for (unsigned i = 0; o && i < o->phnum; i++)
		if (o->phdr[i].p_type == PT_GNU_EH_FRAME)
			eh_frame = o->base + o->phdr[i].p_vaddr;
	unsigned char *map = lt_glibc_map(o);
	if (map) {
		memset(result, 0, GLIBC_SIZEOF_dl_find_object);
		GLIBC_AT(result, GLIBC_OFF_dl_find_object__dlfo_map_start, uintptr_t) =
			MAP(map, l_map_start, uintptr_t);
		GLIBC_AT(result, GLIBC_OFF_dl_find_object__dlfo_map_end, uintptr_t) =
			MAP(map, l_map_end, uintptr_t);
		GLIBC_AT(result, GLIBC_OFF_dl_find_object__dlfo_link_map, void *) = map;
		GLIBC_AT(result, GLIBC_OFF_dl_find_object__dlfo_eh_frame, uintptr_t) = eh_frame;
	}
	lt_read_unlock(&lt_loader_lock);
	return map ? 0 : -1;
}

/* dlerror's messages came from exception_create, with the allocator libc uses. */
static void error_free(void *message)
{
	lt_glibc.free(message);
}

/* __libc_freeres at exit: ld-teach keeps no memory that libc should free. */
static void libc_freeres(void)
{
}

/* A symbol of libc.so.6 itself, of a given version. */
static void *libc_symbol(const char *name, const char *version)
{
	struct lt_verreq req = {version, lt_sysv_hash(version), 0};
	struct lt_ref ref = lt_ref_of(name, &req, 0);
	struct lt_symdef d = {lt_find_in_object(lt_glibc.libc, &ref), lt_glibc.libc};
	if (!d.sym)
		lt_fatal("%s: no %s@%s, which glibc's loader relies on", lt_glibc.libc->path, name,
			 version);
	return (void *)lt_symbol_address(&d);
}

/* fork(): the loader's locks are held across it, so that the child gets them free. */
static void before_fork(void)
{
	lt_core_ops.atfork(-1);
}

static void after_fork_in_parent(void)
{
	lt_core_ops.atfork(0);
}

static void after_fork_in_child(void)
{
	lt_glibc_threads_after_fork();
	lt_core_ops.atfork(1);
}

/*
 * When the handler is registered.  fork runs the prepare handlers last
 * registered first and the child's first registered first; ld-teach's
 * must be registered before any of the program's (one may dlopen a library
 * whose constructor needs the finalizer lock, or dlsym in the child), and
 * before any fork could find a loader lock held: by another thread, or by
 * the forking one in a constructor or destructor run by dlopen or dlclose,
 * or in an audit module's callback.  Registering runs a part of libc's code
 * nothing else in a hello runs (the kernel's fault-around then maps 16 of
 * its pages, doc/performance.md), so a start whose objects cannot register
 * a handler leaves it until the first thread, dlopen or dlclose, or dlsym
 * of a registering function.  Until then the process has one thread, and
 * neither it nor any handler holds a loader lock across a fork.  (libc
 * registers no handler of its own: it calls its parts from fork directly.)
 */
static int fork_handler_registered, fork_handler_allowed;

/* Register it now, if it may be and is not yet; `who` and `why`, joined, say why. */
static void register_fork_handler(const char *who, const char *why)
{
	if (fork_handler_registered || !fork_handler_allowed)
		return;
	fork_handler_registered = 1;
	int (*register_atfork)(void (*)(void), void (*)(void), void (*)(void), void *) =
		libc_symbol("__register_atfork", "GLIBC_2.3.2");
	register_atfork(before_fork, after_fork_in_parent, after_fork_in_child, 0);
	trace_adapter_step("glibc", "fork handler registered with libc: %s%s", who, why);
}

/* The functions through which code registers fork handlers.  (The first
 * character first: most names are neither.) */
static int registers_fork_handlers(const char *name)
{
	return (*name == '_' || *name == 'p') &&
	       (!strcmp(name, "__register_atfork") || !strcmp(name, "pthread_atfork"));
}

static const char *fork_handler_user;  /* a start-up object that names one, if any */

/*
 * Does the object name either function?  Only an object with symbol
 * versions can: one linked against glibc's libc has a version for every
 * name libc gave it (the chains of `make bench`, which name none of libc's,
 * have none, and are not read).  Its undefined symbols come before those
 * its GNU hash table holds, which are all defined.
 */
void lt_glibc_note_fork_handler_user(const struct lt_object *obj)
{
	const struct lt_symtab *st = &obj->st;
	size_t end = st->gnu_nbuckets && st->gnu_symoffset < st->nsyms ? st->gnu_symoffset : st->nsyms;
	for (size_t i = 1; st->versym && i < end && !fork_handler_user; i++) {
		const Elf64_Sym *s = &st->syms[i];
		const char *name = s->st_shndx == SHN_UNDEF ? lt_object_string(obj, s->st_name) : 0;
		if (name && registers_fork_handlers(name))
			fork_handler_user = obj->path;
	}
}

void lt_glibc_fork_handler_at_start(void)
{
	fork_handler_allowed = 1;
	if (fork_handler_user)
		register_fork_handler(fork_handler_user, " can register fork handlers");
	else if (lt_audit_modules_loaded())
		register_fork_handler("", "audit modules run");
}

void lt_glibc_fork_handler_for_thread(void)
{
	register_fork_handler("", "the first thread is made");
}

/* glibc's DL_DEBUG_IMPCALLS (a constant of its ldsodefs.h, in no debug
 * information): the bit of _dl_debug_mask under which libc's
 * __libc_start_main prints "initialize program" and "transferring control"
 * through _dl_debug_printf. */
#define GLIBC_DL_DEBUG_IMPCALLS (1 << 1)

/* glibc's _dl_debug_printf, for those two lines: LD_DEBUG's trace. */
static void debug_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lt_debug_vprint_lines(fmt, ap);
	va_end(ap);
}

void lt_glibc_fill_function_slots(void)
{
	GLRO(_dl_debug_printf, void *) = debug_printf;
	GLRO(_dl_debug_mask, int) = lt_debug_on(LT_DBG_CALLS) ? GLIBC_DL_DEBUG_IMPCALLS : 0;
	signal_error = libc_symbol("_dl_signal_error", "GLIBC_PRIVATE");
	GLRO(_dl_catch_error, void *) = libc_symbol("_dl_catch_error", "GLIBC_PRIVATE");
	GLRO(_dl_error_free, void *) = error_free;
	GLRO(_dl_open, void *) = dl_open;
	GLRO(_dl_close, void *) = dl_close;
	GLRO(_dl_lookup_symbol_x, void *) = lookup_symbol_x;
	GLRO(_dl_tls_get_addr_soft, void *) = tls_get_addr_soft;
	GLRO(_dl_find_object, void *) = find_object;
	GLRO(_dl_libc_freeres, void *) = libc_freeres;
}

/* ----- the bridge's other operations ----- */

static void *find_dso_for_object(uintptr_t addr)
{
	return lt_glibc_map(lt_object_containing(addr));
}

/* One buffer from libc's malloc: the message, then the object's name. */
static void exception_create(void *exc, const char *objname, const char *errstring)
{
	objname = objname ? objname : "";
	size_t msg = strlen(errstring) + 1, obj = strlen(objname) + 1;
	char *buf = lt_glibc.malloc ? lt_glibc.malloc(msg + obj) : 0;
	if (buf) {
		memcpy(buf, errstring, msg);
		memcpy(buf + msg, objname, obj);
		errstring = buf, objname = buf + msg;
	}
	GLIBC_AT(exc, GLIBC_OFF_dl_exception__objname, const char *) = objname;
	GLIBC_AT(exc, GLIBC_OFF_dl_exception__errstring, const char *) = errstring;
	GLIBC_AT(exc, GLIBC_OFF_dl_exception__message_buffer, char *) = buf;
}

static __attribute__((noreturn)) void fatal(const char *fmt, va_list ap)
{
	lt_vdprintf(2, fmt, ap);
	sys_exit(127);
}

static void di_serinfo(void *map, void *serinfo, int counting)
{
	(void)map, (void)serinfo, (void)counting;
	lt_error("dlinfo: RTLD_DI_SERINFO is not supported");
	signal_last_error();
}

/* A thread stack made executable, for a program that asked for one: the
 * stack above its guard area, which stays inaccessible. */
static int change_stack_perm(void *pd)
{
	size_t guard = GLIBC_AT(pd, GLIBC_OFF_pthread__guardsize, size_t);
	uintptr_t start = GLIBC_AT(pd, GLIBC_OFF_pthread__stackblock, uintptr_t) + guard;
	size_t size = GLIBC_AT(pd, GLIBC_OFF_pthread__stackblock_size, size_t) - guard;
	long r = sys_mprotect((void *)start, size, PROT_READ | PROT_WRITE | PROT_EXEC);
	return r < 0 ? (int)-r : 0;
}

static void audit_preinit(void *map)
{
	(void)map;  /* (the program's: the core knows it) */
	lt_audit_preinit();
}

static void audit_symbind_alt(void *map, const void *sym, void **value, void *result)
{
	lt_audit_dlsym(lt_glibc_object(map), sym, lt_glibc_object(result), value);
}

const struct lt_glibc_bridge lt_glibc_bridge = {
	.abi = LT_GLIBC_BRIDGE_ABI,
	.allocate_tls = lt_glibc_allocate_tls,
	.allocate_tls_init = lt_glibc_allocate_tls_init,
	.deallocate_tls = lt_glibc_deallocate_tls,
	.tls_get_addr_slow = lt_glibc_tls_get_addr_slow,
	.generation = &lt_glibc.generation,
	.find_dso_for_object = find_dso_for_object,
	.exception_create = exception_create,
	.fatal = fatal,
	.di_serinfo = di_serinfo,
	.change_stack_perm = change_stack_perm,
	.tunable_get_val = lt_glibc_tunable_get_val,
	.audit_preinit = audit_preinit,
	.audit_symbind_alt = audit_symbind_alt,
};

/* ----- _rtld_global._dl_load_lock: libc's recursive pthread mutex ----- */

#define LOAD_LOCK(field, T) \
	GLIBC_AT(lt_glibc.gl, GLIBC_OFF_rtld_global___dl_load_lock + GLIBC_OFF_pthread_mutex____##field, T)

static int my_tid(void)
{
	return GLIBC_AT(arch_thread_pointer(), GLIBC_OFF_pthread__tid, int);
}

/* Taken as libc's pthread_mutex_lock takes a recursive mutex, so that the
 * two can share it: owner's tid, recursion count, and the low-level lock. */
void lt_glibc_lock(void)
{
	register_fork_handler("", "the first dlopen or dlclose");
	int tid = my_tid();
	if (LOAD_LOCK(owner, int) == tid) {
		LOAD_LOCK(count, unsigned)++;
		return;
	}
	lt_mutex_lock((struct lt_mutex *)&LOAD_LOCK(lock, int));
	LOAD_LOCK(owner, int) = tid;
	LOAD_LOCK(count, unsigned) = 1;
	LOAD_LOCK(nusers, unsigned)++;
}

void lt_glibc_unlock(void)
{
	if (--LOAD_LOCK(count, unsigned))
		return;
	LOAD_LOCK(owner, int) = 0;
	LOAD_LOCK(nusers, unsigned)--;
	lt_mutex_unlock((struct lt_mutex *)&LOAD_LOCK(lock, int));
}
