/*
 * LD_DEBUG: categories, output destination and the line format.
 * Lines look like glibc's: the pid, a colon, a tab, then the message.
 */
#include <stdarg.h>
#include "rtld.h"
#include "debug.h"
#include "print.h"
#include "string.h"
#include "sys.h"

unsigned lt_debug_mask;
static int debug_fd = 2;

struct category {
	const char *name;
	unsigned bits;
	const char *help;
};

static const struct category categories[] = {
	{"libs", LT_DBG_LIBS, "display library search paths"},
	{"reloc", LT_DBG_RELOC, "display relocation processing"},
	{"files", LT_DBG_FILES, "display progress for input file"},
	{"symbols", LT_DBG_SYMBOLS, "display symbol table processing"},
	{"bindings", LT_DBG_BINDINGS, "display information about symbol binding"},
	{"versions", LT_DBG_VERSIONS, "display version dependencies"},
	{"scopes", LT_DBG_SCOPES, "display scope information"},
	{"statistics", LT_DBG_STATISTICS, "display relocation statistics"},
	{"unused", LT_DBG_UNUSED, "determined unused DSOs"},
	{"maps", LT_DBG_MAPS, "display the address space once loading is done (ld-teach)"},
	{"init", LT_DBG_INIT, "display constructor and destructor order, and why (ld-teach)"},
	{"tls", LT_DBG_TLS, "display TLS module ids, offsets and sizes (ld-teach)"},
	{"all", ~0u, "all previous options combined"},
	{"help", 0, "display this help message and exit"},
};

void lt_debug_print(const char *fmt, ...)
{
	char buf[1024];
	size_t n = lt_format(buf, sizeof buf, "%10ld:\t", sys_getpid());
	va_list ap;
	va_start(ap, fmt);
	n += lt_vformat(buf + n, sizeof buf - n - 1, fmt, ap);
	va_end(ap);
	if (n > sizeof buf - 2)
		n = sizeof buf - 2;
	buf[n++] = '\n';
	lt_write_all(debug_fd, buf, n);
}

static void print_help(void)
{
	lt_dprintf(debug_fd, "Valid options for the LD_DEBUG environment variable are:\n\n");
	for (unsigned i = 0; i < sizeof categories / sizeof *categories; i++)
		lt_dprintf(debug_fd, "  %-12s%s\n", categories[i].name, categories[i].help);
	lt_dprintf(debug_fd, "\nTo direct the debugging output into a file instead of standard "
			     "output\na filename can be specified using the LD_DEBUG_OUTPUT "
			     "environment variable.\n");
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
	const char *spec = lt_getenv("LD_DEBUG");
	if (lt.secure || !spec || !*spec)
		return;
	const char *out = lt_getenv("LD_DEBUG_OUTPUT");
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
