/*
 * Whole-process reports for LD_DEBUG and LD_SHOW_AUXV: the auxiliary
 * vector, lookup scopes, unused dependencies, statistics and the address
 * space.  Each runs only when its category is on.
 */
#include <linux/time.h>
#include "rtld.h"
#include "alloc.h"
#include "arch.h"
#include "load.h"
#include "print.h"
#include "report.h"
#include "str.h"
#include "symindex.h"
#include "sys.h"
#include "trace.h"

struct lt_stats lt_stats;

/* ----- LD_SHOW_AUXV, in glibc's format ----- */

enum aux_format { AUX_DEC, AUX_HEX, AUX_BITS, AUX_STR };

struct aux_name {
	unsigned type;
	const char *name;
	enum aux_format format;
};

static const struct aux_name aux_names[] = {
	{AT_SYSINFO_EHDR, "AT_SYSINFO_EHDR", AUX_HEX}, {AT_MINSIGSTKSZ, "AT_MINSIGSTKSZ", AUX_DEC},
	{AT_HWCAP, "AT_HWCAP", AUX_BITS},               {AT_PAGESZ, "AT_PAGESZ", AUX_DEC},
	{AT_CLKTCK, "AT_CLKTCK", AUX_DEC},              {AT_PHDR, "AT_PHDR", AUX_HEX},
	{AT_PHENT, "AT_PHENT", AUX_DEC},                {AT_PHNUM, "AT_PHNUM", AUX_DEC},
	{AT_BASE, "AT_BASE", AUX_HEX},                  {AT_FLAGS, "AT_FLAGS", AUX_HEX},
	{AT_ENTRY, "AT_ENTRY", AUX_HEX},                {AT_NOTELF, "AT_NOTELF", AUX_HEX},
	{AT_UID, "AT_UID", AUX_DEC},                    {AT_EUID, "AT_EUID", AUX_DEC},
	{AT_GID, "AT_GID", AUX_DEC},                    {AT_EGID, "AT_EGID", AUX_DEC},
	{AT_SECURE, "AT_SECURE", AUX_DEC},              {AT_RANDOM, "AT_RANDOM", AUX_HEX},
	{AT_HWCAP2, "AT_HWCAP2", AUX_HEX},              {AT_EXECFN, "AT_EXECFN", AUX_STR},
	{AT_PLATFORM, "AT_PLATFORM", AUX_STR},          {AT_BASE_PLATFORM, "AT_BASE_PLATFORM", AUX_STR},
	{27, "AT_RSEQ_FEATURE_SIZE", AUX_DEC},          {28, "AT_RSEQ_ALIGN", AUX_DEC},
};

void lt_report_auxv(void)
{
	for (const Elf64_auxv_t *a = lt.auxv; a->a_type != AT_NULL; a++) {
		const struct aux_name *n = 0;
		for (size_t i = 0; i < sizeof aux_names / sizeof *aux_names; i++)
			if (aux_names[i].type == a->a_type)
				n = &aux_names[i];
		uintptr_t v = a->a_un.a_val;
		char label[32];
		if (!n) {
			lt_dprintf(1, "AT_??? (%#lx): %#lx\n", (unsigned long)a->a_type, v);
			continue;
		}
		lt_format(label, sizeof label, "%s:", n->name);
		switch (n->format) {
		case AUX_DEC: lt_dprintf(1, "%-22s%lu\n", label, v); break;
		case AUX_HEX: lt_dprintf(1, "%-22s%#lx\n", label, v); break;
		case AUX_BITS: lt_dprintf(1, "%-22s%lx\n", label, v); break;
		case AUX_STR: lt_dprintf(1, "%-22s%s\n", label, v ? (const char *)v : "(null)"); break;
		}
	}
}

/* ----- LD_DEBUG=scopes ----- */

/* " LABEL: name name ...", whole however long (a program of hundreds of
 * libraries), as glibc's loader prints it; cut at 1 KiB only when out of
 * memory. */
