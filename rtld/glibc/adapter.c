/*
 * The glibc adapter, core side: ld-teach stands in for glibc's
 * ld-linux-x86-64.so.2.
 *
 * glibc's libc.so.6 cannot run without its own loader's data: it reads
 * _rtld_global and _rtld_global_ro, walks glibc-layout link_maps, and
 * expects the thread pointer, the stack guard and its CPU description to
 * exist before any of its code runs, even its IFUNC resolvers.  So for a
 * glibc program ld-teach
 *   - serves the name ld-linux-x86-64.so.2 with a stand-in object of its
 *     own (libc/ldso.c), which defines what libc imports, with glibc's
 *     versions, and is mapped instead of the real ld.so;
 *   - keeps a glibc link_map for every object (linkmap.c);
 *   - before relocating anything but the stand-in, fills glibc's loader
 *     data, describes the CPU and builds the main thread (thread.c);
 *   - after relocation, copies the TLS images, calls libc's
 *     __libc_early_init, and runs constructors in glibc's order
 *     (order.c), leaving the program's own to __libc_start_main;
 *   - serves libc's dl* calls and error protocol (runtime.c).
 * It runs only with the libc.so.6 its layouts were generated from: the
 * build-id is checked first.
 */
#include "glibc.h"
#include "alloc.h"
#include "arch.h"
#include "audit.h"
#include "bridge.h"
#include "cache.h"
#include "cpu.h"
#include "search.h"
#include "init.h"
#include "libc.h"
#include "load.h"
#include "reloc.h"
#include "page.h"
#include "print.h"
#include "str.h"
#include "symbols.h"
#include "sys.h"
#include "tls.h"
#include "trace.h"

#define LDSO_NAME "ld-linux-x86-64.so.2"
#define PF_READ_WRITE 6  /* glibc's _dl_stack_flags, without PF_X: no executable stack */
#define FPU_DEFAULT 0x37f
#define MINSIGSTKSZ_DEFAULT 2048  /* <signal.h>'s MINSIGSTKSZ, for kernels without AT_MINSIGSTKSZ */

struct lt_glibc lt_glibc;

/* glibc's loader (or the stand-in) needs nothing, and is known by its soname. */
static int is_glibc_loader(const struct lt_object *obj)
{
	return obj->soname && !strcmp(obj->soname, LDSO_NAME);
}

/* glibc's objects need its libc or its loader, or are its loader. */
static int claims(const struct lt_object *obj)
{
	return lt_object_needs(obj, "libc.so.6") || lt_object_needs(obj, LDSO_NAME) ||
	       is_glibc_loader(obj);
}

/* The stand-in, next to ld-teach.so. */
static const char *ldso_path(void)
{
	static char ldso_made[LT_PATH_MAX] LT_LARGE_BSS;  /* (away from home) */
	static const char *path;
	static const char *const layouts[] = {"/ld-teach/glibc/" LDSO_NAME, "/build/glibc/" LDSO_NAME};
	if (!path)
		path = lt_beside_self(layouts, sizeof layouts / sizeof *layouts, ldso_made);
	return path;
}

static const char *serves(const char *name)
{
	return strcmp(name, LDSO_NAME) ? 0 : ldso_path();
}

/* glibc's loader by a path to it (/lib64/ld-linux-x86-64.so.2), as glibc's
 * loader finds itself: the stand-in. */
static const char *own_file(const struct lt_object *obj)
{
	const char *ldso = ldso_path();
	return is_glibc_loader(obj) && ldso && strcmp(obj->path, ldso) ? ldso : 0;
}

/* ----- which libc.so.6 ----- */

