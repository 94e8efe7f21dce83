/*
 * ld-teach core: the loaded-object record and the loader's global state.
 *
 * Every concern of the loader (mapping, search, lookup, relocation, TLS,
 * init/fini, dl*, tracing) lives in its own file under rtld/; this header is
 * what they share.
 */
#ifndef LT_RTLD_H
#define LT_RTLD_H

#include <stddef.h>
#include <stdint.h>
#include <elf.h>
#include <linux/mman.h>
#include "ld-teach/link.h"
#include "lock.h"
#include "string.h"

struct lt_adapter_ops;

#define LT_NAME "ld-teach.so"
#define LT_VERSION "0.1"
#define LT_PAGE_SIZE 4096UL

#define page_down(x) ((uintptr_t)(x) & ~(LT_PAGE_SIZE - 1))
#define page_up(x) (((uintptr_t)(x) + LT_PAGE_SIZE - 1) & ~(LT_PAGE_SIZE - 1))

enum lt_kind {
	LT_MAIN,   /* the program */
	LT_LIB,    /* a shared library */
	LT_RTLD,   /* ld-teach.so itself */
	LT_VDSO,   /* the kernel's vDSO */
};

/* One PT_LOAD segment, at its run-time address. */
struct lt_segment {
	uintptr_t start, end;  /* [start, end): p_vaddr .. p_vaddr + p_memsz, plus base */
	int prot;              /* PROT_* from p_flags */
};

/* One entry of an object's version index (the values DT_VERSYM holds). */
struct lt_version {
	const char *name;  /* NULL: this index names no version */
	uint32_t hash;     /* ELF (SysV) hash of name, as stored in the file */
	uint16_t flags;    /* VER_FLG_* */
	const char *file;  /* verneed entries: the library that must provide it */
};

/* A version requirement carried by a symbol reference. */
struct lt_verreq {
	const char *name;
	uint32_t hash;
	int hidden;        /* the reference itself came with the hidden bit */
};

/* The symbol-lookup part of an object, validated at load time. */
struct lt_symtab {
	const Elf64_Sym *syms;
	size_t nsyms;
	const char *strtab;
	size_t strsz;
	/* Each name may be read a word at a time: the table ends in a terminator
	 * and has 8 readable bytes after it, in the same mapping (dynamic.c). */
	int names_in_words;
	/* DT_GNU_HASH, preferred when present */
	uint32_t gnu_nbuckets, gnu_symoffset, gnu_bloom_size, gnu_bloom_shift;
	const uint64_t *gnu_bloom;
	const uint32_t *gnu_buckets, *gnu_chain;
	/* DT_HASH */
	uint32_t sysv_nbucket;
	const uint32_t *sysv_buckets, *sysv_chain;
	/* versions: versym[i] indexes versions[] */
	const uint16_t *versym;
	struct lt_version *versions;
	size_t nversions;
};

/* A list of objects, in lookup order. */
struct lt_scope {
	struct lt_object **objs;
	size_t n, cap;
};

struct lt_object {
	/* --- struct link_map: these five words are ABI (debuggers, dlinfo) --- */
	uintptr_t base;               /* l_addr */
	char *name;                   /* l_name ("" for the program, as glibc) */
	Elf64_Dyn *dynamic;           /* l_ld */
	struct lt_object *next, *prev;

	/* --- identity --- */
	enum lt_kind kind;
	const char *path;             /* how messages name it */
	const char *soname;           /* DT_SONAME, or NULL */
	const char *request;          /* the name it was first asked for */
	uint32_t name_keys[3];        /* keys of soname, request and path (lt_note_identity) */
	uint64_t dev, ino;            /* 0/0 when not opened from a file */
	struct lt_object *loader;     /* whose DT_NEEDED (or dlopen) brought it in */
	unsigned serial;              /* position in load order, from 0 */

	/* --- program headers and mapping --- */
	const Elf64_Phdr *phdr;
	unsigned phnum;
	uintptr_t map_start;          /* reserved span, for munmap; 0 if not ours */
	size_t map_len;
	struct lt_segment *segs;
	unsigned nsegs;
	uintptr_t entry;
	uintptr_t relro_start, relro_end;
	size_t stack_size;            /* PT_GNU_STACK p_memsz */
	struct {
		uintptr_t image;           /* run-time address of the init image */
		size_t filesz, memsz, align;
		size_t modid;              /* 0: no PT_TLS */
		size_t offset;             /* block starts at TP - offset */
		int in_place;              /* dlopen'ed, but in the static surplus */
	} tls;

