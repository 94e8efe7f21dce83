/*
 * One execution, under ptrace.  The child asks to be traced and execs the
 * command; the parent lets every signal through except the fatal ones,
 * where it stops the child, reads its PC and /proc/PID/maps, and names the
 * mapping that holds the PC (and the function, from that file's symbol
 * table).  A child still running at the deadline is stopped the same way
 * and reported as a hang, with the same place (see locate for a PC
 * outside the code).  Address-space randomisation is off, so a run repeats
 * exactly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "fuzz.h"

const char *const outcome_names[O_OUTCOMES] = {
	[O_RAN] = "ran", [O_REFUSED] = "refused", [O_UNCLEAN] = "unclean refusal",
	[O_EXEC_FAILED] = "exec failed", [O_CRASH] = "crash", [O_HANG] = "hang",
};
const char *const owner_names[W_OWNERS] = {
	[W_LOADER] = "loader", [W_LIBC] = "libc", [W_PROGRAM] = "program", [W_NOWHERE] = "nowhere",
};

static int err_fd, null_fd;
static sigset_t sigchld;

void run_init(void)
{
	err_fd = memfd_create("fuzz-stderr", MFD_CLOEXEC);
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (err_fd < 0 || null_fd < 0) {
		perror("elffuzz: run_init");
		exit(2);
	}
	sigemptyset(&sigchld);
	sigaddset(&sigchld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &sigchld, 0);
}

/* ----- symbols: which function of a file holds a file offset ----- */

struct symfile {
	char path[256];
	struct stat st;  /* the file's identity and age: a mutant is rewritten in place */
	struct { uint64_t start, end; char *name; } *funcs;
	size_t n;
	GElf_Phdr loads[8];
	size_t nloads;
};
static struct symfile symfiles[16];  /* a cache, its oldest entry replaced when full */
static size_t nsymfiles, next_evicted;

