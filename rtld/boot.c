/*
 * Start-up: from the kernel's hand-over to the jump into the program.
 *
 *   1. relocate ld-teach.so itself (nothing may read our data before), then
 *      make its RELRO read-only;
 *   2. read argc, argv, envp and the auxiliary vector from the stack;
 *   3. find the program: mapped by the kernel (PT_INTERP mode), or mapped
 *      by us (command mode, when the kernel started ld-teach.so itself);
 *   4. load preloads and dependencies, breadth-first; the objects decide
 *      the process's libc, and so its adapter (libc.c).  Audit modules
 *      come first, and the libc comes up with them, so that they run
 *      while the program's libraries are found (start_libc_for_audit);
 *   5. check versions, lay out static TLS, relocate everything,
 *      dependencies before the objects that use them, with the adapter's
 *      hooks before and after: with the answers of the program's prelink
 *      cache when it has one that fits (prelink.c), else looking symbols up;
 *   6. hand over to the adapter: thread pointer, constructors;
 *   7. jump to the program's entry point (arch/x86_64/start.S).
 */
#include "rtld.h"
#include "alloc.h"
#include "arch.h"
#include "audit.h"
#include "init.h"
#include "libc.h"
#include "load.h"
#include "look.h"
#include "prelink.h"
#include "relr.h"
#include "reloc.h"
#include "report.h"
#include "symbols.h"
#include "symindex.h"
#include "str.h"
#include "sys.h"
#include "tls.h"
#include "trace.h"

struct lt_state lt;

/* Provided by the linker: our own ELF header and dynamic section. */
extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));
extern Elf64_Dyn _DYNAMIC[] __attribute__((visibility("hidden")));

/*
 * ld-teach.so is linked so that it needs only relative relocations (the
 * build checks this).  This runs before any of them is applied, so it may
 * use no pointer stored in our data: only locals, and code and data it
 * reaches %rip-relative.
 */
static inline __attribute__((always_inline)) void self_relocate(uintptr_t base)
{
	const Elf64_Rela *rela = 0;
	const uint64_t *relr = 0;
	size_t relasz = 0, relrsz = 0;
	for (const Elf64_Dyn *d = _DYNAMIC; d->d_tag != DT_NULL; d++) {
		if (d->d_tag == DT_RELA)
			rela = (const Elf64_Rela *)(base + d->d_un.d_ptr);
		else if (d->d_tag == DT_RELASZ)
			relasz = d->d_un.d_val;
		else if (d->d_tag == DT_RELR)
			relr = (const uint64_t *)(base + d->d_un.d_ptr);
		else if (d->d_tag == DT_RELRSZ)
			relrsz = d->d_un.d_val;
	}
	for (size_t i = 0; i < relasz / sizeof *rela; i++)
		if (ELF64_R_TYPE(rela[i].r_info) == ARCH_R_RELATIVE)
			*(uint64_t *)(base + rela[i].r_offset) = base + rela[i].r_addend;
	lt_relr_apply(base, relr, relrsz / 8, 0, 0);
}

static void read_initial_stack(uintptr_t *sp)
{
	lt.argc = (int)sp[0];
	lt.argv = (char **)(sp + 1);
	lt.envp = lt.argv + lt.argc + 1;
	char **e = lt.envp;
	while (*e)
		e++;
	lt.auxv = (Elf64_auxv_t *)(e + 1);
	for (Elf64_auxv_t *a = lt.auxv; a->a_type != AT_NULL; a++)
		if (a->a_type < LT_AUX_MAX)
			lt.aux[a->a_type] = a->a_un.a_val;
	lt.platform = (const char *)lt.aux[AT_PLATFORM];
	/* AT_SECURE, or (the stricter rule, doc/design.md) real and effective ids that differ. */
	lt.secure = lt.aux[AT_SECURE] || lt.aux[AT_UID] != lt.aux[AT_EUID] ||
		    lt.aux[AT_GID] != lt.aux[AT_EGID];
}

void lt_stack_remove(uintptr_t *at, size_t n)
{
	uintptr_t *end = (uintptr_t *)lt.auxv;
	while (((Elf64_auxv_t *)end)->a_type != AT_NULL)
		end += 2;
	end += 2;
	memmove(at, at + n, (end - at - n) * sizeof *end);
	if ((uintptr_t *)lt.envp > at)
		lt.envp -= n;
	lt.auxv = (Elf64_auxv_t *)((uintptr_t *)lt.auxv - n);
}

