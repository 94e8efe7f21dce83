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
 * The index: an open-addressed table of names, each with its candidate
 * definitions in order (symindex.c says what goes in).  Most names have
 * one, kept in the slot itself; the others follow in a list of nodes.
 * The data are here so that the lookup, on relocation's hot path, can be
 * inline.
 */
struct lt_symindex_node {
	struct lt_object *obj;
	uint32_t sym;
	uint32_t next;         /* index into nodes[]; 0 ends the list */
};
struct lt_symindex_slot {
	const char *name;      /* 0: an empty slot */
	uint32_t key;          /* the name's GNU hash */
	uint32_t sym;          /* the first candidate: symbol sym of obj */
	struct lt_object *obj; /* 0: none left (the name was removed) */
	uint32_t more, last;   /* the list of the others (0: none) */
};
struct lt_symindex {
	int on;                /* built, and kept current */
	int names_in_words;    /* every name indexed may be read a word at a time */
	uint32_t mask, shift;  /* slots: mask + 1 of them; shift for the probe start */
	uint32_t nslots_used, ncandidates, nnodes, nodes_cap, free_nodes;
	struct lt_symindex_slot *slots;
	struct lt_symindex_node *nodes;  /* node 0 is never used */
};
extern struct lt_symindex lt_symindex;

static inline int lt_symindex_active(void)
{
	return lt_symindex.on;
}

/* Index the whole global scope; from then on, keep it current. */
int lt_symindex_build(void);
/* An object joined the global scope (at its end) / left it. */
int lt_symindex_add(struct lt_object *o);
void lt_symindex_remove(struct lt_object *o);
/* For LD_DEBUG=statistics: names indexed, candidate definitions held. */
void lt_symindex_counts(size_t *names, size_t *candidates);

/*
 * The live slot for a name, or else the empty slot where it would go.
 * Probing is linear from a Fibonacci hash of the key.  A slot whose
 * candidates were all removed keeps its place (later names may have probed
 * past it) but never matches: its name may point into an unmapped object.
 * `in_words`: both the name and the index's names may be read a word at a
 * time (symtab.names_in_words).
 */
static inline __attribute__((always_inline)) struct lt_symindex_slot *
lt_symindex_slot(const struct lt_symindex *x, uint32_t key, const char *name, int in_words)
{
	for (uint32_t i = (key * 0x9e3779b1u) >> x->shift;; i = (i + 1) & x->mask) {
		struct lt_symindex_slot *s = &x->slots[i];
		if (!s->name || (s->key == key && s->obj && lt_streq_words(s->name, name, in_words)))
			return s;
	}
}

/*
 * The global scope's definition for `ref`: the first candidate that
 * satisfies it, as the walk would find.
 */
static inline int lt_symindex_lookup(const struct lt_ref *ref, struct lt_symdef *out)
{
	const struct lt_symindex_slot *s = lt_symindex_slot(&lt_symindex, ref->hash, ref->name, 0);
	const int known = LT_KNOWN_NAME | LT_KNOWN_DEFINES;
	if (!s->obj)
		return 0;
	if (lt_satisfies(s->obj, s->sym, ref, known)) {
		*out = (struct lt_symdef){&s->obj->st.syms[s->sym], s->obj};
		return 1;
	}
	for (uint32_t i = s->more; i; i = lt_symindex.nodes[i].next) {
		const struct lt_symindex_node *n = &lt_symindex.nodes[i];
		if (lt_satisfies(n->obj, n->sym, ref, known)) {
			*out = (struct lt_symdef){&n->obj->st.syms[n->sym], n->obj};
			return 1;
		}
	}
	return 0;
}

/*
 * The lean path's answer for a GOT word (GLOB_DAT or JUMP_SLOT, as `flags`
 * says) referring to `name` (GNU hash gh; `in_words` as for
 * lt_symindex_slot): the first candidate's address when it satisfies the
 * reference whatever version the reference asks for (its object has no
 * versions), its address needs no resolver (not an IFUNC, TLS or
 * absolute), it is not STB_GNU_UNIQUE (the process's one may be
 * elsewhere), and it lies inside one of its object's segments.  Otherwise
 * 0, and the general lookup decides; *definer is then 0 if nothing in the
 * global scope defines the name.
 */
static inline uintptr_t lt_symindex_plain(const char *name, uint32_t gh, int flags, int in_words,
					  struct lt_object **definer)
{
	const struct lt_symindex_slot *s = lt_symindex_slot(&lt_symindex, gh, name, in_words);
	const struct lt_object *o = s->obj;
	const struct lt_ref ref = {name, gh, 0, flags};
	*definer = s->obj;
	if (!o || o->st.versym || !lt_satisfies(o, s->sym, &ref, LT_KNOWN_NAME | LT_KNOWN_DEFINES))
		return 0;
	const Elf64_Sym *es = &o->st.syms[s->sym];
	unsigned type = ELF64_ST_TYPE(es->st_info);
	if (es->st_shndx == SHN_ABS || type == STT_TLS || type == STT_GNU_IFUNC ||
	    ELF64_ST_BIND(es->st_info) == STB_GNU_UNIQUE ||
	    !lt_object_segment(o, o->base + es->st_value, 1))
		return 0;
	return o->base + es->st_value;
}
/* Does the index answer global-scope lookups?  Not for LD_DEBUG=symbols, which shows the walk. */
static inline int lt_symindex_answers(void)
{
	return lt_symindex.on && !lt_debug_on(LT_DBG_SYMBOLS);
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
