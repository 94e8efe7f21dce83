/*
 * facts: what a program can tell about how it was started.
 *
 * Built for glibc and musl, static and dynamic (loader/loader.mk).  The
 * exec suite runs each build under the kernel's execve and under
 * ld-teach-exec and requires the same output: everything printed here is a
 * fact that holds for both (no addresses, no random values), derived from
 * the auxv, the initial stack and /proc/self.  With FACTS_ADDRESSES=1 in the
 * environment it also prints the addresses, for the layout tests; with
 * FACTS_STACK_NEEDLE=TEXT it says whether TEXT is in the stack mapping below
 * its frames (what an earlier image left there).
 */
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

extern const Elf64_Ehdr __ehdr_start;
extern char _start[], _end[];
#ifdef __GLIBC__
extern const unsigned int __rseq_size __attribute__((weak));
#endif

/* The auxv as the kernel (or ld-teach-exec) left it on the stack: libcs adjust getauxval's view. */
static const Elf64_auxv_t *initial_auxv;

static unsigned long aux(unsigned long type)
{
	for (const Elf64_auxv_t *a = initial_auxv; a->a_type != AT_NULL; a++)
		if (a->a_type == type)
			return a->a_un.a_val;
	return 0;
}

static const Elf64_Phdr *phdrs(void)
{
	return (const Elf64_Phdr *)((const char *)&__ehdr_start + __ehdr_start.e_phoff);
}

/* Run-time minus link-time addresses: where the ELF header is, minus where it was linked. */
static uintptr_t load_bias(void)
{
	for (int i = 0; i < __ehdr_start.e_phnum; i++)
		if (phdrs()[i].p_type == PT_LOAD && phdrs()[i].p_offset == 0)
			return (uintptr_t)&__ehdr_start - phdrs()[i].p_vaddr;
	return 0;
}

static const char *interp_path(void)
{
	for (int i = 0; i < __ehdr_start.e_phnum; i++)
		if (phdrs()[i].p_type == PT_INTERP)
			return (const char *)(load_bias() + phdrs()[i].p_vaddr);
	return NULL;
}

static void check(const char *what, int ok) { printf("%s: %s\n", what, ok ? "ok" : "WRONG"); }

/* Read a whole small file; returns its length, or -1. */
static long slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size_t len = 0;
	ssize_t n;
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	return (long)len;
}

static char maps[1 << 16];

struct mapping {
	uintptr_t start, end;
	unsigned long offset;
	char perms[5];
	const char *name;
};