	/* --- dynamic section, validated --- */
	struct lt_symtab st;
	const Elf64_Rela *rela, *jmprel;
	size_t nrela, njmprel, relacount;
	const uint64_t *relr;
	size_t nrelr;
	uintptr_t *pltgot;
	uintptr_t init, fini;
	const uintptr_t *init_array, *fini_array, *preinit_array;
	size_t ninit_array, nfini_array, npreinit_array;
	const char *rpath, *runpath;  /* raw strings from DT_RPATH/DT_RUNPATH */
	const Elf64_Verneed *verneed;
	size_t nverneed;
	uint64_t flags, flags_1;      /* DT_FLAGS, DT_FLAGS_1 */
	Elf64_Dyn *debug_slot;        /* DT_DEBUG entry, if any */
	unsigned textrel : 1, symbolic : 1, bind_now : 1;

	/* --- dependencies --- */
	const char **needed_names;    /* DT_NEEDED strings, in order */
	size_t nneeded_names;
	struct lt_object **needed;    /* preloads (program only), then DT_NEEDED objects */
	size_t nneeded;

	/* --- dlopen and dlclose --- */
	struct lt_scope *local;       /* dlopen'ed: the group it came with (root, then deps) */
	struct lt_object *local_owner;/* the object whose dlopen built `local` */
	struct lt_scope reldeps;      /* dlopen'ed objects this one bound symbols to */
	uint64_t **tlsdesc_args;      /* {module, offset} pairs of dynamic TLS descriptors */
	size_t ntlsdesc_args;
	unsigned dl_refs;             /* dlopen handles not yet closed */

	/* --- state --- */
	unsigned relocated : 1, init_started : 1, init_done : 1, fini_done : 1;
	unsigned in_global : 1, lazy : 1, used : 1;
	unsigned initial : 1;         /* loaded at start-up: never unloaded */
	unsigned nodelete : 1, deepbind : 1, dying : 1, phdr_owned : 1;
	uint8_t *plt_bound;           /* lazy binding: one bit per JUMP_SLOT bound */
};

_Static_assert(offsetof(struct lt_object, base) == offsetof(struct lt_link_map, l_addr), "l_addr");
_Static_assert(offsetof(struct lt_object, name) == offsetof(struct lt_link_map, l_name), "l_name");
_Static_assert(offsetof(struct lt_object, dynamic) == offsetof(struct lt_link_map, l_ld), "l_ld");
_Static_assert(offsetof(struct lt_object, next) == offsetof(struct lt_link_map, l_next), "l_next");
_Static_assert(offsetof(struct lt_object, prev) == offsetof(struct lt_link_map, l_prev), "l_prev");

/* Which libc the program was built for decides who sets up the thread pointer. */
enum lt_flavour {
	LT_FREESTANDING,  /* no libc: the core does everything */
	LT_MUSL,
	LT_GLIBC,
};

#define LT_AUX_MAX 64

/* The LD_* variables, as found in the environment (NULL: not set). */
struct lt_env {
	const char *library_path, *preload, *bind_now, *debug, *debug_output, *show_auxv;
};

/* Everything the loader knows, in one place. */
struct lt_state {
	/* start-up data from the kernel */
	int argc;
	char **argv, **envp;
	Elf64_auxv_t *auxv;
	uintptr_t aux[LT_AUX_MAX];  /* auxv values by type, for types below LT_AUX_MAX */
	const char *platform;       /* AT_PLATFORM */
	int secure;                 /* AT_SECURE (or uid/gid mismatch) */
	int command_mode;           /* started as ./ld-teach.so prog */
	const char *self_path;      /* how ld-teach.so was reached */

	struct lt_env env;

	/* settings (environment or command line) */
	const char *library_path;   /* LD_LIBRARY_PATH / --library-path */
	const char *preload;        /* LD_PRELOAD / --preload */
	const char *argv0;          /* --argv0 */
	int bind_now;               /* LD_BIND_NOW */
	int list_only;              /* --list */
	int verify_only;            /* --verify */

	/* objects */
	struct lt_object *head, *tail;    /* load order; head is the program */
	struct lt_object *main, *self, *vdso;
	unsigned nobjects;
	unsigned long long objects_added, objects_removed;  /* for dl_iterate_phdr */
	struct lt_scope global;           /* the global lookup scope */
	enum lt_flavour flavour;

	/* static TLS */
	size_t tls_cnt;             /* modules with PT_TLS */
	size_t tls_offset;          /* bytes below the TP: start-up blocks and the surplus */
	size_t tls_align;
	size_t tls_static_modules;  /* ids 1..this are the start-up modules */

