/*
 * elffuzz: mutate valid programs and libraries, run each mutant under a
 * loader, and say where each crash and hang happened.
 *
 *   elffuzz campaign [OPTIONS]            run mutants until --execs or --seconds
 *   elffuzz replay [OPTIONS] --exec N     rebuild and run mutant N of a campaign
 *   elffuzz minimise [OPTIONS] --exec N   ... then revert its bytes while the
 *                                         verdict holds, and name the fields left
 *
 * Options:
 *   --targets FILE   the seeds, one a line: "prog FILE LIBDIR" (a program,
 *                    its libraries in LIBDIR) or "lib FILE HOST LIBDIR" (a
 *                    library, under the program HOST)
 *   --loader PATH    the loader under test (default ./ld-teach.so); only
 *                    ld-teach's refusals are held to its one-line rule
 *   --modes LIST     of list, verify, run (command mode) and interp (the
 *                    kernel starts the program, whose PT_INTERP is the loader)
 *   --inputs KIND    elf (default): mutants of the seeds; env: the seeds as
 *                    they are, under generated environments and, in the
 *                    command-line modes, loader options (envgen.c)
 *   --seed N         the campaign's seed: mutant N depends on (seed, N) alone
 *   --execs N, --seconds S, --timeout S (per run), --out DIR
 *   --work DIR       where mutants are written (default: a new directory in
 *                    /dev/shm, removed at the end: a file system in memory
 *                    runs about three times as many executions a second)
 *   --stats FILE     also write the counts there, one "key value" a line
 *                    (keys: execs, seconds, failures, MODE.OUTCOME,
 *                    OUTCOME.OWNER; spaces in an outcome become _)
 *
 * A campaign fails (exit status 1) on any crash or hang inside the loader
 * and on any refusal that is not one clean line; it saves those mutants in
 * --out.  Crashes in the program's own code, or in a libc, after a load
 * are counted apart: they are the program's business.  With --inputs env
 * the seeds are valid, so such a crash is compared: the same environment
 * and options are given to the system loader of the program's libc
 * (command mode), and if it runs the program to an ordinary exit, the
 * crash is the loader's doing and fails the campaign too.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "fuzz.h"

enum mode { M_LIST, M_VERIFY, M_RUN, M_INTERP, M_MODES };
static const char *const mode_names[M_MODES] = {"list", "verify", "run", "interp"};

struct target {
	int is_lib;
	char *file, *host, *libdir;
	uint8_t *bytes;
	size_t size;
	struct elfmap map;
	const char *reference;  /* the system loader of its program's libc, or NULL */
};

struct options {
	const char *targets, *work, *out, *stats, *modes_list, *inputs;
	char loader[PATH_MAX];
	int env_inputs;  /* --inputs env */
	unsigned modes;  /* bit per enum mode */
	uint64_t seed, execs, exec;
	double seconds, timeout;
};

static struct target *targets;
static size_t ntargets;
static struct envpool pool;  /* (--inputs env) */

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("elffuzz: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) < 0)
		die("%s: %s", path, strerror(errno));
	uint8_t *b = malloc(st.st_size);
	if (!b || fread(b, 1, st.st_size, f) != (size_t)st.st_size)
		die("%s: cannot read", path);
	fclose(f);
	*size = st.st_size;
	return b;
}

/* Does the ELF file b (n bytes, a valid seed, elf_version set) need `lib` (DT_NEEDED)? */
static int needs(uint8_t *b, size_t n, const char *lib)
{
	Elf *elf = elf_memory((char *)b, n);
	int found = 0;
	for (Elf_Scn *scn = 0; elf && !found && (scn = elf_nextscn(elf, scn));) {
		GElf_Shdr sh;
		GElf_Dyn dyn;
		Elf_Data *d;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNAMIC || !(d = elf_getdata(scn, 0)))
			continue;
		for (int i = 0; !found && gelf_getdyn(d, i, &dyn); i++) {
			const char *name = dyn.d_tag == DT_NEEDED ? elf_strptr(elf, sh.sh_link, dyn.d_un.d_val) : 0;
			found = name && !strcmp(name, lib);
		}
	}
	elf_end(elf);
	return found;
}