static void apply_environment(void)
{
	lt_audit_request(lt.env.audit);  /* (secure mode too: audit.c applies glibc's limits) */
	if (lt.env.trace_loaded_objects && lt.secure)
		sys_exit(5);  /* glibc's loader: a set-user-id program is not traced (its addresses), silently */
	if (lt.env.trace_loaded_objects)
		lt.mode = LT_MODE_TRACE;
	if (lt.secure)
		return;  /* glibc ignores these in set-user-id programs; so do we */
	lt.library_path = lt.env.library_path;
	lt.preload = lt.env.preload;
	lt.bind_now = lt.env.bind_now && *lt.env.bind_now;
}

/* Adopt an object the kernel mapped, given its ELF header in memory. */
static struct lt_object *adopt_mapped(enum lt_kind kind, const char *path, const Elf64_Ehdr *eh)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);
	uintptr_t base = 0;
	for (unsigned i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			base = (uintptr_t)eh - (ph[i].p_vaddr - ph[i].p_offset);
			break;
		}
	struct lt_object *obj = lt_object_new(kind, path);
	if (!obj || lt_object_from_memory(obj, ph, eh->e_phnum, base) < 0)
		lt_die();
	obj->entry = base + eh->e_entry;
	return obj;
}

/* Is the file open at `fd` the program's (see lt_object_check_kernel_file)?
 * 0: yes; 1: no, and the error says why; NOT_ELF: no ELF file at all, so
 * not the program (a #! script); fd itself when it is -errno. */
#define NOT_ELF 2
static long check_program_file(struct lt_object *main, long fd)
{
	if (fd < 0)
		return fd;
	int r = lt_object_check_kernel_file(main, fd, (const Elf64_Phdr *)lt.aux[AT_PHDR],
					    lt.aux[AT_PHNUM], lt.aux[AT_ENTRY]);
	sys_close(fd);
	return r < 0 ? 1 : r ? NOT_ELF : 0;
}

/* (O_NONBLOCK: a FIFO put at the path must not block the start; O_NOCTTY:
 * nor a terminal become the controlling one.) */
#define PROGRAM_OPEN_FLAGS (O_RDONLY | O_NONBLOCK | O_NOCTTY)
static long open_program(const char *file)
{
	return sys_open(file, PROGRAM_OPEN_FLAGS);
}

/*
 * Open the program's path.  An absolute path opened through no link
 * (openat2's RESOLVE_NO_SYMLINKS): *linkless says so, and the program's
 * $ORIGIN may come from it (lt_object_program_path_linkless).  A link on
 * the way (ELOOP), or a kernel or seccomp profile without openat2: a
 * plain open.
 */
static long open_program_path(const char *path, int *linkless)
{
	*linkless = 0;
	if (*path == '/') {
		long fd = sys_open_resolve(path, PROGRAM_OPEN_FLAGS, RESOLVE_NO_SYMLINKS);
		if (fd >= 0 || fd == -ENOENT) {
			*linkless = fd >= 0;
			return fd;
		}
	}
	return open_program(path);
}

/*
 * PT_INTERP mode: the kernel mapped the program, and the auxiliary vector
 * says where.  Nothing of it is trusted before its file has passed the
 * checks command mode makes, and the mapping matches the file.  Which file:
 * /proc/self/exe is the very file the kernel ran, even if renamed or
 * replaced since, but reaching it makes the kernel build the /proc entries
 * of a new process, about 10 us more than a plain path.  The path execve
 * was given (AT_EXECFN) names the same file unless it was a #! script or
 * has changed since.  So it is tried first, and /proc/self/exe decides
 * when it is not the program's; in secure mode /proc/self/exe comes first
 * and alone (the path only without /proc).  When no file of the program
 * can be opened (an execute-only program, no descriptor free), the mapping
 * is taken as glibc's and musl's loaders take it, its program headers
 * checked in memory (lt_object_trust_kernel).  (A #! script without /proc
 * is refused: nothing names the program's file, nor its $ORIGIN.)
 */