	struct lt_r_debug *debug;   /* r_debug for debuggers */
	const struct lt_adapter_ops *adapter;  /* what the libc adapter offers, if any */
	int exiting;                /* destructors have started: no more dlopen */
	int lookup_faulted;         /* a lookup met corrupt data: the error says what (lt_lookup_fault) */
};

extern struct lt_state lt;

/* error.c: loader errors.  Functions that fail return NULL or -1 after
 * recording one line here; start-up prints it and exits 127. */
void lt_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *lt_error_text(void);
const char *lt_strerror(int err);
__attribute__((noreturn)) void lt_die(void);
__attribute__((noreturn)) void lt_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* env.c */
void lt_read_environment(void);
/* Secure mode: take glibc's unsafe variables out of envp, in place. */
void lt_remove_unsafe_environment(void);

/* elf_check.c: pure validation of an ELF file's headers. */
struct lt_elf_info {
	const Elf64_Ehdr *ehdr;
	const Elf64_Phdr *phdr;
	unsigned phnum;
	unsigned nloads;
	uintptr_t lo, hi;             /* page-rounded span of the PT_LOADs (link time) */
	size_t max_align;             /* largest PT_LOAD p_align */
	const Elf64_Phdr *dynamic, *tls, *relro, *interp, *stack;
};
const char *lt_elf_check_header(const void *buf, size_t len, uint64_t filesize);
const char *lt_elf_check_phdrs(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, uint64_t filesize,
			       struct lt_elf_info *info);

/* object.c */
struct lt_object *lt_object_new(enum lt_kind kind, const char *path);
void lt_object_append(struct lt_object *obj);
void lt_object_free(struct lt_object *obj);
int lt_object_from_memory(struct lt_object *obj, const Elf64_Phdr *phdr, unsigned phnum,
			  uintptr_t base);
/* The program the kernel mapped (PT_INTERP mode): its file `fd` validated as
 * lt_object_map_file validates one, and checked against the auxiliary vector. */
int lt_object_from_kernel(struct lt_object *obj, int fd, const Elf64_Phdr *phdr, unsigned phnum,
			  uintptr_t entry);
int lt_object_map_file(struct lt_object *obj, int fd, const char *display,
		       const char *requester);
/* The same, for a file whose fstat the caller has already made. */
struct stat;
int lt_object_map_stat(struct lt_object *obj, int fd, const struct stat *st, const char *display,
		       const char *requester);
const struct lt_segment *lt_object_segment(const struct lt_object *obj, uintptr_t addr,
					   size_t len);
/* The same, if that segment is readable: the loader reads nothing from any other. */
static inline const struct lt_segment *lt_object_readable(const struct lt_object *obj,
							  uintptr_t addr, size_t len)
{
	const struct lt_segment *s = lt_object_segment(obj, addr, len);
	return s && (s->prot & PROT_READ) ? s : 0;
}
struct lt_object *lt_object_containing(uintptr_t addr);
int lt_object_relro(struct lt_object *obj);

/* dynamic.c: parse and validate PT_DYNAMIC. */
int lt_dynamic_parse(struct lt_object *obj);
/* A checked string-table lookup: NULL when the offset is out of range. */
const char *lt_object_string(const struct lt_object *obj, uint64_t off);

/* search.c and load.c */
struct lt_object *lt_load_library(const char *name, struct lt_object *requester);
/* Its names and file are final (parsed, renamed): note them for finding it again. */
void lt_note_identity(struct lt_object *o);
/* A loaded object that this name (soname, first request or path) names. */
struct lt_object *lt_find_loaded(const char *name);
int lt_load_dependencies(struct lt_object *first);
int lt_load_preloads(const char *list);


/* lookup.c */
struct lt_symdef {
	const Elf64_Sym *sym;
	struct lt_object *obj;
};
enum {
	LT_LOOKUP_PLT = 1,      /* JUMP_SLOT: skip undefined symbols with a value */
	LT_LOOKUP_COPY = 2,     /* COPY: skip the program itself */
};
struct lt_lookup_stats {
	size_t objects_searched;
	size_t bloom_rejects;
};
extern struct lt_lookup_stats lt_lookup_stats;
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

