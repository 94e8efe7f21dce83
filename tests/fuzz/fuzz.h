/*
 * The ELF fuzzer (tests/fuzz/): what its parts share.
 *
 *   elfmap.c   every field of a valid seed, named: the ELF header, the
 *              program headers, the dynamic entries and each table they
 *              point at (symbols, strings, hashes, versions, relocations)
 *   mutate.c   ELF-aware mutations of a seed, from a numbered random stream
 *   envgen.c   environments and loader options, from a numbered random
 *              stream (elffuzz --inputs env)
 *   run.c      one execution under ptrace: its outcome, and for a crash or a
 *              hang the mapping (and function) that held the PC
 *   elffuzz.c  the command: campaign, replay, minimise
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* ----- elfmap.c ----- */

enum field_kind { F_EHDR, F_PHDR, F_DYN, F_SYM, F_RELOC, F_HASH, F_VERSION, F_STRING, F_ARRAY,
		  F_KINDS };

struct field {
	char name[72];     /* "phdr[3].p_flags (PT_LOAD)", "dynsym[5].st_value (a_add)" */
	uint32_t off;      /* file offset */
	uint8_t size;      /* 1, 2, 4 or 8 bytes; strings are cut into 8-byte fields */
	uint8_t kind;      /* enum field_kind */
};

struct elfmap {
	struct field *fields;
	size_t nfields, cap;
	uint64_t *values;  /* numbers the seed holds (addresses, sizes, offsets): mutation material */
	size_t nvalues, values_cap;
};

/* Map every field of the seed `buf`; dies on a file it cannot read (seeds are valid). */
void elfmap_build(struct elfmap *m, const char *path, const uint8_t *buf, size_t size);
/* The field holding file offset `off`, or NULL. */
const struct field *elfmap_field_at(const struct elfmap *m, uint64_t off);
void elfmap_free(struct elfmap *m);

/* ----- mutate.c ----- */

struct rng {
	uint64_t state;
};
uint64_t rng_next(struct rng *r);
uint64_t rng_below(struct rng *r, uint64_t n);
/* The stream of execution `n` of a campaign seeded with `seed`: replayable alone. */
struct rng rng_for(uint64_t seed, uint64_t n);

/*
 * Mutate `size` bytes of `orig` (mapped by `m`) into `out` (room for
 * `size` bytes); returns the mutant's length (shorter when truncated) and
 * says what it did in `what`.
 */
size_t mutate(const struct elfmap *m, const uint8_t *orig, size_t size, uint8_t *out,
	      struct rng *r, char *what, size_t what_size);

/* ----- envgen.c ----- */

#define ENVGEN_MAX 8
struct envset {
	char *env[ENVGEN_MAX + 1];   /* "NAME=value", then NULL */
	char *opts[ENVGEN_MAX + 1];  /* the loader's options (a value its own word), then NULL */
	size_t nenv, nopts;
};
/* What values are made of: paths of files and directories a run may name. */
struct envpool {
	const char *const *paths;
	size_t npaths;
};
/* One to four variables, and with_options up to three options (each maybe with its value). */
void envgen(struct rng *r, const struct envpool *pool, int with_options, struct envset *s);
/* Does the set name this variable, or hold this option? */
int envset_has(const struct envset *s, const char *name);
void envset_describe(const struct envset *s, char *out, size_t size);
/* A copy of s without entry i: the variables first, then the options. */
void envset_without(const struct envset *s, size_t i, struct envset *out);
void envset_free(struct envset *s);

/* ----- run.c ----- */

enum outcome {
	O_RAN,          /* exited with a status other than the loader's 127 */
	O_REFUSED,      /* exit status 127 and one clean line on stderr */
	O_UNCLEAN,      /* exit status 127, but stderr is not one line starting "ld-teach.so: " */
	O_EXEC_FAILED,  /* the kernel refused to start it (execve failed, or killed it in exec) */
	O_CRASH,        /* a fatal signal */
	O_HANG,         /* still running at the deadline */
	O_OUTCOMES
};
extern const char *const outcome_names[O_OUTCOMES];

/* Whose code held the PC, by mapping. */
enum owner { W_LOADER, W_LIBC, W_PROGRAM, W_NOWHERE, W_OWNERS };
extern const char *const owner_names[W_OWNERS];

struct verdict {
	enum outcome outcome;
	int status;          /* exit status, or the signal */
	/* crashes and hangs: where the PC was */
	enum owner owner;
	uint64_t pc;
	char object[64];     /* the mapping: "ld-teach.so", "[stack]", "" for none */
	uint64_t offset;     /* ... and the PC's file offset in it */
	char function[64];   /* from the object's symbol table, or "?" */
	int called;          /* the PC was nowhere: object and function are the caller's */
	char last_error[160];
};

enum { ERRORS_ONE_LINE = 1, ERRORS_LIST };

struct job {
	char *const *argv;
	const char *library_path;  /* LD_LIBRARY_PATH, or NULL */
	char *const *env;          /* more of the environment (NULL-terminated), or NULL */
	const char *loader;        /* the loader under test: its mapping is W_LOADER */
	/* Judge exit status 127 by ld-teach's error convention: 0 not at all;
	 * ERRORS_ONE_LINE a run's (one line); ERRORS_LIST --list's, which goes
	 * on past each problem and reports it (rtld/look.c): any number of
	 * lines, none for libraries only "not found" (said on stdout). */
	int check_errors;
	double timeout;            /* seconds */
	const char *cwd;           /* where it runs: what a broken program writes stays there */
};

void run_init(void);
void run_job(const struct job *j, struct verdict *v);
/* "ld-teach.so+0x1234 (collect)", or for a jump to nowhere "pc 0x0, called from ...". */
void verdict_place(const struct verdict *v, char *out, size_t size);
/* What a campaign groups by and the minimiser keeps: outcome, owner, object, function. */
void verdict_key(const struct verdict *v, char *out, size_t size);

#endif
