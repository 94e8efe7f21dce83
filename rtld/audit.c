/*
 * The rtld-audit interface, rtld-audit(7), as glibc 2.36 implements it on
 * x86_64: modules named in LD_AUDIT and --audit, loaded first, told about
 * every object the program loads and unloads, and shown each binding and,
 * if they ask, each call through the PLT.
 *
 * Modules: loaded (with their dependencies) before the program's
 * libraries, each into a group of its own that only the module's own
 * lookups search (glibc's namespaces); a module must be built for the
 * program's libc, which it shares (boot.c brings that libc up with the
 * modules, so that they can use it from their first call).  la_version
 * decides whether a module is used at all.
 *
 * Per object, per module: a cookie (the object's link_map, until the
 * module's la_objopen changes it) and the LA_FLG_* answer of la_objopen,
 * which says whether the object's bindings, from it or to it, are shown
 * to the module.  Per PLT slot of a lazily bound object, while a module
 * watches calls: what it was bound to, and which modules still want
 * la_pltenter and la_pltexit (two bits each, and two for all).
 *
 * Where glibc has a bug (its la_pltexit tests the wrong bits; its dlsym
 * report skips modules after one that declined), ld-teach does what the
 * interface says.
 */
#include "rtld.h"
#include "alloc.h"
#include "audit.h"
#include "init.h"
#include "libc.h"
#include "load.h"
#include "print.h"
#include "str.h"
#include "symbols.h"
#include "trace.h"

/* Two bits of a slot's enterexit word per module, after two for all of them. */
#define LT_AUDIT_MAX 15
#define ENTER_EXIT (LA_SYMB_NOPLTENTER | LA_SYMB_NOPLTEXIT)
#define REQUESTS_MAX 8

_Static_assert(offsetof(La_x86_64_regs, lr_rsp) == LT_LR_RSP, "lr_rsp");
_Static_assert(offsetof(La_x86_64_regs, lr_xmm) == LT_LR_XMM, "lr_xmm");
_Static_assert(offsetof(La_x86_64_regs, lr_vector) == LT_LR_VECTOR, "lr_vector");
_Static_assert(sizeof(La_x86_64_regs) == LT_LR_SIZE, "La_x86_64_regs");
_Static_assert(offsetof(La_x86_64_retval, lrv_st0) == LT_LRV_ST0, "lrv_st0");
_Static_assert(offsetof(La_x86_64_retval, lrv_vector1) == LT_LRV_VECTOR1, "lrv_vector1");
_Static_assert(sizeof(La_x86_64_retval) == LT_LRV_SIZE, "La_x86_64_retval");

struct module {
	struct lt_object *obj;
	const char *name;  /* as LD_AUDIT or --audit named it */
	unsigned (*version)(unsigned);
	void (*activity)(uintptr_t *, unsigned);
	char *(*objsearch)(const char *, uintptr_t *, unsigned);
	unsigned (*objopen)(void *, Lmid_t, uintptr_t *);
	void (*preinit)(uintptr_t *);
	uintptr_t (*symbind)(Elf64_Sym *, unsigned, uintptr_t *, uintptr_t *, unsigned *,
			     const char *);
	Elf64_Addr (*pltenter)(Elf64_Sym *, unsigned, uintptr_t *, uintptr_t *, La_x86_64_regs *,
			       unsigned *, const char *, long *);
	unsigned (*pltexit)(Elf64_Sym *, unsigned, uintptr_t *, uintptr_t *, const La_x86_64_regs *,
			    La_x86_64_retval *, const char *);
	unsigned (*objclose)(uintptr_t *);
};

/* Loaded modules, then (after la_version) the ones in use, in order. */
static struct module modules[LT_AUDIT_MAX] LT_LARGE_BSS;
static unsigned nloaded;
unsigned lt_audit_count;

static const char *requests[REQUESTS_MAX];
static unsigned nrequests;

/* The last la_activity sent: a batch of LA_ACT_ADD or LA_ACT_DELETE ends
 * with LA_ACT_CONSISTENT. */
static unsigned activity = LA_ACT_CONSISTENT;

struct state {
	uintptr_t cookie;
	unsigned bindflags;  /* la_objopen's LA_FLG_* answer */
};

struct slot {
	uint64_t value;           /* what the slot is bound to */
	struct lt_object *def;    /* NULL: nobody wants to hear of it */
	uint32_t ndx;             /* the definition's index in def's symbol table */
	uint32_t enterexit;       /* ENTER_EXIT bits: all modules, then each */
	unsigned flags;           /* la_symbind's LA_SYMB_* */
};