static int same_build(const struct lt_object *libc)
{
	static const unsigned char expected[] = GLIBC_LIBC_BUILD_ID_BYTES;
	size_t len = 0;
	const unsigned char *id = lt_object_build_id(libc, &len);
	if (id && len == sizeof expected && !memcmp(id, expected, len))
		return 1;
	char found[129] = "none";
	if (id)
		lt_hex(found, sizeof found, id, len);
	lt_error("%s: build-id %s, but ld-teach was built for %s (" GLIBC_LIBC_BUILD_ID "): "
		 "rebuild ld-teach with `make` against this glibc", libc->path, found,
		 GLIBC_VERSION_STRING);
	return 0;
}

static int supported(void)
{
	lt_glibc.libc = lt_find_loaded("libc.so.6");
	lt_glibc.ldso = lt_find_loaded(LDSO_NAME);
	if (!lt_glibc.libc || !lt_glibc.ldso) {
		lt_error("%s: a glibc program without %s: cannot start it", lt.main->path,
			 lt_glibc.libc ? LDSO_NAME : "libc.so.6");
		return 0;
	}
	/* (The build checked libc's _thread_db_* descriptors against the layouts;
	 * the same build-id is the same file.) */
	if (!same_build(lt_glibc.libc))
		return 0;
	lt_glibc_read_tunables();  /* (the static TLS surplus depends on two) */
	return 1;
}

/* ----- start-up ----- */

/* The stand-in first: its code runs before anything else is relocated.
 * Its start function tells where its data is. */
static const struct lt_glibc_ldso_ops *start_ldso(void)
{
	struct lt_object *ldso = lt_glibc.ldso;
	if (lt_relocate_in_order(&ldso, 1) < 0)
		lt_die();
	/* (Looked up as for a PLT slot: an undefined symbol's value defines nothing.) */
	struct lt_ref ref = lt_ref_of(LT_ADAPTER_START_SYMBOL, 0, LT_LOOKUP_PLT);
	struct lt_symdef start = {lt_find_in_object(ldso, &ref), ldso};
	if (!start.sym)
		lt_fatal("%s: not ld-teach's stand-in for " LDSO_NAME " (no %s)", ldso->path,
			 LT_ADAPTER_START_SYMBOL);
	const struct lt_glibc_ldso_ops *ops =
		((lt_glibc_start_fn *)lt_symbol_address(&start))(&lt_glibc_bridge);
	lt_glibc.gl = ops->rtld_global;
	lt_glibc.glro = ops->rtld_global_ro;
	lt_glibc.rseq_size = ops->rseq_size;
	lt_glibc.rseq_offset = ops->rseq_offset;
	lt_glibc.initial_report_events = ops->initial_report_events;
	*ops->dl_argv = lt.argv;
	*ops->libc_enable_secure = lt.secure;
	*ops->libc_stack_end = lt.argv - 1;
	return ops;
}

static void empty_list(size_t off)
{
	uintptr_t head = (uintptr_t)lt_glibc.gl + off;
	GLIBC_AT(head, GLIBC_OFF_list_t__next, uintptr_t) = head;
	GLIBC_AT(head, GLIBC_OFF_list_t__prev, uintptr_t) = head;
}

/* _rtld_global: one namespace, its three recursive locks, empty thread lists. */
static void fill_global(void)
{
	static const size_t locks[] = {GLIBC_OFF_rtld_global___dl_load_lock,
				       GLIBC_OFF_rtld_global___dl_load_write_lock,
				       GLIBC_OFF_rtld_global___dl_load_tls_lock};
	GL(_dl_nns, size_t) = 1;
	for (size_t i = 0; i < 3; i++)
		GLIBC_AT(lt_glibc.gl, locks[i] + GLIBC_OFF_pthread_mutex____kind, int) =
			1; /* PTHREAD_MUTEX_RECURSIVE_NP */
	/* (libc gives the threads it makes executable stacks when PF_X is there.) */
	GL(_dl_stack_flags, uint32_t) = PF_READ_WRITE | (lt_stack_executable() ? PF_X : 0);
	empty_list(GLIBC_OFF_rtld_global___dl_stack_used);
	empty_list(GLIBC_OFF_rtld_global___dl_stack_user);
	empty_list(GLIBC_OFF_rtld_global___dl_stack_cache);
}


