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
 */
#include "rtld.h"
#include "alloc.h"
#include "string.h"
#include "symindex.h"

struct lt_symindex lt_symindex = {.nnodes = 1};

void lt_symindex_counts(size_t *names, size_t *candidates)
{
	*names = lt_symindex.nslots_used;
	*candidates = lt_symindex.ncandidates;
}

/* Room for at least `names` names at half load, rehashing the live ones. */
static int grow_slots(size_t names)
{
	struct lt_symindex *x = &lt_symindex;
	uint32_t old_cap = x->slots ? x->mask + 1 : 0, cap = 1024;
	while (cap < 2 * names)
		cap *= 2;
	struct lt_symindex_slot *old = x->slots, *grown = lt_alloc(cap * sizeof *grown);
	if (!grown)
		return -1;
	x->slots = grown;
	x->mask = cap - 1;
	x->shift = 32 - __builtin_ctz(cap);
	x->nslots_used = 0;
	for (uint32_t i = 0; i < old_cap; i++) {
		if (!old[i].obj)
			continue;  /* names whose candidates were all removed go for good */
		*lt_symindex_slot(x, old[i].key, old[i].name, 0) = old[i];
		x->nslots_used++;
	}
	lt_free(old);
	return 0;
}

/* Room for `more` names, and as many candidates after a first, beyond those there are. */
static int reserve(size_t more)
{
	struct lt_symindex *x = &lt_symindex;
	if (2 * (x->nslots_used + more) > x->mask + 1 && grow_slots(x->nslots_used + more) < 0)
		return -1;
	if (x->nnodes + more > x->nodes_cap) {
		size_t cap = x->nodes_cap ? x->nodes_cap : 4096;
		while (cap < x->nnodes + more)
			cap *= 2;
		struct lt_symindex_node *grown = lt_realloc(x->nodes, cap * sizeof *grown);
		if (!grown)
			return -1;
		x->nodes = grown;
		x->nodes_cap = cap;
	}
	return 0;
}

/* A node for a candidate after a name's first.  There is room (reserve). */
static uint32_t new_node(struct lt_symindex *x)
{
	uint32_t n = x->free_nodes;
	if (n)
		x->free_nodes = x->nodes[n].next;
	else
		n = x->nnodes++;
	return n;
}

/*
 * Append symbol `sym` of `o` to the candidates of its name, whose GNU hash
 * is gh (`in_words` as for lt_symindex_slot).  There is room (reserve).
 */
static inline __attribute__((always_inline)) void add(struct lt_object *o, uint32_t sym,
						     const char *name, uint32_t gh, int in_words)
{
	struct lt_symindex *x = &lt_symindex;
	struct lt_symindex_slot *s = lt_symindex_slot(x, gh, name, in_words);
	x->ncandidates++;
	if (!s->name) {
		*s = (struct lt_symindex_slot){name, gh, sym, o, 0, 0};
		x->nslots_used++;
		return;
	}
	uint32_t n = new_node(x);
	x->nodes[n] = (struct lt_symindex_node){o, sym, 0};
	if (s->last)
		x->nodes[s->last].next = n;
	else
		s->more = n;
	s->last = n;
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
	return lt_symbol_acceptable(es) ? st->strtab + es->st_name : 0;
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
 * after each store into the index.)  `one_bucket`: the table has one;
 * `in_words`: its names and the index's may be read a word at a time.
 */
static inline __attribute__((always_inline)) void add_gnu_chains(struct lt_object *o,
								  int one_bucket, int in_words)
{
	const struct lt_symtab st = o->st;
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
				add(o, i, name, gh, in_words);
			if (c & 1)
				break;
		}
	}
}

/*
 * (Specialized: a table with a single bucket, where names must be hashed,
 * is rare; names that can be compared a word at a time are the rule.)
 */
static void add_gnu(struct lt_object *o)
{
	if (o->st.gnu_nbuckets == 1)
		add_gnu_chains(o, 1, 0);
	else if (o->st.names_in_words && lt_symindex.names_in_words)
		add_gnu_chains(o, 0, 1);
	else
		add_gnu_chains(o, 0, 0);
}

/*
 * SysV hash: every chain, as far as the walk follows it, where the name's
 * hash leads there.  The step count stops a looping chain, as in the walk;
 * such a chain may meet a symbol more than once, so room is made each time.
 */
static int add_sysv(struct lt_object *o)
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
				if (reserve(1) < 0)
					return -1;
				add(o, i, name, lt_gnu_hash(name), 0);
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

int lt_symindex_add(struct lt_object *o)
{
	if (!lt_symindex.on)
		return 0;
	lt_symindex.names_in_words &= o->st.names_in_words;
	int r = 0;
	if (o->st.gnu_buckets) {
		r = reserve(exported(&o->st));
		if (r == 0)
			add_gnu(o);
	} else if (o->st.sysv_buckets) {
		r = add_sysv(o);
	}
	if (r < 0) {
		lt_error("%s: out of memory indexing its symbols", o->path);
		lt_symindex.on = 0;  /* the walk still gives every answer */
	}
	return r;
}

/* Drop the candidates of `o` from a name's list after its first. */
static void remove_from_list(struct lt_symindex *x, struct lt_symindex_slot *s,
			     const struct lt_object *o)
{
	uint32_t prev = 0;
	for (uint32_t n = s->more; n;) {
		uint32_t next = x->nodes[n].next;
		if (x->nodes[n].obj == o) {
			if (prev)
				x->nodes[prev].next = next;
			else
				s->more = next;
			if (s->last == n)
				s->last = prev;
			x->nodes[n].next = x->free_nodes;
			x->free_nodes = n;
			x->ncandidates--;
		} else {
			prev = n;
		}
		n = next;
	}
}

/* Unlink every candidate of `o` (dlclose of a global object). */
void lt_symindex_remove(struct lt_object *o)
{
	struct lt_symindex *x = &lt_symindex;
	if (!x->on)
		return;
	for (uint32_t i = 0; i <= x->mask; i++) {
		struct lt_symindex_slot *s = &x->slots[i];
		if (!s->obj)
			continue;
		remove_from_list(x, s, o);
		if (s->obj != o)
			continue;
		x->ncandidates--;
		uint32_t n = s->more;  /* the next candidate becomes the first, if there is one */
		s->obj = n ? x->nodes[n].obj : 0;
		if (!n)
			continue;
		s->sym = x->nodes[n].sym;
		s->name = s->obj->st.strtab + s->obj->st.syms[s->sym].st_name;  /* o's is unmapped */
		s->more = x->nodes[n].next;
		if (s->last == n)
			s->last = 0;
		x->nodes[n].next = x->free_nodes;
		x->free_nodes = n;
	}
}

int lt_symindex_build(void)
{
	size_t symbols = 0;
	for (size_t i = 0; i < lt.global.n; i++)
		symbols += exported(&lt.global.objs[i]->st);  /* sized once, if all use GNU hash */
	if (reserve(symbols) < 0) {
		lt_error("out of memory for the symbol index");
		return -1;
	}
	lt_symindex.on = 1;
	lt_symindex.names_in_words = 1;
	for (size_t i = 0; i < lt.global.n; i++)
		if (lt_symindex_add(lt.global.objs[i]) < 0)
			return -1;
	return 0;
}
