/*
 * Relocation: the generic loop.  arch/ says what each type number means
 * (arch_reloc_type) and does the arithmetic (arch_reloc_value); this file
 * finds the symbols, checks every target address, and orders the work
 * within an object:
 *   1. DT_RELR, then DT_RELA, then DT_JMPREL (the PLT slots);
 *   2. IRELATIVE, and references to the object's own IFUNCs, last, once
 *      everything their resolvers may read is in place;
 *   3. PT_GNU_RELRO made read-only when the object is done.
 * Across objects the caller gives the order: the order constructors run
 * in, dependencies before the objects that use them, so that an IFUNC
 * resolver finds the code it calls relocated, and a COPY relocation copies
 * data that already is.
 */
#include <linux/mman.h>
#include "rtld.h"
#include "alloc.h"
#include "arch.h"
#include "audit.h"
#include "libc.h"
#include "load.h"
#include "prelink.h"
#include "print.h"
#include "relr.h"
#include "reloc.h"
#include "report.h"
#include "str.h"
#include "symbols.h"
#include "symindex.h"
#include "sys.h"
#include "tls.h"
#include "trace.h"

struct deferred {
	const Elf64_Rela *r;
	struct lt_symdef def;
};

struct reloc_ctx {
	struct lt_object *obj;
	int first_call;                /* binding a PLT slot on its first call (lazy.c) */
	uint64_t *result;              /* a watched slot's first call: its value, the slot left alone */
	int again;                     /* relocating again (lt_relocate_again) */
	int fast_got;                  /* GOT words may be filled on the lean path (fill_got_words) */
	const struct lt_segment *seg;  /* segment of the previous target: they come sorted */
	/* the previous symbol resolution, reused by runs of the same symbol */
	size_t cached_index;
	int cached_flags;
	struct lt_symdef cached;
	struct deferred *deferred;
	size_t ndeferred, deferred_cap;
	/* the prelink cache's answers for the table being relocated: answers[i]
	 * is that of answered[i] (use_answers); NULL: none */
	const struct lt_prelink_answer *answers;
	const Elf64_Rela *answered;
	size_t nanswered;
};

/*
 * May a relocation write `size` bytes at `at`?  Only inside a writable
 * segment (any segment, under DT_TEXTREL).  The segment of the previous
 * check is tried first: relocations come sorted by address.
 */
static int writable_slow(struct reloc_ctx *c, uintptr_t at, size_t size)
{
	const struct lt_segment *s = lt_object_segment(c->obj, at, size);
	if (!s || (!(s->prot & PROT_WRITE) && !c->obj->textrel))
		return 0;
	c->seg = s;
	return 1;
}

static inline int writable(struct reloc_ctx *c, uintptr_t at, size_t size)
{
	const struct lt_segment *s = c->seg;
	return (s && at >= s->start && at <= s->end && size <= s->end - at) ||
	       writable_slow(c, at, size);
}

static int relr_target_ok(void *c, uintptr_t at, size_t size)
{
	return writable(c, at, size);
}

/* The address a relocation writes `size` bytes to, checked. */
static inline void *target(struct reloc_ctx *c, const Elf64_Rela *r, size_t size)
{
	uintptr_t at = c->obj->base + r->r_offset;
	if (writable(c, at, size))
		return (void *)at;
	lt_error("%s: relocation at offset %#lx writes outside the object's writable segments",
		 c->obj->path, (unsigned long)r->r_offset);
	return 0;
}

static const char *symbol_name(const struct lt_object *obj, const Elf64_Sym *sym)
{
	return obj->st.strtab + sym->st_name;
}

/*
 * A reference nothing defines.  Printed (at start-up, or on a lazy call) the
 * line says it was a symbol lookup error; as a dlopen's dlerror text it is
 * glibc's "OBJ: undefined symbol: NAME".
 */
static int undefined(const struct reloc_ctx *c, const char *name, const struct lt_verreq *ver)
{
	const char *thing = lt.started && !c->first_call ? "" : "symbol lookup error: ";
	lt_error("%s: %sundefined symbol: %s%s%s", c->obj->path, thing, name, ver ? ", version " : "",
		 ver ? ver->name : "");
	return -1;
}

/*
 * Does a reference through this symbol of its own object mean the object's
 * own definition, with no lookup?  Local symbols do, and defined protected
 * ones (but a COPY relocation wants the original).
 */
static inline int binds_itself(const Elf64_Sym *sym, int flags)
{
	return ELF64_ST_BIND(sym->st_info) == STB_LOCAL ||
	       (sym->st_shndx != SHN_UNDEF && !(flags & LT_LOOKUP_COPY) &&
		ELF64_ST_VISIBILITY(sym->st_other) == STV_PROTECTED);
}

/* `from` now uses a definition in `to`: mark it used, and note what dlclose must keep. */
static inline int note_use(struct lt_object *from, struct lt_object *to)
{
	if (to == from)
		return 0;
	to->used = 1;
	return to->initial ? 0 : lt_note_binding(from, to);  /* (start-up objects stay anyway) */
}

/* Bookkeeping for a reference bound to a definition, and its trace. */
static inline int note_bound(struct reloc_ctx *c, const Elf64_Sym *ref, const struct lt_symdef *d,
			     const struct lt_verreq *ver)
{
	if (note_use(c->obj, d->obj) < 0)
		return -1;
	trace_binding(c->obj, symbol_name(c->obj, ref), d->obj, ver, c->first_call);
	return 0;
}

/*
 * A definition a reference binds to must be in its object: defined (a
 * local symbol binds without a lookup, and a prelink cache's answer
 * without one, so nothing else checks them: a non-local one must be what
 * a lookup could find, lt_symbol_defines), and at an address, unless
 * absolute, inside one of the object's segments.  Whoever calls through
 * the reference jumps there: the program, or ld-teach's own PLT
 * trampoline.  A TLS symbol's value is an offset in its object's TLS
 * block, and it and its size must lie inside the block: code reaches it
 * from the thread pointer, and beyond the block are other modules' data
 * and the thread's own control block.
 */
