/*
 * Symbols: hashing (hash.c and inline here), lookup in an object and in a
 * scope (lookup.c), versions (version.c), and the one rule that decides
 * whether a definition satisfies a reference (lt_satisfies).
 */
#ifndef LT_SYMBOLS_H
#define LT_SYMBOLS_H

#include "object.h"
#include "str.h"

/* A version requirement carried by a symbol reference. */
struct lt_verreq {
	const char *name;
	uint32_t hash;
	int hidden;        /* the reference itself came with the hidden bit */
};

enum {
	LT_LOOKUP_PLT = 1,      /* JUMP_SLOT: skip undefined symbols with a value */
	LT_LOOKUP_COPY = 2,     /* COPY: skip the program itself */
	/* the name is in a string table that may be read a word at a time
	 * (symtab.names_in_words): compared with others that are, it needs no
	 * page checks */
	LT_LOOKUP_IN_WORDS = 4,
};

/* A reference being resolved. */
struct lt_ref {
	const char *name;
	uint32_t hash;                  /* GNU hash of name */
	const struct lt_verreq *ver;    /* NULL: unversioned */
	int flags;                      /* LT_LOOKUP_* */
};

/* A definition: symbol `sym` of `obj` (both NULL: none). */
struct lt_symdef {
	const Elf64_Sym *sym;
	struct lt_object *obj;
};

/*
 * The Bernstein sum of a word's eight characters, c0 * 33^7 + c1 * 33^6 +
 * ... + c7 (mod 2^32), in a few steps on lanes instead of eight multiplies:
 * pairs of characters to 16-bit lanes (c0 * 33 + c1 < 2^16), pairs of
 * those to 32-bit lanes (< 2^24), and the two halves together.
 */
static inline uint32_t lt_gnu_hash_word(uint64_t w)
{
	const uint64_t bytes = 0x00ff00ff00ff00ffULL, halves = 0x0000ffff0000ffffULL;
	uint64_t pairs = (w & bytes) * 33 + ((w >> 8) & bytes);
	uint64_t quads = (pairs & halves) * (33 * 33) + ((pairs >> 16) & halves);
	return (uint32_t)quads * (33u * 33 * 33 * 33) + (uint32_t)(quads >> 32);
}

/*
 * DT_GNU_HASH: Bernstein's h * 33 + c, seeded with 5381.  It runs on every
 * lookup, so it is inline and takes the name a word at a time (checking
 * that each word may be read, unless `in_words` says the name's table
 * allows it: symtab.names_in_words):
 * h * 33^8 + lt_gnu_hash_word(w) per eight characters, and for the last k
 * characters, if there are four or more, the word shifted so that they
 * are its top k bytes.
 */
static inline __attribute__((always_inline)) uint32_t lt_gnu_hash_words(const char *name,
									 int in_words)
{
	static const uint32_t pow33[8] = {1, 33, 33 * 33, 33 * 33 * 33, 33u * 33 * 33 * 33,
					  33u * 33 * 33 * 33 * 33, 33u * 33 * 33 * 33 * 33 * 33,
					  33u * 33 * 33 * 33 * 33 * 33 * 33};
	const unsigned char *s = (const unsigned char *)name;
	uint32_t h = 5381;
	for (; in_words || lt_word_readable((const char *)s); s += 8) {
		uint64_t w, zeros;
		__builtin_memcpy(&w, s, 8);
		zeros = lt_zero_bytes(w);
		if (zeros) {
			unsigned k = __builtin_ctzll(zeros) / 8;  /* characters before the end */
			if (k >= 4)
				return h * pow33[k] + lt_gnu_hash_word(w << (64 - 8 * k));
			for (; k; k--, w >>= 8)  /* few: one by one is cheaper */
				h = h * 33 + (w & 0xff);
			return h;
		}
		h = h * (pow33[7] * 33) + lt_gnu_hash_word(w);
	}
	for (; *s; s++)  /* near the end of a page */
		h = h * 33 + *s;
	return h;
}

static inline uint32_t lt_gnu_hash(const char *name)
{
	return lt_gnu_hash_words(name, 0);
}

/* DT_HASH: the System V ABI's hash (hash.c). */
uint32_t lt_sysv_hash(const char *name);

