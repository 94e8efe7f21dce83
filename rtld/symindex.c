/*
 * The global symbol index: lookups in the global scope without walking it.
 *
 * The ordered walk asks every object in scope order, so its cost grows
 * with the number of libraries.  The index maps each name to the list of
 * its candidate definitions in the global scope, in the order the walk
 * would meet them: objects in scope order, and within an object the order
 * of its hash chains.
 *
 * A symbol is listed only where the walk, looking up that very name, would
 * reach it: the object's Bloom filter, hash bucket and chain hash all
 * admit the name.  That is settled once, when the symbol is added; a
 * lookup then hashes the name, finds its list, and takes the first
 * candidate whose type and version the walk would accept.  So the answer
 * is always the walk's answer, even for a corrupt hash table; only the
 * walk over objects that do not define the name is skipped.
 *
 * The index is built when the global scope grows past a threshold (small
 * scopes are cheaper to walk), then kept up to date as dlopen adds objects
 * and dlclose removes them.
 *
 * A name takes an 8-byte slot (symindex.h): its GNU hash, and its
 * candidate, an object's id and a symbol number packed in a word (or a
 * list of them).  So an object may have 2^20 symbols, 4093 objects have
 * ids at a time, and 2^20 nodes hold the candidates after a name's first;
 * beyond that the index is dropped for good, and the walk answers.
 */
#include "rtld.h"
#include "alloc.h"
#include "lock.h"
#include "str.h"
#include "symbols.h"
#include "symindex.h"
#include "trace.h"

struct lt_symindex lt_symindex LT_LARGE_BSS;
int lt_symindex_on;
int lt_symindex_deferred;
static struct lt_mutex deferred_lock;

void lt_symindex_counts(size_t *names, size_t *candidates)
{
	*names = lt_symindex.nnames;
	*candidates = lt_symindex.ncandidates;
}

/* The first empty slot of a key's probe sequence. */
static inline __attribute__((always_inline)) struct lt_symindex_slot *
empty_slot(struct lt_symindex_slot *slots, uint32_t n, uint32_t key)
{
	uint32_t i = lt_symindex_home(n, key);
	while (slots[i].def)
		i = lt_symindex_next(n, i);
	return &slots[i];
}

/*
 * Candidates being added, one object's at a time: where the slots are
 * (kept in locals: stores into the table then make the compiler reload
 * nothing), and how many names were added since settled.  (Each new name
 * is a candidate; a candidate appended to a name's list counts itself,
 * rarely, in the index.)
 */
struct adding {
	struct lt_symindex_slot *slots;
	uint32_t nslots, names;
};

/* Count what `a` added into the index, and take the table as it is now. */
static void settle(struct adding *a)
{
	struct lt_symindex *x = &lt_symindex;
	x->nslots_used += a->names;
	x->nnames += a->names;
	x->ncandidates += a->names;
	*a = (struct adding){x->slots, x->nslots, 0};
}

/*
 * Room for `more` names beyond those there are, the table at most half
 * full: when it must grow, room for two and a half times as many names as
 * it will hold (so it is 40% full: fewer probes, for 0.5 bytes a name),
 * and as many again as it holds, so that growing one object at a time
 * costs little.  The live names are placed again; removed ones go for good.
 */
static int reserve(struct adding *a, size_t more)
{
	struct lt_symindex *x = &lt_symindex;
	settle(a);
	if (2 * (x->nslots_used + more) <= x->nslots)
		return 0;
	size_t cap = 5 * (x->nnames + more) / 2 + x->nnames;
	uint32_t old_cap = x->nslots;
	struct lt_symindex_slot *old = x->slots, *grown;
	if (cap < 1024)
		cap = 1024;
	if (cap > UINT32_MAX / 2 || !(grown = lt_alloc(cap * sizeof *grown)))
		return -1;
	x->slots = grown;
	x->nslots = cap;
	x->nslots_used = x->nnames;
	for (uint32_t i = 0; i < old_cap; i++)
		if (old[i].def && old[i].def != LT_SYMINDEX_GONE)
			*empty_slot(x->slots, x->nslots, old[i].key) = old[i];
	lt_free(old);
	settle(a);
	return 0;
}

