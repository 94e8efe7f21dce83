/*
 * The loaded-object record: its identity, its mapping, its validated
 * dynamic section, and its state.  object.c creates, maps and frees
 * records; dynamic.c fills the dynamic part.
 */
#ifndef LT_OBJECT_H
#define LT_OBJECT_H

#include <stddef.h>
#include <stdint.h>
#include <elf.h>
#include <linux/mman.h>
#include "ld-teach/link.h"

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
	uint16_t next_need;  /* verneed entries: the index of the next, in the file's order (0: last) */
	const char *file;  /* verneed entries: the library that must provide it */
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
	uint16_t first_need;  /* the first verneed entry's index, in the file's order (0: none) */
};

struct lt_prelink_answer;

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
	char *origin;                 /* its directory made absolute (lt_object_fix_origin), or NULL */
	const char *soname;           /* DT_SONAME, or NULL */
	const char *request;          /* the name it was first asked for */
	uint32_t name_keys[3];        /* keys of soname, request and path (lt_note_identity) */
	uint64_t dev, ino;            /* 0/0 when not opened from a file */
	uint64_t size;                /* with the modification time, the rest of the */
	int64_t mtime;                /* file's identity (a prelink cache checks it) */
	uint32_t mtime_nsec;
	struct lt_object *loader;     /* whose DT_NEEDED (or dlopen) brought it in */
	unsigned serial;              /* position in load order, from 0 */
	void *priv;                   /* the libc adapter's own record of it (libc.h) */
	struct lt_audit_object *audit;/* the audit modules' cookies for it (audit.c), or NULL */

	/* --- program headers and mapping --- */
	const Elf64_Phdr *phdr;
	unsigned phnum;
	uintptr_t map_start;          /* reserved span, for munmap; 0 if not ours */
	size_t map_len;
	struct lt_segment *segs;
	unsigned nsegs;
	const struct lt_segment *def_seg;  /* where the lean GOT path last found one of its
					   * definitions (symindex.h; written under the loader's
					   * write lock, or lazy binding's bind lock) */
	uintptr_t entry;
	uintptr_t relro_start, relro_end;
	size_t stack_size;            /* PT_GNU_STACK p_memsz */
	unsigned execstack : 1;       /* asks for an executable stack (stack.c) */
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
	unsigned textrel : 1, symbolic : 1, bind_now : 1;  /* bind_now: the file asks for it */

	/* --- dependencies --- */
	const char **needed_names;    /* DT_NEEDED strings, in order */
	size_t nneeded_names;
	struct lt_object **needed;    /* preloads (program only), then DT_NEEDED objects */
	size_t nneeded;

	/* --- dlopen and dlclose --- */
	struct lt_scope *local;       /* dlopen'ed: the group it came with (root, then deps) */
	struct lt_object *local_owner;/* the object whose dlopen built `local` */
	struct lt_scope reldeps;      /* dlopen'ed objects this one bound symbols to */
	struct lt_scope later_roots;  /* later dlopens that needed it: their groups, searched after `local` */
	uint64_t **tlsdesc_args;      /* {module, offset} pairs of dynamic TLS descriptors */
	size_t ntlsdesc_args;
	unsigned dl_refs;             /* dlopen handles not yet closed */

	/* --- state --- */
	unsigned relocated : 1, init_started : 1, init_done : 1, fini_done : 1;
	unsigned in_global : 1, lazy : 1, used : 1;
	unsigned initial : 1;         /* loaded at start-up: never unloaded */
	unsigned preloaded : 1;       /* LD_PRELOAD or --preload brought it */
	unsigned init_rank;           /* its place in the order constructors start in, from 1 */
	unsigned nodelete : 1, deepbind : 1, dying : 1, phdr_owned : 1;
	unsigned dl_now : 1;          /* dlopen'ed with RTLD_NOW */
	unsigned announced : 1;       /* the libc adapter knows it (object_added) */
	unsigned audit_group : 1;     /* an audit module, or loaded for one (audit.c) */
	uint8_t *plt_bound;           /* lazy binding: one bit per JUMP_SLOT bound */
	/* a prelink cache's answers for rela[relacount..nrela), then jmprel (prelink.h) */
	const struct lt_prelink_answer *answers;
};

_Static_assert(offsetof(struct lt_object, base) == offsetof(struct lt_link_map, l_addr), "l_addr");
_Static_assert(offsetof(struct lt_object, name) == offsetof(struct lt_link_map, l_name), "l_name");
_Static_assert(offsetof(struct lt_object, dynamic) == offsetof(struct lt_link_map, l_ld), "l_ld");
_Static_assert(offsetof(struct lt_object, next) == offsetof(struct lt_link_map, l_next), "l_next");
_Static_assert(offsetof(struct lt_object, prev) == offsetof(struct lt_link_map, l_prev), "l_prev");

struct stat;

/* object.c: every record is made by lt_object_new and freed by lt_object_free. */
struct lt_object *lt_object_new(enum lt_kind kind, const char *path);
/* Unmap what the object mapped, and free the record with everything it owns. */
void lt_object_free(struct lt_object *obj);
/* Append to the load-order list (and r_debug's list, which is the same). */
void lt_object_append(struct lt_object *obj);
void lt_object_unlink(struct lt_object *obj);
/* Adopt an object someone else mapped: its program headers are at `phdr`. */
int lt_object_from_memory(struct lt_object *obj, const Elf64_Phdr *phdr, unsigned phnum,
			  uintptr_t base);