struct lt_audit_object {
	struct slot *slots;       /* while a module watches calls: one per JUMP_SLOT */
	unsigned any : 1;         /* some module asked for some of its bindings */
	unsigned closed : 1;      /* la_objclose has been called */
	struct state state[];     /* one per module in use */
};

/* ----- requests and loading ----- */

void lt_audit_request(const char *list)
{
	if (!list || !*list)
		return;  /* an empty list loads nothing */
	if (nrequests == REQUESTS_MAX) {
		lt_dprintf(2, LT_NAME ": warning: too many audit lists: '%s' ignored\n", list);
		return;
	}
	requests[nrequests++] = list;
}

static void reject(const char *name, const char *why)
{
	lt_dprintf(2, LT_NAME ": warning: object '%s' cannot be loaded as audit interface: %s; "
		   "ignored.\n", name, why);
}

/* Everything loaded after `last` goes again (nothing of it has run). */
static void unload_after(struct lt_object *last)
{
	for (struct lt_object *o = last->next; o; o = o->next)
		o->dying = 1;
	if (last->next)
		lt_unload_dying(last->next);
}

/* A module must use the process's libc: it shares it with the program. */
static int same_libc(const struct lt_object *obj)
{
	const struct lt_libc_adapter *a = lt_libc_claimant(obj);
	if (a == lt.libc)
		return 1;
	lt_error("%s: built for %s, but this process uses %s", obj->path, a->name, lt.libc->name);
	return 0;
}

/* The definition of `name` in the module's group: the module, then its dependencies. */
static void *group_function(struct lt_object *module, const char *name)
{
	struct lt_ref ref = lt_ref_of(name, 0, 0);
	struct lt_symdef d = lt_dl_lookup_in_handle(module, &ref);
	void *value = 0;
	if (d.sym && ELF64_ST_TYPE(d.sym->st_info) != STT_TLS && lt_symbol_value(&d, &value) < 0)
		value = 0;
	return value;
}

/* The module and its new dependencies form its group: their own lookups search it alone. */
static int make_group(struct lt_object *module, struct lt_object *last)
{
	if (!module->local && lt_give_own_scope(module) < 0)
		return -1;
	for (struct lt_object *o = last->next; o; o = o->next) {
		o->audit_group = 1;
		if (!o->local) {
			o->local = module->local;
			o->local_owner = module;
		}
	}
	module->audit_group = 1;
	return 0;
}

/* Do the objects loaded after `last` find the versions they need? */
static int versions_missing(struct lt_object *last)
{
	for (struct lt_object *o = last->next; o; o = o->next)
		if (lt_versions_check(o) < 0)
			return 1;
	return 0;
}

/* Names with a slash may hold $ORIGIN (ld-teach's directory), $LIB or $PLATFORM. */
static struct lt_object *load_one(const char *name)
{
	static char path[LT_PATH_MAX] LT_LARGE_BSS;  /* not on a small stack (start-up: one thread) */
	if (strchr(name, '/')) {
		if (lt_expand_name(name, lt.self, path) < 0) {
			lt_error("%s: cannot expand its name", name);
			return 0;
		}
		name = path;
	}
	/* Secure mode: found by a search (names with a slash never get here),
	 * and set-user-id, as glibc demands. */
	return lt_load_library_for(name, lt.main, lt.secure ? LT_LOAD_SETUID_ONLY : 0);
}

/* May the libc run the module and what it brought, as glibc's dlmopen of
 * it asks before relocating them? */
static int admitted(struct lt_object *module)
{
	size_t n;
	struct lt_object **order = lt_init_order(module, &n);
	if (!order) {
		lt_error("%s: out of memory ordering its relocation", module->path);
		return 0;
	}
	int ok = lt_libc_admit(order, n) == 0;
	lt_free(order);
	return ok;
}

/* The module's dependencies, its versions, its group, its la_version: -1
 * (the error line says why) when it cannot be used.  (The group's scope
 * comes first: la_version is then looked up in it without an allocation
 * that could fail and be taken for "undefined".) */
static int complete(struct lt_object *obj, struct lt_object *last, unsigned (**version)(unsigned))
{
	if (!same_libc(obj) || (last->next && lt_load_dependencies(last->next) < 0) ||
	    versions_missing(last) || !admitted(obj) || make_group(obj, last) < 0)
		return -1;
	if (!(*version = group_function(obj, "la_version"))) {
		if (!lt.lookup_faulted)
			lt_error("%s: undefined symbol: la_version", obj->path);
		return -1;
	}
	return 0;
}

