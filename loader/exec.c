/*
 * teach_execve: everything before the point of no return.
 *
 * Each step may still fail, and then the process is exactly as it was:
 *   1. find the program: follow #! scripts, open the ELF file, check it;
 *   2. open and check its interpreter (PT_INTERP);
 *   3. look at the process: its mappings, its auxv, its limits;
 *   4. allocate the stage mapping and plan the new image in it: where each
 *      object goes, the mmaps, the new stack and auxv, the limits it needs;
 *   5. copy the stage blob in and make it executable.
 * Then comes the point of no return: the jump to the stage (stage.c).
 */
#include <linux/rseq.h>
#include "ld-teach/exec.h"
#include "loader.h"
#include "exec_arch.h"
#include "syscalls.h"
#include "trace.h"

/* The stage blob (stage-blob.S): linked by stage.lds.S, position-independent. */
extern const unsigned char exec_stage_blob[], exec_stage_blob_end[];

/* glibc (2.35 and later) registers an rseq area per thread; other libcs leave these undefined. */
extern const long __rseq_offset __attribute__((weak));
extern const unsigned int __rseq_size __attribute__((weak));
#define RSEQ_SIG_X86 0x53053053

#define MAX_ARG_STRLEN (32 * LT_PAGE_SIZE) /* the kernel's limit for one string */
#define ARG_LIMIT_MAX (6UL << 20)          /* ...and for all, at most 3/4 of _STK_LIM */
#define ARG_LIMIT_MIN (32 * LT_PAGE_SIZE)  /* ...but at least ARG_MAX, whatever the stack limit */
#define MIN_STACK_GAP (128UL << 20)        /* the kernel keeps at least this below the stack */
#define PLACE_ATTEMPTS 16

#define FAIL(err, ...) (lt_error(__VA_ARGS__), (err))

struct exec_job {
	const struct teach_exec_options *opts;
	const char *path;                    /* as given: AT_EXECFN, the command name */
	const char *prefix[2 * SCRIPT_MAX_DEPTH + 1]; /* argv's head, rewritten by each #! */
	size_t nprefix;
	char *const *tail;                   /* the caller's argv after argv[0] */
	size_t ntail;
	char *const *envp;
	size_t envc;
	struct script_line scripts[SCRIPT_MAX_DEPTH];
	unsigned depth;
	struct exec_elf program, interp;
	int has_interp;
	char interp_path[4096];
	char who[STAGE_NAME_MAX * 2];        /* how messages name the program */
	struct proc_state proc;
	struct stage_range taken[STAGE_MAX_KEEP + 2];
	struct layout_env env;
	uint64_t brk;
	Elf64_auxv_t auxv[AUXV_MAX];
	struct stack_input stack;
	struct stack_layout lay;
	unsigned char *stage;                /* the stage mapping */
	size_t stage_size, code_size, image_room;
	struct stage_plan *plan;
	struct stage_map *maps;
	const char **argv;
	unsigned char *image;
};