static void print_scope(const char *label, struct lt_object *const *objs, size_t n)
{
	size_t len = strlen(label) + 2;
	for (size_t i = 0; i < n; i++)
		len += 1 + strlen(objs[i]->path);
	char small[1024], *line = lt_alloc(len + 1);
	size_t size = line ? len + 1 : sizeof small, at;
	if (!line)
		line = small;
	at = lt_format(line, size, " %s:", label);
	for (size_t i = 0; i < n && at < size; i++)
		at += lt_format(line + at, size - at, " %s", objs[i]->path);
	lt_debug_print("%s", line);
	if (line != small)
		lt_free(line);
}

/* glibc's layout: a heading after an empty line, an empty line after each object. */
void lt_report_scopes(void)
{
	lt_debug_print("%s", "");
	lt_debug_print("Initial object scopes");
	for (struct lt_object *o = lt.head; o; o = o->next) {
		if (o->kind == LT_VDSO)
			continue;
		lt_debug_print("object=%s [0]", o->path);
		int scope = 0;
		char label[64];
		if (o->symbolic) {
			lt_format(label, sizeof label, "scope %d (DT_SYMBOLIC: itself first)", scope++);
			print_scope(label, &o, 1);
		}
		lt_format(label, sizeof label, "scope %d", scope);
		print_scope(label, lt.global.objs, lt.global.n);
		lt_debug_print("%s", "");
	}
}

/* ----- LD_DEBUG=unused: at exit, once lazy bindings have happened ----- */

void lt_report_unused(void)
{
	for (struct lt_object *o = lt.head; o; o = o->next)
		for (size_t i = 0; i < o->nneeded; i++)
			if (!o->needed[i]->used)
				lt_debug_print("unused dependency: %s (needed by %s): nothing binds to it",
					       o->needed[i]->path, o->path);
}

/* ----- LD_DEBUG=statistics ----- */

static uint64_t marks[LT_MARK_COUNT];