static uintptr_t aux_or(unsigned type, uintptr_t otherwise)
{
	return type < LT_AUX_MAX && lt.aux[type] ? lt.aux[type] : otherwise;
}

/*
 * glibc's description of the CPU: its IFUNC resolvers read it, and the
 * library search (glibc-hwcaps subdirectories) needs it before anything is
 * mapped but the program.  Made once, at the first need; copied into
 * _rtld_global_ro once the stand-in is there.  Its platform name (e.g.
 * "haswell") is also what $PLATFORM means for a glibc program.
 */
static struct cpu_description {
	unsigned char features[GLIBC_SIZEOF_cpu_features];
	uint64_t hwcap, hwcap2;
	const char *platform;
	unsigned isa_level;  /* lt_x86_isa_level's */
	int done;
} cpu;

static const struct cpu_description *describe_cpu(void)
{
	if (cpu.done)
		return &cpu;
	cpu.hwcap2 = aux_or(AT_HWCAP2, 0);
	cpu.platform = lt.platform;
	lt_glibc_cpu_init(cpu.features, &cpu.hwcap, &cpu.hwcap2, &cpu.platform);
	lt.platform = cpu.platform;
	cpu.isa_level = lt_x86_isa_level(cpu.features);
	cpu.done = 1;
	struct lt_glibc_cpu search = {cpu.isa_level, cpu.hwcap, cpu.platform};
	lt_glibc_search_setup(&search, LT_GLIBC_CACHE_FILE);
	return &cpu;
}

static const char *const *search_subdirs(void)
{
	describe_cpu();
	return lt_glibc_search_subdirs();
}

static int search_default(struct lt_search *s)
{
	describe_cpu();
	return lt_glibc_search_default(s);
}

/* glibc checks every object but its own ld.so, which would not have run on
 * a CPU it is too new for; the stand-in for it says nothing of ISA levels. */
static int admit(const struct lt_object *obj)
{
	return lt_glibc_isa_admit(obj, lt_x86_isa_1(describe_cpu()->features));
}

static void publish_cpu(void)
{
	const struct cpu_description *c = describe_cpu();
	memcpy(lt_glibc.glro + GLIBC_OFF_rtld_global_ro___dl_x86_cpu_features, c->features,
	       sizeof c->features);
	GLRO(_dl_hwcap, uint64_t) = c->hwcap;
	GLRO(_dl_hwcap2, uint64_t) = c->hwcap2;
	GLRO(_dl_platform, const char *) = c->platform;
	GLRO(_dl_platformlen, size_t) = c->platform ? strlen(c->platform) : 0;
}

/* A function of the vDSO, of the version glibc asks for, `req` (0 without a vDSO). */
static uintptr_t vdso_function(const char *name, const struct lt_verreq *req)
{
	struct lt_ref ref = lt_ref_of(name, req, 0);
	struct lt_symdef d = {0, lt_vdso_symbols()};
	if (d.obj)
		d.sym = lt_find_in_object(d.obj, &ref);
	return d.sym ? lt_symbol_address(&d) : 0;
}

/* libc calls the kernel's clock and cpu functions through these pointers
 * when they are set, and makes a system call when not.  (Its IFUNCs for
 * time and gettimeofday look in the vDSO's link_map, _dl_sysinfo_map.) */
static void publish_vdso(void)
{
	const struct lt_verreq req = {"LINUX_2.6", lt_sysv_hash("LINUX_2.6"), 0};
	GLRO(_dl_vdso_clock_gettime64, uintptr_t) = vdso_function("__vdso_clock_gettime", &req);
	GLRO(_dl_vdso_gettimeofday, uintptr_t) = vdso_function("__vdso_gettimeofday", &req);
	GLRO(_dl_vdso_time, uintptr_t) = vdso_function("__vdso_time", &req);
	GLRO(_dl_vdso_getcpu, uintptr_t) = vdso_function("__vdso_getcpu", &req);
	GLRO(_dl_vdso_clock_getres_time64, uintptr_t) = vdso_function("__vdso_clock_getres", &req);
}