static __attribute__((noinline, cold)) int bad_definition(const struct lt_object *obj, size_t si,
							 const struct lt_symdef *d)
{
	const Elf64_Sym *s = d->sym;
	if (ELF64_ST_BIND(s->st_info) == STB_LOCAL && s->st_shndx == SHN_UNDEF)
		lt_error("%s: symbol %zu is local but undefined", obj->path, si);
	else if (ELF64_ST_BIND(s->st_info) != STB_LOCAL && !lt_symbol_defines(s))
		lt_error("%s: symbol %zu is bound to `%s' of %s, which defines nothing", obj->path, si,
			 symbol_name(d->obj, s), d->obj->path);
	else if (ELF64_ST_TYPE(s->st_info) == STT_TLS)
		lt_error("%s: TLS symbol `%s' (offset %#lx, %lu bytes) lies outside the object's "
			 "TLS block of %#lx bytes", d->obj->path, symbol_name(d->obj, s),
			 (unsigned long)s->st_value, (unsigned long)s->st_size,
			 (unsigned long)d->obj->tls.memsz);
	else
		lt_error("%s: symbol `%s' lies outside the object's segments (at %#lx)", d->obj->path,
			 symbol_name(d->obj, s), (unsigned long)s->st_value);
	return -1;
}

/* (Inline: every lookup's answer passes here; the reasons are bad_definition's.) */
static inline int check_definition(const struct lt_object *obj, size_t si, const struct lt_symdef *d)
{
	const Elf64_Sym *s = d->sym;
	int defined = ELF64_ST_BIND(s->st_info) == STB_LOCAL ? s->st_shndx != SHN_UNDEF
							     : lt_symbol_defines(s);
	if (defined && (ELF64_ST_TYPE(s->st_info) == STT_TLS  /* (whatever its section says) */
				? s->st_size <= d->obj->tls.memsz &&
					  s->st_value <= d->obj->tls.memsz - s->st_size
				: s->st_shndx == SHN_ABS ||
					  lt_object_segment(d->obj, lt_symbol_address(d), 1)))
		return 0;
	return bad_definition(obj, si, d);
}

/* The prelink cache's answers for obj's rela[relacount..] (plt 0) or jmprel (plt 1), if it has some. */
static void use_answers(struct reloc_ctx *c, int plt)
{
	const struct lt_object *o = c->obj;
	size_t nrela = o->nrela - o->relacount;
	if (!o->answers)
		return;
	c->answers = plt ? o->answers + nrela : o->answers;
	c->answered = plt ? o->jmprel : o->rela + o->relacount;
	c->nanswered = plt ? o->njmprel : nrela;
}

/* The cache's answer for relocation r, unless it has none, says "look it
 * up", or names no symbol. */
static inline const struct lt_prelink_answer *answer_for(const struct reloc_ctx *c,
							 const Elf64_Rela *r)
{
	if (!c->answers || r < c->answered || (size_t)(r - c->answered) >= c->nanswered)
		return 0;
	const struct lt_prelink_answer *a = &c->answers[r - c->answered];
	return a->obj == LT_PRELINK_LOOKUP || !lt_prelink_answer_ok(c->obj, r->r_offset, a) ? 0 : a;
}

#ifdef LT_CHECK_PRELINK
/* The definition a lookup gives the reference through symbol si of obj, with no bookkeeping. */
static struct lt_symdef lookup_reference(struct lt_object *obj, size_t si, int flags)
{
	const Elf64_Sym *sym = &obj->st.syms[si];
	struct lt_verreq req;
	int versioned = obj->st.versym && lt_verreq_of(obj, si, &req);
	if (binds_itself(sym, flags))
		return (struct lt_symdef){sym, obj};
	struct lt_ref ref = lt_ref_of(symbol_name(obj, sym), versioned ? &req : 0, flags);
	return lt_lookup(&ref, obj);
}

/* How the checked build names a definition in its complaint. */
static void describe(char *out, size_t size, const struct lt_symdef *d)
{
	if (d->sym)
		lt_format(out, size, "`%s' of %s", lt_object_string(d->obj, d->sym->st_name), d->obj->path);
	else
		lt_format(out, size, "nothing");
}

/* The checked build: every answer taken from the cache must be the lookup's. */
static void check_answer(struct lt_object *obj, size_t si, int flags, const struct lt_symdef *d)
{
	struct lt_symdef l = lookup_reference(obj, si, flags);
	char cached[256], looked_up[256];
	if (l.sym == d->sym)
		return;
	describe(cached, sizeof cached, d);
	describe(looked_up, sizeof looked_up, &l);
	lt_fatal("%s: the prelink cache disagrees with the lookup on `%s': the cache says %s, the "
		 "lookup %s", obj->path, symbol_name(obj, &obj->st.syms[si]), cached, looked_up);
}
#endif

/* What the cache answered (a definition, or nothing: an undefined weak reference). */
static int take_answer(struct reloc_ctx *c, size_t si, const struct lt_prelink_answer *a,
		       struct lt_symdef *out)
{
	struct lt_object *obj = c->obj;
	*out = (struct lt_symdef){0, 0};
	if (a->obj != LT_PRELINK_UNDEF) {
		struct lt_object *def = lt_prelink_objects[a->obj & ~LT_PRELINK_SPECIAL];
		*out = (struct lt_symdef){&def->st.syms[a->sym], def};
		if (note_use(obj, def) < 0)
			return -1;
	}
	lt_stats.answers++;
	if (out->sym && lt_debug_on(LT_DBG_BINDINGS)) {
		struct lt_verreq req;
		int versioned = obj->st.versym && lt_verreq_of(obj, si, &req);
		lt_trace_binding(obj, symbol_name(obj, &obj->st.syms[si]), out->obj,
				 versioned ? &req : 0, c->first_call);
	}
	return 0;
}