static uint64_t now_ns(void)
{
	struct timespec ts;
	sys_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void lt_mark_time(enum lt_mark which)
{
	if (lt_debug_on(LT_DBG_STATISTICS))
		marks[which] = now_ns();
}

static void print_duration(const char *what, uint64_t ns, uint64_t total)
{
	lt_debug_print("  %28s: %lu.%03lu ms (%lu%%)", what, ns / 1000000, ns / 1000 % 1000,
		       total ? ns * 100 / total : 0);
}

void lt_report_statistics(void)
{
	uint64_t total = marks[LT_MARK_READY] - marks[LT_MARK_START];
	unsigned libs = 0;
	for (struct lt_object *o = lt.head; o; o = o->next)
		libs += o->kind == LT_LIB;
	lt_debug_print("runtime linker statistics:");
	lt_debug_print("  %28s: %lu.%03lu ms", "total start-up time", total / 1000000,
		       total / 1000 % 1000);
	print_duration("loading objects", marks[LT_MARK_LOADED] - marks[LT_MARK_START], total);
	print_duration("relocation", marks[LT_MARK_RELOCATED] - marks[LT_MARK_LOADED], total);
	print_duration("libc start-up", marks[LT_MARK_READY] - marks[LT_MARK_RELOCATED], total);
	lt_debug_print("  %28s: %u (the program, %u libraries, ld-teach.so%s)", "objects", lt.nobjects,
		       libs, lt.vdso ? ", the vDSO" : "");
	for (unsigned t = 0; t < LT_RELOC_TYPES; t++)
		if (lt_stats.by_type[t])
			lt_debug_print("  %28s: %zu", arch_reloc_type(t)->name, lt_stats.by_type[t]);
	lt_debug_print("  %28s: %zu", "DT_RELR relocations", lt_stats.relr);
	lt_debug_print("  %28s: %zu", "symbol lookups", lt_stats.lookups);
	lt_debug_print("  %28s: %zu", "relocations from cache", lt_stats.from_cache);
	if (lt_stats.answers)
		lt_debug_print("  %28s: %zu", "answers from a prelink cache", lt_stats.answers);
	lt_debug_print("  %28s: %zu", "objects searched", lt_stats.objects_searched);
	lt_debug_print("  %28s: %zu", "Bloom filter rejections", lt_stats.bloom_rejects);
	if (lt_symindex_active()) {
		size_t names, candidates;
		lt_symindex_counts(&names, &candidates);
		lt_debug_print("  %28s: %zu names, %zu candidate definitions", "global symbol index",
			       names, candidates);
	} else {
		lt_debug_print("  %28s: not built (%s)", "global symbol index",
			       lt_symindex_deferred ? "a prelink cache answered" : "the global scope is small");
	}
	lt_debug_print("  %28s: %zu", "PLT slots left lazy", lt_stats.lazy_slots);
	lt_debug_print("  %28s: %zu bytes (peak %zu)", "loader memory in use", lt_alloc_in_use(),
		       lt_alloc_peak());
}

void lt_report_lazy_statistics(void)
{
	lt_debug_print("runtime linker statistics at exit:");
	lt_debug_print("  %28s: %zu of %zu", "PLT slots bound lazily", lt_stats.lazy_bound,
		       lt_stats.lazy_slots);
}

/* ----- LD_DEBUG=maps: the address space, in the style of procstat -v ----- */

static const char *skip_fields(const char *p, int n)
{
	while (n--) {
		while (*p && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
	}
	return p;
}

/* What an anonymous mapping is: an object's .bss, a gap inside an
 * object's reserved span, or memory of its own. */
static void name_anonymous(uintptr_t start, char *out, size_t size)
{
	for (struct lt_object *o = lt.head; o; o = o->next) {
		if (lt_object_segment(o, start, 1)) {
			lt_format(out, size, "%s (.bss)", o->path);
			return;
		}
		if (o->map_len && start >= o->map_start && start < o->map_start + o->map_len) {
			lt_format(out, size, "%s (gap between segments)", o->path);
			return;
		}
	}
	lt_format(out, size, "(anonymous)");
}

static void print_map_line(const char *line)
{
	const char *p = line;
	uintptr_t start = lt_parse_hex(&p);
	p++;
	uintptr_t end = lt_parse_hex(&p);
	p++;
	char perms[4] = {p[0], p[1], p[2], 0};
	p = skip_fields(p, 1);
	uintptr_t offset = lt_parse_hex(&p);
	const char *path = skip_fields(p, 3);
	char name[512], why[256];
	if (!strcmp(path, "[stack]") && lt_stack_describe(why, sizeof why))
		lt_format(name, sizeof name, "[stack] (%s)", why);
	else if (*path)
		lt_format(name, sizeof name, "%s", path);
	else
		name_anonymous(start, name, sizeof name);
	lt_debug_print("%#18lx %#18lx %s %#10lx  %s", start, end, perms, offset, name);
}

void lt_report_maps(void)
{
	long fd = sys_open("/proc/self/maps", O_RDONLY);
	if (fd < 0) {
		lt_debug_print("maps: cannot read /proc/self/maps");
		return;
	}
	lt_debug_print("address space once loading is done:");
	lt_debug_print("%18s %18s %s %10s  %s", "START", "END", "PRT", "OFFSET", "OBJECT");
	/* Line by line through a small buffer: the report must not show a big one of its own. */
	char buf[1024];
	size_t len = 0;
	for (;;) {
		long n = sys_read(fd, buf + len, sizeof buf - 1 - len);
		if (n <= 0)
			break;
		len += n;
		buf[len] = 0;
		char *line = buf, *nl;
		while ((nl = strchr(line, '\n'))) {
			*nl = 0;
			print_map_line(line);
			line = nl + 1;
		}
		len -= line - buf;
		memmove(buf, line, len);
	}
	sys_close(fd);
}