/* Does the object's DT_GNU_HASH Bloom filter admit a name with hash h?  (Both its bits set.) */
static inline int lt_gnu_bloom_admits(const struct lt_symtab *st, uint32_t h)
{
	uint64_t word = st->gnu_bloom[(h / 64) & (st->gnu_bloom_size - 1)];
	return (word >> (h % 64)) & (word >> ((h >> st->gnu_bloom_shift) % 64)) & 1;
}
uint32_t lt_sysv_hash(const char *name);
const Elf64_Sym *lt_find_in_object(const struct lt_object *obj, const char *name, uint32_t gh,
				   const struct lt_verreq *ver, int flags);
/*
 * A lookup, or the index, met corrupt data in obj: a hash bucket or chain
 * leading outside the symbol table, or a name outside the string table.
 * The first such fault is kept as the loader's error; from then on every
 * lookup finds nothing, and its caller reports the fault rather than an
 * undefined symbol.
 */
void lt_lookup_fault(const struct lt_object *obj, const char *what, size_t at);
struct lt_symdef lt_lookup(const char *name, const struct lt_verreq *ver,
			   const struct lt_object *requester, int flags);
/* A definition's run-time address (for an IFUNC: its resolver's). */
static inline uintptr_t lt_symbol_address(const struct lt_symdef *d)
{
	if (!d->sym)
		return 0;
	return d->sym->st_value + (d->sym->st_shndx == SHN_ABS ? 0 : d->obj->base);
}
/* The walk's tests: could a symbol satisfy any reference (its type, binding
 * and value)?  This one, with these lookup flags and version requirement? */
static inline int lt_symbol_acceptable(const Elf64_Sym *s)
{
	/* Bit t of ok[b]: type t with binding b will do. */
	const uint16_t types = (1 << STT_NOTYPE) | (1 << STT_OBJECT) | (1 << STT_FUNC) |
			       (1 << STT_COMMON) | (1 << STT_TLS) | (1 << STT_GNU_IFUNC);
	static const uint16_t ok[16] = {[STB_GLOBAL] = types, [STB_WEAK] = types,
					[STB_GNU_UNIQUE] = types};
	unsigned type = ELF64_ST_TYPE(s->st_info);
	if (!((ok[ELF64_ST_BIND(s->st_info)] >> type) & 1))
		return 0;
	return s->st_value != 0 || s->st_shndx == SHN_ABS || type == STT_TLS;
}

/* What a reference to `d` gets: its address, or what its IFUNC resolver picks. */
int lt_symbol_value(const struct lt_symdef *d, void **out);
/* Call an IFUNC resolver of `obj`, after checking it is the object's code. */
int lt_call_resolver(const struct lt_object *obj, uintptr_t fn, uint64_t *value);
/* `root`, then its dependencies, breadth-first (lt_alloc'ed). */
struct lt_object **lt_dependency_order(struct lt_object *root, size_t *count);
int lt_scope_add(struct lt_scope *s, struct lt_object *obj);
/* Its own group scope for `obj`: itself, then its dependencies breadth-first. */
int lt_give_own_scope(struct lt_object *obj);

/* version.c */
int lt_version_matches(const struct lt_symtab *st, size_t symidx, const struct lt_verreq *ver);

/*
 * Can symbol i of obj, already known to be acceptable, satisfy a reference
 * with these lookup flags and version requirement?
 */
static inline int lt_symbol_fits(const struct lt_object *obj, size_t i,
				 const struct lt_verreq *ver, int flags)
{
	const Elf64_Sym *s = &obj->st.syms[i];
	/* An undefined symbol with a value is the program's PLT stub, which stands
	 * for the function's address everywhere except in the PLT itself. */
	if (s->st_shndx == SHN_UNDEF &&
	    (flags & LT_LOOKUP_PLT || ELF64_ST_TYPE(s->st_info) == STT_TLS))
		return 0;
	return !obj->st.versym ? 1 : lt_version_matches(&obj->st, i, ver);
}

/* Can symbol i of obj satisfy a reference with these lookup flags and version? */
static inline int lt_symbol_usable(const struct lt_object *obj, size_t i,
				   const struct lt_verreq *ver, int flags)
{
	return lt_symbol_acceptable(&obj->st.syms[i]) && lt_symbol_fits(obj, i, ver, flags);
}
int lt_versions_load(struct lt_object *obj, const Elf64_Verdef *verdef, size_t nverdef);
int lt_verreq_of(const struct lt_object *obj, size_t symidx, struct lt_verreq *out);
int lt_versions_check(struct lt_object *obj);

