/*
 * Symbol lookup: finding a definition in one object through its hash
 * table, and walking a scope in order.  glibc's rules apply: the first
 * definition in scope order wins, weak or not; undefined weak references
 * resolve to 0 (decided by the caller).  Whether a symbol satisfies a
 * reference is lt_satisfies's answer (symbols.h), here as everywhere.
 */
#include <linux/mman.h>
#include "rtld.h"
#include "alloc.h"
#include "arch.h"
#include "report.h"
#include "symbols.h"
#include "symindex.h"
#include "trace.h"

__attribute__((cold)) void lt_lookup_fault(const struct lt_object *obj, const char *what, size_t at)
{
	if (!lt.lookup_faulted)
		lt_error("%s: corrupt symbol data: %s (entry %zu)", obj->path, what, at);
	lt.lookup_faulted = 1;
}

static inline __attribute__((always_inline)) const Elf64_Sym *
find_gnu(const struct lt_object *obj, const struct lt_ref *ref)
{
	const struct lt_symtab *st = &obj->st;
	uint32_t h = ref->hash;
	if (!lt_gnu_bloom_admits(st, h)) {
		lt_stats.bloom_rejects++;
		return 0;  /* the Bloom filter says: certainly not here */
	}
	uint32_t b = h % st->gnu_nbuckets, i = st->gnu_buckets[b];
	if (i < st->gnu_symoffset)
		return 0;  /* 0 is an empty bucket; anything else this low is corrupt */
	if (i >= st->nsyms) {
		lt_lookup_fault(obj, "a DT_GNU_HASH bucket leads outside the symbol table", b);
		return 0;
	}
	for (; i < st->nsyms; i++) {  /* the bound also stops a corrupt chain */
		uint32_t c = st->gnu_chain[i];
		if ((c | 1) == (h | 1) && lt_satisfies(obj, i, ref, 0))
			return &st->syms[i];
		if (c & 1)
			return 0;
	}
	return 0;
}

static const Elf64_Sym *find_sysv(const struct lt_object *obj, const struct lt_ref *ref)
{
	const struct lt_symtab *st = &obj->st;
	uint32_t h = lt_sysv_hash(ref->name);
	size_t steps = 0;
	/* Indices are checked against the chain count; the step count stops a loop. */
	for (uint32_t i = st->sysv_buckets[h % st->sysv_nbucket]; i; i = st->sysv_chain[i]) {
		if (i >= st->nsyms || ++steps > st->nsyms) {
			lt_lookup_fault(obj, "a DT_HASH chain leads outside the symbol table", i);
			return 0;
		}
		if (lt_satisfies(obj, i, ref, 0))
			return &st->syms[i];
	}
	return 0;
}

static inline __attribute__((always_inline)) const Elf64_Sym *
find_symbol(const struct lt_object *obj, const struct lt_ref *ref)
{
	if (obj->st.gnu_buckets)
		return find_gnu(obj, ref);
	if (obj->st.sysv_buckets)
		return find_sysv(obj, ref);
	return 0;
}

const Elf64_Sym *lt_find_in_object(const struct lt_object *obj, const struct lt_ref *ref)
{
	return find_symbol(obj, ref);
}

static int search_scope(const struct lt_scope *scope, const struct lt_ref *ref, size_t from,
			struct lt_symdef *out)
{
	/* (Copies the compiler can keep in registers: the statistics written
	 * on the way might, for all it knows, change the scope or the ref.) */
	struct lt_object *const *objs = scope->objs;
	const struct lt_ref r = *ref;
	size_t i = from, n = scope->n;
	for (; i < n; i++) {
		struct lt_object *o = objs[i];
		trace_lookup_in(r.name, o);
		const Elf64_Sym *s = find_symbol(o, &r);
		if (s) {
			*out = (struct lt_symdef){s, o};
			break;
		}
	}
	lt_stats.objects_searched += i - from + (i < n);
	return i < n;
}

/*
 * What a lookup that found `d` returns: nothing once a lookup has met
 * corrupt data (the corrupt entry may have been the definition, so no
 * answer can be trusted: its caller reports the fault), and for an
 * STB_GNU_UNIQUE definition the process's one (unique.c).
 */
static struct lt_symdef answer(const struct lt_ref *ref, struct lt_symdef d,
			       const struct lt_object *requester)
{
	if (lt.lookup_faulted)
		return (struct lt_symdef){0, 0};
	if (d.sym && ELF64_ST_BIND(d.sym->st_info) == STB_GNU_UNIQUE)
		return lt_unique_definition(ref, d, (struct lt_object *)requester);
	return d;
}

struct lt_symdef lt_lookup_in_scope(const struct lt_ref *ref, const struct lt_scope *scope,
				    const struct lt_object *skip)
{
	struct lt_symdef d = {0, 0};
	size_t from = 0;
	if (skip)
		while (from < scope->n && scope->objs[from++] != skip)
			;
	search_scope(scope, ref, from, &d);
	return answer(ref, d, 0);
}

/*
 * The global scope: through the index when there is one (unless the trace
 * must show each object searched), else the walk.  A checked build does
 * both and insists they agree.
 */
static int search_global(const struct lt_ref *ref, struct lt_symdef *out)
{
	if (!lt_symindex_answers())
		return search_scope(&lt.global, ref, 0, out);
	int found = lt_symindex_lookup(ref, out);
#ifdef LT_CHECK_SYMINDEX
	struct lt_symdef walk = {0, 0};
	search_scope(&lt.global, ref, 0, &walk);
	if (walk.sym != (found ? out->sym : 0))
		lt_fatal("symbol index disagrees with the scope walk on `%s': index %s, walk %s",
			 ref->name, found ? out->obj->path : "nothing",
			 walk.sym ? walk.obj->path : "nothing");
#endif
	return found;
}