static struct lt_object *adopt_program(void)
{
	const char *path = lt.aux[AT_EXECFN] ? (const char *)lt.aux[AT_EXECFN] : lt.argv[0];
	struct lt_object *main = lt_object_new(LT_MAIN, path);
	if (!main)
		lt_die();
	int linkless = 0;
	long r = lt.secure ? 1 : check_program_file(main, open_program_path(path, &linkless));
	if (r == 0 && linkless)
		lt_object_program_path_linkless(path);
	if (r) {
		long proc = check_program_file(main, open_program("/proc/self/exe"));
		if (proc >= 0)
			r = proc;
		else if (lt.secure)
			r = check_program_file(main, open_program(path));
	}
	if (r == NOT_ELF)
		lt_fatal("%s: not the program's file (a #! script?), and /proc/self/exe cannot be opened "
			 "to check the program", path);
	if (r == 1)
		lt_die();
	const Elf64_Phdr *phdr = (const Elf64_Phdr *)lt.aux[AT_PHDR];
	if (r && lt_object_trust_kernel(main, phdr, lt.aux[AT_PHNUM], lt.aux[AT_ENTRY]) < 0)
		lt_die();
	if (r)
		trace_program_unread(path, lt_strerror(-r));
	lt_error_clear();  /* (a first file's refusal, when /proc/self/exe passed) */
	if (lt_object_from_kernel(main, phdr, lt.aux[AT_PHNUM], lt.aux[AT_ENTRY]) < 0)
		lt_die();
	return main;
}

/*
 * Command mode runs programs: not ld-teach.so itself (the same soname,
 * glibc's test), nor a shared library, which has no PT_INTERP and no entry
 * point worth jumping to.  (--list still lists a library's dependencies.)
 * In both modes the entry point must be the program's code: ld-teach jumps
 * there, and a jump to a non-canonical address faults on the jump itself.
 */
static void check_runnable(void)
{
	const struct lt_object *main = lt.main;
	if (lt.command_mode && lt_object_is_loader(main))
		lt_fatal("%s: loader cannot load itself", main->path);
	if (lt.command_mode && !lt_object_interp(main))
		lt_fatal("%s: not a dynamic executable: it has no PT_INTERP (a shared library?)",
			 main->path);
	const struct lt_segment *code = lt_object_segment(main, main->entry, 1);
	if (!code || !(code->prot & PROT_EXEC))
		lt_fatal("%s: entry point %#lx lies in none of its executable segments", main->path,
			 (unsigned long)(main->entry - main->base));
}

static void adopt_vdso(void)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)lt.aux[AT_SYSINFO_EHDR];
	if (!eh)
		return;
	/* Its dynamic section is read only if dladdr asks about it: nothing binds to it. */
	lt.vdso = adopt_mapped(LT_VDSO, "linux-vdso.so.1", eh);
	lt_object_append(lt.vdso);
}

/* The program, then what it needs, breadth-first (preloads first): audit
 * modules, and what only they need, stay out.  (What the program needs of
 * theirs joins its link map here, if its search did not meet it.) */
static void build_global_scope(void)
{
	size_t n;
	struct lt_object **order = lt_dependency_order(lt.main, &n);
	if (!order)
		lt_fatal("out of memory building the global scope");
	for (size_t i = 0; i < n; i++) {
		lt_audit_objopen(order[i]);
		if ((order[i]->kind == LT_MAIN || order[i]->kind == LT_LIB) &&
		    lt_scope_add(&lt.global, order[i]) < 0)
			lt_die();
	}
	lt_free(order);
	/* Last, as glibc's ld.so: it provides __tls_get_addr to programs without a libc. */
	if (lt_scope_add(&lt.global, lt.self) < 0)
		lt_die();
	for (size_t i = 0; i < lt.global.n; i++)
		lt.global.objs[i]->in_global = 1;
	if (lt_debug_on(LT_DBG_SCOPES))
		lt_report_scopes();
}

static void lay_out_static_tls(void)
{
	for (struct lt_object *o = lt.head; o; o = o->next)
		lt_tls_assign_static(o);
	lt_tls_reserve_surplus(lt.libc->tls_surplus ? lt.libc->tls_surplus() : LT_TLS_SURPLUS,
			       lt.libc->tls_optional ? lt.libc->tls_optional() : LT_TLS_OPTIONAL);
}

/* In the order constructors will run: dependencies before the objects that use them. */
static struct lt_object **relocation_order(struct lt_object *root, size_t *n)
{
	struct lt_object **order = lt_init_order(root, n);
	if (!order)
		lt_fatal("out of memory ordering relocation");
	return order;
}

/* The program's relocation order, once the libc has admitted every object
 * of it (as glibc's loader checks them, after loading, before relocating). */
static struct lt_object **admitted_order(size_t *n)
{
	struct lt_object **order = relocation_order(lt.main, n);
	if (lt_libc_admit(order, *n) < 0)
		lt_die();
	return order;
}

