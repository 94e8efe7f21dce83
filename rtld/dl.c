/*
 * The dl* family, as operations the libc adapters call (struct lt_core_ops,
 * include/ld-teach/adapter.h).  Every operation that reads or changes the
 * object list holds the loader lock: dlopen and dlclose for writing, the
 * rest for reading; dlopen and dlclose also hold the lock the libc itself
 * takes around loader data, when its adapter names one.  A failing
 * operation leaves its reason in the calling thread's error slot.
 */
#include "rtld.h"
#include "alloc.h"
#include "audit.h"
#include "init.h"
#include "libc.h"
#include "load.h"
#include "lock.h"
#include "print.h"
#include "reloc.h"
#include "str.h"
#include "symbols.h"
#include "symindex.h"
#include "sys.h"
#include "tls.h"
#include "ld-teach/adapter.h"

struct lt_rwlock lt_loader_lock;

static int is_object(const void *handle)
{
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (o == handle)
			return 1;
	return 0;
}

/* Is handle a loaded object?  If not, that is the error. */
static int known_handle(const void *handle)
{
	if (is_object(handle))
		return 1;
	lt_error("Invalid library handle %p", handle);
	return 0;
}

static int dl_is_handle(const void *handle)
{
	lt_read_lock(&lt_loader_lock);
	int ok = is_object(handle);
	lt_read_unlock(&lt_loader_lock);
	return ok;
}

static int dl_iterate_phdr(int (*cb)(struct lt_dl_phdr_info *, size_t, void *), void *data)
{
	int r = 0;
	/* For writing: it is recursive, so a callback may dlopen. */
	lt_write_lock(&lt_loader_lock);
	for (struct lt_object *o = lt.head; o && !r; o = o->next) {
		struct lt_dl_phdr_info info = {
			.dlpi_addr = o->base,
			.dlpi_name = o->name,
			.dlpi_phdr = o->phdr,
			.dlpi_phnum = (Elf64_Half)o->phnum,
			.dlpi_adds = lt.dlopens,
			.dlpi_subs = lt.objects_removed,
			.dlpi_tls_modid = o->tls.modid,
			.dlpi_tls_data = lt_tls_block(o),
		};
		r = cb(&info, sizeof info, data);
	}
	lt_write_unlock(&lt_loader_lock);
	return r;
}

/*
 * The symbol that covers `addr`: one whose [value, value + size) holds it,
 * else the nearest one below it with no size.
 */
static const Elf64_Sym *symbol_at(const struct lt_object *o, uintptr_t addr)
{
	const Elf64_Sym *best = 0;
	for (size_t i = 1; i < o->st.nsyms; i++) {
		const Elf64_Sym *s = &o->st.syms[i];
		unsigned type = ELF64_ST_TYPE(s->st_info);
		if (s->st_shndx == SHN_UNDEF || !s->st_value || type == STT_TLS ||
		    type == STT_SECTION || type == STT_FILE || s->st_name >= o->st.strsz)
			continue;
		uintptr_t at = o->base + s->st_value;
		if (at > addr)
			continue;
		if (s->st_size && addr < at + s->st_size)
			return s;
		if (!s->st_size && (!best || s->st_value > best->st_value))
			best = s;
	}
	return best;
}

/* Start-up skips the vDSO's symbols (nothing binds to it); they are read
 * the first time they matter.  0 without a vDSO, or when they cannot be
 * read (corrupt, or out of memory): then none of a half-read table stays,
 * and the next call tries again. */
struct lt_object *lt_vdso_symbols(void)
{
	static struct lt_mutex vdso_parse;
	struct lt_object *o = lt.vdso;
	if (!o)
		return 0;
	lt_mutex_lock(&vdso_parse);
	if (!o->st.syms && lt_dynamic_parse(o) < 0) {
		o->st = (struct lt_symtab){0};
		o = 0;
	}
	lt_mutex_unlock(&vdso_parse);
	return o;
}

static int dl_addr(const void *addr, struct lt_dl_info *info, void **extra, int flags)
{
	lt_read_lock(&lt_loader_lock);
	struct lt_object *o = lt_object_containing((uintptr_t)addr);
	if (o && o->kind == LT_VDSO)
		o = lt_vdso_symbols();
	if (o) {
		const Elf64_Sym *s = symbol_at(o, (uintptr_t)addr);
		info->dli_fname = o->kind == LT_MAIN ? lt.argv[0] : o->path;
		info->dli_fbase = (void *)(o->nsegs ? page_down(o->segs[0].start) : o->base);
		info->dli_sname = s ? o->st.strtab + s->st_name : 0;
		info->dli_saddr = s ? (void *)(o->base + s->st_value) : 0;
		if (extra && flags == LT_DL_SYMENT)
			*extra = (void *)s;
		else if (extra && flags == LT_DL_LINKMAP)
			*extra = o;
	}
	lt_read_unlock(&lt_loader_lock);
	return o != 0;
}