/* Does the object's DT_GNU_HASH Bloom filter admit a name with hash h?  (Both its bits set.) */
static inline int lt_gnu_bloom_admits(const struct lt_symtab *st, uint32_t h)
{
	uint64_t word = st->gnu_bloom[(h / 64) & (st->gnu_bloom_size - 1)];
	return (word >> (h % 64)) & (word >> ((h >> st->gnu_bloom_shift) % 64)) & 1;
}

static inline __attribute__((always_inline)) struct lt_ref
lt_ref_of(const char *name, const struct lt_verreq *ver, int flags)
{
	return (struct lt_ref){name, lt_gnu_hash_words(name, flags & LT_LOOKUP_IN_WORDS), ver, flags};
}

/* version.c */
int lt_versions_load(struct lt_object *obj, const Elf64_Verdef *verdef, size_t nverdef);
int lt_verreq_of(const struct lt_object *obj, size_t symidx, struct lt_verreq *out);
int lt_versions_check(struct lt_object *obj);

/*
 * A lookup, or the index, met corrupt data in obj: a hash bucket or chain
 * leading outside the symbol table, or a name outside the string table.
 * The first such fault is kept as the loader's error; from then on every
 * lookup finds nothing, and its caller reports the fault rather than an
 * undefined symbol.
 */
__attribute__((cold)) void lt_lookup_fault(const struct lt_object *obj, const char *what,
					   size_t at);

/* Could symbol s define anything at all: its type, binding and value? */
static inline int lt_symbol_defines(const Elf64_Sym *s)
{
	/* Bit t of types: type t will do.  Bit st_info of global_or_weak: so
	 * will its type and binding (STB_GLOBAL and STB_WEAK: st_info < 64,
	 * one test; STB_GNU_UNIQUE is tested apart). */
	const uint64_t types = (1 << STT_NOTYPE) | (1 << STT_OBJECT) | (1 << STT_FUNC) |
			       (1 << STT_COMMON) | (1 << STT_TLS) | (1 << STT_GNU_IFUNC);
	const uint64_t global_or_weak = types << (16 * STB_GLOBAL) | types << (16 * STB_WEAK);
	unsigned info = s->st_info, type = ELF64_ST_TYPE(info);
	if (info < 64 ? !((global_or_weak >> info) & 1)
		      : ELF64_ST_BIND(info) != STB_GNU_UNIQUE || !((types >> type) & 1))
		return 0;
	return s->st_value != 0 || s->st_shndx == SHN_ABS || type == STT_TLS;
}

/* Is a definition's address its value: not an IFUNC (a resolver picks it), TLS
 * (an offset in a block) or absolute (no base added)? */
static inline int lt_symbol_plain(const Elf64_Sym *s)
{
	const unsigned not_plain = 1u << STT_TLS | 1u << STT_GNU_IFUNC;
	return !((not_plain >> ELF64_ST_TYPE(s->st_info)) & 1) && s->st_shndx != SHN_ABS;
}

/* Is symbol i of obj named `name` (`in_words`: as LT_LOOKUP_IN_WORDS)?  (A name outside the string table is a fault.) */
static inline __attribute__((always_inline)) int lt_symbol_named(const struct lt_object *obj,
								  size_t i, const char *name,
								  int in_words)
{
	uint32_t off = obj->st.syms[i].st_name;
	if (off >= obj->st.strsz) {
		lt_lookup_fault(obj, "a symbol name outside the string table", i);
		return 0;
	}
	return lt_streq_words(name, obj->st.strtab + off, in_words && obj->st.names_in_words);
}

/*
 * Does symbol i of obj have the version `ver` asks for (NULL: an
 * unversioned reference)?  The rules of version.c; an object without
 * DT_VERSYM matches every request.  Inline: every lookup asks it.
 */
static inline __attribute__((always_inline)) int
lt_version_matches(const struct lt_object *obj, size_t i, const struct lt_verreq *ver)
{
	const struct lt_symtab *st = &obj->st;
	if (!st->versym)
		return 1;
	uint16_t vs = st->versym[i];
	if (!ver)
		return !(vs & 0x8000);
	if ((vs & 0x7fff) >= st->nversions) {
		lt_lookup_fault(obj, "a DT_VERSYM entry names a version the tables do not describe", i);
		return 0;
	}
	const struct lt_version *v = &st->versions[vs & 0x7fff];
	/* (An object's references to its own definitions name the very same
	 * string; other names are compared a word at a time.) */
	if (v->name)
		return v->name == ver->name || (v->hash == ver->hash && lt_streq(v->name, ver->name));
	return !ver->hidden && !(vs & 0x8000);
}