/* The program's path is absolute and reaches it through no link (PT_INTERP
 * mode): without "." or ".." it is the name /proc/self/exe would give, and
 * its directory the program's origin. */
void lt_object_program_path_linkless(const char *path);
/* The program the kernel mapped (PT_INTERP mode), described by the auxiliary
 * vector: is `fd` its file?  It is validated as lt_object_map_file validates
 * one, and the mapping must be the file's; obj then has the file's identity
 * and its load bias.  (-1, with the error set, when not; 1 when it is no
 * ELF file at all, a #! script's, say.)  Then adopt it. */
int lt_object_check_kernel_file(struct lt_object *obj, int fd, const Elf64_Phdr *phdr,
				unsigned phnum, uintptr_t entry);
/* Or, when no file of the program can be read, its mapping as it is, as
 * glibc's and musl's loaders take it: its program headers pass a file's
 * checks against no size, and PT_PHDR gives the load bias (-1 if not). */
int lt_object_trust_kernel(struct lt_object *obj, const Elf64_Phdr *phdr, unsigned phnum,
			   uintptr_t entry);
int lt_object_from_kernel(struct lt_object *obj, const Elf64_Phdr *phdr, unsigned phnum,
			  uintptr_t entry);
/* Map a file (descriptor fd) whose fstat the caller has made; messages name it `display`,
 * and `requester` when one asked for it. */
struct stat;
int lt_object_map_file(struct lt_object *obj, int fd, const struct stat *st, const char *display,
		       const char *requester);
/* The segment holding all of [addr, addr + len), or NULL.  (Inline: the
 * relocation loop and the table checks ask it about every target.) */
static inline const struct lt_segment *lt_object_segment(const struct lt_object *obj,
							 uintptr_t addr, size_t len)
{
	for (unsigned i = 0; i < obj->nsegs; i++) {
		const struct lt_segment *s = &obj->segs[i];
		if (addr >= s->start && addr <= s->end && len <= s->end - addr)
			return s;
	}
	return 0;
}
/* The same, if that segment is readable: the loader reads nothing from any other. */
static inline const struct lt_segment *lt_object_readable(const struct lt_object *obj,
							  uintptr_t addr, size_t len)
{
	const struct lt_segment *s = lt_object_segment(obj, addr, len);
	return s && (s->prot & PROT_READ) ? s : 0;
}
struct lt_object *lt_object_containing(uintptr_t addr);
/* Note the identity of the file the object came from. */
void lt_object_note_file(struct lt_object *obj, const struct stat *st);
/* The notes of one of the object's program headers: none unless it is a
 * PT_NOTE the object maps readable.  Walked with lt_note_next. */
struct lt_notes {
	const unsigned char *at, *end;
	size_t align;  /* 8 when p_align is 8, else 4: the gABI's two */
};
struct lt_notes lt_object_notes(const struct lt_object *obj, const Elf64_Phdr *phdr);
/* The next note whose name and descriptor lie wholly in the segment (its
 * descriptor in *desc), or NULL at the end, or at one that does not fit. */
const Elf64_Nhdr *lt_note_next(struct lt_notes *walk, const unsigned char **desc);
/* Is it a note of GNU's (name "GNU") of that type? */
int lt_note_is_gnu(const Elf64_Nhdr *note, uint32_t type);
/* The NT_GNU_BUILD_ID note in the object's PT_NOTE segments (its length in
 * *len), or NULL. */
const unsigned char *lt_object_build_id(const struct lt_object *obj, size_t *len);
/* The vDSO, its symbols read (dl.c); 0 without one or when they are corrupt. */
struct lt_object *lt_vdso_symbols(void);
int lt_object_relro(struct lt_object *obj);
/* The PT_INTERP string of an object, or NULL. */
const char *lt_object_interp(const struct lt_object *obj);
/* Is obj ld-teach.so (a build of it, by its soname)? */
int lt_object_is_loader(const struct lt_object *obj);
/* Make the directory of an object loaded by a relative path absolute, with
 * the working directory of this moment (glibc's rule: its loader does so as
 * it makes the record, and $ORIGIN later means that directory whatever the
 * working directory has become).  Left relative when the working directory
 * cannot be read. */
void lt_object_fix_origin(struct lt_object *obj);
/* The directory the object came from ($ORIGIN, RTLD_DI_ORIGIN); "." when unknown. */
void lt_object_origin(const struct lt_object *obj, char *out, size_t size);
/* The same, not copied: its first characters (the length returned) at *dir. */
size_t lt_object_origin_span(const struct lt_object *obj, const char **dir);

/* dynamic.c: parse and validate PT_DYNAMIC. */
int lt_dynamic_parse(struct lt_object *obj);
/* A checked string-table lookup: NULL when the offset is out of range. */
const char *lt_object_string(const struct lt_object *obj, uint64_t off);
/* Does the object name `lib` in DT_NEEDED? */
int lt_object_needs(const struct lt_object *obj, const char *lib);

#endif