/* Objects after `caller` in the global scope: RTLD_NEXT. */
static struct lt_symdef lookup_next(const struct lt_ref *ref, const void *caller)
{
	return lt_lookup_in_scope(ref, &lt.global, lt_object_containing((uintptr_t)caller));
}

/* A handle: the object, then its dependencies breadth-first. */
struct lt_symdef lt_dl_lookup_in_handle(struct lt_object *h, const struct lt_ref *ref)
{
	if (h->kind == LT_MAIN)
		return lt_lookup(ref, 0);  /* dlopen(NULL): the global scope */
	if (h->local_owner == h)
		return lt_lookup_in_scope(ref, h->local, 0);
	struct lt_scope computed = {0, 0, 0};
	if (!(computed.objs = lt_dependency_order(h, &computed.n)))
		return (struct lt_symdef){0, 0};
	struct lt_symdef d = lt_lookup_in_scope(ref, &computed, 0);
	lt_free(computed.objs);
	return d;
}

#define LT_RTLD_DEFAULT ((void *)0)
#define LT_RTLD_NEXT ((void *)-1)

/*
 * What dlsym(RTLD_DEFAULT) found, the calling object now depends on, as
 * glibc records it: the definition's object stays while the caller does
 * (for ever, when the caller is the program).  Through a handle the caller
 * holds the object already, by its handle.
 */
static int note_found(const void *caller, struct lt_object *definer)
{
	struct lt_object *from = lt_object_containing((uintptr_t)caller);
	return from ? lt_note_binding(from, definer) : 0;
}

static int dl_sym(void *handle, const char *name, const char *version, const void *caller,
		  struct lt_dlsym_result *out)
{
	struct lt_verreq req = {version, version ? lt_sysv_hash(version) : 0, 0};
	struct lt_ref ref = lt_ref_of(name, version ? &req : 0, 0);
	struct lt_symdef d;
	int r = 0;
	lt_read_lock(&lt_loader_lock);
	if (handle == LT_RTLD_DEFAULT)
		d = lt_lookup(&ref, 0);
	else if (handle == LT_RTLD_NEXT)
		d = lookup_next(&ref, caller);
	else if (known_handle(handle))
		d = lt_dl_lookup_in_handle(handle, &ref);
	else
		d = (struct lt_symdef){0, 0};
	if (lt.lookup_faulted)
		d = (struct lt_symdef){0, 0};  /* no answer can be trusted: lt_lookup_fault's error stands */
	else if (!d.sym &&
		 (handle == LT_RTLD_DEFAULT || handle == LT_RTLD_NEXT || is_object(handle)))
		lt_error("%s: undefined symbol: %s%s%s",
			 handle == LT_RTLD_DEFAULT || handle == LT_RTLD_NEXT
				 ? lt.main->path : ((struct lt_object *)handle)->path,
			 name, version ? ", version " : "", version ? version : "");
	*out = (struct lt_dlsym_result){0, 0, 0};
	if (d.sym && handle == LT_RTLD_DEFAULT)
		r = note_found(caller, d.obj);
	if (!d.sym || r < 0) {
		r = -1;
	} else if (ELF64_ST_TYPE(d.sym->st_info) == STT_TLS) {
		out->tls_module = d.obj->tls.modid;
		out->tls_offset = d.sym->st_value;
	} else if (lt_symbol_value(&d, &out->addr) < 0) {
		r = -1;
	} else if (lt_auditing()) {
		lt_audit_dlsym(lt_object_containing((uintptr_t)caller), d.sym, d.obj, &out->addr);
	}
	lt_read_unlock(&lt_loader_lock);
	return r;
}

/* ----- dlopen ----- */

#define LT_RTLD_NOW 2
#define LT_RTLD_NOLOAD 4
#define LT_RTLD_DEEPBIND 8
#define LT_RTLD_GLOBAL 0x100
#define LT_RTLD_NODELETE 0x1000

/* The objects a dlopen loaded: everything after `last` in the list. */
#define each_new(o, last) (struct lt_object *o = (last)->next; o; o = o->next)

/* A failed dlopen leaves nothing behind: everything it brought goes. */
static void roll_back(struct lt_object *last)
{
	for each_new(o, last)
		o->dying = 1;
	lt_unload_dying(last->next);
}

static int check_new_versions(struct lt_object *last)
{
	for each_new(o, last)
		if (lt_versions_check(o) < 0)
			return -1;
	return 0;
}

static int announce_new(struct lt_object *last)
{
	for each_new(o, last)
		if (lt_libc_announce(o) < 0)
			return -1;
	return 0;
}