/*
 * Find the definition relocation r refers to: the prelink cache's answer
 * when it has one (but an undefined weak reference bound lazily is looked
 * up: a dlopen may have brought a definition since), else a lookup.  A
 * missing weak reference resolves to nothing (value 0); any other missing
 * one is an error.
 */
static int resolve(struct reloc_ctx *c, const Elf64_Rela *r, int flags, struct lt_symdef *out)
{
	struct lt_object *obj = c->obj;
	size_t si = ELF64_R_SYM(r->r_info);
	if (si >= obj->st.nsyms) {
		lt_error("%s: relocation refers to symbol %zu of %zu", obj->path, si, obj->st.nsyms);
		return -1;
	}
	const struct lt_prelink_answer *a = answer_for(c, r);
	if (a && !(a->obj == LT_PRELINK_UNDEF && c->first_call)) {
		if (take_answer(c, si, a, out) < 0 || (out->sym && check_definition(obj, si, out) < 0))
			return -1;
#ifdef LT_CHECK_PRELINK
		check_answer(obj, si, flags, out);
#endif
		return 0;
	}
	if (si == c->cached_index && flags == c->cached_flags) {
		lt_stats.from_cache++;
		*out = c->cached;
		return 0;
	}
	const Elf64_Sym *sym = &obj->st.syms[si];
	if (sym->st_name >= obj->st.strsz) {
		lt_error("%s: symbol %zu has a name outside the string table", obj->path, si);
		return -1;
	}
	struct lt_verreq req;
	int versioned = obj->st.versym && lt_verreq_of(obj, si, &req);
	if (binds_itself(sym, flags)) {
		*out = (struct lt_symdef){sym, obj};
	} else {
		struct lt_ref ref = lt_ref_of(symbol_name(obj, sym), versioned ? &req : 0,
					      flags | (obj->st.names_in_words ? LT_LOOKUP_IN_WORDS : 0));
		lt_stats.lookups++;
		*out = lt_lookup(&ref, obj);
		if (lt.lookup_faulted)
			return -1;  /* even for a weak reference: the lookup could not be trusted */
		if (!out->sym && ELF64_ST_BIND(sym->st_info) != STB_WEAK)
			return undefined(c, symbol_name(obj, sym), versioned ? &req : 0);
		if (out->sym && note_bound(c, sym, out, versioned ? &req : 0) < 0)
			return -1;
	}
	if (out->sym && check_definition(obj, si, out) < 0)
		return -1;
	c->cached_index = si;
	c->cached_flags = flags;
	c->cached = *out;
	return 0;
}

#ifdef LT_CHECK_SYMINDEX
/* The checked build: the lean path's answer must be lt_lookup's, itself checked against the walk. */
static void check_lean_answer(struct lt_object *obj, size_t si, int flags,
			      const struct lt_object *def, uintptr_t value)
{
	struct lt_verreq req;
	int versioned = obj->st.versym && lt_verreq_of(obj, si, &req);
	const char *name = symbol_name(obj, &obj->st.syms[si]);
	struct lt_ref ref = lt_ref_of(name, versioned ? &req : 0, flags);
	struct lt_symdef d = lt_lookup(&ref, obj);
	if (d.obj != def || lt_symbol_address(&d) != value)
		lt_fatal("%s: the lean GOT path disagrees with the lookup on `%s': %s, lookup %s",
			 obj->path, name, def ? def->path : "nothing", d.obj ? d.obj->path : "nothing");
}
#endif

/* Does a reference to `d` take its address from a resolver?  (A defined IFUNC.) */
static inline int resolved_by_ifunc(const struct lt_symdef *d)
{
	return d->sym && ELF64_ST_TYPE(d->sym->st_info) == STT_GNU_IFUNC &&
	       d->sym->st_shndx != SHN_UNDEF;
}

/*
 * A run of GLOB_DAT and JUMP_SLOT relocations, the bulk of symbolic ones,
 * on a lean path: the definition's address goes straight into the GOT
 * word.  With the symbol index (`walk` 0), the index's first candidate for
 * the name, when it satisfies the reference whatever its version
 * (lt_symindex_plain): the general lookup's own index path with the
 * per-relocation bookkeeping left out, not a second set of rules.  Without
 * it (`walk` 1), resolve's own lookup, bookkeeping and errors, with only
 * the general dispatch and its arithmetic (apply) left out: a GOT word is
 * the address plus the addend.  It stops at the first relocation it cannot
 * do this way (no plain answer, an IFUNC, a symbol the object binds
 * itself, a bad index or target), which relocate_one then does the long
 * way (resolve remembers the symbol it just looked up), reporting it if it
 * is bad.  Returns how many it did, or -1.
 */
