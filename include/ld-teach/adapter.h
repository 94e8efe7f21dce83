/*
 * The contract between the rtld core (ld-teach.so) and the libc-side half
 * of a libc adapter: an object ld-teach maps for programs of that libc
 * (for musl, ld-teach's own libc.so, whose glue is rtld/musl/glue.c).
 *
 * The core-side half of the adapter (rtld/<libc>/) finds the object's
 * start function, LT_ADAPTER_START_SYMBOL, and calls it once everything is
 * relocated, before the program's entry point, with a `struct
 * lt_adapter_boot`.  The start function sets the thread pointer, fills its
 * libc's private state, keeps the core's operations for the hooks its libc
 * calls later (constructors, destructors, dl*, fork), and returns its own
 * operations, which the core needs for TLS and errors.
 *
 * This header is compiled twice: into the freestanding core, and into the
 * adapter object against its libc's headers, so it uses nothing but
 * <stddef.h> and <stdint.h>.
 */
#ifndef LD_TEACH_ADAPTER_H
#define LD_TEACH_ADAPTER_H

#include <stddef.h>
#include <stdint.h>
#include "ld-teach/link.h"

#define LT_ADAPTER_ABI 3
#define LT_ADAPTER_START_SYMBOL "__lt_adapter_start"

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

/* The length of an error line, and so of each thread's error slot. */
#define LT_DLERROR_MAX 512

/*
 * Operations the core offers the adapter object.  The dl* operations
 * return NULL or -1 on failure, with the reason in the calling thread's
 * error slot (struct lt_libc_ops.error_slot).
 */
struct lt_core_ops {
	unsigned abi;
	/* Zeroed memory from the core's allocator; lt_free's counterpart is `free`. */
	void *(*alloc)(size_t size);
	void (*free)(void *p);
	/* Start-up constructors of every object, dependencies first, program last. */
	void (*run_constructors)(void);
	/* Destructors, in the reverse order of construction. */
	void (*run_destructors)(void);
	/* fork(): -1 before (take the loader's locks), 0 in the parent, 1 in the child. */
	void (*atfork)(int phase);
	/* The dl* family.  `caller` is the return address of the program's call. */
	void *(*dlopen)(const char *file, int flags, const void *caller);
	int (*dlclose)(void *handle);
	int (*dlsym)(void *handle, const char *name, const char *version, const void *caller,
		     struct lt_dlsym_result *out);
	/* dladdr1: `extra` gets the symbol (Elf64_Sym *) or the link_map, per `flags`. */
	int (*dladdr)(const void *addr, struct lt_dl_info *info, void **extra, int flags);
	int (*dlinfo)(void *handle, int request, void *arg);
	int (*iterate_phdr)(int (*callback)(struct lt_dl_phdr_info *, size_t, void *), void *data);
	int (*is_handle)(const void *handle);
	/* Module `modid` (its image, sizes and alignment), for a thread's first
	 * use of a dynamic module; -1 if no object has it. */
	int (*tls_module)(size_t modid, struct lt_tls_module_info *out);
};

/* dladdr1 flags and dlinfo requests, with glibc's values. */
enum { LT_DL_SYMENT = 1, LT_DL_LINKMAP = 2 };
enum { LT_DI_LINKMAP = 2, LT_DI_ORIGIN = 6, LT_DI_TLS_MODID = 9, LT_DI_TLS_DATA = 10 };

/*
 * Operations the adapter object offers the core.  The core decides each
 * TLS module's id and offset; the adapter owns the threads.
 */
struct lt_libc_ops {
	/*
	 * Module `modid` joins.  `in_place`: its block sits at TP - offset in
	 * every thread (the static surplus), and is filled in every live
	 * thread now; otherwise it is dynamic, and each thread allocates its
	 * block when it first uses it (tls_get_addr).  `tls_offset` is the
	 * extent of static TLS below the TP.  Returns -1 when out of memory.
	 */
	int (*tls_add)(size_t modid, const struct lt_tls_module_info *m, int in_place,
		       size_t tls_offset, size_t tls_align);
	/* Module `modid` is gone: new threads must not copy its image. */
	void (*tls_remove)(size_t modid);
	/* The calling thread's block of a module, or NULL. */
	void *(*tls_block)(size_t modid);
	/* {module, offset} to an address in the calling thread (__tls_get_addr). */
	void *(*tls_get_addr)(size_t *ti);
	/* The calling thread's error slot, LT_DLERROR_MAX bytes. */
	char *(*error_slot)(void);
};

/* What the core hands the adapter object's start function. */
struct lt_adapter_boot {
	unsigned abi;                  /* LT_ADAPTER_ABI */
	const struct lt_core_ops *core;
	char **envp;
	size_t *auxv;
	int secure;                    /* AT_SECURE, or differing real and effective ids */
	/* static TLS, laid out by the core */
	const struct lt_tls_module_info *tls;
	size_t tls_count;
	size_t tls_offset;             /* bytes of static TLS below the thread pointer */
	size_t tls_align;
	/* the program or a preload brought its own allocator */
	int malloc_replaced, aligned_alloc_replaced;
	/* largest PT_GNU_STACK request of the start-up objects (0: none) */
	size_t stack_size;
};

typedef const struct lt_libc_ops *lt_adapter_start_fn(const struct lt_adapter_boot *boot);

#endif