int lt_place_new_tls(struct lt_object *last)
{
	for each_new(o, last)
		if (o->tls.align &&
		    lt_tls_assign_dynamic(o, lt_needs_static_tls(o), lt_uses_tls_descriptors(o)) < 0)
			return -1;
	return 0;
}

/* New objects join the group of the object dlopen asked for. */
static int build_group(struct lt_object *root, struct lt_object *last, int flags)
{
	if (lt_give_own_scope(root) < 0)
		return -1;
	for each_new(o, last) {
		o->deepbind = (flags & LT_RTLD_DEEPBIND) != 0;
		if (o != root) {
			o->local = root->local;
			o->local_owner = root;
		}
	}
	return 0;
}

/* The new objects, dependencies before the objects that use them (as at
 * start-up), once the libc has admitted them. */
static int relocate_new(struct lt_object *root, struct lt_object *last, int flags)
{
	for each_new(o, last)
		o->dl_now = (flags & LT_RTLD_NOW) != 0;
	size_t n;
	struct lt_object **order = lt_init_order(root, &n);
	if (!order) {
		lt_error("%s: out of memory ordering its relocation", root->path);
		return -1;
	}
	int r = lt_libc_admit(order, n) < 0 ? -1 : lt_relocate_in_order(order, n);
	lt_free(order);
	return r;
}

int lt_install_new_tls(struct lt_object *last)
{
	for each_new(o, last) {
		if (!o->tls.modid)
			continue;
		if (!lt.libc->tls_add) {
			lt_error("%s: TLS in a dlopen'ed library needs a libc", o->path);
			return -1;
		}
		if (lt.libc->tls_add(o) < 0) {
			lt_error("%s: out of memory installing its TLS in every thread", o->path);
			return -1;
		}
	}
	return 0;
}

/* RTLD_GLOBAL: the group gets its own scope if it had none, and the global
 * scope room for it, before any constructor runs. */
static int prepare_global(struct lt_object *root)
{
	if (root->local_owner != root && lt_give_own_scope(root) < 0)
		return -1;
	return lt_scope_reserve(&lt.global, lt.global.n + root->local->n, root);
}

/*
 * The group joins the global scope after its constructors, as glibc's
 * dlopen does: a constructor's lookups, and those of libraries it opens,
 * do not see it there yet.  (It can only fail if a constructor's own
 * dlopen took the room, and memory then ran out.)
 */
static int make_global(struct lt_object *root)
{
	for (size_t i = 0; i < root->local->n; i++) {
		struct lt_object *o = root->local->objs[i];
		if (o->in_global)
			continue;
		if (lt_scope_add(&lt.global, o) < 0)
			return -1;
		o->in_global = 1;
		lt_libc_do(object_global, o);
		lt_symindex_add(o);  /* (out of memory turns the index off: the walk answers) */
	}
	if (!lt_symindex_active() && lt_symindex_worthwhile(lt.global.n))
		lt_symindex_build();
	return 0;
}

/*
 * Objects of the new group that an earlier dlopen brought, and whose
 * constructors have run, search the new group too, after their own: glibc
 * adds the new object's scope to theirs, so a lazy call in a library two
 * dlopens share finds what the later one brought.
 */
static int extend_scopes(struct lt_object *root)
{
	for (size_t i = 1; i < root->local->n; i++) {
		struct lt_object *o = root->local->objs[i];
		if (o->initial || !o->init_started || o->local == root->local ||
		    lt_scope_has(&o->later_roots, root))
			continue;
		if (lt_scope_add(&o->later_roots, root) < 0)
			return -1;
	}
	return 0;
}

/* Everything a new dlopen needs, in order; -1 leaves `last` the list's end again. */
static int load_new(struct lt_object *root, struct lt_object *last, int flags)
{
	if (lt_load_dependencies(last->next) < 0 || check_new_versions(last) < 0)
		return -1;
	lt_audit_consistent();  /* (before relocation, as glibc) */
	if (announce_new(last) < 0 || build_group(root, last, flags) < 0 ||
	    lt_place_new_tls(last) < 0 || relocate_new(root, last, flags) < 0 ||
	    lt_install_new_tls(last) < 0 || extend_scopes(root) < 0)
		return -1;
	return 0;
}