static inline __attribute__((always_inline)) long
fill_got_words_in(struct reloc_ctx *c, const Elf64_Rela *r, size_t n, int in_words, int walk)
{
	struct lt_object *obj = c->obj, *noted = obj;  /* the last definer noted (note_use) */
	const struct lt_symtab *st = &obj->st;
	uintptr_t seg_start = 0, seg_room = 0;  /* targets in [seg_start, seg_start + seg_room) are fine */
	size_t i = 0, plt = 0;
	for (; i < n; i++) {
		uint32_t type = ELF64_R_TYPE(r[i].r_info), si = ELF64_R_SYM(r[i].r_info);
		if ((type != ARCH_R_GLOB_DAT && type != ARCH_R_JUMP_SLOT) || !si || si >= st->nsyms ||
		    r[i].r_addend)
			break;
		const Elf64_Sym *sym = &st->syms[si];
		int flags = type == ARCH_R_JUMP_SLOT ? LT_LOOKUP_PLT : 0;
		if (sym->st_name >= st->strsz || binds_itself(sym, flags))
			break;
		struct lt_object *def;
		uintptr_t value;
		if (walk) {
			struct lt_symdef d;
			if (resolve(c, &r[i], flags, &d) < 0)
				return -1;
			def = noted = d.obj;  /* (resolve noted it) */
			value = resolved_by_ifunc(&d) ? 0 : lt_symbol_address(&d);
		} else {
			const char *name = symbol_name(obj, sym);
			value = lt_symindex_plain(name, lt_gnu_hash_words(name, in_words), in_words,
						  &def);
		}
		if (!value && (def || ELF64_ST_BIND(sym->st_info) != STB_WEAK))
			break;  /* (an undefined weak reference, which nothing defines, takes 0) */
#ifdef LT_CHECK_SYMINDEX
		check_lean_answer(obj, si, flags, def, value);
#endif
		uintptr_t at = obj->base + r[i].r_offset;
		if (at - seg_start >= seg_room) {
			if (!writable(c, at, 8))
				break;
			seg_start = c->seg->start;
			seg_room = c->seg->end - c->seg->start - 7;
		}
		*(uint64_t *)at = value;  /* (S: a GOT word's addend is 0, or refused) */
		plt += flags != 0;
		if (def != noted) {  /* (runs of references often go to one object) */
			if (def && note_use(obj, def) < 0)
				return -1;
			noted = def;
		}
	}
	lt_stats.by_type[ARCH_R_JUMP_SLOT] += plt;
	lt_stats.by_type[ARCH_R_GLOB_DAT] += i - plt;
	if (!walk)
		lt_stats.lookups += i;  /* (resolve counts its own) */
	return i;
}

/*
 * The lean path: through the index when it answers the object's lookups,
 * specialized for names that can be read a word at a time; else through
 * resolve.
 */
static __attribute__((noinline)) long fill_got_words(struct reloc_ctx *c, const Elf64_Rela *r,
						   size_t n)
{
	if (lt.lookup_faulted)
		return 0;  /* the long way reports it */
	if (!lt_lookup_takes_index(c->obj))
		return fill_got_words_in(c, r, n, 0, 1);
	if (c->obj->st.names_in_words && lt_symindex.names_in_words)
		return fill_got_words_in(c, r, n, 1, 0);
	return fill_got_words_in(c, r, n, 0, 0);
}

/*
 * The lean path's counterpart under a prelink cache: runs of GLOB_DAT
 * relocations (in DT_RELA) and JUMP_SLOT ones (in DT_JMPREL) whose answer
 * is a plain definition go straight into the GOT, with no lookup and no
 * name read.  The cache marks every other answer LT_PRELINK_SPECIAL (other
 * types, IFUNC, TLS and absolute definitions, the markers), and the run
 * stops there, for relocate_one; it stops too, for relocate_one to refuse,
 * at an addend and at a definition check_definition may refuse (a value
 * of 0, or outside the definer's segments), and, for answer_for to refuse,
 * at an answer naming no symbol of an object of the cache.  (So a cache
 * made to lie can bind a relocation of another type as a GOT word: a wrong
 * value, as any lying answer gives, written where the object's own
 * relocation says, checked as always.)  Returns how many it did, or -1.
 */
static __attribute__((noinline)) long fill_got_words_answered(struct reloc_ctx *c,
							      const Elf64_Rela *r, size_t n)
{
	struct lt_object *obj = c->obj, *def = obj;
	if (r < c->answered || (size_t)(r - c->answered) >= c->nanswered)
		return 0;
	const struct lt_prelink_answer *a = c->answers + (r - c->answered);
	const Elf64_Rela *const first = r, *end = r + n, *last = c->answered + c->nanswered;
	const uintptr_t base = obj->base;
	/* Targets at base + [lo, lo + room) are known writable; values in
	 * [def_lo, def_lo + def_room) lie in a segment of def, and def_lo is
	 * never 0, so that the one comparison refuses a value of 0 too.
	 * (Empty at first.) */
	uintptr_t lo = 0, room = 0;
	uint64_t def_lo = 1, def_room = 0;
	uint32_t def_number = obj->serial;  /* runs of answers name one object: its fields stay at hand */
	uint32_t def_nsyms = obj->st.nsyms;
	const Elf64_Sym *def_syms = obj->st.syms;
	uintptr_t def_base = base;
	if (end > last)
		end = last;
	while (r < end) {
		/* The run: nothing here calls out, so everything stays in registers. */
		for (; r < end; r++, a++) {
			struct lt_prelink_answer ans = *a;
			uint64_t at = r->r_offset;
			if (ans.obj != def_number || ans.sym >= def_nsyms || at - lo >= room || r->r_addend)
				break;
			const Elf64_Sym *sym = &def_syms[ans.sym];
			if (sym->st_value - def_lo >= def_room)
				break;
#ifdef LT_CHECK_PRELINK
			struct lt_symdef d = {sym, def};
			int plt = ELF64_R_TYPE(r->r_info) == ARCH_R_JUMP_SLOT;
			check_answer(obj, ELF64_R_SYM(r->r_info), plt ? LT_LOOKUP_PLT : 0, &d);
#endif
			*(uint64_t *)(base + at) = def_base + sym->st_value;
		}
		/* What stopped it: the end, another object answering, a new segment (of
		 * the target, or of the definer), or a relocation for relocate_one. */
		if (r == end || r->r_addend)
			break;
		if (a->obj != def_number) {
			if (a->obj >= lt_prelink_nobjects)  /* (LT_PRELINK_SPECIAL is above them all) */
				break;
			def = lt_prelink_objects[a->obj];
			if (note_use(obj, def) < 0)
				return -1;
			def_number = a->obj, def_nsyms = def->st.nsyms, def_syms = def->st.syms;
			def_base = def->base, def_lo = 1, def_room = 0;
		}
		if (a->sym >= def_nsyms)
			break;
		if (r->r_offset - lo >= room) {
			if (!writable(c, base + r->r_offset, 8))
				break;
			lo = c->seg->start - base;
			room = c->seg->end - c->seg->start - 7;
		}
		const Elf64_Sym *sym = &def_syms[a->sym];
		if (sym->st_value - def_lo >= def_room) {
			const struct lt_segment *s = !sym->st_value ? 0 :
				lt_object_segment(def, def_base + sym->st_value, 1);
			if (!s)
				break;
			def_lo = s->start - def_base, def_room = s->end - s->start;
			if (!def_lo)
				def_lo = 1, def_room--;
		}
	}
	size_t done = r - first;
	lt_stats.by_type[c->answered == obj->jmprel ? ARCH_R_JUMP_SLOT : ARCH_R_GLOB_DAT] += done;
	lt_stats.answers += done;
	return done;
}