/* The next line of maps, or 0 at the end.  Modifies maps (NUL-terminates names). */
static int next_mapping(char **p, struct mapping *m)
{
	if (!**p)
		return 0;
	char *line = *p, *nl = strchr(line, '\n');
	*p = nl ? nl + 1 : line + strlen(line);
	if (nl)
		*nl = 0;
	int name_at = 0;
	if (sscanf(line, "%lx-%lx %4s %lx %*s %*s %n", &m->start, &m->end, m->perms, &m->offset,
		   &name_at) < 4)
		return 0;
	m->name = name_at ? line + name_at : "";
	return 1;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static int lookup(const char *name, const char **list, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return 1;
	return 0;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The mapped files and special mappings, by name; and are any anonymous ones executable? */
static void print_mappings(void)
{
	const char *files[256], *specials[32];
	int nfiles = 0, nspecials = 0, anon_exec = 0;
	slurp("/proc/self/maps", maps, sizeof maps);
	char *p = maps;
	struct mapping m;
	while (next_mapping(&p, &m)) {
		if (m.name[0] == '/' && nfiles < 256 && !lookup(base_name(m.name), files, nfiles))
			files[nfiles++] = base_name(m.name);
		else if (m.name[0] == '[' && nspecials < 32 && !lookup(m.name, specials, nspecials))
			specials[nspecials++] = m.name;
		else if (!m.name[0] && m.perms[2] == 'x')
			anon_exec++;
	}
	qsort(files, nfiles, sizeof *files, by_string);
	qsort(specials, nspecials, sizeof *specials, by_string);
	printf("mapped files:");
	for (int i = 0; i < nfiles; i++)
		printf(" %s", files[i]);
	printf("\nspecial mappings:");
	for (int i = 0; i < nspecials; i++)
		printf(" %s", specials[i]);
	printf("\nanonymous executable mappings: %d\n", anon_exec);
}

/* The mapping holding addr: its name and offset, from a fresh copy of maps. */
static int mapping_of(uintptr_t addr, struct mapping *out)
{
	slurp("/proc/self/maps", maps, sizeof maps);
	char *p = maps;
	while (next_mapping(&p, out))
		if (addr >= out->start && addr < out->end)
			return 1;
	return 0;
}

static void print_auxv_facts(void)
{
	const Elf64_Phdr *ph = phdrs();
	check("AT_PHDR is the program's headers", aux(AT_PHDR) == (uintptr_t)ph);
	printf("AT_PHENT: %lu\n", aux(AT_PHENT));
	check("AT_PHNUM is the program's", aux(AT_PHNUM) == __ehdr_start.e_phnum);
	check("AT_ENTRY is _start", aux(AT_ENTRY) == (uintptr_t)_start);
	uintptr_t base = aux(AT_BASE);
	const char *interp = interp_path();
	if (!interp) {
		printf("AT_BASE: %s\n", base ? "set, but there is no interpreter" : "0, no interpreter");
	} else {
		char real[PATH_MAX];
		struct mapping m;
		int ok = base && realpath(interp, real) && mapping_of(base, &m) && m.offset == 0 &&
			 !strcmp(m.name, real) && !memcmp((void *)base, ELFMAG, SELFMAG);
		printf("PT_INTERP: %s\n", interp);
		check("AT_BASE is where the interpreter's ELF header is mapped", ok);
	}
	printf("AT_PAGESZ: %lu\n", aux(AT_PAGESZ));
	printf("AT_FLAGS: %lu\n", aux(AT_FLAGS));
	check("AT_UID, AT_EUID, AT_GID, AT_EGID are ours",
	      aux(AT_UID) == getuid() && aux(AT_EUID) == geteuid() &&
		      aux(AT_GID) == getgid() && aux(AT_EGID) == getegid());
	printf("AT_SECURE: %lu\n", aux(AT_SECURE));
	const unsigned char *rnd = (const unsigned char *)aux(AT_RANDOM);
	int nonzero = 0;
	for (int i = 0; rnd && i < 16; i++)
		nonzero |= rnd[i];
	struct mapping m;
	check("AT_RANDOM is 16 bytes, not all zero, on the stack",
	      rnd && nonzero && mapping_of((uintptr_t)rnd, &m) && !strcmp(m.name, "[stack]") &&
		      (uintptr_t)rnd + 16 <= m.end);
	/* The pointers end just below the random bytes, as low as 16-byte alignment needs. */
	const Elf64_auxv_t *auxv_end = initial_auxv;
	while (auxv_end++->a_type != AT_NULL)
		;
	printf("AT_RANDOM: at the auxv's end + %ld\n", (long)(rnd - (const unsigned char *)auxv_end));
	printf("AT_HWCAP: %#lx\nAT_HWCAP2: %#lx\n", aux(AT_HWCAP), aux(AT_HWCAP2));
	printf("AT_CLKTCK: %lu\n", aux(AT_CLKTCK));
	printf("AT_PLATFORM: %s\n", (const char *)aux(AT_PLATFORM));
	printf("AT_EXECFN: %s\n", (const char *)aux(AT_EXECFN));
	check("AT_SYSINFO_EHDR is the vDSO", mapping_of(aux(AT_SYSINFO_EHDR), &m) &&
						 !strcmp(m.name, "[vdso]") &&
						 m.start == aux(AT_SYSINFO_EHDR));
	printf("AT_MINSIGSTKSZ: %lu\n", aux(AT_MINSIGSTKSZ));
}

/* The auxv's entry types, in order. */
static void print_auxv_order(void)
{
	printf("auxv types:");
	for (const Elf64_auxv_t *a = initial_auxv; a->a_type != AT_NULL; a++)
		printf(" %lu", (unsigned long)a->a_type);
	printf("\n");
}

/* Strings as the kernel lays them out: argv's, envp's, then AT_EXECFN 8 bytes below the top. */
static void print_stack_facts(int argc, char **argv, char **envp)
{
	check("argc is 16-byte aligned", ((uintptr_t)(argv - 1) & 15) == 0);
	int ok = 1;
	char *expect = argv[0];
	for (int i = 0; i < argc; expect = argv[i] + strlen(argv[i]) + 1, i++)
		ok &= argv[i] == expect;
	for (char **e = envp; *e; expect = *e + strlen(*e) + 1, e++)
		ok &= *e == expect;
	const char *execfn = (const char *)aux(AT_EXECFN);
	struct mapping m;
	ok &= execfn == expect && mapping_of((uintptr_t)execfn, &m) &&
	      (uintptr_t)execfn + strlen(execfn) + 1 + 8 == m.end;
	check("argument, environment and AT_EXECFN strings are where the kernel puts them", ok);
}

/* A /proc/self file of NUL-separated strings, compared with a vector. */
static int proc_matches(const char *path, char **v)
{
	static char buf[1 << 16];
	long n = slurp(path, buf, sizeof buf);
	long off = 0;
	for (; *v; v++) {
		size_t len = strlen(*v) + 1;
		if (off + (long)len > n || memcmp(buf + off, *v, len))
			return 0;
		off += len;
	}
	return off == n;
}

/* /proc/self/auxv shows the auxv on the stack, AT_NULL included. */
static int proc_auxv_matches(void)
{
	static char buf[4096];
	long n = slurp("/proc/self/auxv", buf, sizeof buf);
	size_t len = sizeof *initial_auxv;
	for (const Elf64_auxv_t *a = initial_auxv; a->a_type != AT_NULL; a++)
		len += sizeof *a;
	return n == (long)len && !memcmp(buf, initial_auxv, len);
}

static void print_process_facts(char **argv, char **envp)
{
	char buf[PATH_MAX];
	slurp("/proc/self/comm", buf, sizeof buf);
	printf("comm: %s", buf);
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("exe: %s\n", buf);
	check("/proc/self/cmdline is argv", proc_matches("/proc/self/cmdline", argv));
	check("/proc/self/environ is envp", proc_matches("/proc/self/environ", envp));
	check("/proc/self/auxv is the auxv", proc_auxv_matches());
}

/*
 * The robust futex list the thread has registered: execve forgets the old
 * image's.  glibc registers its own at start, musl only for a robust mutex.
 */
static void print_robust_list_facts(void)
{
	void *head = 0;
	size_t len = 0;
	if (syscall(SYS_get_robust_list, 0, &head, &len) != 0)
		printf("robust futex list: cannot tell\n");
	else
		printf("robust futex list: %s\n", head ? "registered" : "none");
}

/* start_brk, field 47 of /proc/self/stat (after the parenthesised command name). */
static uintptr_t start_brk(void)
{
	char buf[2048];
	slurp("/proc/self/stat", buf, sizeof buf);
	char *p = strrchr(buf, ')');
	for (int field = 2; p && field < 47; field++)
		p = strchr(p + 1, ' ');
	return p ? strtoul(p + 1, NULL, 10) : 0;
}

static void print_brk_facts(void)
{
	uintptr_t brk = start_brk(), end = (uintptr_t)_end;
	/* The kernel adds up to 1 GiB at random (arch_randomize_brk). */
	printf("brk: %s\n", brk >= end && brk - end <= (1ul << 30) + 4096 ? "after .bss" : "elsewhere");
	/* The brk system call itself: musl's sbrk refuses to grow. */
	char *old = (char *)syscall(SYS_brk, 0);
	int ok = (char *)syscall(SYS_brk, old + 8192) == old + 8192;
	if (ok)
		memset(old, 1, 8192);
	check("brk grows", ok);
}

static const char *const signames[32] = {
	"", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
	"SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
	"SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
};

static void print_signal_facts(void)
{
	sigset_t blocked;
	sigprocmask(SIG_BLOCK, NULL, &blocked);
	printf("signals not default:");
	for (int sig = 1; sig < 32; sig++) {
		struct sigaction sa;
		if (sig == SIGKILL || sig == SIGSTOP || sigaction(sig, NULL, &sa))
			continue;
		if (sa.sa_handler == SIG_IGN)
			printf(" %s=ignored", signames[sig]);
		else if (sa.sa_handler != SIG_DFL)
			printf(" %s=caught", signames[sig]);
	}
	printf("\nsignals blocked:");
	for (int sig = 1; sig < 32; sig++)
		if (sigismember(&blocked, sig))
			printf(" %s", signames[sig]);
	printf("\n");
}

static void print_fd_facts(void)
{
	DIR *d = opendir("/proc/self/fd");
	int fds[64], n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d) && n < 64)
			fds[n++] = atoi(e->d_name);
	closedir(d);
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
			int t = fds[j];
			fds[j] = fds[j - 1];
			fds[j - 1] = t;
		}
	printf("open fds:");
	for (int i = 0; i < n; i++)
		printf(" %d", fds[i]);
	printf("\n");
}

