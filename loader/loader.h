/*
 * ld-teach-exec's internals: what the modules of loader/ share.
 *
 *   exec.c     teach_execve: the steps before the point of no return
 *   file.c     opening a file for execution, as the kernel's open_exec does
 *   script.c   #! lines
 *   elf.c      the program and its interpreter: headers, segments, entry
 *   layout.c   where the new image goes (ASLR)
 *   auxv.c     the new auxiliary vector
 *   stack.c    the new initial stack
 *   proc.c     what the process is now: its mappings, auxv, limits
 *   stage.c    after the point of no return (its own blob; see plan.h)
 *   main.c     the ld-teach-exec command
 */
#ifndef EXEC_LOADER_H
#define EXEC_LOADER_H

#include <stddef.h>
#include <stdint.h>
#include <elf.h>
#include "elf_check.h"
#include "error.h"
#include "page.h"
#include "print.h"
#include "str.h"
#include "sys.h"
#include "plan.h"

#define EXEC_NAME "ld-teach-exec"

/* --- file.c --------------------------------------------------------------- */

/* Open `path` as execve opens what it runs; -errno when it cannot be run. */
int file_open_executable(const char *path, int *fd, uint64_t *size);
/* Read the first `len` bytes (fewer for a shorter file; the rest zeroed). */
long file_read_head(int fd, void *buf, size_t len);

/* --- script.c ------------------------------------------------------------- */

#define SCRIPT_BUF_SIZE 256 /* how much of a file the kernel reads to decide (BINPRM_BUF_SIZE) */
#define SCRIPT_MAX_DEPTH 5  /* #! rewrites the kernel allows before ELOOP */

struct script_line {
	char buf[SCRIPT_BUF_SIZE];
	const char *interp;
	const char *arg;    /* NULL: none */
};

/* Parse a #! line from the first bytes of a file; -ENOEXEC when it is not one. */
int script_parse(const unsigned char *head, size_t len, struct script_line *line);

/* --- elf.c ---------------------------------------------------------------- */

/* The kernel reads at most one page of program headers. */
#define ELF_MAX_PHDRS (4096 / sizeof(Elf64_Phdr))

struct exec_elf {
	const char *path;
	int fd;
	uint64_t size;
	Elf64_Ehdr ehdr;
	Elf64_Phdr phdr[ELF_MAX_PHDRS];
	struct lt_elf_info info; /* points into ehdr and phdr: never copy the struct */
	uintptr_t bias;          /* run-time address minus link-time address */
};

/*
 * Check the ELF headers (the first bytes are in `head`) and read the program
 * headers.  On failure, returns -ENOEXEC and the reason, for the caller's
 * message, in *why.
 */
int elf_read_headers(struct exec_elf *e, const void *head, size_t len, const char **why);
/* Read PT_INTERP into buf (NUL-terminated); -ENOEXEC with *why when it is malformed. */
int elf_read_interp(const struct exec_elf *e, char *buf, size_t size, const char **why);
/* Is the entry point inside an executable segment?  Does it ask for an executable stack? */
int elf_entry_is_executable(const struct exec_elf *e);
int elf_wants_exec_stack(const struct exec_elf *e);
/* Where the program headers are at run time (AT_PHDR), or 0 when no segment holds them. */
uint64_t elf_phdr_address(const struct exec_elf *e);
/* The bounds /proc/self/stat and PR_SET_MM_MAP know: start/end of code and data. */
void elf_code_data_bounds(const struct exec_elf *e, struct prctl_mm_map *mm);
/*
 * An address for `need` bytes of code in the unused end of an executable
 * segment's last page, or 0 if every text segment fills its last page.
 */
uint64_t elf_trampoline_site(const struct exec_elf *e, size_t need);
/*
 * The mmaps that load e at its bias, appended to maps (at most 2 per
 * PT_LOAD); returns how many.  A map covering tramp_at is made writable
 * while the stage copies the trampoline there.
 */
unsigned elf_map_ops(const struct exec_elf *e, int object, uint64_t tramp_at,
		     struct stage_map *maps);

/* --- layout.c ------------------------------------------------------------- */

struct layout_env {
	int randomize;            /* 0 none, 1 mmap bases, 2 also brk (randomize_va_space) */
	unsigned rnd_bits;        /* /proc/sys/vm/mmap_rnd_bits */
	uint64_t mmap_min_addr;
	uint64_t stack_gap;       /* kept free below the stack for it to grow */
	uint64_t stack_end;
	const struct stage_range *keep;
	unsigned nkeep;
};