/* The system loader that runs target t's program (its libc's), if installed. */
static const char *reference_for(const struct target *t)
{
	size_t n = t->size;
	uint8_t *b = t->is_lib ? slurp(t->host, &n) : t->bytes;
	const char *ld = needs(b, n, "libc.so") ? "/lib/ld-musl-x86_64.so.1"
						: "/lib64/ld-linux-x86-64.so.2";
	if (b != t->bytes)
		free(b);
	return access(ld, X_OK) ? 0 : ld;
}

static void load_targets(const char *path)
{
	FILE *f = fopen(path, "r");
	char kind[8], a[PATH_MAX], b[PATH_MAX], c[PATH_MAX];
	if (!f)
		die("%s: %s", path, strerror(errno));
	for (char line[3 * PATH_MAX]; fgets(line, sizeof line, f);) {
		int n = sscanf(line, "%7s %4095s %4095s %4095s", kind, a, b, c);
		if (n < 1 || kind[0] == '#')
			continue;
		struct target t = {0};
		if (!strcmp(kind, "prog") && n == 3)
			t = (struct target){.file = strdup(a), .libdir = strdup(b)};
		else if (!strcmp(kind, "lib") && n == 4)
			t = (struct target){.is_lib = 1, .file = strdup(a), .host = strdup(b),
					    .libdir = strdup(c)};
		else
			die("%s: bad line: %s", path, line);
		t.bytes = slurp(t.file, &t.size);
		elfmap_build(&t.map, t.file, t.bytes, t.size);
		t.reference = reference_for(&t);
		targets = realloc(targets, (ntargets + 1) * sizeof *targets);
		targets[ntargets++] = t;
	}
	fclose(f);
	if (!ntargets)
		die("%s: no targets", path);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* ----- what generated environments name (--inputs env) ----- */

static void pool_add(const char *path)
{
	static size_t cap;
	if (pool.npaths == cap) {
		cap = cap ? 2 * cap : 64;
		pool.paths = realloc((void *)pool.paths, cap * sizeof *pool.paths);
		if (!pool.paths)
			die("out of memory");
	}
	((const char **)pool.paths)[pool.npaths++] = strdup(path);
}

/* The libraries of a seed's directory, by path and by name. */
static void pool_add_libraries(const char *dir)
{
	DIR *d = opendir(dir);
	char path[PATH_MAX];
	for (struct dirent *de; d && (de = readdir(d));) {
		if (!strstr(de->d_name, ".so"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		pool_add(path);
		pool_add(de->d_name);
	}
	if (d)
		closedir(d);
}

/*
 * The seeds, their directories and libraries; the loader and its libc.so
 * for musl; the system's libcs and loaders, by path and by name; and
 * names of what is not there or is no library.
 */
static void build_pool(const char *loader)
{
	static const char *const fixed[] = {
		"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-musl", "/lib64",
		"/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libm.so.6",
		"/lib64/ld-linux-x86-64.so.2", "/lib/ld-musl-x86_64.so.1",
		"/usr/lib/x86_64-linux-musl/libc.so", "libc.so", "libc.so.6", "libm.so", "libdl.so.2",
		"libpthread.so.0", "ld-linux-x86-64.so.2", "ld-musl-x86_64.so.1", "ld-teach.so",
		"/dev/null", "/dev/zero", "/", ".", "lib", "/proc/self/exe", "/etc/passwd",
		"/nonexistent", "/nonexistent/libx.so", "libnothere.so", ""};
	char path[PATH_MAX];
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		pool_add(fixed[i]);
	pool_add(loader);
	snprintf(path, sizeof path, "%.*s/build/musl/libc.so",
		 (int)(base_name(loader) - 1 - loader), loader);
	pool_add(path);
	for (size_t i = 0; i < ntargets; i++) {
		size_t seen = 0;
		while (seen < i && strcmp(targets[seen].libdir, targets[i].libdir))
			seen++;
		pool_add(targets[i].file);
		if (seen == i) {
			pool_add(targets[i].libdir);
			pool_add_libraries(targets[i].libdir);
		}
	}
}

/* ----- one execution ----- */

struct exec {
	uint64_t n;
	struct target *t;
	enum mode mode;
	uint8_t *bytes;
	size_t size;
	int env_input;            /* --inputs env: */
	struct envset set;        /* the environment and options, the seed unchanged */
	int reference_ran;        /* a crash outside the loader, and the reference loader ran it */
	int reference_status;     /* (its exit status) */
	char what[1024];
	char path[PATH_MAX];      /* where the mutant is written */
	char libpath[2 * PATH_MAX];
};

static void write_file(const char *path, const uint8_t *b, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0 || write(fd, b, n) != (ssize_t)n || close(fd) < 0)
		die("%s: cannot write", path);
}

/* Execution n: its target, its mode and its mutant, from the campaign's stream. */
static void build_exec(const struct options *o, uint64_t n, struct exec *e, uint8_t *buf)
{
	struct rng r = rng_for(o->seed, n);
	unsigned modes[M_MODES], nmodes = 0;
	for (unsigned m = 0; m < M_MODES; m++)
		if (o->modes & (1u << m))
			modes[nmodes++] = m;
	e->n = n;
	e->t = &targets[rng_below(&r, ntargets)];
	e->mode = modes[rng_below(&r, nmodes)];
	e->bytes = buf;
	e->set = (struct envset){0};
	e->env_input = o->env_inputs;
	if (o->env_inputs) {
		e->size = 0;
		envgen(&r, &pool, e->mode != M_INTERP, &e->set);
		envset_describe(&e->set, e->what, sizeof e->what);
		return;
	}
	e->size = mutate(&e->t->map, e->t->bytes, e->t->size, buf, &r, e->what, sizeof e->what);
}

/* How ld-teach's exit status 127 is judged (struct job's check_errors). */
static int error_convention(const struct options *o, const struct exec *e)
{
	const struct envset *s = &e->set;
	if (strcmp(base_name(o->loader), "ld-teach.so") || envset_has(s, "LD_DEBUG") ||
	    envset_has(s, "LD_AUDIT") || envset_has(s, "--audit"))
		return 0;  /* (another loader's words; or the trace, or audit modules, share stderr) */
	if (e->mode == M_LIST || envset_has(s, "--list") || envset_has(s, "LD_TRACE_LOADED_OBJECTS"))
		return ERRORS_LIST;
	return ERRORS_ONE_LINE;
}

static void place_mutant(const struct options *o, struct exec *e)
{
	const struct target *t = e->t;
	if (t->is_lib) {
		snprintf(e->path, sizeof e->path, "%s/lib/%s", o->work, base_name(t->file));
		snprintf(e->libpath, sizeof e->libpath, "%s/lib:%s", o->work, t->libdir);
	} else {
		snprintf(e->path, sizeof e->path, "%s/%s", o->work, base_name(t->file));
		snprintf(e->libpath, sizeof e->libpath, "%s", t->libdir);
	}
	write_file(e->path, e->bytes, e->size);
}

/*
 * The options the reference loader `ld` shares with ld-teach, meaning the
 * same: glibc's has them all but ld-teach's own (--graph, --prelink) and
 * --verify, with which glibc's reads the program's headers alone where
 * ld-teach loads and relocates; musl's only a few.  (Those that do not run
 * the program, --help and --version, are left out.)
 */
static int reference_takes(const char *ld, const char *opt)
{
	static const char *const glibc[] = {"--list", "--inhibit-cache", "--audit",
					    "--library-path", "--preload", "--argv0", 0};
	static const char *const musl[] = {"--list", "--library-path", "--preload", "--argv0", 0};
	for (const char *const *k = strstr(ld, "musl") ? musl : glibc; *k; k++)
		if (!strcmp(*k, opt))
			return 1;
	return 0;
}

/*
 * A valid seed crashed or hung under the loader, but not in its code: does
 * the program's own libc's loader, given the same environment and options
 * (command mode), run it to an ordinary exit?  Then the loader caused the
 * crash (e->reference_ran).  Not compared where the reference has no such
 * option.  j: the job that crashed, whose argv starts with the options
 * unless it was a kernel start.
 */
static void compare_with_reference(struct exec *e, const struct job *j)
{
	const char *ld = e->t->reference;
	char *argv[ENVGEN_MAX + 4] = {0};
	size_t n = 0, from = e->mode == M_INTERP ? 0 : 1;
	if (!ld)
		return;
	argv[n++] = (char *)ld;
	size_t i = from;
	for (; j->argv[i + 1]; i++) {  /* options, and their values */
		if (j->argv[i][0] == '-' && !reference_takes(ld, j->argv[i]))
			return;
		argv[n++] = j->argv[i];
	}
	argv[n++] = j->argv[i];  /* the program, last */
	struct job ref = *j;
	ref.argv = argv;
	ref.loader = ld;
	ref.check_errors = 0;
	struct verdict rv;
	run_job(&ref, &rv);
	e->reference_ran = rv.outcome == O_RAN;
	e->reference_status = rv.status;
}

static void run_exec(const struct options *o, struct exec *e, struct verdict *v)
{
	const struct target *t = e->t;
	if (o->env_inputs) {  /* the seed itself, where it lies */
		snprintf(e->path, sizeof e->path, "%s", t->file);
		snprintf(e->libpath, sizeof e->libpath, "%s", t->libdir);
	} else {
		place_mutant(o, e);
	}
	const char *prog = t->is_lib ? t->host : e->path;
	char *argv[ENVGEN_MAX + 4] = {0};
	size_t n = 0;
	if (e->mode != M_INTERP)
		argv[n++] = (char *)o->loader;
	for (size_t i = 0; i < e->set.nopts; i++)
		argv[n++] = e->set.opts[i];
	if (e->mode == M_LIST || e->mode == M_VERIFY)
		argv[n++] = e->mode == M_LIST ? "--list" : "--verify";
	argv[n++] = (char *)(e->mode == M_VERIFY ? e->path : prog);
	/* (A generated LD_LIBRARY_PATH replaces the seed's.) */
	struct job j = {.argv = argv,
			.library_path = envset_has(&e->set, "LD_LIBRARY_PATH") ? 0 : e->libpath,
			.env = e->set.env, .loader = o->loader,
			.check_errors = error_convention(o, e), .timeout = o->timeout, .cwd = o->work};
	run_job(&j, v);
	if (e->mode == M_VERIFY && v->outcome == O_RAN && v->status == 1)
		v->outcome = O_REFUSED;  /* --verify's "not a program it can load": silent, by design */
	e->reference_ran = 0;
	if (e->env_input && (v->outcome == O_CRASH || v->outcome == O_HANG) && v->owner != W_LOADER)
		compare_with_reference(e, &j);
}

/* Inside the loader, or caused by it: what a campaign must never find. */
static int is_failure(const struct exec *e, const struct verdict *v)
{
	return v->outcome == O_UNCLEAN || e->reference_ran ||
	       ((v->outcome == O_CRASH || v->outcome == O_HANG) && v->owner == W_LOADER);
}

/* What a campaign groups by and the minimiser keeps: the verdict's key, and the comparison's. */
static void exec_key(const struct exec *e, const struct verdict *v, char *out, size_t size)
{
	verdict_key(v, out, size);
	if (e->reference_ran) {
		size_t n = strlen(out);
		snprintf(out + n, size - n, ", where the reference loader runs it");
	}
}

static void print_exec(FILE *f, const struct exec *e, const struct verdict *v)
{
	fprintf(f, "execution %lu: %s %s, %s\n  %s: %s\n  verdict: %s", (unsigned long)e->n,
		e->t->is_lib ? "library" : "program", e->t->file, mode_names[e->mode],
		e->env_input ? "input" : "mutation", e->what, outcome_names[v->outcome]);
	if (v->outcome == O_CRASH || v->outcome == O_HANG) {
		char place[200];
		verdict_place(v, place, sizeof place);
		fprintf(f, " in %s (signal %d): %s", owner_names[v->owner], v->status, place);
	}
	else if (v->outcome == O_RAN || v->outcome == O_REFUSED)
		fprintf(f, " (exit status %d)", v->status);
	if (v->last_error[0])
		fprintf(f, "\n  last line on stderr: %s", v->last_error);
	if (e->reference_ran)
		fprintf(f, "\n  %s ran it with the same environment and options: exit status %d",
			e->t->reference, e->reference_status);
	fputc('\n', f);
}

/* ----- a campaign ----- */

struct place_count {
	char key[200];
	unsigned long count;
	int failure;
	char example[1200];
};

struct tally {
	unsigned long execs, by_mode[M_MODES][O_OUTCOMES], by_owner[O_OUTCOMES][W_OWNERS];
	unsigned long failures;
	struct place_count *places;
	size_t nplaces;
};

static void count_place(struct tally *t, const struct exec *e, const struct verdict *v)
{
	char key[200];
	exec_key(e, v, key, sizeof key);
	struct place_count *p = 0;
	for (size_t i = 0; i < t->nplaces && !p; i++)
		if (!strcmp(t->places[i].key, key))
			p = &t->places[i];
	if (!p) {
		t->places = realloc(t->places, (t->nplaces + 1) * sizeof *t->places);
		p = &t->places[t->nplaces++];
		*p = (struct place_count){.failure = is_failure(e, v)};
		snprintf(p->key, sizeof p->key, "%s", key);
		snprintf(p->example, sizeof p->example, "execution %lu (%s %s, %s): %s",
			 (unsigned long)e->n, e->t->is_lib ? "library" : "program",
			 base_name(e->t->file), mode_names[e->mode], e->what);
	}
	p->count++;
}

static void save_failure(const struct options *o, const struct exec *e, const struct verdict *v)
{
	char path[PATH_MAX];
	if (!o->env_inputs) {
		snprintf(path, sizeof path, "%s/%lu.elf", o->out, (unsigned long)e->n);
		write_file(path, e->bytes, e->size);
	}
	snprintf(path, sizeof path, "%s/%lu.txt", o->out, (unsigned long)e->n);
	FILE *f = fopen(path, "w");
	if (f) {
		print_exec(f, e, v);
		fprintf(f, "replay: elffuzz replay --targets %s --loader %s --seed %lu --modes %s "
			   "--inputs %s --exec %lu\n", o->targets, o->loader, (unsigned long)o->seed,
			o->modes_list, o->inputs, (unsigned long)e->n);
		fclose(f);
	}
}

static int by_count(const void *a, const void *b)
{
	const struct place_count *x = a, *y = b;
	return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->key, y->key);
}

static void report(const struct options *o, struct tally *t, double seconds)
{
	printf("elffuzz: %lu executions in %.1f s (%.0f per second), seed %lu, loader %s\n",
	       t->execs, seconds, seconds > 0 ? t->execs / seconds : 0.0, (unsigned long)o->seed,
	       o->loader);
	printf("  %-7s %8s", "mode", "execs");
	for (unsigned k = 0; k < O_OUTCOMES; k++)
		printf(" %8.8s", outcome_names[k]);
	printf("\n");
	for (unsigned m = 0; m < M_MODES; m++) {
		unsigned long sum = 0;
		for (unsigned k = 0; k < O_OUTCOMES; k++)
			sum += t->by_mode[m][k];
		if (!sum)
			continue;
		printf("  %-7s %8lu", mode_names[m], sum);
		for (unsigned k = 0; k < O_OUTCOMES; k++)
			printf(" %8lu", t->by_mode[m][k]);
		printf("\n");
	}
	qsort(t->places, t->nplaces, sizeof *t->places, by_count);
	printf("crashes and hangs by place:%s\n", t->nplaces ? "" : " none");
	for (size_t i = 0; i < t->nplaces; i++)
		printf("  %7lu  %s%s\n           first: %s\n", t->places[i].count, t->places[i].key,
		       t->places[i].failure ? "   <- the loader's" : "", t->places[i].example);
	printf("the loader's: %lu crash%s, hang%s or unclean refusal%s (inside it, or where the "
	       "reference loader runs the program)\n", t->failures,
	       t->failures == 1 ? "" : "es", t->failures == 1 ? "" : "s",
	       t->failures == 1 ? "" : "s");
	if (!o->stats)
		return;
	FILE *f = fopen(o->stats, "w");
	if (!f)
		die("%s: %s", o->stats, strerror(errno));
	fprintf(f, "execs %lu\nseconds %.1f\nfailures %lu\n", t->execs, seconds, t->failures);
	for (unsigned k = 0; k < O_OUTCOMES; k++) {
		char key[32];  /* one word: "unclean refusal" is unclean_refusal */
		snprintf(key, sizeof key, "%s", outcome_names[k]);
		for (char *c = key; (c = strchr(c, ' '));)
			*c = '_';
		for (unsigned m = 0; m < M_MODES; m++)
			fprintf(f, "%s.%s %lu\n", mode_names[m], key, t->by_mode[m][k]);
		for (unsigned w = 0; w < W_OWNERS; w++)
			fprintf(f, "%s.%s %lu\n", key, owner_names[w], t->by_owner[k][w]);
	}
	fclose(f);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t largest_target(void)
{
	size_t max = 0;
	for (size_t i = 0; i < ntargets; i++)
		max = targets[i].size > max ? targets[i].size : max;
	return max;
}

static int campaign(const struct options *o)
{
	struct tally t = {0};
	uint8_t *buf = malloc(largest_target());
	double start = now(), last = start;
	for (uint64_t n = 0; (!o->execs || n < o->execs) && (!o->seconds || now() - start < o->seconds);
	     n++) {
		struct exec e;
		struct verdict v;
		build_exec(o, n, &e, buf);
		run_exec(o, &e, &v);
		t.execs++;
		t.by_mode[e.mode][v.outcome]++;
		t.by_owner[v.outcome][v.owner]++;
		if (v.outcome == O_CRASH || v.outcome == O_HANG || v.outcome == O_UNCLEAN)
			count_place(&t, &e, &v);
		if (is_failure(&e, &v)) {
			t.failures++;
			save_failure(o, &e, &v);
		}
		envset_free(&e.set);
		if (now() - last >= 30) {
			last = now();
			fprintf(stderr, "elffuzz: %lu executions, %.0f per second, %lu of the loader's\n",
				t.execs, t.execs / (last - start), t.failures);
		}
	}
	report(o, &t, now() - start);
	return t.failures ? 1 : 0;
}

/* ----- replay and minimise ----- */

static void replay(const struct options *o, struct exec *e, struct verdict *v, uint8_t *buf)
{
	build_exec(o, o->exec, e, buf);
	run_exec(o, e, v);
}

static int same_verdict(const struct options *o, struct exec *e, const char *key)
{
	struct verdict v;
	char k[200];
	run_exec(o, e, &v);
	exec_key(e, &v, k, sizeof k);
	return !strcmp(k, key);
}

/* Give back the original's bytes in [from, to) if the verdict holds without them. */
static int try_revert(const struct options *o, struct exec *e, size_t from, size_t to,
		      const char *key)
{
	const uint8_t *orig = e->t->bytes;
	uint8_t saved[4096];
	size_t n = to - from;
	if (n > sizeof saved || !memcmp(e->bytes + from, orig + from, n))
		return 0;
	memcpy(saved, e->bytes + from, n);
	memcpy(e->bytes + from, orig + from, n);
	if (same_verdict(o, e, key))
		return 1;
	memcpy(e->bytes + from, saved, n);
	return 0;
}

static void print_remaining(const struct exec *e)
{
	const struct target *t = e->t;
	const struct field *last = 0;
	if (e->size < t->size)
		printf("  the file cut to %zu of %zu bytes\n", e->size, t->size);
	for (size_t i = 0; i < e->size; i++) {
		if (e->bytes[i] == t->bytes[i])
			continue;
		const struct field *f = elfmap_field_at(&t->map, i);
		if (f && f == last)
			continue;
		last = f;
		if (!f) {
			printf("  byte %#zx: %#x -> %#x (in no mapped field)\n", i, t->bytes[i], e->bytes[i]);
			continue;
		}
		uint64_t was = 0, is = 0;
		memcpy(&was, t->bytes + f->off, f->size);
		memcpy(&is, e->bytes + f->off, f->off + f->size <= e->size ? f->size : 0);
		printf("  %s: %#lx -> %#lx\n", f->name, (unsigned long)was, (unsigned long)is);
	}
}

/* An environment's: each variable and option left out in turn, for good if the verdict holds. */
static int minimise_input(const struct options *o, struct exec *e, const char *key)
{
	for (size_t i = e->set.nenv + e->set.nopts; i-- > 0;) {
		struct envset was = e->set;
		envset_without(&was, i, &e->set);
		if (same_verdict(o, e, key)) {
			envset_free(&was);
		} else {
			envset_free(&e->set);
			e->set = was;
		}
	}
	envset_describe(&e->set, e->what, sizeof e->what);
	printf("minimised, still \"%s\"; what remains:\n  %s\n", key, e->what);
	return 0;
}

static int minimise(const struct options *o)
{
	uint8_t *buf = malloc(largest_target());
	struct exec e;
	struct verdict v;
	char key[200];
	replay(o, &e, &v, buf);
	exec_key(&e, &v, key, sizeof key);
	print_exec(stdout, &e, &v);
	if (e.env_input)
		return minimise_input(o, &e, key);
	/* The whole file back first, then ever smaller chunks, down to single bytes. */
	if (e.size < e.t->size) {
		size_t cut = e.size;
		memcpy(e.bytes + cut, e.t->bytes + cut, e.t->size - cut);
		e.size = e.t->size;
		if (!same_verdict(o, &e, key))
			e.size = cut;
	}
	for (size_t chunk = 4096; chunk; chunk /= 2)
		for (size_t at = 0; at < e.size; at += chunk)
			try_revert(o, &e, at, at + chunk < e.size ? at + chunk : e.size, key);
	printf("minimised, still \"%s\"; what remains:\n", key);
	print_remaining(&e);
	if (o->out) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/minimised-%lu.elf", o->out, (unsigned long)o->exec);
		write_file(path, e.bytes, e.size);
		printf("written to %s\n", path);
	}
	return 0;
}

/* ----- options ----- */

static unsigned parse_modes(const char *list)
{
	unsigned modes = 0;
	char *copy = strdup(list), *save, *m;
	for (m = strtok_r(copy, ",", &save); m; m = strtok_r(0, ",", &save)) {
		unsigned k = 0;
		while (k < M_MODES && strcmp(mode_names[k], m))
			k++;
		if (k == M_MODES)
			die("unknown mode '%s' (list, verify, run, interp)", m);
		modes |= 1u << k;
	}
	free(copy);
	return modes;
}

static void make_dir(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		die("%s: %s", path, strerror(errno));
}

/* A work directory of our own, in memory when there is /dev/shm. */
static char own_work[256];

static const char *temporary_work(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(own_work, sizeof own_work, "%s/elffuzz.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : tmp ? tmp : "/tmp");
	if (!mkdtemp(own_work))
		die("%s: %s", own_work, strerror(errno));
	return own_work;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st, (void)type, (void)f;
	remove(path);
	return 0;
}

/* The mutants, and whatever the runs (started there) left behind. */
static void remove_own_work(void)
{
	nftw(own_work, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(int argc, char **argv)
{
	struct options o = {.targets = "build/fuzz/targets", .inputs = "elf",
			    .out = "build/fuzz/crashes", .modes_list = "list,verify,run,interp",
			    .modes = (1u << M_MODES) - 1, .seed = 1,
			    .timeout = 5};
	const char *cmd = argc > 1 ? argv[1] : "";
	const char *loader = "ld-teach.so";
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : 0;
		if (!v)
			die("option %s needs a value", a);
		i++;
		if (!strcmp(a, "--targets")) o.targets = v;
		else if (!strcmp(a, "--loader")) loader = v;
		else if (!strcmp(a, "--modes")) o.modes = parse_modes(o.modes_list = v);
		else if (!strcmp(a, "--inputs")) o.inputs = v;
		else if (!strcmp(a, "--seed")) o.seed = strtoull(v, 0, 0);
		else if (!strcmp(a, "--execs")) o.execs = strtoull(v, 0, 0);
		else if (!strcmp(a, "--exec")) o.exec = strtoull(v, 0, 0);
		else if (!strcmp(a, "--seconds")) o.seconds = strtod(v, 0);
		else if (!strcmp(a, "--timeout")) o.timeout = strtod(v, 0);
		else if (!strcmp(a, "--work")) o.work = v;
		else if (!strcmp(a, "--out")) o.out = v;
		else if (!strcmp(a, "--stats")) o.stats = v;
		else die("unknown option %s", a);
	}
	if (!realpath(loader, o.loader))
		die("%s: %s", loader, strerror(errno));
	if (strcmp(o.inputs, "elf") && strcmp(o.inputs, "env"))
		die("unknown inputs '%s' (elf, env)", o.inputs);
	o.env_inputs = !strcmp(o.inputs, "env");
	load_targets(o.targets);
	if (o.env_inputs)
		build_pool(o.loader);
	if (!o.work) {
		o.work = temporary_work();
		atexit(remove_own_work);
	}
	char lib[PATH_MAX], work[PATH_MAX];
	snprintf(lib, sizeof lib, "%s/lib", o.work);
	make_dir(o.work), make_dir(lib), make_dir(o.out);
	if (!realpath(o.work, work))  /* the runs happen there: paths into it must not be relative */
		die("%s: %s", o.work, strerror(errno));
	o.work = work;
	run_init();
	if (!strcmp(cmd, "campaign"))
		return campaign(&o);
	if (!strcmp(cmd, "minimise"))
		return minimise(&o);
	if (!strcmp(cmd, "replay")) {
		uint8_t *buf = malloc(largest_target());
		struct exec e;
		struct verdict v;
		replay(&o, &e, &v, buf);
		print_exec(stdout, &e, &v);
		return is_failure(&e, &v);
	}
	die("usage: elffuzz campaign|replay|minimise [OPTIONS] (see tests/fuzz/elffuzz.c)");
}
