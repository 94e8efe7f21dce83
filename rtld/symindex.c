/*
 * The global symbol index: lookups in the global scope without walking it.
 *
 * The ordered walk asks every object in scope order, so its cost grows
 * with the number of libraries.  The index maps each name to the list of
 * its candidate definitions in the global scope, in the order the walk
 * would meet them: objects in scope order, and within an object the order
 * of its hash chains.  A lookup hashes the name, finds its list, and takes
 * the first candidate that passes exactly the tests the walk would apply
 * to it (the object's Bloom filter, its hash bucket, the chain's hash, the
 * symbol's type, binding and version).  So the answer is always the walk's
 * answer, even for a corrupt hash table; the walk is only skipped.
 *
 * The index is built when the global scope grows past a threshold (small
 * scopes are cheaper to walk), then kept up to date as dlopen adds objects
 * and dlclose removes them.
 */
#include "rtld.h"
#include "alloc.h"
#include "string.h"
#include "symindex.h"

/* One candidate definition; `next` is an index into nodes[] (0: none). */
struct node {
	struct lt_object *obj;
	uint32_t sym;
	uint32_t bucket;  /* the hash bucket whose chain reaches it */
	uint32_t next;
};

/* One name: key is its GNU hash with the low bit set (chains store no more). */
struct slot {
	uint32_t key;
	uint32_t head, tail;  /* 0: no live candidates (the name was removed) */
};

static struct node *nodes;
static uint32_t nnodes = 1, nodes_cap, free_nodes;  /* node 0 is never used */
static struct slot *slots;
static uint32_t slots_mask, nslots_used;
static int active;

int lt_symindex_active(void)
{
	return active;
}

void lt_symindex_counts(size_t *names, size_t *candidates)
{
	*names = nslots_used;
	*candidates = nnodes - 1;
}

static uint32_t slot_start(uint32_t key)
{
	return (key * 0x9e3779b1u) & slots_mask;
}

static const char *node_name(const struct node *n)
{
	return n->obj->st.strtab + n->obj->st.syms[n->sym].st_name;
}

/* The slot for (key, name): an existing one, or else the empty one to fill. */
static struct slot *find_slot(uint32_t key, const char *name, int for_insert)
{
	for (uint32_t i = slot_start(key);; i = (i + 1) & slots_mask) {
		struct slot *s = &slots[i];
		if (!s->key)
			return for_insert ? s : 0;
		if (s->key == key && s->head && lt_streq(node_name(&nodes[s->head]), name))
			return s;
	}
}

static int grow_slots(void)
{
	uint32_t old_cap = slots ? slots_mask + 1 : 0, cap = old_cap ? 2 * old_cap : 1024;
	struct slot *old = slots;
	slots = lt_alloc(cap * sizeof *slots);
	if (!slots) {
		slots = old;
		return -1;
	}
	slots_mask = cap - 1;
	nslots_used = 0;
	for (uint32_t i = 0; i < old_cap; i++) {
		if (!old[i].head)
			continue;  /* names whose candidates were all removed go for good */
		struct slot *s = find_slot(old[i].key, node_name(&nodes[old[i].head]), 1);
		*s = old[i];
		nslots_used++;
	}
	lt_free(old);
	return 0;
}

static uint32_t new_node(void)
{
	if (free_nodes) {
		uint32_t n = free_nodes;
		free_nodes = nodes[n].next;
		return n;
	}
	if (nnodes >= nodes_cap) {
		uint32_t cap = nodes_cap ? 2 * nodes_cap : 4096;
		struct node *grown = lt_realloc(nodes, cap * sizeof *grown);
		if (!grown)
			return 0;
		nodes = grown;
		nodes_cap = cap;
	}
	return nnodes++;
}

/* Could a lookup ever get this symbol?  (The walk's own first tests.) */
static int candidate(const struct lt_object *o, uint32_t i)
{
	const Elf64_Sym *s = &o->st.syms[i];
	return s->st_name < o->st.strsz && lt_symbol_acceptable(s);
}

static int add(struct lt_object *o, uint32_t sym, uint32_t key, uint32_t bucket)
{
	if (!candidate(o, sym))
		return 0;
	if ((nslots_used + 1) * 2 > slots_mask + 1 && grow_slots() < 0)
		return -1;
	const char *name = o->st.strtab + o->st.syms[sym].st_name;
	struct slot *s = find_slot(key, name, 1);
	uint32_t n = new_node();
	if (!n)
		return -1;
	nodes[n] = (struct node){o, sym, bucket, 0};
	if (!s->key) {
		*s = (struct slot){key, n, n};
		nslots_used++;
	} else if (!s->head) {
		s->head = s->tail = n;
	} else {
		nodes[s->tail].next = n;
		s->tail = n;
	}
	return 0;
}

