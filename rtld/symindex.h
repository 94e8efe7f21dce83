/*
 * The global symbol index (symindex.c): global-scope lookups that cost the
 * same however many objects the scope holds, with exactly the answers of
 * the ordered walk.
 */
#ifndef LT_SYMINDEX_H
#define LT_SYMINDEX_H

#include "rtld.h"
#include "symbols.h"
#include "trace.h"

/*
 * Below this many objects the walk is cheaper than building the index.  A
 * checked build (-DLT_CHECK_SYMINDEX) indexes every scope and compares the
 * two answers on every lookup.
 */
#ifdef LT_CHECK_SYMINDEX
#define LT_SYMINDEX_THRESHOLD 0
#else
#define LT_SYMINDEX_THRESHOLD 24
#endif

/* Is a global scope of n objects worth indexing? */
static inline int lt_symindex_worthwhile(size_t n)
{
	return n + 1 > LT_SYMINDEX_THRESHOLD;
}

/*
 * The index: an open-addressed table of names (linear probing, 40% full
 * when built, at most half, of any size), 8 bytes each: the name's GNU hash and its
 * candidates.  A candidate is a word: symbol `sym` of the object with id
 * `obj` (objs[obj]).  Names are not stored: a name is read from its first
 * candidate's object.  Most names have one candidate, kept in the slot
 * itself; a name with more keeps them in a circular list of nodes, in the
 * order the walk would meet them, and its slot names the list's last node.
 * A slot whose candidates were all removed stays taken (LT_SYMINDEX_GONE)
 * until the table is rebuilt: later names may have probed past it.  The
 * data are here so that the lookup, on relocation's hot path, can be
 * inline.
 */
#define LT_SYMINDEX_SYM_BITS 20                                  /* symbols per object: 2^20 */
#define LT_SYMINDEX_IDS (1u << (32 - LT_SYMINDEX_SYM_BITS))      /* object ids 1 .. 4093 */
#define LT_SYMINDEX_LIST (LT_SYMINDEX_IDS - 2)                   /* the id of "a list" */
#define LT_SYMINDEX_GONE UINT32_MAX                              /* (id 4095, never given) */
struct lt_symindex_slot {
	uint32_t key;          /* the name's GNU hash; 0 with def 0: an empty slot */
	uint32_t def;          /* obj << LT_SYMINDEX_SYM_BITS | sym, or LIST << ... | last node */
};
struct lt_symindex_node {
	uint32_t def;          /* a candidate, as in a slot */
	uint32_t next;         /* the next node (the last's is the first) */
};
struct lt_symindex {
	int names_in_words;    /* every name indexed may be read a word at a time */
	int too_big;           /* it could not take every candidate: the walk answers */
	int broken;            /* (while adding: a candidate found no node) */
	uint32_t nslots, nslots_used, nnames, ncandidates, next_id;
	uint32_t nnodes, nodes_cap, free_nodes;
	struct lt_symindex_slot *slots;
	struct lt_symindex_node *nodes;           /* node 0 is never used */
	struct lt_object *objs[LT_SYMINDEX_IDS];  /* by id; 0 for none */
};
extern struct lt_symindex lt_symindex;
/* Built, and kept current.  (Apart from the table, in .bss: every lookup
 * reads it, and a start that builds no index then touches none of the
 * table's pages.) */
extern int lt_symindex_on;

static inline int lt_symindex_active(void)
{
	return lt_symindex_on;
}

/*
 * Index the whole global scope; from then on, keep it current.  (When it
 * cannot take every candidate, for want of memory or of ids, it is dropped
 * for good, and the walk answers.)
 */
void lt_symindex_build(void);
/*
 * Start-up leaves the index to the lookups that need one: a prelink cache
 * answered start-up's own (prelink.h).  lt_symindex_answers then lets the
 * walk answer the first few, and builds the index when they add up
 * (catch_up: 0 for "walk this one").
 */