static struct lt_object *open_locked(const char *file, int flags, const void *caller)
{
	if (lt.exiting) {
		lt_error("%s: cannot dlopen while the program is exiting", file ? file : "NULL");
		return 0;
	}
	if (!file || !*file)
		return lt.main;  /* the program: dlsym through it searches the global scope */
	struct lt_object *root = lt_find_loaded(file);
	if (flags & LT_RTLD_NOLOAD && !root) {
		lt_error_clear();  /* glibc's: NULL, and dlerror() says nothing */
		return 0;
	}
	struct lt_object *last = lt.tail;
	if (!root) {
		struct lt_object *requester = lt_object_containing((uintptr_t)caller);
		lt_debugger_notify(LT_RT_ADD);
		root = lt_load_library_for(file, requester ? requester : lt.main, LT_LOAD_DLOPEN);
		/* (root may be an object already loaded under another name: then nothing is new) */
		if (!root || (last->next && load_new(root, last, flags) < 0)) {
			roll_back(last);
			lt_audit_consistent();
			return 0;
		}
		lt_debugger_notify(LT_RT_CONSISTENT);
	}
	if (root == lt.main && lt.libc->dlopen_refuses_program) {
		lt_error("%s: cannot dynamically load %sexecutable", file,
			 lt.main->flags_1 & DF_1_PIE ? "position-independent " : "");
		return 0;
	}
	int global = flags & LT_RTLD_GLOBAL && !root->in_global;
	if (global && prepare_global(root) < 0) {
		if (last->next)
			roll_back(last);
		return 0;
	}
	if (flags & LT_RTLD_NODELETE)
		root->nodelete = 1;
	root->dl_refs++;
	lt.dlopens++;
	lt_run_initializers_of(root);
	if (global && make_global(root) < 0) {
		root->dl_refs--;
		lt_unload_unreachable(root);
		return 0;
	}
	trace_opening(root);  /* (last, as in glibc's loader: after its constructors' own dlopens) */
	return root;
}

/* The libc's own lock (if its adapter names one), then the loader lock. */
static void lock_for_change(void)
{
	lt_libc_do(lock);
	lt_write_lock(&lt_loader_lock);
}

static void unlock_after_change(void)
{
	lt_write_unlock(&lt_loader_lock);
	lt_libc_do(unlock);
}

static void *dl_open(const char *file, int flags, const void *caller)
{
	lock_for_change();
	struct lt_object *h = open_locked(file, flags, caller);
	lt_libc_do(loading_done);
	unlock_after_change();
	return h;
}

/* ----- dlclose, dlinfo ----- */

static int dl_close(void *handle)
{
	int r = 0;
	lock_for_change();
	struct lt_object *o = handle;
	if (!known_handle(handle)) {
		r = -1;
	} else if (o->kind == LT_MAIN) {
		r = 0;  /* dlopen(NULL) holds nothing */
	} else if (!o->dl_refs) {
		lt_error("%s: not open (dlclose without a matching dlopen)", o->path);
		r = -1;
	} else {
		o->dl_refs--;
		if (o->dl_refs || o->initial)
			trace_closing(o);
		r = lt_unload_unreachable(o);
	}
	unlock_after_change();
	return r;
}

static int dl_info(void *handle, int request, void *arg)
{
	int r = 0;
	lt_read_lock(&lt_loader_lock);
	struct lt_object *o = handle;
	if (!known_handle(handle)) {
		r = -1;
	} else if (request == LT_DI_LINKMAP) {
		*(void **)arg = o;
	} else if (request == LT_DI_ORIGIN) {
		lt_object_origin(o, arg, LT_PATH_MAX);
	} else if (request == LT_DI_TLS_MODID) {
		*(size_t *)arg = o->tls.modid;
	} else if (request == LT_DI_TLS_DATA) {
		*(void **)arg = lt_tls_block(o);
	} else {
		lt_error("dlinfo: unsupported request %d", request);
		r = -1;
	}
	lt_read_unlock(&lt_loader_lock);
	return r;
}

static int dl_tls_module(size_t modid, struct lt_tls_module_info *out)
{
	lt_read_lock(&lt_loader_lock);
	const struct lt_object *o = lt_tls_owner(modid);
	if (o)
		*out = lt_tls_module_of(o);
	lt_read_unlock(&lt_loader_lock);
	return o ? 0 : -1;
}

/* musl's __libc_start_main: every constructor, then main (la_preinit between). */
static void run_all_constructors(void)
{
	lt_run_initializers(1);
	lt_audit_preinit();
}

/* fork(): hold every loader lock across it, so the child gets them free. */
static void dl_atfork(int phase)
{
	if (phase < 0) {
		lt_write_lock(&lt_loader_lock);
		lt_init_atfork(phase);
	} else {
		lt_init_atfork(phase);
		lt_write_unlock(&lt_loader_lock);
	}
}

const struct lt_core_ops lt_core_ops = {
	.abi = LT_ADAPTER_ABI,
	.alloc = lt_alloc,
	.free = lt_free,
	.run_constructors = run_all_constructors,
	.run_destructors = lt_run_finalizers,
	.atfork = dl_atfork,
	.dlopen = dl_open,
	.dlclose = dl_close,
	.dlsym = dl_sym,
	.dladdr = dl_addr,
	.dlinfo = dl_info,
	.iterate_phdr = dl_iterate_phdr,
	.is_handle = dl_is_handle,
	.tls_module = dl_tls_module,
};