/*
 * What will answer start-up's symbol lookups: the program's prelink cache
 * if it fits, or else lookups, through the global symbol index when the
 * scope is large.  (Under a cache the index is built only if a lookup
 * comes to need it.)  --prelink records the lookups' answers, and exits.
 */
static void prepare_answers(struct lt_object **order, size_t n)
{
	int cached = !lt.prelink_only && lt_prelink_use(order, n);
	if (lt_symindex_worthwhile(lt.global.n)) {
		if (cached)
			lt_symindex_defer();
		else
			lt_symindex_build();
	}
	if (lt.prelink_only)
		lt_prelink_record(order, n);
}

/* The objects from root down, relocated in that order. */
static int relocate_ordered(struct lt_object **order, size_t n)
{
	int r = lt_relocate_in_order(order, n);
	lt_free(order);
	return r;
}

static void adopt_libc_and_lay_out_tls(void)
{
	if (lt_libc_adopt_initial() < 0)
		lt_die();
	lay_out_static_tls();
}

/* The program and everything it needs, with the libc's start-up before and
 * after.  The answers are prepared before the libc's hook, which relocates
 * the glibc stand-in, so that it can take the cache's answers too. */
static void relocate_for_libc(void)
{
	size_t n;
	adopt_libc_and_lay_out_tls();
	struct lt_object **order = admitted_order(&n);
	prepare_answers(order, n);
	if (lt_libc_call(before_relocation) < 0 || relocate_ordered(order, n) < 0 ||
	    lt_libc_call(after_relocation) < 0)
		lt_die();
}

/*
 * A module that cannot be relocated is ignored, as glibc ignores it; but
 * not when a library it needs was left half-relocated (out of memory, say):
 * that library may be the program's too (its libc), and nothing can use it.
 */
static void module_relocation_failed(struct lt_object *module, struct lt_object **order, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (order[i] != module && !order[i]->relocated)
			lt_die();
	lt_audit_relocation_failed(module);
}

/* Audit modules and what they need (their libc among them), with the
 * libc's start-up: a module that fails is not used. */
static void relocate_modules(struct lt_object *const *modules, size_t n)
{
	adopt_libc_and_lay_out_tls();
	if (lt_libc_call(before_relocation) < 0)
		lt_die();
	for (size_t i = 0; i < n; i++) {
		size_t len;
		struct lt_object **order = relocation_order(modules[i], &len);
		if (lt_relocate_in_order(order, len) < 0)
			module_relocation_failed(modules[i], order, len);
		lt_free(order);
	}
	if (lt_libc_call(after_relocation) < 0)
		lt_die();
}

/*
 * Audit modules (audit.c) are called while the program's libraries are
 * found, so they, and the libc they share with the program, run before
 * those are loaded: the libc comes up with the modules (relocated, its
 * thread pointer set, constructors run), then la_version decides which
 * modules are used.  The program's libraries then join a running libc, as
 * a dlopen's would (join_running_libc).  Returns 1 when modules are in use.
 */
static int start_libc_for_audit(void)
{
	struct lt_object **modules;
	size_t n = lt_audit_load_modules(&modules);
	if (!n)
		return 0;
	relocate_modules(modules, n);
	lt_libc_do(before_constructors);
	for (size_t i = 0; i < n; i++)
		if (modules[i]->relocated)
			lt_run_initializers_of(modules[i]);
	lt_audit_begin();
	return 1;
}

/* The program's preloads, then its dependencies, breadth-first. */
static void load_program_libraries(void)
{
	struct lt_object *mark = lt.tail;
	if (lt_load_preloads(lt.preload) < 0 || lt_load_needed(lt.main) < 0 ||
	    (mark->next && lt_load_dependencies(mark->next) < 0))
		lt_die();
	lt_object_append(lt.self);
	lt_audit_objopen(lt.self);
	if (lt.vdso)
		lt_audit_objopen(lt.vdso);
}

/* Returns 1 when the libc runs already (audit modules started it), with
 * the last object it started with in *started. */
static int load_everything(struct lt_object **started)
{
	lt_debugger_init();
	lt_debugger_notify(LT_RT_ADD);
	if (lt_libc_note(lt.main) < 0)
		lt_die();
	int running = lt.mode == LT_MODE_RUN && !lt.prelink_only && start_libc_for_audit();
	*started = lt.tail;
	load_program_libraries();
	build_global_scope();
	for (struct lt_object *o = lt.head; o; o = o->next) {
		o->initial = 1;
		if (lt_versions_check(o) < 0)
			lt_look_failed(o);
	}
	if (lt_libc_adopt_initial() < 0)
		lt_look_failed(0);
	return running;
}