extern int lt_symindex_deferred;
void lt_symindex_defer(void);
int lt_symindex_catch_up(void);
/* An object joined the global scope (at its end) / left it. */
void lt_symindex_add(struct lt_object *o);
void lt_symindex_remove(struct lt_object *o);
/* For LD_DEBUG=statistics: names indexed, candidate definitions held. */
void lt_symindex_counts(size_t *names, size_t *candidates);

/* A candidate's object (0: none, for an empty or removed slot) and symbol. */
static inline struct lt_object *lt_symindex_obj(const struct lt_symindex *x, uint32_t def)
{
	return x->objs[def >> LT_SYMINDEX_SYM_BITS];
}
static inline uint32_t lt_symindex_sym(uint32_t def)
{
	return def & ((1u << LT_SYMINDEX_SYM_BITS) - 1);
}
static inline int lt_symindex_is_list(uint32_t def)
{
	return def >> LT_SYMINDEX_SYM_BITS == LT_SYMINDEX_LIST;
}

/* A slot's first candidate. */
static inline uint32_t lt_symindex_first(const struct lt_symindex *x, uint32_t def)
{
	return lt_symindex_is_list(def) ? x->nodes[x->nodes[lt_symindex_sym(def)].next].def : def;
}

/* The name of a live candidate. */
static inline const char *lt_symindex_name(const struct lt_object *o, uint32_t def)
{
	return o->st.strtab + o->st.syms[lt_symindex_sym(def)].st_name;
}

/* Where the probe sequence for a key starts in a table of n slots: a
 * Fibonacci hash, scaled to the table; and the position after i. */
static inline uint32_t lt_symindex_home(uint32_t n, uint32_t key)
{
	return (uint32_t)(((uint64_t)(key * 0x9e3779b1u) * n) >> 32);
}
static inline uint32_t lt_symindex_next(uint32_t n, uint32_t i)
{
	return i + 1 < n ? i + 1 : 0;
}

/*
 * The live slot of the name `name` (GNU hash key), or else the empty slot
 * where it would go.  The full hash is compared first, so names are
 * compared once they almost surely match.  `in_words`: both the name and
 * the index's names may be read a word at a time (symtab.names_in_words).
 * *first: the name's first candidate, 0 for an empty slot; *first_sym: its
 * symbol (read for its name: kept for the caller).
 */
static inline __attribute__((always_inline)) struct lt_symindex_slot *
lt_symindex_slot(const struct lt_symindex *x, uint32_t key, const char *name, int in_words,
		 uint32_t *first, const Elf64_Sym **first_sym)
{
	for (uint32_t i = lt_symindex_home(x->nslots, key);; i = lt_symindex_next(x->nslots, i)) {
		struct lt_symindex_slot *s = &x->slots[i];
		if (s->key == key) {
			uint32_t d = lt_symindex_first(x, s->def);
			const struct lt_object *o = lt_symindex_obj(x, d);
			const Elf64_Sym *es = o ? &o->st.syms[lt_symindex_sym(d)] : 0;
			if (o && lt_streq_words(o->st.strtab + es->st_name, name, in_words)) {
				*first = d;
				*first_sym = es;
				return s;
			}
		}
		if (!s->def) {
			*first = 0;
			return s;
		}
	}
}

/* Does candidate d satisfy `ref`?  Then *out is it. */
static inline __attribute__((always_inline)) int
lt_symindex_try(const struct lt_symindex *x, uint32_t d, const struct lt_ref *ref,
		struct lt_symdef *out)
{
	struct lt_object *o = lt_symindex_obj(x, d);
	uint32_t sym = lt_symindex_sym(d);
	if (!lt_satisfies(o, sym, ref, LT_KNOWN_NAME | LT_KNOWN_DEFINES))
		return 0;
	*out = (struct lt_symdef){&o->st.syms[sym], o};
	return 1;
}

/*
 * The global scope's definition for `ref`: the first candidate that
 * satisfies it, as the walk would find.
 */
