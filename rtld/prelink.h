/*
 * Prelinking reborn: a validated resolution cache (doc/prelink.md).
 *
 * `ld-teach.so --prelink PROG` links PROG as a start would and records the
 * result in a cache file: every object's identity, the load order, the
 * global scope, the static TLS layout, the constructor order, and the
 * answer to every symbolic relocation, as (defining object, symbol index).
 * A later start finds the file, checks it against what it has loaded, and
 * then relocates with the recorded answers instead of looking symbols up.
 * The cache holds answers, never addresses or code: address randomisation
 * stays on, and every field is checked before use.
 *
 * prelink_file.c reads and checks the format (pure: the unit tests and a
 * fuzzer drive it); prelink.c finds, matches, records and writes caches.
 */
#ifndef LT_PRELINK_H
#define LT_PRELINK_H

#include <stddef.h>
#include <stdint.h>
#include "object.h"

/* ----- the file format (little-endian, every section 8-byte aligned) ----- */

#define LT_PRELINK_MAGIC "LTPRELNK"  /* its first LT_PRELINK_MAGIC_LEN bytes, with no NUL */
#define LT_PRELINK_VERSION 2
#define LT_PRELINK_ID_MAX 32     /* bytes of ld-teach.so's build-id kept */
#define LT_PRELINK_MAX_SIZE (256UL << 20)

/* Header flags: the switches of the environment that steers linking. */
enum {
	LT_PRELINK_F_LIBRARY_PATH = 1,   /* LD_LIBRARY_PATH or --library-path was set */
	LT_PRELINK_F_PRELOAD = 2,        /* LD_PRELOAD or --preload was set */
	LT_PRELINK_F_BIND_NOW = 4,       /* LD_BIND_NOW */
	LT_PRELINK_F_INHIBIT_CACHE = 8,  /* --inhibit-cache */
	LT_PRELINK_F_ALL = 15,
};

/*
 * The file: this header, then the sections below in that order, each
 * padded to 8 bytes.  Nothing is located by an offset of its own: the
 * counts place everything (lt_prelink_layout), and the sizes must add up
 * to `size` exactly.
 *   objects[nobjects]   struct lt_prelink_object: objects[i] was loaded i-th
 *   answers[nanswers]   struct lt_prelink_answer
 *   scope[nscope]       uint32_t object numbers: the global scope, in order
 *   init[ninit]         uint32_t object numbers: the constructor order, which
 *                       is also the relocation order
 *   strings             strings_size bytes: paths, settings, build-ids
 */
enum lt_prelink_section {
	LT_PRELINK_OBJECTS, LT_PRELINK_ANSWERS, LT_PRELINK_SCOPE,
	LT_PRELINK_INIT, LT_PRELINK_STRINGS, LT_PRELINK_END
};

struct lt_prelink_header {
	char magic[8];            /* LT_PRELINK_MAGIC */
	uint32_t version;         /* LT_PRELINK_VERSION */
	uint32_t flags;           /* LT_PRELINK_F_* */
	uint64_t size;            /* of the whole file, a multiple of 8 */
	uint64_t checksum;        /* lt_prelink_checksum of the file with this field 0 */
	uint8_t rtld_id[LT_PRELINK_ID_MAX];  /* the build-id of the ld-teach.so that wrote it */
	uint32_t rtld_id_len;
	uint32_t library_path;    /* string: the library path, when F_LIBRARY_PATH */
	uint32_t preload;         /* string: the preloads, when F_PRELOAD */
	uint32_t nobjects;
	uint32_t nanswers;
	uint32_t nscope;
	uint32_t ninit;
	uint32_t strings_size;
	uint32_t reserved;        /* 0 */
};
#define LT_PRELINK_MAGIC_LEN sizeof(((struct lt_prelink_header *)0)->magic)

/* One loaded object: its identity, and the size of the tables its answers index. */
struct lt_prelink_object {
	uint64_t dev, ino, size;  /* of its file (0 for the vDSO and ld-teach.so itself) */
	int64_t mtime;
	uint32_t mtime_nsec;
	uint32_t kind;            /* enum lt_kind */
	uint32_t path;            /* string: its path, for messages */
	uint32_t build_id;        /* strings offset of its build-id's bytes */
	uint32_t build_id_len;    /* 0: it has none */
	uint32_t nsyms;           /* its symbol count, which the answers index */
	uint32_t nrela, relacount, njmprel;
	uint32_t tls_modid;       /* 0: no TLS */
	uint64_t tls_offset;      /* its static TLS block starts at TP - tls_offset */
};