/* An object's alignment: its largest p_align, at least a page. */
uint64_t layout_alignment(const struct lt_elf_info *info);
/* Load biases and the start of brk for one random value each; pure. */
uintptr_t layout_program_bias(const struct lt_elf_info *info, int is_dyn,
			      const struct layout_env *env, uint64_t rnd);
uintptr_t layout_interp_bias(const struct lt_elf_info *info, int is_dyn,
			     const struct layout_env *env, uint64_t rnd);
uint64_t layout_brk(uint64_t image_end, const struct layout_env *env, uint64_t rnd);
/* Does [start, end) stay inside the address space and clear of every kept range? */
int layout_fits(uint64_t start, uint64_t end, const struct layout_env *env);
/* The highest start at or below `start`, aligned, where [start, end) fits; 0 if none. */
uint64_t layout_slide_down(uint64_t start, uint64_t end, uint64_t align,
			   const struct layout_env *env);
/* The complement of the sorted kept ranges up to `top`: what the stage unmaps. */
unsigned layout_unmap_ranges(const struct stage_range *keep, unsigned nkeep, uint64_t top,
			     struct stage_range *out);

/* --- auxv.c --------------------------------------------------------------- */

#define AUXV_MAX 64

struct auxv_facts {
	uint64_t phdr, phnum, base, entry;
	uint64_t uid, euid, gid, egid, secure;
};

/*
 * The new auxv, in the order of `tmpl` (the running kernel's own, from
 * /proc/self/auxv): machine facts are kept, per-program entries replaced,
 * unknown ones dropped.  AT_RANDOM, AT_EXECFN and AT_PLATFORM are left 0
 * for the stack builder.  Returns the number of entries before AT_NULL.
 */
size_t auxv_build(const Elf64_auxv_t *tmpl, size_t n, const struct auxv_facts *f,
		  Elf64_auxv_t *out);
const char *auxv_name(uint64_t type);

/* --- stack.c -------------------------------------------------------------- */

struct stack_input {
	uint64_t top;                  /* end of the stack mapping */
	const char *const *argv;
	size_t argc;
	const char *const *envp;
	size_t envc;
	const char *execfn;
	const char *platform;
	unsigned char random[16];      /* AT_RANDOM's bytes */
	uint64_t pad;                  /* random gap below the strings, a multiple of 16 */
	Elf64_auxv_t *auxv;            /* ends with AT_NULL; pointer entries filled in */
	size_t nauxv;                  /* entries before AT_NULL */
};

struct stack_layout {
	uint64_t sp, size;             /* the image covers [sp, top) */
	uint64_t strings_size;         /* argument and environment strings, with their NULs */
	uint64_t arg_start, arg_end, env_start, env_end;
	uint64_t auxv_addr, auxv_size;
};

void stack_measure(const struct stack_input *in, struct stack_layout *out);
/* The random gap below the strings (pad) for a random number. */
uint64_t stack_random_gap(uint64_t rnd);
/*
 * The most stack_measure can find, whatever the gap, for `strings` bytes of
 * strings (AT_EXECFN's, the environment's and the arguments'): it reads only
 * in's top, argc, envc, platform and nauxv, so the room for the image can be
 * set aside before argv is gathered, the auxv filled in and the gap drawn.
 */
uint64_t stack_room(const struct stack_input *in, uint64_t strings);
/* Write the image for `lay` into `image` (lay->size bytes, for [sp, top)). */
void stack_write(struct stack_input *in, const struct stack_layout *lay, unsigned char *image);

/* --- proc.c --------------------------------------------------------------- */

struct proc_state {
	struct stage_range stack;      /* the [stack] mapping */
	struct stage_range keep[STAGE_MAX_KEEP];
	unsigned nkeep;                /* the stack, the vDSO and its data pages */
	uint64_t top;                  /* end of the highest mapping (below [vsyscall]) */
	uint64_t kept_size;            /* bytes mapped in the kept ranges */
	Elf64_auxv_t auxv[AUXV_MAX];
	size_t nauxv;
	long threads;
	int randomize;
	unsigned rnd_bits;
	uint64_t mmap_min_addr;
	uint64_t rlim_stack, rlim_as, rlim_data;
};

/* What the process is now; -errno with lt_error set when /proc cannot tell. */
int proc_survey(struct proc_state *st);
/* Add a range (the stage's) to the kept ones, in address order. */
int proc_keep(struct proc_state *st, uint64_t start, uint64_t end);

#endif
