/*
 * The contract between the rtld core (ld-teach.so) and a libc adapter.
 *
 * An adapter is the small glue linked into the libc that ld-teach provides
 * for a family of programs (today: rtld/musl/, linked into ld-teach's own
 * libc.so for musl programs).  The core calls the adapter's start function
 * once every start-up object is mapped and relocated, just before jumping
 * to the program; the adapter installs the thread pointer, fills its libc's
 * private state, and keeps the core's operations table for the hooks its
 * libc calls later (constructors at start-up, destructors at exit, dlopen,
 * fork).
 *
 * This header is compiled twice: into the freestanding core, and into the
 * adapter against its libc's headers, so it uses nothing but <stddef.h> and
 * <stdint.h>.
 */
#ifndef LD_TEACH_ADAPTER_H
#define LD_TEACH_ADAPTER_H

#include <stddef.h>
#include <stdint.h>
#include "ld-teach/link.h"

#define LT_ADAPTER_ABI 1

/* The symbol the core looks up in the adapter, and its type: it returns the
 * operations the adapter offers the core. */
#define LT_MUSL_START_SYMBOL "__lt_musl_start"
struct lt_adapter_boot;
struct lt_adapter_ops;
typedef const struct lt_adapter_ops *lt_adapter_start_fn(const struct lt_adapter_boot *boot);

/* One static TLS module, in module-id order (id = index + 1). */
struct lt_tls_module_info {
	const void *image;   /* the init image, in memory */
	size_t len;          /* p_filesz: bytes copied from the image */
	size_t size;         /* p_memsz: the rest is zero */
	size_t align;        /* p_align */
	size_t offset;       /* the block starts at TP - offset */
};

/* What dlsym found: an address, or for a TLS symbol the module and offset. */
struct lt_dlsym_result {
	void *addr;
	size_t tls_module;   /* 0: not TLS */
	size_t tls_offset;
};

/* Failing dl* operations write one line here: dlerror() text is per thread. */
#define LT_DLERROR_MAX 512

/* Operations the core offers the adapter. */
struct lt_core_ops {
	unsigned abi;
	/* Zeroed memory from the core's allocator, for state that lives forever. */
	void *(*alloc)(size_t size);
	/* Start-up constructors of every object, dependencies first, program last. */
	void (*run_constructors)(void);
	/* Destructors, in the reverse order of construction. */
	void (*run_destructors)(void);
	/* fork(): -1 before (take the loader's locks), 0 in the parent, 1 in the child. */
	void (*atfork)(int phase);
	/* The dl* family.  `caller` is the return address of the program's call;
	 * `err` receives the message when one fails (NULL or -1 returned). */
	void *(*dlopen)(const char *file, int flags, const void *caller, char *err);
	int (*dlclose)(void *handle, char *err);
	int (*dlsym)(void *handle, const char *name, const char *version, const void *caller,
		     struct lt_dlsym_result *out, char *err);
	/* dladdr1: `extra` gets the symbol (Elf64_Sym *) or the link_map, per `flags`. */
	int (*dladdr)(const void *addr, struct lt_dl_info *info, void **extra, int flags);
	int (*dlinfo)(void *handle, int request, void *arg, char *err);
	int (*iterate_phdr)(int (*callback)(struct lt_dl_phdr_info *, size_t, void *), void *data);
	int (*is_handle)(const void *handle);
};

/* dladdr1 flags and dlinfo requests, with glibc's values. */
enum { LT_DL_SYMENT = 1, LT_DL_LINKMAP = 2 };
enum { LT_DI_LINKMAP = 2, LT_DI_ORIGIN = 6, LT_DI_TLS_MODID = 9, LT_DI_TLS_DATA = 10 };

/*
 * Operations the adapter offers the core, for TLS that dlopen brings.  The
 * core decides each module's id and offset; the adapter owns the threads.
 */
struct lt_adapter_ops {
	/*
	 * Give module `modid` to every live thread, and to threads created
	 * from now on.  `in_place`: the block sits at TP - offset in every
	 * thread (the static surplus); otherwise existing threads get a block
	 * of their own, and new threads find it at TP - offset.  `tls_offset`
	 * is the new extent of static TLS below the TP.  Returns -1 when out
	 * of memory.
	 */
	int (*tls_add)(size_t modid, const struct lt_tls_module_info *m, int in_place,
		       size_t tls_offset, size_t tls_align);
	/* Module `modid` is gone: new threads must not copy its image. */
	void (*tls_remove)(size_t modid);
	/* The calling thread's block of a module. */
	void *(*tls_block)(size_t modid);
};

/* What the core hands the adapter's start function. */
struct lt_adapter_boot {
	unsigned abi;                  /* LT_ADAPTER_ABI */
	const struct lt_core_ops *core;
	char **envp;
	size_t *auxv;
	int secure;                    /* AT_SECURE, or differing real and effective ids */
	/* static TLS, laid out by the core with musl's formulas */
	const struct lt_tls_module_info *tls;
	size_t tls_count;
	size_t tls_offset;             /* bytes of static TLS below the thread pointer */
	size_t tls_align;
	/* the program or a preload brought its own allocator */
	int malloc_replaced, aligned_alloc_replaced;
	/* largest PT_GNU_STACK request of the start-up objects (0: none) */
	size_t stack_size;
};

#endif