/* _rtld_global_ro: what the kernel told us, and glibc's description of the CPU. */
static void fill_global_ro(void)
{
	GLRO(_dl_pagesize, size_t) = aux_or(AT_PAGESZ, LT_PAGE_SIZE);
	GLRO(_dl_minsigstacksize, size_t) = aux_or(AT_MINSIGSTKSZ, MINSIGSTKSZ_DEFAULT);
	GLRO(_dl_clktck, int) = (int)aux_or(AT_CLKTCK, 0);
	GLRO(_dl_fpu_control, uint16_t) = (uint16_t)aux_or(AT_FPUCW, FPU_DEFAULT);
	GLRO(_dl_auxv, Elf64_auxv_t *) = lt.auxv;
	GLRO(_dl_sysinfo_dso, uintptr_t) = aux_or(AT_SYSINFO_EHDR, 0);
	GLRO(_dl_sysinfo_map, void *) = lt_glibc_map(lt_vdso_symbols());
	publish_vdso();
	publish_cpu();
}

/* What the trace says of the CPU: glibc's platform name and the best
 * glibc-hwcaps level it allows. */
static void trace_cpu(void)
{
	const struct cpu_description *c = describe_cpu();
	const char *level = lt_glibc_hwcaps_name(c->isa_level, 0);
	trace_adapter_step("glibc", "_rtld_global_ro: page size %zu, platform %s, CPU up to %s",
			   GLRO(_dl_pagesize, size_t), c->platform ? c->platform : "(none)",
			   level ? level : "x86-64 (baseline)");
}

static void trace_maps(void)
{
	unsigned char *ns = lt_glibc.gl + GLIBC_OFF_rtld_global___dl_ns;
	trace_adapter_step("glibc", "%u link maps in namespace 0, in load order, for libc and debuggers",
			   GLIBC_AT(ns, GLIBC_OFF_link_namespaces___ns_nloaded, unsigned));
}

static int before_relocation(void)
{
	const struct lt_glibc_ldso_ops *ldso = start_ldso();
	trace_adapter_step("glibc", "%s relocated first: _rtld_global at %p, _rtld_global_ro at %p",
			   lt_glibc.ldso->path, (void *)lt_glibc.gl, (void *)lt_glibc.glro);
	fill_global();
	fill_global_ro();
	trace_cpu();
	lt_glibc_publish_maps();
	trace_maps();
	lt_glibc_main_thread();
	lt_error_use_slots(ldso->error_slot);
	lt_glibc_fill_function_slots();
	return 0;
}

static int after_relocation(void)
{
	lt_glibc_fill_static_tls();
	return 0;
}

/* A function as libc itself finds it, of glibc's first version `req`
 * (libc's allocator): in the global scope, or, when audit modules started
 * libc before the program's libraries were loaded, in theirs. */
static void *libc_function(const char *name, const struct lt_verreq *req)
{
	struct lt_ref ref = lt_ref_of(name, req, 0);
	void *value;
	struct lt_symdef d = lt_lookup(&ref, lt_glibc.libc);
	if (!d.sym || lt_symbol_value(&d, &value) < 0)
		lt_fatal("%s: no %s, which ld-teach needs for glibc's threads", lt.main->path, name);
	return value;
}

/* _rtld_global_ro is complete: from now on it is read-only, function
 * pointers included (the stand-in gives it whole pages). */
static void protect_global_ro(void)
{
	size_t len = page_up(GLIBC_SIZEOF_rtld_global_ro);
	if (sys_mprotect(lt_glibc.glro, len, PROT_READ) < 0)
		lt_fatal("%s: cannot make _rtld_global_ro read-only", lt_glibc.ldso->path);
	trace_adapter_step("glibc", "relro: _rtld_global_ro %p-%p now read-only", (void *)lt_glibc.glro,
			   (void *)(lt_glibc.glro + len));
}