/* A node for candidate d, after node `after` (0: alone), or 0 if there can be none. */
static uint32_t new_node(struct lt_symindex *x, uint32_t d, uint32_t after)
{
	uint32_t n = x->free_nodes;
	if (n) {
		x->free_nodes = x->nodes[n].next;
	} else {
		if (x->nnodes == x->nodes_cap) {
			uint32_t cap = x->nodes_cap ? 2 * x->nodes_cap : 64;
			struct lt_symindex_node *grown =
				cap <= lt_symindex_sym(UINT32_MAX) + 1
					? lt_realloc(x->nodes, cap * sizeof *grown) : 0;
			if (!grown)
				return 0;
			x->nodes = grown;
			x->nodes_cap = cap;
			x->nnodes += !x->nnodes;  /* node 0 is never used */
		}
		n = x->nnodes++;
	}
	x->nodes[n] = (struct lt_symindex_node){d, after ? x->nodes[after].next : n};
	if (after)
		x->nodes[after].next = n;
	return n;
}

/* Append candidate d to the candidates of the name in slot s: they become a list. */
static __attribute__((noinline, cold)) void append(struct lt_symindex_slot *s, uint32_t d)
{
	struct lt_symindex *x = &lt_symindex;
	uint32_t last = lt_symindex_is_list(s->def) ? lt_symindex_sym(s->def)
						    : new_node(x, s->def, 0);
	uint32_t n = last ? new_node(x, d, last) : 0;
	if (n)
		s->def = LT_SYMINDEX_LIST << LT_SYMINDEX_SYM_BITS | n;
	else
		x->broken = 1;
	x->ncandidates++;
}

/* Is the live name in slot s `name`?  (Out of line: it is asked rarely,
 * when a name's full hash is a name's already there.) */
static __attribute__((noinline, cold)) int named(const struct lt_symindex_slot *s, const char *name)
{
	uint32_t d = lt_symindex_first(&lt_symindex, s->def);
	const struct lt_object *o = lt_symindex_obj(&lt_symindex, d);
	return o && lt_streq(lt_symindex_name(o, d), name);
}

/*
 * Append candidate `sym` of the object with id `id` to the candidates of
 * its name, whose GNU hash is gh.  There is a slot for it (reserve); when
 * a list needs a node and none can be had, lt_symindex.broken says so.
 */
static inline __attribute__((always_inline)) void add_candidate(struct adding *a, uint32_t id, uint32_t sym,
						     const char *name, uint32_t gh)
{
	uint32_t d = id << LT_SYMINDEX_SYM_BITS | sym;
	struct lt_symindex_slot *s;
	for (uint32_t i = lt_symindex_home(a->nslots, gh);; i = lt_symindex_next(a->nslots, i)) {
		s = &a->slots[i];
		if (!s->def || (s->key == gh && named(s, name)))
			break;
	}
	if (!s->def) {
		*s = (struct lt_symindex_slot){gh, d};
		a->names++;
	} else {
		append(s, d);
	}
}

/*
 * The name of symbol i, if a lookup could ever return it: it passes the
 * walk's first tests (its name, type, binding and value).
 */
static inline const char *candidate_name(const struct lt_object *o, const struct lt_symtab *st,
					 uint32_t i)
{
	const Elf64_Sym *es = &st->syms[i];
	if (es->st_name >= st->strsz) {
		lt_lookup_fault(o, "a symbol name outside the string table", i);
		return 0;
	}
	return lt_symbol_defines(es) ? st->strtab + es->st_name : 0;
}

/*
 * The one GNU hash under which the walk would reach chain entry c of
 * bucket b, if there is one and the Bloom filter admits it (then returns
 * 1).  The chain stores every bit of the hash but the lowest, and the
 * bucket, which is the hash modulo the bucket count, tells that one: of
 * the two candidates (c with its low bit clear and set) only one has the
 * bucket's remainder.  With a single bucket both do, and the name must be
 * hashed.
 */
static inline int chain_hash(const struct lt_symtab *st, uint32_t c, uint32_t b,
			     const char *name, uint32_t *gh, int one_bucket)
{
	uint32_t nb = st->gnu_nbuckets, h = c & ~1u;
	if (one_bucket) {
		h = lt_gnu_hash(name);
		if ((h | 1) != (c | 1))
			return 0;
	} else {
		uint32_t r = h % nb;
		if (r != b) {  /* try h + 1 */
			h |= 1;
			r = r + 1 < nb ? r + 1 : 0;
		}
		if (r != b)
			return 0;
	}
	*gh = h;
	return lt_gnu_bloom_admits(st, h);
}