static void load_module(const char *name)
{
	trace_audit_module(name);
	struct lt_object *last = lt.tail, *obj = load_one(name);
	if (obj && obj->serial <= last->serial && !obj->audit_group) {
		lt_error("%s: already loaded, and not as an audit module", obj->path);
		obj = 0;
	}
	if (!obj || complete(obj, last, &modules[nloaded].version) < 0) {
		reject(name, lt_error_text());
		if (obj)
			unload_after(last);
		return;
	}
	modules[nloaded].obj = obj;
	modules[nloaded++].name = lt_strdup(name);
}

/* The next name of a list at *p (colon-separated), or 0 at its end. */
static size_t next_name(const char **p, char *name, size_t size)
{
	for (;;) {
		while (**p == ':')
			(*p)++;
		const char *colon = strchr(*p, ':');
		size_t len = colon ? (size_t)(colon - *p) : strlen(*p);
		if (!len)
			return 0;
		const char *start = *p;
		*p += len;
		/* Secure mode: names with a directory are ignored, as glibc ignores them. */
		if (len >= size || (lt.secure && memchr(start, '/', len)))
			continue;
		memcpy(name, start, len);
		name[len] = 0;
		return len;
	}
}

size_t lt_audit_load_modules(struct lt_object ***roots)
{
	static struct lt_object *objs[LT_AUDIT_MAX];
	static char name[LT_PATH_MAX] LT_LARGE_BSS;  /* (as load_one's path) */
	for (unsigned r = 0; r < nrequests; r++)
		for (const char *p = requests[r]; next_name(&p, name, sizeof name);) {
			lt_error_clear();
			if (nloaded < LT_AUDIT_MAX)
				load_module(name);
			else
				reject(name, "too many audit modules");
		}
	for (unsigned i = 0; i < nloaded; i++)
		objs[i] = modules[i].obj;
	*roots = objs;
	return nloaded;
}

unsigned lt_audit_modules_loaded(void)
{
	return nloaded;
}

void lt_audit_relocation_failed(const struct lt_object *module)
{
	for (unsigned i = 0; i < nloaded; i++)
		if (modules[i].obj == module) {
			reject(modules[i].name, lt_error_text());
			modules[i].version = 0;
		}
}

/* ----- starting ----- */

/* la_version: the interface version the module wants, 0 to decline. */
static int accepts(struct module *m)
{
	unsigned v = m->version(LAV_CURRENT);
	if (!v) {
		/* Deliberate: glibc says so in the files trace only. */
		trace_audit_declined(m->obj);
		return 0;
	}
	if (v > LAV_CURRENT) {
		lt_dprintf(2, LT_NAME ": warning: audit interface '%s' requires version %u (maximum "
			   "supported version %d); ignored.\n", m->name, v, LAV_CURRENT);
		return 0;
	}
	return 1;
}

static void find_functions(struct module *m)
{
	m->activity = group_function(m->obj, "la_activity");
	m->objsearch = group_function(m->obj, "la_objsearch");
	m->objopen = group_function(m->obj, "la_objopen");
	m->preinit = group_function(m->obj, "la_preinit");
	m->symbind = group_function(m->obj, "la_symbind64");
	m->pltenter = group_function(m->obj, "la_x86_64_gnu_pltenter");
	m->pltexit = group_function(m->obj, "la_x86_64_gnu_pltexit");
	m->objclose = group_function(m->obj, "la_objclose");
}

static void send_activity(unsigned what)
{
	struct lt_audit_object *a = lt.main->audit;
	activity = what;
	for (unsigned i = 0; a && i < lt_audit_count; i++)
		if (modules[i].activity)
			modules[i].activity(&a->state[i].cookie, what);
}

void lt_audit_begin(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < nloaded; i++) {
		struct module m = modules[i];
		if (!m.version || !accepts(&m))
			continue;
		find_functions(&m);
		modules[n++] = m;
	}
	lt_audit_count = n;
	if (!n)
		return;
	lt_audit_objopen(lt.main);
	send_activity(LA_ACT_ADD);
}

/* ----- objects ----- */

static struct state *state_of(const struct lt_object *o, unsigned i)
{
	return o && o->audit ? &o->audit->state[i] : 0;
}

const char *lt_audit_objsearch(const char *name, const struct lt_object *requester,
			       unsigned where)
{
	for (unsigned i = 0; name && i < lt_audit_count; i++) {
		struct state *s = state_of(requester, i);
		if (s && modules[i].objsearch)
			name = modules[i].objsearch(name, &s->cookie, where);
	}
	return name;
}