static void print_cpu_facts(void)
{
	unsigned short cw;
	unsigned mxcsr;
	__asm__ volatile("fnstcw %0" : "=m"(cw));
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	printf("x87 control word: %#x, MXCSR control bits: %#x\n", cw, mxcsr & ~0x3fu);
#ifdef __GLIBC__
	printf("rseq registered by glibc: %s\n", &__rseq_size && __rseq_size ? "yes" : "no");
#endif
}

/* The load bias is a multiple of every PT_LOAD's p_align (it matters for ET_DYN). */
static void print_alignment_facts(void)
{
	int ok = 1;
	for (int i = 0; i < __ehdr_start.e_phnum; i++)
		if (phdrs()[i].p_type == PT_LOAD && phdrs()[i].p_align > 1)
			ok &= (load_bias() & (phdrs()[i].p_align - 1)) == 0;
	check("the program's load bias is a multiple of its p_align", ok);
}

static void print_stack_leftovers(const char *needle)
{
	char here;
	struct mapping m;
	size_t len = strlen(needle);
	int found = 0;
	if (mapping_of((uintptr_t)&here, &m))
		for (const char *p = (const char *)m.start; p + len <= &here && !found; p++)
			found = !memcmp(p, needle, len);
	printf("earlier contents below the stack pointer: %s\n", found ? "found" : "none");
}