/*
 * GNU hash: every chain, in bucket order, as far as the walk follows it.
 * (The table is copied to a local: the compiler need not then reload it
 * after each store into the index.)  `one_bucket`: the table has one.
 */
static inline __attribute__((always_inline)) void
add_gnu_chains(struct adding *to, struct lt_object *o, uint32_t id, int one_bucket)
{
	const struct lt_symtab st = o->st;
	struct adding local = *to, *a = &local;  /* (in registers) */
	for (uint32_t b = 0; b < st.gnu_nbuckets; b++) {
		uint32_t i = st.gnu_buckets[b];
		if (i < st.gnu_symoffset)
			continue;
		if (i >= st.nsyms)
			lt_lookup_fault(o, "a DT_GNU_HASH bucket leads outside the symbol table", b);
		for (; i < st.nsyms; i++) {
			uint32_t c = st.gnu_chain[i], gh;
			const char *name = candidate_name(o, &st, i);
			if (name && chain_hash(&st, c, b, name, &gh, one_bucket))
				add_candidate(a, id, i, name, gh);
			if (c & 1)
				break;
		}
	}
	*to = local;
}

/* (Specialized: a table with a single bucket, where names must be hashed, is rare.) */
static void add_gnu(struct adding *a, struct lt_object *o, uint32_t id)
{
	if (o->st.gnu_nbuckets == 1)
		add_gnu_chains(a, o, id, 1);
	else
		add_gnu_chains(a, o, id, 0);
}

/*
 * SysV hash: every chain, as far as the walk follows it, where the name's
 * hash leads there.  The step count stops a looping chain, as in the walk;
 * such a chain may meet a symbol more than once, so room is made each time.
 */
static int add_sysv(struct adding *a, struct lt_object *o, uint32_t id)
{
	const struct lt_symtab *st = &o->st;
	for (uint32_t b = 0; b < st->sysv_nbucket; b++) {
		size_t steps = 0;
		for (uint32_t i = st->sysv_buckets[b]; i; i = st->sysv_chain[i]) {
			if (i >= st->nsyms || ++steps > st->nsyms) {
				lt_lookup_fault(o, "a DT_HASH chain leads outside the symbol table", i);
				break;
			}
			const char *name = candidate_name(o, st, i);
			if (name && lt_sysv_hash(name) % st->sysv_nbucket == b) {
				if (reserve(a, 1) < 0)
					return -1;
				add_candidate(a, id, i, name, lt_gnu_hash(name));
			}
		}
	}
	return 0;
}

/* Under GNU hash, the most candidates an object can add: its exported symbols. */
static size_t exported(const struct lt_symtab *st)
{
	return st->nsyms > st->gnu_symoffset ? st->nsyms - st->gnu_symoffset : 0;
}

/* The names an index of the whole global scope holds (when all use GNU hash). */
static size_t global_exported(void)
{
	size_t symbols = 0;
	for (size_t i = 0; i < lt.global.n; i++)
		symbols += exported(&lt.global.objs[i]->st);
	return symbols;
}

/*
 * An id for o, or 0 when a word cannot name its candidates: every id is
 * taken, or it has more symbols than a word holds.  Ids are given in
 * order, and those dlclose freed again once the last is given.
 */
static uint32_t new_id(struct lt_object *o)
{
	struct lt_symindex *x = &lt_symindex;
	uint32_t id = x->next_id ? x->next_id : 1;
	if (o->st.nsyms > lt_symindex_sym(UINT32_MAX) + 1)
		return 0;
	if (id == LT_SYMINDEX_LIST)
		for (id = 1; id < LT_SYMINDEX_LIST && x->objs[id]; id++)
			;
	else
		x->next_id = id + 1;
	if (id == LT_SYMINDEX_LIST)
		return 0;
	x->objs[id] = o;
	return id;
}

/*
 * The index cannot take every candidate (out of memory, or more than a
 * word can name): it is dropped for good, and the walk answers.
 */
static void drop(void)
{
	struct lt_symindex *x = &lt_symindex;
	lt_free(x->slots);
	lt_free(x->nodes);
	memset(x, 0, sizeof *x);
	x->too_big = 1;
	lt_symindex_on = 0;
}