static int defer(struct reloc_ctx *c, const Elf64_Rela *r, const struct lt_symdef *def)
{
	if (c->ndeferred == c->deferred_cap) {  /* (libc.so.6 has 40 IRELATIVEs: grown by doubling) */
		size_t cap = c->deferred_cap ? 2 * c->deferred_cap : 16;
		struct deferred *d = lt_realloc(c->deferred, cap * sizeof *d);
		if (!d) {
			lt_error("%s: out of memory", c->obj->path);
			return -1;
		}
		c->deferred = d;
		c->deferred_cap = cap;
	}
	c->deferred[c->ndeferred++] = (struct deferred){r, def ? *def : (struct lt_symdef){0, 0}};
	return 0;
}

static int bad_value(const struct lt_object *obj, const struct lt_reloc_type *t,
		     const Elf64_Rela *r)
{
	lt_error("%s: %s relocation at offset %#lx: value does not fit", obj->path, t->name,
		 (unsigned long)r->r_offset);
	return -1;
}

static int copy_reloc(struct reloc_ctx *c, const Elf64_Rela *r, const struct lt_symdef *d)
{
	const Elf64_Sym *ref = &c->obj->st.syms[ELF64_R_SYM(r->r_info)];
	if (!d->sym)
		return undefined(c, symbol_name(c->obj, ref), 0);
	size_t n = ref->st_size < d->sym->st_size ? ref->st_size : d->sym->st_size;
	if (d->sym->st_size != ref->st_size)
		lt_dprintf(2, LT_NAME ": warning: %s: `%s' is %zu bytes in %s but %zu in the program: "
			   "copying %zu (relink the program)\n", c->obj->path, symbol_name(c->obj, ref),
			   (size_t)d->sym->st_size, d->obj->path, (size_t)ref->st_size, n);
	uintptr_t src = d->obj->base + d->sym->st_value;
	void *dst = target(c, r, n);
	if (!dst)
		return -1;
	if (!lt_object_readable(d->obj, src, n)) {
		lt_error("%s: COPY relocation of `%s' reads outside %s", c->obj->path,
			 symbol_name(c->obj, ref), d->obj->path);
		return -1;
	}
	memcpy(dst, (const void *)src, n);
	return 0;
}

/*
 * A TLS descriptor for a block that is not at a fixed distance from the TP
 * in every thread: the resolver asks the libc's __tls_get_addr.
 */
static int dynamic_tlsdesc(struct reloc_ctx *c, uint64_t *where, const struct lt_object *def,
			   uint64_t offset)
{
	struct lt_object *obj = c->obj;
	if (!lt.libc->tls_get_addr) {
		lt_error("%s: TLS descriptor for a dynamic TLS block, which needs a libc", obj->path);
		return -1;
	}
	arch_cpu_init();  /* how the resolver saves vector registers */
	lt_tls_get_addr_fn = lt.libc->tls_get_addr;
	uint64_t **grown = lt_realloc(obj->tlsdesc_args, (obj->ntlsdesc_args + 1) * sizeof *grown);
	uint64_t *arg = grown ? lt_alloc(2 * sizeof *arg) : 0;
	if (!arg) {
		lt_error("%s: out of memory for a TLS descriptor", obj->path);
		return -1;
	}
	obj->tlsdesc_args = grown;
	obj->tlsdesc_args[obj->ntlsdesc_args++] = arg;
	arg[0] = def->tls.modid;
	arg[1] = offset;
	where[0] = (uintptr_t)lt_tlsdesc_dynamic;
	where[1] = (uintptr_t)arg;
	return 0;
}