static inline int lt_symindex_lookup(const struct lt_ref *ref, struct lt_symdef *out)
{
	const struct lt_symindex *x = &lt_symindex;
	uint32_t d;
	const Elf64_Sym *es = 0;
	const struct lt_symindex_slot *s = lt_symindex_slot(x, ref->hash, ref->name, 0, &d, &es);
	if (!d)
		return 0;
	if (!lt_symindex_is_list(s->def))
		return lt_symindex_try(x, d, ref, out);
	uint32_t last = lt_symindex_sym(s->def);
	for (uint32_t n = x->nodes[last].next;; n = x->nodes[n].next) {
		if (lt_symindex_try(x, x->nodes[n].def, ref, out))
			return 1;
		if (n == last)
			return 0;
	}
}

/*
 * Is a candidate plain: in an ordinary section (neither undefined, where
 * a program's PLT stub stands for a function except in the PLT itself,
 * nor absolute), of a plain type (not TLS, nor an IFUNC, whose address
 * needs a resolver), and bound globally or weakly (not STB_GNU_UNIQUE,
 * whose process-wide definition may be elsewhere)?  Then, in an object
 * without versions, it satisfies every GLOB_DAT and JUMP_SLOT reference
 * to its name (lt_satisfies), and its address is the load bias plus its
 * value.  A test or two, on the lean path's every lookup.
 */
static inline int lt_symindex_plain_symbol(const Elf64_Sym *es)
{
	const uint64_t types = (1 << STT_NOTYPE) | (1 << STT_OBJECT) | (1 << STT_FUNC) |
			       (1 << STT_COMMON);
	const uint64_t infos = types << (16 * STB_GLOBAL) | types << (16 * STB_WEAK);  /* bit st_info */
	return es->st_info < 64 && ((infos >> es->st_info) & 1) &&
	       (uint16_t)(es->st_shndx - 1) < SHN_LORESERVE - 1;
}

/* Does address a of o lie inside one of o's segments (issue 15's rule)?
 * The segment of o's last definition is tried first: most lie in its
 * code, whatever order the references to them come in. */
static inline int lt_symindex_inside(struct lt_object *o, uintptr_t a)
{
	const struct lt_segment *s = o->def_seg;
	if (s && a >= s->start && a < s->end)
		return 1;
	if (!(s = lt_object_segment(o, a, 1)))
		return 0;
	o->def_seg = s;
	return 1;
}

/*
 * The lean path's answer for a GOT word (GLOB_DAT or JUMP_SLOT) referring
 * to `name` (GNU hash gh; `in_words` as for lt_symindex_slot): the first
 * candidate's address when it is plain, its object has no versions, and
 * it lies inside one of its object's segments.  Otherwise 0, and the
 * general lookup decides; *definer is then 0 if nothing in the global
 * scope defines the name.
 */
static inline __attribute__((always_inline)) uintptr_t
lt_symindex_plain(const char *name, uint32_t gh, int in_words, struct lt_object **definer)
{
	const struct lt_symindex *x = &lt_symindex;
	uint32_t d;
	const Elf64_Sym *es = 0;
	lt_symindex_slot(x, gh, name, in_words, &d, &es);
	struct lt_object *o = lt_symindex_obj(x, d);
	*definer = o;
	if (!o || o->st.versym)
		return 0;
	if (!lt_symindex_plain_symbol(es) || !lt_symindex_inside(o, o->base + es->st_value))
		return 0;  /* (outside: the general path refuses it, check_definition in reloc.c) */
	return o->base + es->st_value;
}
/* Does the index answer global-scope lookups?  Not for LD_DEBUG=symbols, which shows the walk. */
static inline int lt_symindex_answers(void)
{
	if (__builtin_expect(__atomic_load_n(&lt_symindex_deferred, __ATOMIC_ACQUIRE), 0) &&
	    !lt_symindex_catch_up())
		return 0;
	return lt_symindex_on && !lt_debug_on(LT_DBG_SYMBOLS);
}

/*
 * Do lookups from `requester` search the global scope alone, and so go
 * straight to the index?  Yes unless it has a group scope of its own
 * (dlopen without RTLD_GLOBAL) or DT_SYMBOLIC.
 */
static inline int lt_lookup_takes_index(const struct lt_object *requester)
{
	return !requester->local && !requester->symbolic && lt_symindex_answers();
}

#endif