/*
 * The scope of a reference from `requester`: its own definitions first
 * under DT_SYMBOLIC; then the global scope; then, for an object dlopen
 * brought without RTLD_GLOBAL, the group it came with, and the groups of
 * later dlopens that needed it (glibc's order).  Under RTLD_DEEPBIND the
 * group comes before the global scope.
 */
static struct lt_symdef lookup_in_scopes(const struct lt_ref *ref,
					 const struct lt_object *requester)
{
	struct lt_symdef d = {0, 0};
	const struct lt_scope *group = requester ? requester->local : 0;
	if (group && requester->deepbind && search_scope(group, ref, 0, &d))
		return d;
	if (requester && requester->symbolic) {
		/* DT_SYMBOLIC: the object's own definitions come first. */
		const Elf64_Sym *s = lt_find_in_object(requester, ref);
		if (s)
			return (struct lt_symdef){s, (struct lt_object *)requester};
	}
	if (search_global(ref, &d) || !group)
		return d;
	if (!requester->deepbind && !requester->in_global && search_scope(group, ref, 0, &d))
		return d;
	for (size_t i = 0; i < requester->later_roots.n; i++)
		if (search_scope(requester->later_roots.objs[i]->local, ref, 0, &d))
			break;
	return d;
}

struct lt_symdef lt_lookup(const struct lt_ref *ref, const struct lt_object *requester)
{
	return answer(ref, lookup_in_scopes(ref, requester), requester);
}


/*
 * Once the program runs, a resolver may be reached from the lazy-binding
 * trampoline, with its caller's vector arguments live, and foreign code may
 * use any register: the call then saves the vector state around it (the
 * core's own code touches none; arch/x86_64/plt.S).  How to save it is
 * decided on first need, under a lock of its own: lazy binding and dlsym
 * may both get here holding the loader lock only for reading.
 */
static struct lt_mutex cpu_lock;

int lt_call_resolver(const struct lt_object *obj, uintptr_t fn, uint64_t *value)
{
	const struct lt_segment *s = lt_object_segment(obj, fn, 1);
	if (!s || !(s->prot & PROT_EXEC)) {
		lt_error("%s: IFUNC resolver at %#lx is not in an executable segment", obj->path, fn);
		return -1;
	}
	if (!lt.started) {
		*value = arch_call_code(fn, 0, 0, 0);
		return 0;
	}
	lt_mutex_lock(&cpu_lock);
	arch_cpu_init();
	lt_mutex_unlock(&cpu_lock);
	*value = lt_call_preserving_vectors((uint64_t (*)(void))fn);
	return 0;
}

int lt_symbol_value(const struct lt_symdef *d, void **out)
{
	uint64_t v = lt_symbol_address(d);
	if (d->sym && ELF64_ST_TYPE(d->sym->st_info) == STT_GNU_IFUNC &&
	    d->sym->st_shndx != SHN_UNDEF && lt_call_resolver(d->obj, v, &v) < 0)
		return -1;
	*out = (void *)v;
	return 0;
}

struct lt_object **lt_dependency_order(struct lt_object *root, size_t *count)
{
	size_t cap = lt.nobjects + 1, n = 0;
	struct lt_object **order = lt_alloc(cap * sizeof *order);
	uint8_t *seen = lt_alloc(cap);
	if (!order || !seen) {
		lt_free(order), lt_free(seen);
		return 0;
	}
	order[n++] = root;
	seen[root->serial] = 1;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < order[i]->nneeded; j++) {
			struct lt_object *dep = order[i]->needed[j];
			if (dep->serial < cap && !seen[dep->serial]) {
				seen[dep->serial] = 1;
				order[n++] = dep;
			}
		}
	lt_free(seen);
	*count = n;
	return order;
}

int lt_give_own_scope(struct lt_object *obj)
{
	struct lt_scope *scope = lt_alloc(sizeof *scope);
	size_t n;
	struct lt_object **order = scope ? lt_dependency_order(obj, &n) : 0;
	if (!order) {
		lt_free(scope);
		lt_error("%s: out of memory for its lookup scope", obj->path);
		return -1;
	}
	*scope = (struct lt_scope){order, n, n};
	obj->local = scope;
	obj->local_owner = obj;
	return 0;
}

int lt_scope_reserve(struct lt_scope *s, size_t n, const struct lt_object *for_obj)
{
	if (n <= s->cap)
		return 0;
	size_t cap = s->cap ? 2 * s->cap : 16;
	while (cap < n)
		cap *= 2;
	struct lt_object **grown = lt_realloc(s->objs, cap * sizeof *grown);
	if (!grown) {
		lt_error("%s: out of memory growing a lookup scope", for_obj->path);
		return -1;
	}
	s->objs = grown;
	s->cap = cap;
	return 0;
}

void lt_scope_remove(struct lt_scope *s, const struct lt_object *obj)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->objs[i] == obj) {
			memmove(&s->objs[i], &s->objs[i + 1], (s->n - i - 1) * sizeof *s->objs);
			s->n--;
			return;
		}
}

int lt_scope_add(struct lt_scope *s, struct lt_object *obj)
{
	if (lt_scope_reserve(s, s->n + 1, obj) < 0)
		return -1;
	s->objs[s->n++] = obj;
	return 0;
}