void lt_symindex_add(struct lt_object *o)
{
	struct lt_symindex *x = &lt_symindex;
	if (!lt_symindex_on)
		return;
	struct adding a = {0};
	uint32_t id = new_id(o);
	int r = id ? 0 : -1;
	x->names_in_words &= o->st.names_in_words;
	if (id && o->st.gnu_buckets) {
		r = reserve(&a, exported(&o->st));
		if (r == 0)
			add_gnu(&a, o, id);
	} else if (id && o->st.sysv_buckets) {
		r = add_sysv(&a, o, id);
	}
	settle(&a);
	if (r < 0 || x->broken)
		drop();
}

/* Drop the candidates of `o` from the list ending at `last`; returns the
 * slot's new word (GONE when none is left). */
static uint32_t remove_from_list(struct lt_symindex *x, uint32_t last, const struct lt_object *o)
{
	uint32_t prev = last, n = x->nodes[last].next, left = 0;
	for (int done = 0; !done; n = x->nodes[prev].next) {
		done = n == last;
		if (lt_symindex_obj(x, x->nodes[n].def) != o) {
			prev = n, left++;
			continue;
		}
		x->ncandidates--;
		x->nodes[prev].next = x->nodes[n].next;
		x->nodes[n].next = x->free_nodes;
		x->free_nodes = n;
		if (done)
			last = prev;
	}
	return left ? LT_SYMINDEX_LIST << LT_SYMINDEX_SYM_BITS | last : LT_SYMINDEX_GONE;
}

/* Every candidate of `o` leaves the index (dlclose of a global object). */
void lt_symindex_remove(struct lt_object *o)
{
	struct lt_symindex *x = &lt_symindex;
	if (!lt_symindex_on)
		return;
	for (uint32_t i = 0; i < x->nslots; i++) {
		struct lt_symindex_slot *s = &x->slots[i];
		uint32_t was = s->def;
		if (lt_symindex_is_list(was)) {
			s->def = remove_from_list(x, lt_symindex_sym(was), o);
		} else if (lt_symindex_obj(x, was) == o) {
			s->def = LT_SYMINDEX_GONE;
			x->ncandidates--;
		}
		x->nnames -= s->def == LT_SYMINDEX_GONE && was != LT_SYMINDEX_GONE;
	}
	for (uint32_t id = 1; id < LT_SYMINDEX_LIST; id++)
		if (x->objs[id] == o)
			x->objs[id] = 0;
}

/*
 * Under a cache, the walk answers the first lookups, and the index is
 * built once the walks have visited as many objects as it would index
 * names: renting before buying.  A few lookups (glibc's libc asks for its
 * malloc at start-up) then cost a few walks, not the whole index, and a
 * program that goes on to look up many names pays at most about twice
 * what building at once would have cost.  (Each walk counts as visiting
 * the whole global scope.)
 */
static size_t walk_budget, walks;

void lt_symindex_defer(void)
{
	walk_budget = global_exported(), walks = 0;
	lt_symindex_deferred = 1;
}

/* Lookups after start-up hold the loader lock for reading only: two may come at once. */
int lt_symindex_catch_up(void)
{
	lt_mutex_lock(&deferred_lock);
	int walk = lt_symindex_deferred && walk_budget >= lt.global.n;
	if (walk) {
		walk_budget -= lt.global.n, walks++;
	} else if (lt_symindex_deferred) {
		trace_prelink_index_built(walks);
		lt_symindex_build();
	}
	lt_mutex_unlock(&deferred_lock);
	return !walk;
}

static void build(void)
{
	struct lt_symindex *x = &lt_symindex;
	if (x->too_big)
		return;
	struct adding a = {0};
	if (reserve(&a, global_exported()) < 0) {  /* sized once, if all use GNU hash */
		drop();
		return;
	}
	lt_symindex_on = 1;
	x->names_in_words = 1;
	for (size_t i = 0; i < lt.global.n; i++)
		lt_symindex_add(lt.global.objs[i]);
}

void lt_symindex_build(void)
{
	build();
	/* Whole (or dropped): lookups that waited for it may go on. */
	__atomic_store_n(&lt_symindex_deferred, 0, __ATOMIC_RELEASE);
}