/* GNU hash: every chain, in bucket order; each symbol keyed by its chain's hash. */
static int add_gnu(struct lt_object *o)
{
	const struct lt_symtab *st = &o->st;
	for (uint32_t b = 0; b < st->gnu_nbuckets; b++) {
		uint32_t i = st->gnu_buckets[b];
		if (i < st->gnu_symoffset)
			continue;
		for (; i < st->nsyms; i++) {
			uint32_t c = st->gnu_chain[i];
			if (add(o, i, c | 1, b) < 0)
				return -1;
			if (c & 1)
				break;
		}
	}
	return 0;
}

/* SysV hash: every chain, as far as a lookup would follow it. */
static int add_sysv(struct lt_object *o)
{
	const struct lt_symtab *st = &o->st;
	for (uint32_t b = 0; b < st->sysv_nbucket; b++) {
		size_t steps = 0;
		for (uint32_t i = st->sysv_buckets[b]; i && i < st->nsyms; i = st->sysv_chain[i]) {
			if (st->syms[i].st_name < st->strsz &&
			    add(o, i, lt_gnu_hash(st->strtab + st->syms[i].st_name) | 1, b) < 0)
				return -1;
			if (++steps > st->nsyms)
				break;
		}
	}
	return 0;
}

int lt_symindex_add(struct lt_object *o)
{
	if (!active)
		return 0;
	int r = o->st.gnu_buckets ? add_gnu(o) : o->st.sysv_buckets ? add_sysv(o) : 0;
	if (r < 0) {
		lt_error("%s: out of memory indexing its symbols", o->path);
		active = 0;  /* the walk still gives every answer */
	}
	return r;
}

/* Unlink every candidate of `o` (dlclose of a global object). */
void lt_symindex_remove(struct lt_object *o)
{
	if (!active)
		return;
	for (uint32_t i = 0; i <= slots_mask; i++) {
		struct slot *s = &slots[i];
		uint32_t prev = 0;
		for (uint32_t n = s->head; n;) {
			uint32_t next = nodes[n].next;
			if (nodes[n].obj == o) {
				if (prev)
					nodes[prev].next = next;
				else
					s->head = next;
				if (s->tail == n)
					s->tail = prev;
				nodes[n].next = free_nodes;
				free_nodes = n;
			} else {
				prev = n;
			}
			n = next;
		}
	}
}

/* Would the walk's lookup in this object reach this candidate? */
static int reachable(const struct node *n, uint32_t gh, const char *name, uint32_t *sysv)
{
	const struct lt_symtab *st = &n->obj->st;
	if (st->gnu_buckets) {
		uint64_t word = st->gnu_bloom[(gh / 64) & (st->gnu_bloom_size - 1)];
		uint64_t mask = (1UL << (gh % 64)) | (1UL << ((gh >> st->gnu_bloom_shift) % 64));
		return (word & mask) == mask && gh % st->gnu_nbuckets == n->bucket;
	}
	if (!*sysv)
		*sysv = lt_sysv_hash(name) | 0x80000000u;  /* marked as computed */
	return (*sysv & 0x7fffffffu) % st->sysv_nbucket == n->bucket;
}

int lt_symindex_lookup(const char *name, uint32_t gh, const struct lt_verreq *ver, int flags,
		       struct lt_symdef *out)
{
	const struct slot *s = find_slot(gh | 1, name, 0);
	uint32_t sysv = 0;
	for (uint32_t i = s ? s->head : 0; i; i = nodes[i].next) {
		const struct node *n = &nodes[i];
		if ((flags & LT_LOOKUP_COPY) && n->obj->kind == LT_MAIN)
			continue;
		if (reachable(n, gh, name, &sysv) &&
		    lt_symbol_usable(n->obj, n->sym, ver, flags)) {
			*out = (struct lt_symdef){&n->obj->st.syms[n->sym], n->obj};
			return 1;
		}
	}
	return 0;
}

int lt_symindex_build(void)
{
	active = 1;
	for (size_t i = 0; i < lt.global.n; i++)
		if (lt_symindex_add(lt.global.objs[i]) < 0)
			return -1;
	return 0;
}
