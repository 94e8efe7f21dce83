/*
 * LD_DEBUG: categories, output destination and the line format.
 * Lines look like glibc's: the pid, a colon, a tab, then the message.
 */
#include <stdarg.h>
#include "rtld.h"
#include "debug.h"
#include "print.h"
#include "str.h"
#include "sys.h"

unsigned lt_debug_mask;
static int debug_fd = 2;

struct category {
	const char *name;
	unsigned bits;
	const char *help;
};

static const struct category categories[] = {
	{"libs", LT_DBG_LIBS, "library searches: every path tried, and the result"},
	{"reloc", LT_DBG_RELOC, "relocation processing, object by object"},
	{"files", LT_DBG_FILES, "objects as they are mapped, initialised and finalised"},
	{"symbols", LT_DBG_SYMBOLS, "each symbol lookup and the objects it searched"},
	{"bindings", LT_DBG_BINDINGS, "each binding: from where, to where, which version, when"},
	{"versions", LT_DBG_VERSIONS, "the version requirements checked"},
	{"scopes", LT_DBG_SCOPES, "the lookup scope of each object"},
	{"statistics", LT_DBG_STATISTICS, "counts and timings of loading and relocation"},
	{"unused", LT_DBG_UNUSED, "dependencies nothing bound to (reported at exit)"},
	{"maps", LT_DBG_MAPS, "the address space once loading is done"},
	{"init", LT_DBG_INIT, "constructor and destructor order, and why"},
	{"tls", LT_DBG_TLS, "TLS module ids, offsets, sizes and the static surplus"},
	{"all", ~0u, "every category above"},
	{"help", 0, "this list"},
};

void lt_debug_print(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lt_trace_line(debug_fd, "", fmt, ap);
	va_end(ap);
}

static void print_help(void)
{
	lt_dprintf(debug_fd, "LD_DEBUG takes a list of these categories, separated by commas:\n\n");
	for (unsigned i = 0; i < sizeof categories / sizeof *categories; i++)
		lt_dprintf(debug_fd, "  %-12s%s\n", categories[i].name, categories[i].help);
	lt_dprintf(debug_fd, "\nThe trace goes to standard error, or with LD_DEBUG_OUTPUT=NAME to "
			     "the file NAME.<pid>.\nLD_SHOW_AUXV=1 prints the auxiliary "
			     "vector.\n");
}

/* Look one category up by name; returns its entry or NULL. */
static const struct category *find_category(const char *name, size_t len)
{
	for (unsigned i = 0; i < sizeof categories / sizeof *categories; i++)
		if (strlen(categories[i].name) == len && !strncmp(categories[i].name, name, len))
			return &categories[i];
	return 0;
}

static void open_output(const char *base)
{
	char path[512];
	lt_format(path, sizeof path, "%s.%ld", base, sys_getpid());
	long fd = lt_syscall4(__NR_openat, AT_FDCWD, path,
			      O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0666);
	if (fd >= 0)
		debug_fd = fd;
}

void lt_debug_init(void)
{
	const char *spec = lt.env.debug;
	if (lt.secure || !spec || !*spec)
		return;
	const char *out = lt.env.debug_output;
	if (out && *out)
		open_output(out);
	int want_help = 0;
	for (const char *p = spec; *p;) {
		size_t len = 0;
		while (p[len] && p[len] != ',' && p[len] != ' ' && p[len] != ':')
			len++;
		if (len) {
			const struct category *c = find_category(p, len);
			if (!c) {
				lt_dprintf(debug_fd, LT_NAME ": warning: unknown LD_DEBUG option "
					   "\"%.*s\"\n", (int)len, p);
				want_help = 1;
			} else if (!c->bits) {
				print_help();
				sys_exit(0);
			} else {
				lt_debug_mask |= c->bits;
			}
		}
		p += len;
		if (*p)
			p++;
	}
	if (want_help)
		print_help();
}