static int tls_reloc(struct reloc_ctx *c, const Elf64_Rela *r, const struct lt_reloc_type *t,
		     const struct lt_symdef *d)
{
	/* Symbol index 0 (local-dynamic) names the object itself. */
	const struct lt_object *def = d->sym ? d->obj : c->obj;
	uint64_t S = d->sym ? d->sym->st_value : 0, v;
	if (d->sym && ELF64_ST_TYPE(d->sym->st_info) != STT_TLS) {
		/* (its value is no offset in a TLS block: the program would reach
		 * into another object's, the libc's own data among them) */
		lt_error("%s: TLS relocation against `%s' of %s, which is not a TLS symbol",
			 c->obj->path, symbol_name(d->obj, d->sym), d->obj->path);
		return -1;
	}
	if (!def->tls.modid) {
		lt_error("%s: TLS relocation against %s, which has no TLS segment", c->obj->path,
			 def->path);
		return -1;
	}
	uint64_t *where = target(c, r, t->size);
	if (!where)
		return -1;
	if (t->kind == LT_RK_DTPMOD) {
		*where = def->tls.modid;
		return 0;
	}
	/* The offset S + A must lie in the block too: a symbol's was checked
	 * (check_definition), the addend is checked here. */
	__int128 offset = (__int128)S + r->r_addend;
	if (offset < 0 || offset > (__int128)def->tls.memsz) {
		lt_error("%s: TLS relocation at %#lx (addend %lld) reaches outside %s's TLS block "
			 "of %#lx bytes", c->obj->path, (unsigned long)r->r_offset,
			 (long long)r->r_addend, def->path, (unsigned long)def->tls.memsz);
		return -1;
	}
	if (t->kind == LT_RK_TLSDESC && !lt_tls_is_static(def))
		return dynamic_tlsdesc(c, where, def, S + r->r_addend);
	if (t->kind == LT_RK_TPOFF && !lt_tls_is_static(def)) {
		lt_error("%s: initial-exec TLS reference to %s, whose TLS is not in static TLS",
			 c->obj->path, def->path);
		return -1;
	}
	if (arch_reloc_value(t->kind, t->size, S, r->r_addend, 0, 0, def->tls.offset, &v) < 0)
		return bad_value(c->obj, t, r);
	if (t->kind == LT_RK_TLSDESC) {
		where[0] = (uintptr_t)lt_tlsdesc_static;
		where[1] = v;
	} else {
		*where = v;
	}
	return 0;
}

/* Does any relocation of the object compute `kind`? */
static int uses_reloc_kind(const struct lt_object *obj, unsigned kind)
{
	const struct lt_rela_table { const Elf64_Rela *r; size_t n; } tables[] = {
		{obj->rela, obj->nrela}, {obj->jmprel, obj->njmprel}};
	for (size_t t = 0; t < 2; t++)
		for (size_t i = 0; i < tables[t].n; i++) {
			const struct lt_reloc_type *rt = arch_reloc_type(ELF64_R_TYPE(tables[t].r[i].r_info));
			if (rt && rt->kind == kind)
				return 1;
		}
	return 0;
}

int lt_needs_static_tls(const struct lt_object *obj)
{
	return (obj->flags & DF_STATIC_TLS) || uses_reloc_kind(obj, LT_RK_TPOFF);
}

int lt_uses_tls_descriptors(const struct lt_object *obj)
{
	return uses_reloc_kind(obj, LT_RK_TLSDESC);
}

/* One relocation whose symbol, if any, is resolved. */
static int apply(struct reloc_ctx *c, const Elf64_Rela *r, const struct lt_reloc_type *t,
		 const struct lt_symdef *d)
{
	struct lt_object *obj = c->obj;
	void *value;
	uint64_t v, S;
	int ifunc = resolved_by_ifunc(d);
	if (ifunc && d->obj == obj && !c->first_call)
		return defer(c, r, d);  /* its resolver may need our other relocations */
	if (!ifunc)
		S = lt_symbol_address(d);
	else if (lt_symbol_value(d, &value) < 0)
		return -1;
	else
		S = (uintptr_t)value;
	if (t->kind == LT_RK_PLT && d->sym && lt_auditing())
		S = lt_audit_symbind(obj, r - obj->jmprel, d->sym, d->obj, S, !c->first_call);
	void *where = target(c, r, t->size);
	if (!where)
		return -1;
	if (arch_reloc_value(t->kind, t->size, S, r->r_addend, (uintptr_t)where, obj->base, 0, &v) < 0)
		return bad_value(obj, t, r);
	if (c->result)
		*c->result = v;
	else if (t->size == 4)
		*(uint32_t *)where = (uint32_t)v;
	else
		*(uint64_t *)where = v;
	return 0;
}

static int lookup_flags(unsigned kind)
{
	return kind == LT_RK_PLT ? LT_LOOKUP_PLT : kind == LT_RK_COPY ? LT_LOOKUP_COPY : 0;
}

/*
 * The psABI computes a GOT entry (GLOB_DAT, and JUMP_SLOT for the PLT) as
 * S, the symbol's address, and linkers leave its addend 0: one that is not
 * would send calls through the GOT, and the lazy binding trampoline, into
 * the middle of anything.
 */
static int got_addend(const struct lt_object *obj, const Elf64_Rela *r)
{
	const struct lt_reloc_type *t = arch_reloc_type(ELF64_R_TYPE(r->r_info));
	lt_error("%s: %s relocation at offset %#lx has an addend (%#lx)", obj->path, t->name,
		 (unsigned long)r->r_offset, (unsigned long)r->r_addend);
	return -1;
}

static int relocate_one(struct reloc_ctx *c, const Elf64_Rela *r)
{
	struct lt_object *obj = c->obj;
	const struct lt_reloc_type *t = arch_reloc_type(ELF64_R_TYPE(r->r_info));
	if (!t) {
		lt_error("%s: unsupported relocation type %u", obj->path,
			 (unsigned)ELF64_R_TYPE(r->r_info));
		return -1;
	}
	if ((t->kind == LT_RK_PLT || t->kind == LT_RK_GOT) && r->r_addend)
		return got_addend(obj, r);
	lt_stats.by_type[ELF64_R_TYPE(r->r_info)]++;
	switch (t->kind) {
	case LT_RK_NONE:
		return 0;
	case LT_RK_RELATIVE: {
		uint64_t *where = target(c, r, 8);
		if (!where)
			return -1;
		*where = obj->base + r->r_addend;
		return 0;
	}
	case LT_RK_IRELATIVE:
		return defer(c, r, 0);
	}
	struct lt_symdef d = {0, 0};
	if (ELF64_R_SYM(r->r_info) && resolve(c, r, lookup_flags(t->kind), &d) < 0)
		return -1;
	switch (t->kind) {
	case LT_RK_COPY:
		return copy_reloc(c, r, &d);
	case LT_RK_DTPMOD:
	case LT_RK_DTPOFF:
	case LT_RK_TPOFF:
	case LT_RK_TLSDESC:
		return tls_reloc(c, r, t, &d);
	}
	return apply(c, r, t, &d);
}