/* libc is relocated: its allocator serves dtvs, dynamic TLS and error messages
 * from now on, and its own early initialisation runs before any constructor. */
static void before_constructors(void)
{
	const struct lt_verreq first = {"GLIBC_2.2.5", lt_sysv_hash("GLIBC_2.2.5"), 0};
	lt_glibc.malloc = libc_function("malloc", &first);
	lt_glibc.calloc = libc_function("calloc", &first);
	lt_glibc.realloc = libc_function("realloc", &first);
	lt_glibc.free = libc_function("free", &first);
	struct lt_verreq req = {"GLIBC_PRIVATE", lt_sysv_hash("GLIBC_PRIVATE"), 0};
	struct lt_ref ref = lt_ref_of("__libc_early_init", &req, 0);
	struct lt_symdef early = {lt_find_in_object(lt_glibc.libc, &ref), lt_glibc.libc};
	if (!early.sym)
		lt_fatal("%s: no __libc_early_init", lt_glibc.libc->path);
	/* Then libc's dlsym reports to audit modules (the bridge): before
	 * la_version has chosen, so the core checks again. */
	GLRO(_dl_naudit, unsigned) = lt_audit_modules_loaded();
	protect_global_ro();
	trace_adapter_step("glibc", "%s relocated: its malloc serves dtvs and dynamic TLS now; "
			   "calling __libc_early_init", lt_glibc.libc->path);
	((void (*)(_Bool))lt_symbol_address(&early))(1);
	lt_glibc_fork_handler_at_start();
}

/* Constructors of everything but the program (its own run from
 * __libc_start_main), then the program with the finalizer in %rdx. */
static void hand_off(struct lt_handoff *out)
{
	trace_handing_over("glibc", lt_glibc.libc->path);
	lt_run_initializers(0);
	lt_program_constructed_by_libc();
	out->fini = lt_run_finalizers;
}

/* A start-up object may register fork handlers; every object gets a link map. */
static int object_added(struct lt_object *obj)
{
	if (!lt.started)
		lt_glibc_note_fork_handler_user(obj);
	return lt_glibc_map_added(obj);
}

const struct lt_libc_adapter lt_glibc_adapter = {
	.name = "glibc",
	.loader_name = LDSO_NAME,
	.claims = claims,
	.serves = serves,
	.own_file = own_file,
	.system_dirs = "/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib:/usr/lib",
	.search_default = search_default,
	.search_subdirs = search_subdirs,
	.supported = supported,
	.init_order = lt_glibc_init_order,
	.init_order_rule = "glibc's: depth-first, from the objects in the reverse of their load order",
	.dlopen_refuses_program = 1,
	.absolute_origins = 1,
	.libc_traces_start = 1,
	.fini_order = lt_glibc_fini_order,
	.fini_order_rule = "glibc's: every object before what it needs or bound to, else in load order",
	.before_relocation = before_relocation,
	.after_relocation = after_relocation,
	.before_constructors = before_constructors,
	.hand_off = hand_off,
	.object_added = object_added,
	.admit = admit,
	.public_map = lt_glibc_map,
	.object_relocated = lt_glibc_map_relocated,
	.object_global = lt_glibc_map_global,
	.object_removing = lt_glibc_map_removing,
	.loading_done = lt_glibc_search_done,
	.tls_surplus = lt_glibc_tls_surplus,
	.tls_optional = lt_glibc_tls_optional,
	.tls_add = lt_glibc_tls_add,
	.tls_remove = lt_glibc_tls_remove,
	.tls_block = lt_glibc_tls_block,
	.tls_get_addr = lt_glibc_tls_get_addr_slow,
	.lock = lt_glibc_lock,
	.unlock = lt_glibc_unlock,
};