void lt_audit_objopen(struct lt_object *obj)
{
	if (!lt_auditing() || obj->audit)
		return;
	/* The link_map modules see is the adapter's: without one (out of
	 * memory), the modules never hear of the object. */
	if (lt_libc_announce(obj) < 0)
		return;
	struct lt_audit_object *a = lt_alloc(sizeof *a + lt_audit_count * sizeof *a->state);
	if (!a)
		lt_fatal("%s: out of memory for its audit state", obj->path);
	obj->audit = a;
	if (activity == LA_ACT_CONSISTENT && obj != lt.main)
		send_activity(LA_ACT_ADD);
	void *map = lt.libc->public_map ? lt.libc->public_map(obj) : obj;
	for (unsigned i = 0; i < lt_audit_count; i++) {
		a->state[i].cookie = (uintptr_t)map;
		if (modules[i].objopen)
			a->state[i].bindflags = modules[i].objopen(map, 0 /* LM_ID_BASE */,
								   &a->state[i].cookie);
		a->any |= a->state[i].bindflags != 0;
	}
}

void lt_audit_consistent(void)
{
	if (lt_auditing() && activity != LA_ACT_CONSISTENT)
		send_activity(LA_ACT_CONSISTENT);
}

void lt_audit_deleting(void)
{
	if (lt_auditing() && activity != LA_ACT_DELETE)
		send_activity(LA_ACT_DELETE);
}

void lt_audit_objclose(struct lt_object *obj)
{
	struct lt_audit_object *a = obj->audit;
	if (!a || a->closed)
		return;
	a->closed = 1;
	for (unsigned i = 0; i < lt_audit_count; i++)
		if (modules[i].objclose)
			modules[i].objclose(&a->state[i].cookie);
}

void lt_audit_preinit(void)
{
	struct lt_audit_object *a = lt.main->audit;
	for (unsigned i = 0; a && i < lt_audit_count; i++)
		if (modules[i].preinit)
			modules[i].preinit(&a->state[i].cookie);
}

void lt_audit_forget(struct lt_object *obj)
{
	if (!obj->audit)
		return;
	lt_free(obj->audit->slots);
	lt_free(obj->audit);
	obj->audit = 0;
}

/* ----- bindings ----- */

int lt_audit_watches_calls(void)
{
	for (unsigned i = 0; i < lt_audit_count; i++)
		if (modules[i].pltenter || modules[i].pltexit)
			return 1;
	return 0;
}

int lt_audit_watches_bindings(void)
{
	for (unsigned i = 0; i < lt_audit_count; i++)
		if (modules[i].symbind)
			return 1;
	return lt_audit_watches_calls();
}

static int any_interest(const struct lt_object *from, const struct lt_object *def)
{
	return (from->audit && from->audit->any) || (def->audit && def->audit->any);
}

static unsigned flags_of(const struct lt_object *o, unsigned i)
{
	const struct state *s = state_of(o, i);
	return s ? s->bindflags : 0;
}

/* The definition as the modules see it: a copy, with its run-time address. */
static Elf64_Sym as_bound(const Elf64_Sym *sym, uint64_t value)
{
	Elf64_Sym copy = *sym;
	copy.st_value = value;
	return copy;
}

uint64_t lt_audit_symbind(struct lt_object *from, size_t index, const Elf64_Sym *sym,
			  struct lt_object *def, uint64_t value, int now)
{
	struct slot *slot = !now && from->audit && from->audit->slots ? &from->audit->slots[index] : 0;
	if (!any_interest(from, def))
		return value;  /* (a slot without `def` is of no interest to la_pltenter) */
	Elf64_Sym bound = as_bound(sym, value);
	uint32_t ndx = sym - def->st.syms, enterexit = ENTER_EXIT;
	const char *name = def->st.strtab + sym->st_name;
	unsigned flags = 0;
	for (unsigned i = 0; i < lt_audit_count; i++) {
		unsigned shift = 2 * (i + 1);
		if (!(flags_of(from, i) & LA_FLG_BINDFROM) || !(flags_of(def, i) & LA_FLG_BINDTO)) {
			enterexit |= ENTER_EXIT << shift;
			continue;
		}
		flags |= now ? ENTER_EXIT : 0;
		if (modules[i].symbind) {
			uintptr_t v = modules[i].symbind(&bound, ndx, &from->audit->state[i].cookie,
							 &def->audit->state[i].cookie, &flags, name);
			if (v != bound.st_value) {
				flags |= LA_SYMB_ALTVALUE;
				bound.st_value = v;
			}
		}
		enterexit &= flags & ENTER_EXIT;
		enterexit |= (flags & ENTER_EXIT) << shift;
	}
	if (slot)
		*slot = (struct slot){bound.st_value, def, ndx, enterexit, flags};
	return bound.st_value;
}

