/*
 * What the process is now, from /proc: which mappings must survive the old
 * image (the stack, the vDSO and its data pages), how high the mappings
 * go, the kernel's auxv for this process, the thread count, and the
 * settings that shape the new layout (ASLR, mmap_min_addr, resource limits).
 */
#include <linux/personality.h>
#include "loader.h"
#include "exec_arch.h"
#include "syscalls.h"

/* Read a whole small file; returns its length or -errno.  buf ends up NUL-terminated. */
static long read_file(const char *path, void *buf, size_t size)
{
	long fd = sys_open(path, O_RDONLY);
	if (fd < 0)
		return fd;
	size_t len = 0;
	long n = 0;
	while (len + 1 < size && (n = sys_read(fd, (char *)buf + len, size - 1 - len)) > 0)
		len += n;
	sys_close(fd);
	if (n < 0)
		return n;
	((char *)buf)[len] = 0;
	return len;
}

static uint64_t parse_number(const char **p, unsigned base)
{
	uint64_t v = 0;
	for (;; (*p)++) {
		char c = **p;
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
			   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 99;
		if (d >= base)
			return v;
		v = v * base + d;
	}
}

/* A number from a one-line file under /proc/sys, or `fallback` when it cannot be read. */
static uint64_t read_sysctl(const char *path, uint64_t fallback)
{
	char buf[64];
	if (read_file(path, buf, sizeof buf) <= 0)
		return fallback;
	const char *p = buf;
	return parse_number(&p, 10);
}

int proc_keep(struct proc_state *st, uint64_t start, uint64_t end)
{
	if (st->nkeep == STAGE_MAX_KEEP)
		return -ENOMEM;
	unsigned i = st->nkeep++;
	for (; i > 0 && st->keep[i - 1].start > start; i--)
		st->keep[i] = st->keep[i - 1];
	st->keep[i] = (struct stage_range){start, end};
	st->kept_size += end - start;
	return 0;
}

/* Mappings the kernel made for the process, which the new program needs as they are. */
static int is_kept_special(const char *name)
{
	return str_starts(name, "[vdso]") || str_starts(name, "[vvar") ||
	       str_starts(name, "[uprobes]");
}

/* One line of /proc/self/maps: "start-end perms offset dev inode   name". */
static int survey_mapping(struct proc_state *st, const char *line)
{
	const char *p = line;
	uint64_t start = parse_number(&p, 16);
	if (*p++ != '-')
		return 0;
	uint64_t end = parse_number(&p, 16);
	for (int field = 0; field < 4 && *p; field++) { /* perms offset dev inode */
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;
	}
	while (*p == ' ')
		p++;
	if (str_starts(p, "[vsyscall]"))
		return 0;
	if (end > st->top)
		st->top = end;
	if (str_starts(p, "[stack]"))
		st->stack = (struct stage_range){start, end};
	if ((str_starts(p, "[stack]") || is_kept_special(p)) && proc_keep(st, start, end) < 0)
		return -E2BIG;  /* (not -ENOMEM: a read of the file may fail so) */
	return 0;
}

/* Call survey_mapping for each line of /proc/self/maps, reading it a block at a time. */
static int survey_maps(struct proc_state *st)
{
	long fd = sys_open("/proc/self/maps", O_RDONLY);
	if (fd < 0)
		return fd;
	char buf[4096];
	size_t have = 0;
	long n;
	int err = 0;
	while (!err && (n = sys_read(fd, buf + have, sizeof buf - 1 - have)) > 0) {
		have += n;
		buf[have] = 0;
		char *line = buf, *nl;
		while (!err && (nl = strchr(line, '\n'))) {
			*nl = 0;
			err = survey_mapping(st, line);
			line = nl + 1;
		}
		have -= line - buf;
		memmove(buf, line, have);
		if (have == sizeof buf - 1) /* a line longer than the buffer: its start is enough */
			have = 0;
	}
	sys_close(fd);
	return err ? err : n < 0 ? (int)n : 0;
}

static long count_threads(void)
{
	char buf[4096];
	if (read_file("/proc/self/status", buf, sizeof buf) < 0)
		return -1;
	const char *p = buf;
	while (p && !str_starts(p, "Threads:")) {
		p = strchr(p, '\n');
		p = p ? p + 1 : 0;
	}
	if (!p)
		return -1;
	p += 8;
	while (*p == ' ' || *p == '\t')
		p++;
	return (long)parse_number(&p, 10);
}

static uint64_t rlimit_cur(int resource)
{
	struct rlimit64 r;
	return sys_getrlimit(resource, &r) < 0 ? RLIM64_INFINITY : r.rlim_cur;
}

/* randomize_va_space, or 0 under `setarch -R` (the personality's ADDR_NO_RANDOMIZE). */
static int randomization(void)
{
	long persona = sys_personality(0xffffffff);
	if (persona >= 0 && (persona & ADDR_NO_RANDOMIZE))
		return 0;
	return (int)read_sysctl("/proc/sys/kernel/randomize_va_space", 2);
}

int proc_survey(struct proc_state *st)
{
	*st = (struct proc_state){0};
	int err = survey_maps(st);
	if (err == -E2BIG) {
		lt_error("/proc/self/maps shows more than %u mappings that must stay", STAGE_MAX_KEEP);
		return -ENOMEM;  /* (as when the stage is one too many: no room to keep them) */
	}
	if (err < 0) {
		lt_error("cannot read /proc/self/maps: %s (is /proc mounted?)", lt_strerror(-err));
		return err;
	}
	if (!st->stack.end) {
		lt_error("/proc/self/maps shows no [stack]");
		return -EINVAL;
	}
	long n = read_file("/proc/self/auxv", st->auxv, sizeof st->auxv);
	if (n < 0) {
		lt_error("cannot read /proc/self/auxv: %s", lt_strerror(-n));
		return (int)n;
	}
	st->nauxv = n / sizeof(Elf64_auxv_t);
	st->threads = count_threads();
	st->randomize = randomization();
	st->rnd_bits = (unsigned)read_sysctl("/proc/sys/vm/mmap_rnd_bits", 28);
	st->mmap_min_addr = read_sysctl("/proc/sys/vm/mmap_min_addr", 65536);
	st->rlim_stack = rlimit_cur(RLIMIT_STACK);
	st->rlim_as = rlimit_cur(RLIMIT_AS);
	st->rlim_data = rlimit_cur(RLIMIT_DATA);
	return 0;
}