/* reloc.c; the counters feed LD_DEBUG=statistics */
#define LT_RELOC_TYPES 48     /* x86_64 type numbers in use stay below this */
struct lt_reloc_stats {
	size_t by_type[LT_RELOC_TYPES];
	size_t relr;          /* words relocated through DT_RELR */
	size_t lookups;       /* symbol lookups */
	size_t lazy_slots;    /* JUMP_SLOTs left for their first call */
	size_t lazy_bound;    /* ... of which bound since */
};
extern struct lt_reloc_stats lt_reloc_stats;
int lt_relocate(struct lt_object *obj);
int lt_relocate_all(void);
int lt_needs_static_tls(const struct lt_object *obj);
/* Bind one JUMP_SLOT now (lazily, on its first call): write it, return the target. */
int lt_bind_plt_slot(struct lt_object *obj, const Elf64_Rela *r, uint64_t *target);

/* lazy.c */
int lt_lazy_prepare(struct lt_object *obj);
/* After the object's relocations: GOT[1] and GOT[2] still lead to it and to the trampoline. */
int lt_lazy_slots_intact(const struct lt_object *obj);
uintptr_t lt_lazy_bind(struct lt_object *obj, size_t index);

/* tls.c */
void lt_tls_assign_static(struct lt_object *obj);
/* After the start-up modules: reserve the surplus for TLS that dlopen brings. */
void lt_tls_reserve_surplus(void);
/* A module dlopen brings: an id, and a place in the surplus if it fits
 * (required when `needs_static`: initial-exec references), else dynamic. */
int lt_tls_assign_dynamic(struct lt_object *obj, int needs_static);
void lt_tls_release(struct lt_object *obj);
/* Is the module's block at TP - offset in every thread? */
int lt_tls_is_static(const struct lt_object *obj);
void *lt_tls_setup_minimal(uint64_t canary);

/* init.c */
/* Run constructors in dependency order: the program's DT_PREINIT_ARRAY, then
 * every object's DT_INIT and DT_INIT_ARRAY (the program's own only when
 * `include_main`: glibc leaves those to the program's start-up code). */
void lt_run_initializers(int include_main);
/* Run destructors, in the reverse order of construction; the %rdx function. */
void lt_run_finalizers(void);
/* dlopen: constructors of `root` and its dependencies not yet initialised. */
void lt_run_initializers_of(struct lt_object *root);
/* dlclose: destructors of the objects marked dying. */
void lt_run_finalizers_of_dying(void);
/* fork(): -1 takes the init/fini lock, 0 and 1 release it. */
void lt_init_atfork(int phase);
struct lt_object **lt_init_order(struct lt_object *root, size_t *count);

/* dl.c */
extern struct lt_rwlock lt_loader_lock;
int lt_is_object(const void *handle);

/* unload.c */
/* Remember that `from` bound a symbol to `to`, which must then outlive it. */
int lt_note_binding(struct lt_object *from, struct lt_object *to);
/* After a dlclose: unload every object nothing keeps any more. */
int lt_unload_unreachable(struct lt_object *closed);

/* report.c: LD_SHOW_AUXV and the LD_DEBUG reports */
enum lt_mark { LT_MARK_START, LT_MARK_LOADED, LT_MARK_RELOCATED, LT_MARK_READY, LT_MARK_COUNT };
void lt_mark_time(enum lt_mark which);
void lt_report_auxv(void);
void lt_report_scopes(void);
void lt_report_unused(void);
void lt_report_statistics(void);
void lt_report_lazy_statistics(void);
void lt_report_maps(void);

/* debugger.c */
void lt_debugger_init(void);
void lt_debugger_notify(int state);

/* boot.c */
struct lt_handoff {
	uintptr_t entry;          /* where to jump */
	uintptr_t *sp;            /* the program's initial stack */
	void (*fini)(void);       /* passed in %rdx */
};
void rtld_start(uintptr_t *sp, struct lt_handoff *out);
/*
 * Take `n` words at `at` out of the initial stack (argv, envp and auxv, back
 * to back): what follows, up to the end of the auxiliary vector, moves down
 * in place, and lt.envp and lt.auxv follow.  The stack pointer stays.
 */
void lt_stack_remove(uintptr_t *at, size_t n);
/* Adopt an object the kernel mapped, given its ELF header in memory. */
struct lt_object *lt_adopt_mapped(enum lt_kind kind, const char *path, const Elf64_Ehdr *eh);
/* The PT_INTERP string of an object, or NULL. */
const char *lt_object_interp(const struct lt_object *obj);

/* cmdline.c: command mode (./ld-teach.so [options] prog args) */
int lt_cmdline_parse(void);
struct lt_object *lt_cmdline_load_program(int prog_index);
void lt_cmdline_list(void);

#endif