static void print_addresses(void)
{
	printf("address: program %p, interpreter %#lx, start_brk %#lx\n", (void *)&__ehdr_start,
	       aux(AT_BASE), (unsigned long)start_brk());
	fflush(stdout);
	slurp("/proc/self/maps", maps, sizeof maps);
	fputs(maps, stdout);
}

int main(int argc, char **argv, char **envp)
{
	char **e = envp;
	while (*e)
		e++;
	initial_auxv = (const Elf64_auxv_t *)(e + 1);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]: %s\n", i, argv[i]);
	for (char **e = envp; *e; e++)
		printf("envp: %s\n", *e);
	print_auxv_facts();
	print_auxv_order();
	print_stack_facts(argc, argv, envp);
	print_process_facts(argv, envp);
	print_robust_list_facts();
	print_brk_facts();
	print_signal_facts();
	print_fd_facts();
	print_cpu_facts();
	print_alignment_facts();
	print_mappings();
	const char *addresses = getenv("FACTS_ADDRESSES");
	if (addresses && !strcmp(addresses, "1"))
		print_addresses();
	const char *needle = getenv("FACTS_STACK_NEEDLE");
	if (needle && *needle)
		print_stack_leftovers(needle);
	return argc > 1 && !strcmp(argv[1], "exit7") ? 7 : 0;
}
