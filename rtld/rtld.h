/*
 * ld-teach core: the loader's global state, and start-up.
 *
 * Each concern has its own file under rtld/ and its own header: object.h
 * (records, mapping, PT_DYNAMIC), symbols.h (hashing, lookup, versions),
 * reloc.h, tls.h, load.h (search, loading, unloading), init.h, libc.h (the
 * libc adapters), trace.h (LD_DEBUG) and report.h (whole-process reports).
 */
#ifndef LT_RTLD_H
#define LT_RTLD_H

#include <stddef.h>
#include <stdint.h>
#include <elf.h>
#include "error.h"
#include "lock.h"
#include "object.h"
#include "page.h"

#define LT_AUX_MAX 64

struct lt_libc_adapter;

/* The variables the loader reads, as found in the environment (NULL: not set). */
struct lt_env {
	const char *library_path, *preload, *bind_now, *debug, *debug_output, *show_auxv, *audit;
	const char *trace_loaded_objects, *graph_output;
	const char *tunables;  /* GLIBC_TUNABLES */
	const char *prelink, *cache_dir;  /* LD_TEACH_PRELINK, LD_TEACH_CACHE_DIR */
	const char *xdg_cache_home, *home;  /* where the prelink cache lives by default */
};

/* What this run does with the program: run it, or only look at it (look.h). */
enum lt_mode {
	LT_MODE_RUN,
	LT_MODE_TRACE,   /* LD_TRACE_LOADED_OBJECTS: ldd's list, exit 0 (glibc's) */
	LT_MODE_LIST,    /* --list: the same list, exit 127 if anything is missing */
	LT_MODE_VERIFY,  /* --verify: load and relocate, run nothing, say whether it worked */
	LT_MODE_GRAPH,   /* --graph: the link as a Graphviz DOT graph */
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

	struct lt_env env;          /* each variable's last entry, as glibc's loader reads them */
	struct lt_env env_first;    /* each one's first entry, as getenv finds it */

	/* settings (environment or command line) */
	const char *library_path;   /* LD_LIBRARY_PATH / --library-path */
	const char *preload;        /* LD_PRELOAD / --preload */
	const char *argv0;          /* --argv0 */
	int bind_now;               /* LD_BIND_NOW */
	enum lt_mode mode;          /* --list, --verify, --graph, LD_TRACE_LOADED_OBJECTS */
	int inhibit_cache;          /* --inhibit-cache: glibc programs search no /etc/ld.so.cache */
	int prelink_only;           /* --prelink: a run that records its link in a cache, and stops */

	/* objects */
	struct lt_object *head, *tail;    /* load order; head is the program */
	struct lt_object *main, *self, *vdso;
	unsigned nobjects;
	/* dl_iterate_phdr's dlpi_adds and dlpi_subs (glibc programs have libc's
	 * own): dlopens that succeeded, as musl's loader counts them (from 0,
	 * one each, whether or not it brought a new object), and objects removed. */
	unsigned long long dlopens, objects_removed;
	struct lt_scope global;           /* the global lookup scope */

	/* the process's libc: none until the initial objects say otherwise (libc.c) */
	const struct lt_libc_adapter *libc;
	int started;                /* start-up is over: the program runs */

	struct lt_r_debug *debug;   /* r_debug for debuggers */
	int exiting;                /* destructors have started: no more dlopen */
	int lookup_faulted;         /* a lookup met corrupt data: the error says what (lt_lookup_fault) */
};

extern struct lt_state lt;

/* The loader lock: dlopen and dlclose hold it for writing, lookups that
 * run while the program does (dlsym, lazy binding) for reading. */
extern struct lt_rwlock lt_loader_lock;

/* env.c */
void lt_read_environment(void);
/* The libc's loader reads LD_LIBRARY_PATH and LD_PRELOAD with getenv
 * (lt_libc_adapter.first_entries): settings from those, their first entries. */
void lt_env_take_first_entries(void);
/* Each name=value of a GLIBC_TUNABLES list (colon-separated), the value
 * running up to `end`. */
void lt_each_tunable(const char *spec,
		     void (*take)(const char *name, size_t len, const char *value, const char *end));
/* Take the entries `drop` picks out of envp, in place, the auxiliary
 * vector moving down after them (lt_stack_remove). */
void lt_remove_environment(int (*drop)(const char *entry));
/* Secure mode: take glibc's unsafe variables out of envp. */
void lt_remove_unsafe_environment(void);

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

/* cmdline.c: command mode (./ld-teach.so [options] prog args) */
int lt_cmdline_parse(void);
struct lt_object *lt_cmdline_load_program(int prog_index);

/* debugger.c: the r_debug protocol */
void lt_debugger_init(void);
void lt_debugger_notify(int state);

#endif