/* What a caller of lt_satisfies already knows about the symbol. */
enum {
	LT_KNOWN_NAME = 1,     /* its name is the reference's (the index matched it) */
	LT_KNOWN_DEFINES = 2,  /* it passes lt_symbol_defines (the index holds no others) */
};

/*
 * The one answer to "can symbol i of obj satisfy this reference?": its name,
 * its type, binding and value, the PLT and COPY rules, and its version.
 * Every lookup asks it: the walk, the symbol index and the lean GOT path.
 */
static inline __attribute__((always_inline)) int
lt_satisfies(const struct lt_object *obj, size_t i, const struct lt_ref *ref, int known)
{
	const Elf64_Sym *s = &obj->st.syms[i];
	if (!(known & LT_KNOWN_NAME) &&
	    !lt_symbol_named(obj, i, ref->name, ref->flags & LT_LOOKUP_IN_WORDS))
		return 0;
	if (!(known & LT_KNOWN_DEFINES) && !lt_symbol_defines(s))
		return 0;
	/* A COPY relocation wants the original, not the program's copy. */
	if ((ref->flags & LT_LOOKUP_COPY) && obj->kind == LT_MAIN)
		return 0;
	/* An undefined symbol with a value is the program's PLT stub, which stands
	 * for the function's address everywhere except in the PLT itself. */
	if (s->st_shndx == SHN_UNDEF &&
	    (ref->flags & LT_LOOKUP_PLT || ELF64_ST_TYPE(s->st_info) == STT_TLS))
		return 0;
	return lt_version_matches(obj, i, ref->ver);
}

/* lookup.c */
const Elf64_Sym *lt_find_in_object(const struct lt_object *obj, const struct lt_ref *ref);
/* The definition a reference from `requester` (NULL: the program's view) gets. */
struct lt_symdef lt_lookup(const struct lt_ref *ref, const struct lt_object *requester);
/* The first definition in `scope`, after `skip` when it is there. */
struct lt_symdef lt_lookup_in_scope(const struct lt_ref *ref, const struct lt_scope *scope,
				    const struct lt_object *skip);
/* unique.c: the definition a lookup that ended at the STB_GNU_UNIQUE
 * definition `found` gets (the process's one for that name), and the end
 * of an object's entries when a failed dlopen takes it away. */
struct lt_symdef lt_unique_definition(const struct lt_ref *ref, struct lt_symdef found,
				      struct lt_object *requester);
void lt_unique_forget(const struct lt_object *obj);
/* A definition's run-time address (for an IFUNC: its resolver's). */
static inline uintptr_t lt_symbol_address(const struct lt_symdef *d)
{
	if (!d->sym)
		return 0;
	return d->sym->st_value + (d->sym->st_shndx == SHN_ABS ? 0 : d->obj->base);
}
/* What a reference to `d` gets: its address, or what its IFUNC resolver picks. */
int lt_symbol_value(const struct lt_symdef *d, void **out);
/* Call an IFUNC resolver of `obj`, after checking it is the object's code. */
int lt_call_resolver(const struct lt_object *obj, uintptr_t fn, uint64_t *value);

/* Scopes */
/* `root`, then its dependencies, breadth-first (lt_alloc'ed). */
struct lt_object **lt_dependency_order(struct lt_object *root, size_t *count);
int lt_scope_add(struct lt_scope *s, struct lt_object *obj);
void lt_scope_remove(struct lt_scope *s, const struct lt_object *obj);
/* Does `s` hold `obj`? */
static inline int lt_scope_has(const struct lt_scope *s, const struct lt_object *obj)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->objs[i] == obj)
			return 1;
	return 0;
}
/* Room for n objects in `s` (lt_scope_add cannot fail then); an error names `for_obj`. */
int lt_scope_reserve(struct lt_scope *s, size_t n, const struct lt_object *for_obj);
/* Its own group scope for `obj`: itself, then its dependencies breadth-first. */
int lt_give_own_scope(struct lt_object *obj);

#endif