void lt_audit_dlsym(struct lt_object *caller, const Elf64_Sym *sym, struct lt_object *def,
		    void **value)
{
	if (!lt_auditing() || !caller || !def || !any_interest(caller, def))
		return;
	Elf64_Sym bound = as_bound(sym, (uintptr_t)*value);
	const char *name = def->st.strtab + sym->st_name;
	unsigned altvalue = 0;
	for (unsigned i = 0; i < lt_audit_count; i++) {
		if (!modules[i].symbind || (!(flags_of(caller, i) & LA_FLG_BINDFROM) &&
					    !(flags_of(def, i) & LA_FLG_BINDTO)))
			continue;
		struct state *from = state_of(caller, i), *to = state_of(def, i);
		if (!from || !to)
			continue;  /* (a side without audit state: out of memory when it was opened) */
		unsigned flags = altvalue | LA_SYMB_DLSYM;
		uintptr_t v = modules[i].symbind(&bound, sym - def->st.syms, &from->cookie, &to->cookie,
						 &flags, name);
		if (v != bound.st_value) {
			altvalue = LA_SYMB_ALTVALUE;
			bound.st_value = v;
		}
	}
	*value = (void *)bound.st_value;
}

/* ----- calls ----- */

int lt_audit_prepare_calls(struct lt_object *obj)
{
	lt_audit_objopen(obj);  /* (every object relocated while modules run has been) */
	if (obj->audit->slots)
		return 0;
	obj->audit->slots = lt_alloc(obj->njmprel * sizeof *obj->audit->slots);
	if (obj->audit->slots)
		return 0;
	lt_error("%s: out of memory for its audit records", obj->path);
	return -1;
}

static struct slot *slot_of(const struct lt_object *obj, size_t index)
{
	return obj->audit && obj->audit->slots ? &obj->audit->slots[index] : 0;
}

uint64_t lt_audit_slot_value(const struct lt_object *obj, size_t index)
{
	return slot_of(obj, index)->value;
}

void lt_audit_keep_value(struct lt_object *obj, size_t index, uint64_t value)
{
	slot_of(obj, index)->value = value;
}

uint64_t lt_audit_pltenter(struct lt_object *obj, size_t index, uint64_t value, void *regs,
			   long *framesize)
{
	struct slot *s = slot_of(obj, index);
	*framesize = -1;
	if (!s || !s->def || (s->enterexit & LA_SYMB_NOPLTENTER))
		return value;
	Elf64_Sym bound = as_bound(&s->def->st.syms[s->ndx], value);
	const char *name = s->def->st.strtab + bound.st_name;
	unsigned flags = s->flags;
	for (unsigned i = 0; i < lt_audit_count; i++) {
		unsigned shift = 2 * (i + 1);
		if (!modules[i].pltenter || (s->enterexit & (LA_SYMB_NOPLTENTER << shift)))
			continue;
		long wanted = -1;
		uintptr_t v = modules[i].pltenter(&bound, s->ndx, &obj->audit->state[i].cookie,
						  &s->def->audit->state[i].cookie, regs, &flags, name,
						  &wanted);
		if (v != bound.st_value) {
			flags |= LA_SYMB_ALTVALUE;
			bound.st_value = v;
		}
		/* A module may say it wants no more calls: it keeps to that. */
		uint32_t now = __atomic_or_fetch(&s->enterexit, (flags & ENTER_EXIT) << shift,
						 __ATOMIC_RELAXED);
		if (!(now & (LA_SYMB_NOPLTEXIT << shift)) && wanted != -1 && *framesize != -2)
			*framesize = *framesize == -1 || wanted > *framesize ? wanted : *framesize;
	}
	return bound.st_value;
}

void lt_audit_pltexit(struct lt_object *obj, size_t index, const void *inregs, void *outregs)
{
	const struct slot *s = slot_of(obj, index);
	Elf64_Sym bound = as_bound(&s->def->st.syms[s->ndx], s->value);
	const char *name = s->def->st.strtab + bound.st_name;
	for (unsigned i = 0; i < lt_audit_count; i++)
		if (modules[i].pltexit && !(s->enterexit & (LA_SYMB_NOPLTEXIT << 2 * (i + 1))))
			modules[i].pltexit(&bound, s->ndx, &obj->audit->state[i].cookie,
					   &s->def->audit->state[i].cookie, inregs, outregs, name);
}