static void read_functions(struct symfile *f)
{
	int fd = open(f->path, O_RDONLY | O_CLOEXEC);
	Elf *elf = fd >= 0 ? elf_begin(fd, ELF_C_READ, 0) : 0;
	size_t phnum = 0;
	if (elf && elf_getphdrnum(elf, &phnum) == 0)
		for (size_t i = 0; i < phnum && f->nloads < 8; i++)
			if (gelf_getphdr(elf, i, &f->loads[f->nloads]) &&
			    f->loads[f->nloads].p_type == PT_LOAD)
				f->nloads++;
	for (Elf_Scn *s = 0; elf && (s = elf_nextscn(elf, s));) {
		GElf_Shdr sh;
		Elf_Data *d;
		if (!gelf_getshdr(s, &sh) || sh.sh_type != SHT_SYMTAB || !(d = elf_getdata(s, 0)))
			continue;
		size_t n = sh.sh_size / sizeof(Elf64_Sym);
		f->funcs = calloc(n, sizeof *f->funcs);
		for (size_t i = 0; f->funcs && i < n; i++) {
			GElf_Sym sym;
			const char *name;
			if (gelf_getsym(d, i, &sym) && ELF64_ST_TYPE(sym.st_info) == STT_FUNC &&
			    sym.st_size && (name = elf_strptr(elf, sh.sh_link, sym.st_name)))
				f->funcs[f->n++] = (__typeof__(*f->funcs)){sym.st_value,
									  sym.st_value + sym.st_size,
									  strdup(name)};
		}
	}
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The symbols of `path` as it is now, read again when it changed. */
static struct symfile *symbols_of(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return 0;
	for (size_t i = 0; i < nsymfiles; i++)
		if (!strcmp(symfiles[i].path, path) && same_file(&symfiles[i].st, &st))
			return &symfiles[i];
	struct symfile *f = nsymfiles < sizeof symfiles / sizeof *symfiles
				    ? &symfiles[nsymfiles++]
				    : &symfiles[next_evicted++ % (sizeof symfiles / sizeof *symfiles)];
	for (size_t k = 0; k < f->n; k++)
		free(f->funcs[k].name);
	free(f->funcs);
	*f = (struct symfile){.st = st};
	snprintf(f->path, sizeof f->path, "%s", path);
	read_functions(f);
	return f;
}

/* The function of `path` at file offset `off`, or "?". */
static const char *function_at(const char *path, uint64_t off)
{
	const struct symfile *f = symbols_of(path);
	if (!f)
		return "?";
	for (size_t i = 0; i < f->nloads; i++) {
		const GElf_Phdr *p = &f->loads[i];
		if (off < p->p_offset || off >= p->p_offset + p->p_filesz)
			continue;
		uint64_t vaddr = off - p->p_offset + p->p_vaddr;
		for (size_t k = 0; k < f->n; k++)
			if (vaddr >= f->funcs[k].start && vaddr < f->funcs[k].end)
				return f->funcs[k].name;
	}
	return "?";
}

/* ----- where the PC is ----- */

struct mapping {
	uint64_t start, end, offset;
	char perms[5];
	char path[256];
};

/* The mapping of process `pid` that holds `addr`; 0 if none. */
static int find_mapping(pid_t pid, uint64_t addr, struct mapping *out)
{
	char file[64], line[512];
	snprintf(file, sizeof file, "/proc/%d/maps", pid);
	FILE *f = fopen(file, "re");
	int found = 0;
	while (f && !found && fgets(line, sizeof line, f)) {
		struct mapping m = {0};
		int n = 0;
		if (sscanf(line, "%lx-%lx %4s %lx %*s %*s %n", &m.start, &m.end, m.perms, &m.offset,
			   &n) < 4)
			continue;
		if (addr < m.start || addr >= m.end)
			continue;
		snprintf(m.path, sizeof m.path, "%s", line + n);
		m.path[strcspn(m.path, "\n")] = 0;
		*out = m;
		found = 1;
	}
	if (f)
		fclose(f);
	return found;
}

/*
 * ld-teach's stand-in for glibc's ld.so (rtld/glibc/libc/), which glibc's
 * libc.so.6 calls into: a file of that name below the loader's directory
 * (build/glibc/ in the tree, ld-teach/glibc/ installed).  The system's
 * glibc loader lives elsewhere.
 */
static int loader_stand_in(const char *path, const char *base, const char *loader)
{
	size_t dir = strrchr(loader, '/') - loader + 1;
	return !strcmp(base, "ld-linux-x86-64.so.2") && !strncmp(path, loader, dir);
}

static enum owner owner_of(const struct mapping *m, const struct job *j)
{
	const char *base = strrchr(m->path, '/');
	base = base ? base + 1 : m->path;
	if (!strcmp(m->path, j->loader) || loader_stand_in(m->path, base, j->loader))
		return W_LOADER;
	if (!strncmp(base, "libc.so", 7) || !strncmp(base, "ld-musl", 7))
		return W_LIBC;
	return m->path[0] == '/' ? W_PROGRAM : W_NOWHERE;
}

static void note_mapping(const struct mapping *m, uint64_t addr, struct verdict *v)
{
	const char *base = strrchr(m->path, '/');
	snprintf(v->object, sizeof v->object, "%.63s",
		 base ? base + 1 : m->path[0] ? m->path : "[anonymous]");
	v->offset = addr - m->start + m->offset;
	snprintf(v->function, sizeof v->function, "%s",
		 m->path[0] == '/' ? function_at(m->path, v->offset) : "?");
}

/*
 * Whose code was running: the owner of the executable mapping that holds
 * the PC.  A PC anywhere else is a jump to non-code, which is counted as
 * nobody's (W_NOWHERE): every address ld-teach calls or jumps to from a
 * file is checked first to lie in an executable segment, so such a jump
 * is code it called going astray.  The mapping the PC is in, or else the
 * return address on top of the stack (a hint at the caller), is kept for
 * the report.
 */
static void locate(pid_t tid, pid_t pid, const struct job *j, struct verdict *v)
{
	struct user_regs_struct regs;
	struct mapping m;
	v->owner = W_NOWHERE;
	snprintf(v->function, sizeof v->function, "?");
	if (ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0)
		return;
	v->pc = regs.rip;
	if (find_mapping(pid, regs.rip, &m)) {
		if (m.perms[2] == 'x')
			v->owner = owner_of(&m, j);
		note_mapping(&m, regs.rip, v);
		return;
	}
	errno = 0;
	uint64_t ret = ptrace(PTRACE_PEEKDATA, tid, regs.rsp, 0);
	if (!errno && find_mapping(pid, ret, &m) && m.perms[2] == 'x') {
		v->called = 1;
		note_mapping(&m, ret, v);
	}
}

/* ----- the child ----- */

__attribute__((noreturn)) static void child(const struct job *j, int report)
{
	char lib[4096], *envp[ENVGEN_MAX + 2] = {lib};
	size_t n = 1;
	snprintf(lib, sizeof lib, "LD_LIBRARY_PATH=%s", j->library_path ? j->library_path : "");
	for (char *const *e = j->env; e && *e && n < ENVGEN_MAX + 1; e++)
		envp[n++] = *e;
	struct rlimit none = {0, 0};
	setrlimit(RLIMIT_CORE, &none);
	personality(ADDR_NO_RANDOMIZE);
	if (chdir(j->cwd) < 0)
		_exit(125);
	dup2(null_fd, 0);
	dup2(null_fd, 1);
	dup2(err_fd, 2);
	ptrace(PTRACE_TRACEME, 0, 0, 0);
	execve(j->argv[0], j->argv, j->library_path ? envp : envp + 1);
	int e = errno;
	if (write(report, &e, sizeof e) < 0)
		_exit(125);
	_exit(126);
}

static int fatal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
	       sig == SIGABRT || sig == SIGSYS || sig == SIGTRAP;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/*
 * The next event of the child or of any of its threads (all traced: the
 * runner has no other children), until `deadline`: its thread id, or 0 at
 * the deadline.
 */
static pid_t wait_event(int *status, double deadline)
{
	for (;;) {
		pid_t w = waitpid(-1, status, WNOHANG | __WALL);
		if (w > 0)
			return w;
		double left = deadline - now();
		if (left <= 0)
			return 0;
		struct timespec t = {(time_t)left, (long)((left - (time_t)left) * 1e9)};
		sigtimedwait(&sigchld, 0, &t);
	}
}

static void kill_and_reap(pid_t pid)
{
	int status;
	pid_t w;
	kill(pid, SIGKILL);
	while ((w = waitpid(-1, &status, __WALL)) > 0 &&
	       !(w == pid && (WIFEXITED(status) || WIFSIGNALED(status))))
		;
}

/*
 * Functions of the loader that run only when the program's code calls
 * them, and only follow the pointers it hands them: its thread pointer's
 * dtv and its GOT's TLS index.  A crash there is the program's doing (its
 * own code corrupted them), not the loader's.
 */
static int program_called_accessor(const struct verdict *v)
{
	static const char *const accessors[] = {"__tls_get_addr", "lt_tlsdesc_static",
						"lt_tlsdesc_dynamic"};
	for (size_t i = 0; i < sizeof accessors / sizeof *accessors; i++)
		if (v->owner == W_LOADER && !strcmp(v->function, accessors[i]))
			return 1;
	return 0;
}

/*
 * Exit status 127: one line "ld-teach.so: ...", after any warning lines,
 * and nothing else; for a list (`convention` ERRORS_LIST), any number of
 * such lines, none included.
 */
static enum outcome judge_refusal(const char *err, size_t len, int convention)
{
	const char *p = err, *end = err + len;
	if (!len)
		return convention == ERRORS_LIST ? O_REFUSED : O_UNCLEAN;
	if (err[len - 1] != '\n')
		return O_UNCLEAN;
	for (;;) {
		const char *nl = memchr(p, '\n', end - p);
		if (strncmp(p, "ld-teach.so: ", 13))
			return O_UNCLEAN;
		if (nl + 1 == end)
			return O_REFUSED;
		if (convention != ERRORS_LIST && strncmp(p, "ld-teach.so: warning: ", 22))
			return O_UNCLEAN;
		p = nl + 1;
	}
}

static void read_errors(const struct job *j, struct verdict *v)
{
	/* (Whole: a line ld-teach writes may be as long as the names in it,
	 * several pages for a path of PATH_MAX in a warning.) */
	static char err[1 << 20];
	ssize_t n = pread(err_fd, err, sizeof err - 1, 0);
	n = n < 0 ? 0 : n;
	err[n] = 0;
	const char *last = err;
	for (char *p = err; *p && p[1]; p++)
		if (*p == '\n')
			last = p + 1;
	snprintf(v->last_error, sizeof v->last_error, "%.*s", (int)strcspn(last, "\n"), last);
	if (v->outcome == O_REFUSED && j->check_errors)
		v->outcome = judge_refusal(err, n, j->check_errors);
}

void run_job(const struct job *j, struct verdict *v)
{
	*v = (struct verdict){.outcome = O_RAN, .owner = W_NOWHERE};
	if (ftruncate(err_fd, 0) < 0 || lseek(err_fd, 0, SEEK_SET) < 0)
		perror("elffuzz: stderr file");
	int report[2];
	if (pipe2(report, O_CLOEXEC) < 0) {
		perror("elffuzz: pipe");
		exit(2);
	}
	pid_t pid = fork();
	if (pid == 0)
		child(j, report[1]);
	close(report[1]);
	double deadline = now() + j->timeout;
	int status, started = 0;
	for (;;) {
		pid_t tid = wait_event(&status, deadline);
		if (!tid) {
			kill(pid, SIGSTOP);  /* every thread stops; the first to say so is located */
			deadline = now() + 5;
			v->outcome = O_HANG;
			continue;
		}
		if (tid != pid && (WIFEXITED(status) || WIFSIGNALED(status)))
			continue;  /* a thread ended */
		if (WIFEXITED(status)) {
			int e;
			v->status = WEXITSTATUS(status);
			if (read(report[0], &e, sizeof e) == sizeof e) {
				v->outcome = O_EXEC_FAILED;
				snprintf(v->last_error, sizeof v->last_error, "%s", strerror(e));
			} else {
				v->outcome = v->status == 127 ? O_REFUSED : O_RAN;
			}
			break;
		}
		if (WIFSIGNALED(status)) {  /* killed without a stop: no PC to read */
			v->outcome = started ? O_CRASH : O_EXEC_FAILED;
			v->status = WTERMSIG(status);
			snprintf(v->function, sizeof v->function, "killed by signal %d", v->status);
			break;
		}
		int sig = WSTOPSIG(status);
		if (sig == SIGTRAP && !started) {
			started = 1;  /* the stop after a successful execve; trace its threads too */
			ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_EXITKILL | PTRACE_O_TRACECLONE);
			ptrace(PTRACE_CONT, pid, 0, 0);
			continue;
		}
		if (status >> 16 || (tid != pid && sig == SIGSTOP && v->outcome != O_HANG)) {
			ptrace(PTRACE_CONT, tid, 0, 0);  /* a clone event, or a new thread's first stop */
			continue;
		}
		if (v->outcome == O_HANG || fatal(sig)) {
			if (v->outcome != O_HANG)
				v->outcome = started ? O_CRASH : O_EXEC_FAILED;
			v->status = sig;
			locate(tid, pid, j, v);
			if (program_called_accessor(v))
				v->owner = W_PROGRAM;
			kill_and_reap(pid);
			break;
		}
		ptrace(PTRACE_CONT, tid, 0, sig);  /* a signal for the program */
	}
	close(report[0]);
	read_errors(j, v);
}

void verdict_place(const struct verdict *v, char *out, size_t size)
{
	char at[160];
	if (!v->object[0])
		snprintf(at, sizeof at, "no mapping");
	else if (v->object[0] != '[')
		snprintf(at, sizeof at, "%s+%#lx (%s)", v->object, (unsigned long)v->offset, v->function);
	else
		snprintf(at, sizeof at, "%s", v->object);
	if (v->called)
		snprintf(out, size, "pc %#lx, return address in %s", (unsigned long)v->pc, at);
	else
		snprintf(out, size, "%s", at);
}

void verdict_key(const struct verdict *v, char *out, size_t size)
{
	if (v->outcome != O_CRASH && v->outcome != O_HANG)
		snprintf(out, size, "%s", outcome_names[v->outcome]);
	else
		snprintf(out, size, "%s in %s: %s%s (%s)", outcome_names[v->outcome],
			 owner_names[v->owner], v->called ? "a jump to nowhere, return address in " : "",
			 v->object[0] ? v->object : "no mapping", v->function);
}