/*
 * The answer to one relocation: symbol `sym` of object number `obj`, or
 * one of the two markers.  Object o's answers follow those of objects
 * 0..o-1: one for each of rela[relacount..nrela), then one for each of
 * jmprel[0..njmprel).  A relocation with symbol index 0, or one through a
 * symbol its object binds itself, has LT_PRELINK_LOOKUP (nothing to look
 * up); so has one bound to an STB_GNU_UNIQUE definition (its lookup enters
 * the process's one definition), and a lazily bound slot that no object
 * defined when the cache was made: its first call looks it up and fails as
 * it would have.
 *
 * LT_PRELINK_SPECIAL in `obj` marks what the relocation loop's lean path
 * leaves to the general one: the markers, relocations that are not GOT
 * words (GLOB_DAT in DT_RELA, JUMP_SLOT in DT_JMPREL), and definitions
 * whose address is not their value (IFUNC, TLS and absolute symbols);
 * those keep their object's number below the bit.
 *
 * An answer is checked where it is used (reloc.c), against the object it
 * names as mapped now, as a relocation's symbol index is: one comparison
 * on the lean path, instead of a pass over every answer before any is
 * used.  One that names no symbol is looked up instead, and
 * LD_DEBUG=prelink says so.
 */
struct lt_prelink_answer {
	uint32_t obj;
	uint32_t sym;
};
#define LT_PRELINK_SPECIAL 0x80000000u
#define LT_PRELINK_LOOKUP 0xffffffffu  /* resolve it as usual */
#define LT_PRELINK_UNDEF 0xfffffffeu   /* an undefined weak reference: 0 */
#define LT_PRELINK_MAX_OBJECTS 0x7ffffff0u

/* A checked file: pointers into the buffer lt_prelink_parse was given. */
struct lt_prelink_file {
	const struct lt_prelink_header *h;
	const struct lt_prelink_object *objects;
	const struct lt_prelink_answer *answers;
	const uint32_t *scope, *init;
	const char *strings;
};

/* The checksum the header holds (of `size` bytes, a multiple of 8, with the checksum field 0). */
uint64_t lt_prelink_checksum(const void *buf, size_t size);
/* Where each section of a file with h's counts starts (off[LT_PRELINK_END]:
 * the file's size). */
void lt_prelink_layout(const struct lt_prelink_header *h, uint64_t off[LT_PRELINK_END + 1]);
/*
 * Check every field of a cache file held in buf (8-byte aligned, `size`
 * bytes read): the header, the checksum, every count, string and object
 * number (the answers are checked where they are used).  0 and
 * *out filled, or -1 with *why saying what is wrong (a static string).
 */
int lt_prelink_parse(const void *buf, size_t size, struct lt_prelink_file *out, const char **why);
/* A string of a checked file (its offsets were checked). */
static inline const char *lt_prelink_string(const struct lt_prelink_file *f, uint32_t off)
{
	return f->strings + off;
}

/* ----- the core's use of it (prelink.c) ----- */

/* The objects the answers name, by serial, while a cache is in use. */
extern struct lt_object **lt_prelink_objects;
extern uint32_t lt_prelink_nobjects;
/* Does answer a, for obj's relocation at offset `at`, name a symbol of an
 * object of the cache (or is it the marker of an undefined weak
 * reference)?  Else LD_DEBUG=prelink says so, and it is to be looked up. */
int lt_prelink_answer_ok(const struct lt_object *obj, uint64_t at, const struct lt_prelink_answer *a);

/*
 * At start-up, once objects are loaded, the global scope built, static TLS
 * laid out and the relocation order known: find the program's cache and
 * check it against all of that.  If it fits, every object gets its answers
 * (obj->answers) and 1 is returned; else 0, and linking goes on as usual.
 */
int lt_prelink_use(struct lt_object **order, size_t n);
/* --prelink: record the link that has just been made ready (the same
 * point), write the cache and exit. */
__attribute__((noreturn)) void lt_prelink_record(struct lt_object **order, size_t n);

#endif