/*
 * The program's libraries join the libc that audit modules started: their
 * TLS goes where a dlopen's would, and, once everything is relocated, the
 * program's thread block gets the program's TLS image again (it was copied
 * before the program was relocated).  The modules' dependencies that the
 * program needs too (its libc) are relocated again, in the program's
 * scope, so that the program's copies of their data and its interpositions
 * take effect, as without modules.
 */
static void join_running_libc(struct lt_object *first_new)
{
	if (lt_libc_adopt_initial() < 0 || lt_place_new_tls(first_new) < 0)
		lt_die();
	size_t n;
	struct lt_object **order = admitted_order(&n);
	prepare_answers(order, n);
	if (relocate_ordered(order, n) < 0)
		lt_die();
	lt_tls_refill(lt.main);
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (o->audit_group && o->in_global && lt_relocate_again(o) < 0)
			lt_die();
	if (lt_install_new_tls(first_new) < 0)
		lt_die();
}

void rtld_start(uintptr_t *sp, struct lt_handoff *out)
{
	const uintptr_t self_base = (uintptr_t)&__ehdr_start;
	self_relocate(self_base);
	lt_strings_init();
	lt.libc = &lt_no_libc;
	/* Our own RELRO (.data.rel.ro, .dynamic, .got) is done: read-only from here on. */
	lt.self = adopt_mapped(LT_RTLD, LT_NAME, &__ehdr_start);
	lt.self->relocated = 1;
	if (lt_object_relro(lt.self) < 0)
		lt_die();
	read_initial_stack(sp);
	lt_read_environment();
	if (lt.secure)
		lt_remove_unsafe_environment();
	lt_debug_init();
	lt_mark_time(LT_MARK_START);
	lt_stack_init();
	apply_environment();

	lt.command_mode = lt.aux[AT_ENTRY] == self_base + __ehdr_start.e_entry;
	int prog_index = lt.command_mode ? lt_cmdline_parse() : 0;
	if (lt.command_mode && lt.aux[AT_EXECFN])
		lt.self->path = lt.self->name = (char *)lt.aux[AT_EXECFN];
	lt.main = lt.command_mode ? lt_cmdline_load_program(prog_index) : adopt_program();
	lt_object_append(lt.main);
	if (!lt.command_mode && lt_object_interp(lt.main))
		lt.self->path = lt.self->name = (char *)lt_object_interp(lt.main);
	lt.self_path = lt.self->path;
	if (lt_dynamic_parse(lt.main) < 0)
		lt_look_program_failed(lt.main->path);
	if (lt_dynamic_parse(lt.self) < 0)
		lt_die();
	if (lt.mode == LT_MODE_RUN)
		check_runnable();
	if (lt_stack_admit(lt.main) < 0)
		lt_look_failed(lt.main);
	if (lt_note_identity(lt.main) < 0 || lt_note_identity(lt.self) < 0)
		lt_die();
	adopt_vdso();
	if (!lt.secure && lt.env.show_auxv)
		lt_report_auxv();

	struct lt_object *last_started;
	int running = load_everything(&last_started);
	lt_mark_time(LT_MARK_LOADED);
	lt_look_loaded();
	if (running)
		join_running_libc(last_started);
	else
		relocate_for_libc();
	lt_audit_consistent();
	/* As glibc's loader: debuggers (and libthread_db, which reads libc's
	 * data) see the new objects once they are relocated. */
	lt_debugger_notify(LT_RT_CONSISTENT);
	lt_libc_do(loading_done);
	lt_mark_time(LT_MARK_RELOCATED);
	lt_look_relocated();

	out->entry = lt.main->entry;
	out->sp = (uintptr_t *)lt.argv - 1;
	out->fini = 0;
	if (!running)
		lt_libc_do(before_constructors);
	lt.started = 1;
	lt.libc->hand_off(out);
	lt_mark_time(LT_MARK_READY);
	if (lt_debug_on(LT_DBG_STATISTICS))
		lt_report_statistics();
	if (lt_debug_on(LT_DBG_MAPS))
		lt_report_maps();
	if (!lt.libc->libc_traces_start)
		trace_transfer(lt.main, out->entry);
}