/*
 * The DT_RELACOUNT relative relocations that lead DT_RELA, in a tight loop:
 * in most objects they are the bulk.  Anything that is not R_X86_64_RELATIVE
 * ends the run and goes through relocate_one like the rest.
 */
static size_t relocate_relative_run(struct reloc_ctx *c, const Elf64_Rela *r, size_t n)
{
	uintptr_t base = c->obj->base;
	size_t i = 0;
	for (; i < n && ELF64_R_TYPE(r[i].r_info) == ARCH_R_RELATIVE; i++) {
		uint64_t *where = target(c, &r[i], 8);
		if (!where)
			break;  /* relocate_one reports it */
		*where = base + r[i].r_addend;
	}
	lt_stats.by_type[ARCH_R_RELATIVE] += i;
	return i;
}

/*
 * May obj's GOT words take a lean path?  (They have no trace and no audit:
 * traced or audited bindings take the long one.)
 */
static int lean_path_serves(void)
{
	return !lt_debug_on(LT_DBG_BINDINGS) && !(lt_auditing() && lt_audit_watches_bindings());
}

static int relocate_table(struct reloc_ctx *c, const Elf64_Rela *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (c->fast_got) {
			long done = c->answers ? fill_got_words_answered(c, r + i, n - i)
					       : fill_got_words(c, r + i, n - i);
			if (done < 0)
				return -1;
			if ((i += done) == n)
				break;
		}
		if (relocate_one(c, &r[i]) < 0)
			return -1;
	}
	return 0;
}

/*
 * The PLT's relocations.  Bound lazily, a JUMP_SLOT only gets the load bias
 * added: its link-time value is the address of its own PLT stub, which
 * calls the trampoline on first use.  Other types there (IRELATIVE,
 * TLSDESC) are done now.
 */
static int relocate_plt(struct reloc_ctx *c, const Elf64_Rela *r, size_t n)
{
	if (!c->obj->lazy)
		return relocate_table(c, r, n);
	for (size_t i = 0; i < n; i++) {
		if (ELF64_R_TYPE(r[i].r_info) != ARCH_R_JUMP_SLOT) {
			if (relocate_one(c, &r[i]) < 0)
				return -1;
			continue;
		}
		uint64_t *where = target(c, &r[i], 8);
		if (!where)
			return -1;
		if (r[i].r_addend)
			return got_addend(c->obj, &r[i]);
		*where += c->obj->base;
		lt_stats.lazy_slots++;
	}
	return 0;
}

/* Is all of obj bound at load, whatever it asks for: LD_BIND_NOW, dlopen's
 * RTLD_NOW, or an audit module's own group? */
static int binds_all_now(const struct lt_object *obj)
{
	return lt.bind_now || obj->dl_now || obj->audit_group;
}

/*
 * Lazy binding is the default for objects that do not ask for BIND_NOW,
 * unless LD_BIND_NOW is set (or dlopen's RTLD_NOW).
 * It needs DT_PLTGOT and every PLT slot outside PT_GNU_RELRO, so that they
 * stay writable.  (GOT[0..2] may sit inside it: they are filled before
 * RELRO is applied.)  While an audit module watches calls, slots are never
 * written and every call goes through the trampoline: then, as in glibc,
 * objects that ask for BIND_NOW are bound lazily too, wherever their slots
 * are.  Audit modules' own objects are always bound at once (audit.c).
 */
static int wants_lazy(const struct lt_object *obj)
{
	if (binds_all_now(obj) || !obj->pltgot || !obj->njmprel)
		return 0;
	if (lt_auditing() && lt_audit_watches_calls())
		return 1;
	if (obj->bind_now)
		return 0;
	for (size_t i = 0; i < obj->njmprel; i++) {
		uintptr_t slot = obj->base + obj->jmprel[i].r_offset;
		if (slot >= obj->relro_start && slot < obj->relro_end)
			return 0;
	}
	return 1;
}

/* One JUMP_SLOT on its first call: written, or (result) only resolved. */
static int first_call(struct lt_object *obj, const Elf64_Rela *r, uint64_t *result)
{
	struct reloc_ctx c = {.obj = obj, .first_call = 1, .result = result,
			      .cached_index = (size_t)-1, .fast_got = lean_path_serves()};
	use_answers(&c, 1);
	if (ELF64_R_TYPE(r->r_info) != ARCH_R_JUMP_SLOT) {
		lt_error("%s: PLT stub refers to a relocation that is not a JUMP_SLOT", obj->path);
		return -1;
	}
	if (relocate_table(&c, r, 1) < 0)
		return -1;
	lt_stats.lazy_bound++;
	return 0;
}

int lt_bind_plt_slot(struct lt_object *obj, const Elf64_Rela *r, uint64_t *target)
{
	if (first_call(obj, r, 0) < 0)
		return -1;
	*target = *(const uint64_t *)(obj->base + r->r_offset);
	return 0;
}

int lt_resolve_plt_slot(struct lt_object *obj, const Elf64_Rela *r, uint64_t *target)
{
	*target = 0;  /* (an undefined weak symbol writes nothing: 0) */
	return first_call(obj, r, target);
}