static size_t count_strings(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

static int random64(uint64_t *v)
{
	long n = sys_getrandom(v, sizeof *v, 0);
	return n == sizeof *v ? 0 : FAIL(n < 0 ? (int)n : -EIO, "getrandom failed");
}

/* --- 1. the program, through any #! scripts -------------------------------- */

/* How messages name `file`: the path given, and what led from it to the file. */
static const char *name_of(struct exec_job *job, const char *file, int is_interp)
{
	char program[sizeof job->who];
	if (is_interp) {
		lt_format(program, sizeof program, "%s", name_of(job, job->program.path, 0));
		lt_format(job->who, sizeof job->who, "%s: interpreter %s", program, file);
	} else if (job->depth) {
		lt_format(job->who, sizeof job->who, "%s: #! interpreter %s", job->path, file);
	} else {
		lt_format(job->who, sizeof job->who, "%s", file);
	}
	return job->who;
}

static int open_checked(struct exec_job *job, struct exec_elf *e, const char *file, int is_interp)
{
	int err = file_open_executable(file, &e->fd, &e->size);
	if (err)
		return FAIL(err, "%s: %s", name_of(job, file, is_interp), lt_strerror(-err));
	e->path = file;
	return 0;
}

/* The kernel's rewrite: argv becomes interpreter, [argument,] script path, argv[1...]. */
static void rewrite_argv(struct exec_job *job, const char *file, const struct script_line *s)
{
	size_t add = s->arg ? 3 : 2;
	memmove(job->prefix + add, job->prefix + 1, (job->nprefix - 1) * sizeof *job->prefix);
	job->prefix[0] = s->interp;
	if (s->arg)
		job->prefix[1] = s->arg;
	job->prefix[add - 1] = file;
	job->nprefix += add - 1;
}

static int follow_script(struct exec_job *job, const char *file, const unsigned char *head,
			 size_t len)
{
	if (job->depth == SCRIPT_MAX_DEPTH)
		return FAIL(-ELOOP, "%s: too many levels of #! scripts (the kernel allows %d)",
			    name_of(job, file, 0), SCRIPT_MAX_DEPTH);
	struct script_line *s = &job->scripts[job->depth];
	if (script_parse(head, len, s))
		return FAIL(-ENOEXEC, "%s: cannot execute: its #! line names no interpreter, or one "
				      "cut off by the kernel's 256-byte limit",
			    name_of(job, file, 0));
	rewrite_argv(job, file, s);
	job->depth++;
	return 0;
}

static int not_executable(struct exec_job *job, struct exec_elf *e, int is_interp, int err,
			  const char *why)
{
	const char *who = name_of(job, e->path, is_interp);
	if (err == -ENOEXEC)
		return FAIL(err, "%s: cannot execute: %s", who, why);
	return FAIL(err, "%s: %s: %s", who, why, lt_strerror(-err));
}

/* Check e's headers (the first bytes of the file are in head) and its entry point. */
static int check_elf(struct exec_job *job, struct exec_elf *e, int is_interp)
{
	unsigned char head[SCRIPT_BUF_SIZE];
	long n = file_read_head(e->fd, head, sizeof head);
	if (n < 0)
		return not_executable(job, e, is_interp, (int)n, "cannot read");
	if (n < SELFMAG || memcmp(head, ELFMAG, SELFMAG))
		return FAIL(-ENOEXEC, "%s: cannot execute binary file: Exec format error",
			    name_of(job, e->path, is_interp));
	const char *why;
	int err = elf_read_headers(e, head, n, &why);
	if (err)
		return not_executable(job, e, is_interp, err, why);
	if (!elf_entry_is_executable(e))
		return FAIL(-ENOEXEC, "%s: cannot execute: the entry point 0x%lx is not in an executable segment",
			    name_of(job, e->path, is_interp), (unsigned long)e->ehdr.e_entry);
	return 0;
}

static int find_program(struct exec_job *job)
{
	const char *file = job->path;
	for (;;) {
		int err = open_checked(job, &job->program, file, 0);
		if (err)
			return err;
		unsigned char head[SCRIPT_BUF_SIZE];
		long n = file_read_head(job->program.fd, head, sizeof head);
		if (n < 2 || head[0] != '#' || head[1] != '!')
			break;
		sys_close(job->program.fd);
		job->program.fd = -1;
		if ((err = follow_script(job, file, head, n)))
			return err;
		file = job->scripts[job->depth - 1].interp;
	}
	int err = check_elf(job, &job->program, 0);
	if (err)
		return err;
	if (elf_wants_exec_stack(&job->program))
		return FAIL(-EACCES, "%s: cannot execute: it asks for an executable stack, and "
				     "ld-teach-exec never maps memory both writable and executable",
			    name_of(job, file, 0));
	return 0;
}

/* --- 2. the interpreter ------------------------------------------------------ */

static int find_interpreter(struct exec_job *job)
{
	if (!job->program.info.interp)
		return 0;
	const char *why;
	if (elf_read_interp(&job->program, job->interp_path, sizeof job->interp_path, &why))
		return FAIL(-ENOEXEC, "%s: cannot execute: %s", name_of(job, job->program.path, 0), why);
	int err = open_checked(job, &job->interp, job->interp_path, 1);
	if (!err)
		err = check_elf(job, &job->interp, 1);
	job->has_interp = !err;
	return err;
}

/* --- 3. the process ------------------------------------------------------------ */

static int survey_process(struct exec_job *job)
{
	int err = proc_survey(&job->proc);
	if (err)
		return err;
	if (job->proc.threads < 0)
		return FAIL(-EIO, "cannot read the thread count from /proc/self/status");
	if (job->proc.threads != 1)
		return FAIL(-EBUSY, "%s: the calling process has %ld threads; execve would end the "
				    "others, teach_execve cannot: call it from a single-threaded process",
			    job->path, job->proc.threads);
	return 0;
}

/*
 * The kernel's E2BIG rules: each string at most 128 KiB; all of them, with
 * their pointers, at most a quarter of RLIMIT_STACK, but never less than
 * 128 KiB nor more than 6 MiB.
 */
static int check_argument_sizes(struct exec_job *job, uint64_t *strings)
{
	uint64_t total = strlen(job->path) + 1;
	size_t argc = job->nprefix + job->ntail;
	for (size_t i = 0; i < argc + job->envc; i++) {
		const char *s = i < job->nprefix ? job->prefix[i]
			      : i < argc ? job->tail[i - job->nprefix] : job->envp[i - argc];
		uint64_t len = strlen(s) + 1;
		if (len > MAX_ARG_STRLEN)
			return FAIL(-E2BIG, "%s: argument list too long: one string has %lu bytes, the "
					    "limit is %lu", job->path, (unsigned long)len, MAX_ARG_STRLEN);
		total += len;
	}
	uint64_t limit = job->proc.rlim_stack / 4 < ARG_LIMIT_MAX ? job->proc.rlim_stack / 4
								   : ARG_LIMIT_MAX;
	if (limit < ARG_LIMIT_MIN)
		limit = ARG_LIMIT_MIN;
	if (total + 8 * (argc + job->envc) > limit)
		return FAIL(-E2BIG, "%s: argument list too long: %lu bytes of arguments and "
				    "environment, the limit is %lu (a quarter of RLIMIT_STACK, "
				    "within 128 KiB and 6 MiB)",
			    job->path, (unsigned long)(total + 8 * (argc + job->envc)),
			    (unsigned long)limit);
	*strings = total;
	return 0;
}

/* --- 4. the stage mapping and the plan ---------------------------------------- */

/*
 * What the new stack's size depends on, known before anything is placed.
 * The auxv's length depends on its template alone: its values come once
 * the objects are placed.  The random gap is drawn last, and the stage
 * sets aside room for the largest, so that the stage's size, which the
 * limits count, does not depend on chance.
 */
static void begin_stack(struct exec_job *job)
{
	struct stack_input *in = &job->stack;
	static const struct auxv_facts unknown_yet;
	in->top = job->proc.stack.end;
	in->argc = job->nprefix + job->ntail;
	in->envp = (const char *const *)job->envp;
	in->envc = job->envc;
	in->execfn = job->path;
	in->platform = EXEC_PLATFORM;
	in->auxv = job->auxv;
	in->nauxv = auxv_build(job->proc.auxv, job->proc.nauxv, &unknown_yet, job->auxv);
}

/* One mapping holds the stage's code, its stack, the plan, the mmaps, argv and the stack image. */
static int allocate_stage(struct exec_job *job, uint64_t strings)
{
	size_t argc = job->nprefix + job->ntail;
	size_t nmaps = 2 * (job->program.info.nloads + (job->has_interp ? job->interp.info.nloads : 0));
	begin_stack(job);
	job->image_room = stack_room(&job->stack, strings);
	job->code_size = page_up(exec_stage_blob_end - exec_stage_blob);
	size_t data = sizeof(struct stage_plan) + nmaps * sizeof(struct stage_map) +
		      (argc + 1) * sizeof(char *) + job->image_room;
	job->stage_size = job->code_size + STAGE_STACK_SIZE + page_up(data);
	void *p = sys_mmap(0, job->stage_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sys_mmap_failed(p))
		return FAIL((int)(long)p, "%s: cannot allocate the stage (%lu KiB): %s", job->path,
			    (unsigned long)(job->stage_size >> 10), lt_strerror(-(int)(long)p));
	job->stage = p;
	job->plan = (struct stage_plan *)(job->stage + job->code_size + STAGE_STACK_SIZE);
	job->maps = (struct stage_map *)(job->plan + 1);
	job->argv = (const char **)(job->maps + nmaps);
	job->image = (unsigned char *)(job->argv + argc + 1);
	if (proc_keep(&job->proc, (uint64_t)job->stage, (uint64_t)job->stage + job->stage_size))
		return FAIL(-ENOMEM, "%s: too many mappings to keep", job->path);
	return 0;
}

/*
 * The kernel's mmap gap below the stack: RLIMIT_STACK plus the guard gap,
 * at least 128 MiB and at most 5/6 of the address space.
 */
static uint64_t stack_gap(uint64_t rlim_stack)
{
	uint64_t gap = rlim_stack + (1UL << 20);
	if (gap < rlim_stack || gap > EXEC_USER_TOP / 6 * 5)
		gap = EXEC_USER_TOP / 6 * 5;
	return gap < MIN_STACK_GAP ? MIN_STACK_GAP : gap;
}

static void take(struct exec_job *job, uint64_t start, uint64_t end)
{
	job->taken[job->env.nkeep++] = (struct stage_range){start, end};
}

static void prepare_layout(struct exec_job *job)
{
	memcpy(job->taken, job->proc.keep, job->proc.nkeep * sizeof *job->taken);
	job->env = (struct layout_env){
		.randomize = job->proc.randomize,
		.rnd_bits = job->proc.rnd_bits,
		.mmap_min_addr = job->proc.mmap_min_addr,
		.stack_gap = stack_gap(job->proc.rlim_stack),
		.stack_end = job->proc.stack.end,
		.keep = job->taken,
		.nkeep = job->proc.nkeep,
	};
}

/*
 * Choose e's bias: random ones are drawn again when they collide with what
 * stays or is taken; a fixed one for an ET_DYN object slides down instead.
 */
static int place_object(struct exec_job *job, struct exec_elf *e, int is_interp)
{
	int is_dyn = e->ehdr.e_type == ET_DYN;
	for (int attempt = 0; attempt < PLACE_ATTEMPTS; attempt++) {
		uint64_t rnd;
		int err = random64(&rnd);
		if (err)
			return err;
		e->bias = is_interp ? layout_interp_bias(&e->info, is_dyn, &job->env, rnd)
				    : layout_program_bias(&e->info, is_dyn, &job->env, rnd);
		uint64_t start = e->bias + e->info.lo, end = e->bias + e->info.hi;
		if (is_dyn && !job->env.randomize) {
			uint64_t slid = layout_slide_down(start, end, layout_alignment(&e->info),
							  &job->env);
			e->bias += slid - start;
			start = slid;
			end = slid + (e->info.hi - e->info.lo);
		}
		if (start && layout_fits(start, end, &job->env)) {
			take(job, start, end);
			return 0;
		}
		if (!is_dyn || !job->env.randomize)
			break;
	}
	return FAIL(-ENOMEM, "%s: no room at 0x%lx-0x%lx: it would overlap the stack, the vDSO "
			     "or the stage, or leave the address space",
		    name_of(job, e->path, is_interp), (unsigned long)(e->bias + e->info.lo),
		    (unsigned long)(e->bias + e->info.hi));
}

static int place_brk(struct exec_job *job)
{
	uint64_t end = job->program.bias + job->program.info.hi;
	for (int attempt = 0; attempt < PLACE_ATTEMPTS; attempt++) {
		uint64_t rnd;
		int err = random64(&rnd);
		if (err)
			return err;
		job->brk = layout_brk(end, &job->env, rnd);
		if (layout_fits(job->brk, job->brk + LT_PAGE_SIZE, &job->env))
			return 0;
	}
	return FAIL(-ENOMEM, "%s: no room for the heap after 0x%lx", job->path, (unsigned long)end);
}

static int place_image(struct exec_job *job)
{
	prepare_layout(job);
	int err = place_object(job, &job->program, 0);
	if (!err && job->has_interp)
		err = place_object(job, &job->interp, 1);
	if (!err)
		err = place_brk(job);
	return err;
}

static void fill_auxv_facts(struct exec_job *job, struct auxv_facts *f)
{
	f->phdr = elf_phdr_address(&job->program);
	f->phnum = job->program.ehdr.e_phnum;
	f->base = job->has_interp ? job->interp.bias : 0;
	f->entry = job->program.bias + job->program.ehdr.e_entry;
	f->uid = sys_getuid();
	f->euid = sys_geteuid();
	f->gid = sys_getgid();
	f->egid = sys_getegid();
	f->secure = f->uid != f->euid || f->gid != f->egid;
}

/* The stack image may grow the stack mapping downwards, but not into anything else. */
static int stack_fits(const struct exec_job *job)
{
	uint64_t low = page_down(job->lay.sp);
	for (unsigned i = 0; i < job->env.nkeep; i++)
		if (job->taken[i].end > low && job->taken[i].start < job->proc.stack.start)
			return 0;
	return 1;
}

/* The rest of the stack's input, once the objects are placed: it fits in image_room. */
static int build_stack(struct exec_job *job)
{
	struct stack_input *in = &job->stack;
	for (size_t i = 0; i < in->argc; i++)
		job->argv[i] = i < job->nprefix ? job->prefix[i] : job->tail[i - job->nprefix];
	in->argv = job->argv;
	struct auxv_facts facts;
	fill_auxv_facts(job, &facts);
	auxv_build(job->proc.auxv, job->proc.nauxv, &facts, job->auxv);
	uint64_t rnd;
	int err = random64(&rnd);
	if (!err && sys_getrandom(in->random, sizeof in->random, 0) != sizeof in->random)
		err = FAIL(-EIO, "getrandom failed");
	if (err)
		return err;
	in->pad = job->proc.randomize ? stack_random_gap(rnd) : 0;
	stack_measure(in, &job->lay);
	if (!stack_fits(job))
		return FAIL(-ENOMEM, "%s: no room for the new stack (%lu bytes)", job->path,
			    (unsigned long)job->lay.size);
	stack_write(in, &job->lay, job->image);
	return 0;
}

/* The trampoline goes where it can stay: the unused end of a text page, the jump target's first. */
static uint64_t trampoline_site(const struct exec_job *job)
{
	size_t need = STAGE_TRAMPOLINE_MAX;
	uint64_t site = job->has_interp ? elf_trampoline_site(&job->interp, need) : 0;
	return site ? site : elf_trampoline_site(&job->program, need);
}

static void plan_maps(struct exec_job *job)
{
	struct stage_plan *p = job->plan;
	uint64_t site = trampoline_site(job);
	uint64_t stage = (uint64_t)job->stage;
	p->trampoline = site ? site : stage;
	p->tramp_unmaps = (struct stage_range){site ? stage : stage + STAGE_ENTRY_OFFSET,
					      stage + job->stage_size};
	p->n_maps = elf_map_ops(&job->program, STAGE_PROGRAM, site, job->maps);
	if (job->has_interp)
		p->n_maps += elf_map_ops(&job->interp, STAGE_INTERP, site, job->maps + p->n_maps);
	p->maps = job->maps;
	p->n_unmap = layout_unmap_ranges(job->proc.keep, job->proc.nkeep, job->proc.top, p->unmap);
}

/* What the new image will need at its peak, inside the stage: RLIMIT_AS and RLIMIT_DATA. */
static int check_limits(struct exec_job *job)
{
	uint64_t total = job->proc.kept_size, data = job->stage_size - job->code_size;
	for (uint32_t i = 0; i < job->plan->n_maps; i++) {
		total += job->maps[i].len;
		if (job->maps[i].prot & PROT_WRITE)
			data += job->maps[i].len;
	}
	if (page_down(job->lay.sp) < job->proc.stack.start)
		total += job->proc.stack.start - page_down(job->lay.sp);
	if (total > job->proc.rlim_as)
		return FAIL(-ENOMEM, "%s: the new image needs %lu KiB of address space, RLIMIT_AS "
				     "allows %lu KiB", job->path, (unsigned long)(total >> 10),
			    (unsigned long)(job->proc.rlim_as >> 10));
	if (data > job->proc.rlim_data)
		return FAIL(-ENOMEM, "%s: the new image needs %lu KiB of writable memory, RLIMIT_DATA "
				     "allows %lu KiB", job->path, (unsigned long)(data >> 10),
			    (unsigned long)(job->proc.rlim_data >> 10));
	return 0;
}

static void plan_memory_descriptor(struct exec_job *job)
{
	struct prctl_mm_map *mm = &job->plan->mm;
	elf_code_data_bounds(&job->program, mm);
	mm->start_brk = mm->brk = job->brk;
	mm->start_stack = job->lay.sp;
	mm->arg_start = job->lay.arg_start;
	mm->arg_end = job->lay.arg_end;
	mm->env_start = job->lay.env_start;
	mm->env_end = job->lay.env_end;
	mm->auxv = (__u64 *)job->lay.auxv_addr;
	mm->auxv_size = job->lay.auxv_size;
	mm->exe_fd = job->program.fd;
	const char *base = strrchr(job->path, '/');
	lt_format(job->plan->comm, sizeof job->plan->comm, "%s", base ? base + 1 : job->path);
}

static void fill_plan(struct exec_job *job)
{
	struct stage_plan *p = job->plan;
	p->stage_start = (uint64_t)job->stage;
	p->stage_end = p->stage_start + job->stage_size;
	p->trace = job->opts && job->opts->trace;
	lt_format(p->names[STAGE_PROGRAM], STAGE_NAME_MAX, "%s", job->program.path);
	lt_format(p->names[STAGE_INTERP], STAGE_NAME_MAX, "%s", job->has_interp ? job->interp_path : "");
	p->stack_start = job->proc.stack.start;
	p->stack_end = job->proc.stack.end;
	p->sp = job->lay.sp;
	p->stack_image = job->image;
	p->stack_size = job->lay.size;
	p->entry = job->has_interp ? job->interp.bias + job->interp.ehdr.e_entry
				   : job->program.bias + job->program.ehdr.e_entry;
	p->xsave = exec_cpu_has_xsave();
	exec_fill_fpu_init(p->fpu_init);
	plan_memory_descriptor(job);
}

/* --- 5. the stage's code ------------------------------------------------------- */

static int install_stage_code(struct exec_job *job)
{
	memcpy(job->stage, exec_stage_blob, exec_stage_blob_end - exec_stage_blob);
	long err = sys_mprotect(job->stage, job->code_size, PROT_READ | PROT_EXEC);
	return err ? FAIL((int)err, "%s: cannot make the stage executable: %s", job->path,
			  lt_strerror((int)-err))
		   : 0;
}

/*
 * glibc registers an rseq area in the thread's TLS, which is in the old
 * image; execve ends the registration, and so must we, or the kernel would
 * go on writing into whatever the new image puts there (or kill the process
 * when nothing is).  A registration that is not glibc's cannot be found, so
 * it cannot be undone.
 */
static int end_rseq_registration(struct exec_job *job)
{
	/* Registering a probe succeeds only when nothing is registered yet. */
	uint32_t probe[8] __attribute__((aligned(32))) = {0};
	long err = sys_rseq(probe, sizeof probe, 0, RSEQ_SIG_X86);
	if (err == 0)
		err = sys_rseq(probe, sizeof probe, RSEQ_FLAG_UNREGISTER, RSEQ_SIG_X86);
	else if (err == -ENOSYS)
		err = 0;
	else if (&__rseq_size && __rseq_size) {
		uintptr_t tp;
		__asm__("mov %%fs:0, %0" : "=r"(tp));
		void *area = (void *)(tp + __rseq_offset);
		/* glibc registers at least 32 bytes, its __rseq_size rounded up. */
		uint32_t len = __rseq_size < 32 ? 32 : (__rseq_size + 31) & ~31U;
		err = sys_rseq(area, len, RSEQ_FLAG_UNREGISTER, RSEQ_SIG_X86);
	}
	return err ? FAIL(-EBUSY, "%s: the calling thread has an rseq area registered that "
				  "teach_execve cannot unregister", job->path)
		   : 0;
}

/* --- --trace -------------------------------------------------------------------- */

static void trace_object(const struct exec_job *job, const struct exec_elf *e, const char *what)
{
	exec_trace("%s %s: %s, %u program headers, entry 0x%lx, bias 0x%lx (%s, largest p_align 0x%lx)",
		   what, e->path, e->ehdr.e_type == ET_DYN ? "ET_DYN" : "ET_EXEC", e->info.phnum,
		   (unsigned long)e->ehdr.e_entry, (unsigned long)e->bias,
		   e->ehdr.e_type != ET_DYN ? "fixed" : job->env.randomize ? "random" : "not randomized",
		   (unsigned long)e->info.max_align);
}

static void trace_stack(const struct exec_job *job)
{
	const struct stack_input *in = &job->stack;
	exec_trace("stack: mapping 0x%lx-0x%lx, new sp 0x%lx, %lu bytes",
		   (unsigned long)job->proc.stack.start, (unsigned long)job->proc.stack.end,
		   (unsigned long)job->lay.sp, (unsigned long)job->lay.size);
	exec_trace("  argc %lu", (unsigned long)in->argc);
	for (size_t i = 0; i < in->argc; i++)
		exec_trace("  argv[%lu] \"%s\"", (unsigned long)i, in->argv[i]);
	for (size_t i = 0; i < in->envc; i++)
		exec_trace("  envp[%lu] \"%s\"", (unsigned long)i, in->envp[i]);
	for (size_t i = 0; i <= in->nauxv; i++) {
		uint64_t type = in->auxv[i].a_type, v = in->auxv[i].a_un.a_val;
		if (type == AT_EXECFN || type == AT_PLATFORM)
			exec_trace("  auxv %-20s 0x%lx \"%s\"", auxv_name(type), (unsigned long)v,
				   (const char *)job->image + (v - job->lay.sp));
		else
			exec_trace("  auxv %-20s 0x%lx", auxv_name(type), (unsigned long)v);
	}
}

static void trace_plan(const struct exec_job *job)
{
	const struct stage_plan *p = job->plan;
	for (unsigned i = 0; i < job->depth; i++) {
		const struct script_line *s = &job->scripts[i];
		exec_trace("#! script %s: interpreter %s%s%s%s", i ? job->scripts[i - 1].interp : job->path,
			   s->interp, s->arg ? ", argument \"" : "", s->arg ? s->arg : "", s->arg ? "\"" : "");
	}
	trace_object(job, &job->program, "program");
	if (job->has_interp)
		trace_object(job, &job->interp, "interpreter");
	exec_trace("brk starts at 0x%lx", (unsigned long)job->brk);
	trace_stack(job);
	if (p->trampoline == p->stage_start)
		exec_trace("trampoline: no text page has room for it; it stays in the stage's "
			   "first page at 0x%lx", (unsigned long)p->trampoline);
	else
		exec_trace("trampoline: will go at 0x%lx, the unused end of a text page",
			   (unsigned long)p->trampoline);
	exec_trace("stage: 0x%lx-0x%lx; the point of no return", (unsigned long)p->stage_start,
		   (unsigned long)p->stage_end);
}

/* --- teach_execve ------------------------------------------------------------------ */

static void start_job(struct exec_job *job, const char *path, char *const argv[],
		      char *const envp[], const struct teach_exec_options *opts)
{
	job->opts = opts;
	job->path = path;
	size_t argc = count_strings(argv);
	job->prefix[0] = argc ? argv[0] : ""; /* the kernel gives argv[0] = "" when argc is 0 */
	job->nprefix = 1;
	job->tail = argc ? argv + 1 : 0;
	job->ntail = argc ? argc - 1 : 0;
	job->envp = envp;
	job->envc = count_strings(envp);
	job->program.fd = job->interp.fd = -1;
}

static void abandon(struct exec_job *job)
{
	if (job->program.fd >= 0)
		sys_close(job->program.fd);
	if (job->interp.fd >= 0)
		sys_close(job->interp.fd);
	if (job->stage)
		sys_munmap(job->stage, job->stage_size);
}

static int prepare(struct exec_job *job)
{
	uint64_t strings;
	int err;
	if ((err = find_program(job)) || (err = find_interpreter(job)) ||
	    (err = survey_process(job)) || (err = check_argument_sizes(job, &strings)) ||
	    (err = allocate_stage(job, strings)) || (err = place_image(job)) ||
	    (err = build_stack(job)))
		return err;
	plan_maps(job);
	fill_plan(job);
	if ((err = check_limits(job)) || (err = install_stage_code(job)))
		return err;
	return end_rseq_registration(job);
}

/* The library's only exported names (everything else is hidden, then made local). */
#define EXEC_API __attribute__((visibility("default")))

EXEC_API int teach_execve_opts(const char *path, char *const argv[], char *const envp[],
			       const struct teach_exec_options *opts)
{
	struct exec_job job = {0};
	if (!path)
		return FAIL(-EFAULT, "no program given");
	start_job(&job, path, argv, envp, opts);
	int err = prepare(&job);
	if (err) {
		abandon(&job);
		return err;
	}
	if (job.plan->trace)
		trace_plan(&job);
	exec_enter_stage((uintptr_t)job.stage + STAGE_ENTRY_OFFSET, job.plan,
			 (uintptr_t)job.stage + job.code_size + STAGE_STACK_SIZE);
}

EXEC_API int teach_execve(const char *path, char *const argv[], char *const envp[])
{
	return teach_execve_opts(path, argv, envp, 0);
}

EXEC_API const char *teach_exec_error(void)
{
	return lt_error_text();
}
