/*
 * The rtld-audit interface (rtld-audit(7)) as ld-teach offers it, with
 * glibc's values and x86_64 layouts (glibc 2.36, LAV_CURRENT 2).
 *
 * An audit module is a shared object named in LD_AUDIT or --audit that
 * defines la_version and any of the other la_* functions; ld-teach calls
 * them as it loads, binds and unloads objects.  glibc's <link.h> declares
 * all of this; musl's does not, so a module built for musl includes this
 * header.  With glibc's <link.h> already included (with _GNU_SOURCE), the
 * declarations below are left out and glibc's stand: they are the same.
 *
 * The core includes it too, for the constants, the call types and the
 * layout of the register structures its trampoline fills
 * (arch/x86_64/audit.S), which reads only the offsets.  It uses nothing but
 * <stdint.h> and <elf.h>.
 */
#ifndef LD_TEACH_AUDIT_H
#define LD_TEACH_AUDIT_H

/* Offsets the trampoline uses (and rtld/audit.c checks against the types). */
#define LT_LR_RDX 0
#define LT_LR_R8 8
#define LT_LR_R9 16
#define LT_LR_RCX 24
#define LT_LR_RSI 32
#define LT_LR_RDI 40
#define LT_LR_RBP 48
#define LT_LR_RSP 56
#define LT_LR_XMM 64
#define LT_LR_VECTOR 192
#define LT_LR_SIZE 768
#define LT_LRV_RAX 0
#define LT_LRV_RDX 8
#define LT_LRV_XMM0 16
#define LT_LRV_XMM1 32
#define LT_LRV_ST0 48
#define LT_LRV_ST1 64
#define LT_LRV_VECTOR0 80
#define LT_LRV_VECTOR1 144
#define LT_LRV_SIZE 240

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <elf.h>

#ifndef LAV_CURRENT

#define LAV_CURRENT 2

/* la_activity */
enum { LA_ACT_CONSISTENT, LA_ACT_ADD, LA_ACT_DELETE };

/* la_objsearch: where the name comes from */
enum {
	LA_SER_ORIG = 0x01,     /* the name as requested */
	LA_SER_LIBPATH = 0x02,  /* a directory of LD_LIBRARY_PATH */
	LA_SER_RUNPATH = 0x04,  /* a directory of DT_RPATH or DT_RUNPATH */
	LA_SER_CONFIG = 0x08,   /* the cache (/etc/ld.so.cache) */
	LA_SER_DEFAULT = 0x40,  /* a default directory */
	LA_SER_SECURE = 0x80,   /* unused */
};

/* la_objopen's answer: which of the object's bindings to report */
enum { LA_FLG_BINDTO = 0x01, LA_FLG_BINDFROM = 0x02 };

/* la_symbind's and la_pltenter's flags */
enum {
	LA_SYMB_NOPLTENTER = 0x01,  /* la_pltenter will not be called */
	LA_SYMB_NOPLTEXIT = 0x02,   /* la_pltexit will not be called */
	LA_SYMB_STRUCTCALL = 0x04,  /* the call returns a structure */
	LA_SYMB_DLSYM = 0x08,       /* the binding is a dlsym's */
	LA_SYMB_ALTVALUE = 0x10,    /* an earlier module changed the value */
};

typedef long int Lmid_t;

/* x86_64: the registers at a PLT call, and its return values. */
typedef float La_x86_64_xmm __attribute__((__vector_size__(16)));
typedef float La_x86_64_ymm __attribute__((__vector_size__(32), __aligned__(16)));
typedef double La_x86_64_zmm __attribute__((__vector_size__(64), __aligned__(16)));

typedef union {
	La_x86_64_ymm ymm[2];
	La_x86_64_zmm zmm[1];
	La_x86_64_xmm xmm[4];
} La_x86_64_vector __attribute__((__aligned__(16)));

typedef struct La_x86_64_regs {
	uint64_t lr_rdx;
	uint64_t lr_r8;
	uint64_t lr_r9;
	uint64_t lr_rcx;
	uint64_t lr_rsi;
	uint64_t lr_rdi;
	uint64_t lr_rbp;
	uint64_t lr_rsp;           /* where the return address of the call is */
	La_x86_64_xmm lr_xmm[8];
	La_x86_64_vector lr_vector[8];
	__int128_t __glibc_unused1[4];
} La_x86_64_regs;

typedef struct La_x86_64_retval {
	uint64_t lrv_rax;
	uint64_t lrv_rdx;
	La_x86_64_xmm lrv_xmm0;
	La_x86_64_xmm lrv_xmm1;
	long double lrv_st0;
	long double lrv_st1;
	La_x86_64_vector lrv_vector0;
	La_x86_64_vector lrv_vector1;
	__int128_t __glibc_unused1;
	__int128_t __glibc_unused2;
} La_x86_64_retval;

struct link_map;

/* What a module may define (only la_version is required). */
unsigned int la_version(unsigned int version);
void la_activity(uintptr_t *cookie, unsigned int flag);
char *la_objsearch(const char *name, uintptr_t *cookie, unsigned int flag);
unsigned int la_objopen(struct link_map *map, Lmid_t lmid, uintptr_t *cookie);
void la_preinit(uintptr_t *cookie);
uintptr_t la_symbind64(Elf64_Sym *sym, unsigned int ndx, uintptr_t *refcook, uintptr_t *defcook,
		       unsigned int *flags, const char *symname);
unsigned int la_objclose(uintptr_t *cookie);
Elf64_Addr la_x86_64_gnu_pltenter(Elf64_Sym *sym, unsigned int ndx, uintptr_t *refcook,
				  uintptr_t *defcook, La_x86_64_regs *regs, unsigned int *flags,
				  const char *symname, long int *framesizep);
unsigned int la_x86_64_gnu_pltexit(Elf64_Sym *sym, unsigned int ndx, uintptr_t *refcook,
				   uintptr_t *defcook, const La_x86_64_regs *inregs,
				   La_x86_64_retval *outregs, const char *symname);

#endif /* LAV_CURRENT */
#endif /* __ASSEMBLER__ */

#endif