/* IRELATIVE and own-IFUNC references, now that everything else is done. */
static int run_deferred(struct reloc_ctx *c)
{
	for (size_t i = 0; i < c->ndeferred; i++) {
		const Elf64_Rela *r = c->deferred[i].r;
		const struct lt_reloc_type *t = arch_reloc_type(ELF64_R_TYPE(r->r_info));
		const struct lt_symdef *d = &c->deferred[i].def;
		int irelative = t->kind == LT_RK_IRELATIVE;
		if (irelative && c->again)
			continue;  /* nothing about it can have changed */
		uint64_t fn = irelative ? c->obj->base + r->r_addend : lt_symbol_address(d), S, v;
		void *where = target(c, r, t->size);
		if (!where || lt_call_resolver(c->obj, fn, &S) < 0)
			return -1;
		if (t->kind == LT_RK_PLT && lt_auditing())
			S = lt_audit_symbind(c->obj, r - c->obj->jmprel, d->sym, d->obj, S, 1);
		if (irelative)
			v = S;
		else if (arch_reloc_value(t->kind, t->size, S, r->r_addend, (uintptr_t)where,
					  c->obj->base, 0, &v) < 0)
			return bad_value(c->obj, t, r);
		if (t->size == 4)
			*(uint32_t *)where = (uint32_t)v;
		else
			*(uint64_t *)where = v;
	}
	return 0;
}

/* DT_TEXTREL: open the read-only segments for writing (never for execution). */
static int set_text_writable(struct lt_object *obj, int writable)
{
	for (unsigned i = 0; i < obj->nsegs; i++) {
		const struct lt_segment *s = &obj->segs[i];
		if (s->prot & PROT_WRITE)
			continue;
		int prot = writable ? PROT_READ | PROT_WRITE : s->prot;
		long r = sys_mprotect((void *)page_down(s->start), page_up(s->end) - page_down(s->start),
				      prot);
		if (r < 0) {
			lt_error("%s: cannot make segment writable for relocation: %s", obj->path,
				 lt_strerror(-r));
			return -1;
		}
	}
	return 0;
}

/* Every relocation table of the object, in order; the deferred ones last. */
static int apply_tables(struct reloc_ctx *c)
{
	struct lt_object *obj = c->obj;
	long relr = c->again ? 0 : lt_relr_apply(obj->base, obj->relr, obj->nrelr, relr_target_ok, c);
	if (relr < 0) {
		lt_error("%s: DT_RELR relocation writes outside the object's writable segments",
			 obj->path);
		return -1;
	}
	lt_stats.relr += relr;
	/* (DT_RELR adds the base: it must not run twice; relative relocations
	 * need not.) */
	size_t done = c->again ? obj->relacount : relocate_relative_run(c, obj->rela, obj->relacount);
	use_answers(c, 0);
	if (relocate_table(c, obj->rela + done, obj->nrela - done) < 0)
		return -1;
	use_answers(c, 1);
	if (relocate_plt(c, obj->jmprel, obj->njmprel) < 0 ||
	    (obj->lazy && lt_lazy_slots_intact(obj) < 0))
		return -1;
	return run_deferred(c);  /* (IFUNC resolvers may already call through the PLT) */
}

static int relocate(struct lt_object *obj, int again)
{
	if (obj->relocated && !again)
		return 0;
	struct reloc_ctx c = {.obj = obj, .again = again, .cached_index = (size_t)-1,
			      .fast_got = lean_path_serves()};
	obj->lazy = wants_lazy(obj);
	/* "(lazy)": its PLT slots are left for their first call; or it has none,
	 * and is relocated lazily all the same, as glibc's loader says of it. */
	trace_relocating(obj, obj->lazy || (!obj->njmprel && !binds_all_now(obj) && !obj->bind_now));
	if (obj->textrel && set_text_writable(obj, 1) < 0)
		return -1;
	if (obj->lazy && lt_lazy_prepare(obj) < 0)
		return -1;
	int r = apply_tables(&c);
	lt_free(c.deferred);
	if (obj->textrel && set_text_writable(obj, 0) < 0)
		return -1;
	if (r < 0)
		return -1;
	obj->relocated = 1;
	lt_libc_do(object_relocated, obj);
	return lt_object_relro(obj);
}

int lt_relocate_in_order(struct lt_object **objs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (relocate(objs[i], 0) < 0)
			return -1;
	return 0;
}

/*
 * Relocate an eagerly bound object again, in the scopes it has now: every
 * relocation computes the same value from the same inputs, so only the
 * bindings another object now takes change.  (An audit module's
 * dependency that the program needs too, its libc, was relocated before
 * the program's other libraries were even found: boot.c.)  RELRO is
 * lifted for the time it takes.
 */
int lt_relocate_again(struct lt_object *obj)
{
	uintptr_t start = page_down(obj->relro_start), end = page_up(obj->relro_end);
	long r = end > start ? sys_mprotect((void *)start, end - start, PROT_READ | PROT_WRITE) : 0;
	if (r < 0) {
		lt_error("%s: cannot make RELRO writable to relocate again: %s", obj->path,
			 lt_strerror(-r));
		return -1;
	}
	return relocate(obj, 1);
}

int lt_reloc_answer(struct lt_object *obj, const Elf64_Rela *r, struct lt_symdef *out)
{
	const struct lt_reloc_type *t = arch_reloc_type(ELF64_R_TYPE(r->r_info));
	size_t si = ELF64_R_SYM(r->r_info);
	if (!t) {
		lt_error("%s: unsupported relocation type %u", obj->path,
			 (unsigned)ELF64_R_TYPE(r->r_info));
		return -1;
	}
	int flags = lookup_flags(t->kind);
	if (!si || t->kind == LT_RK_NONE || t->kind == LT_RK_RELATIVE || t->kind == LT_RK_IRELATIVE ||
	    (si < obj->st.nsyms && binds_itself(&obj->st.syms[si], flags)))
		return 0;
	struct reloc_ctx c = {.obj = obj, .cached_index = (size_t)-1};
	if (resolve(&c, r, flags, out) == 0)
		return 1;
	/* A lazily bound slot's lookup fails on its first call, if ever. */
	int lazy_slot = t->kind == LT_RK_PLT && wants_lazy(obj) && r >= obj->jmprel &&
			r < obj->jmprel + obj->njmprel;
	return lazy_slot && !lt.lookup_faulted ? 0 : -1;
}
