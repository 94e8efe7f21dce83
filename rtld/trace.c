/*
 * LD_DEBUG: categories, the output destination, and the text of every
 * trace event (trace.h lists them).  Lines look like glibc's: the pid, a
 * colon, a tab, then the message; where glibc traces the same step, the
 * words are glibc's, so that users' habits and scripts carry over.
 */
#include <stdarg.h>
#include "rtld.h"
#include "alloc.h"
#include "load.h"
#include "page.h"
#include "path.h"
#include "print.h"
#include "str.h"
#include "symbols.h"
#include "sys.h"
#include "trace.h"

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
	{"prelink", LT_DBG_PRELINK, "the program's prelink cache: used, or why not"},
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

void lt_debug_vprint_lines(const char *fmt, va_list ap)
{
	/* (Off the stack; a name too long for it keeps its two ends.) */
	static char text[LT_PATH_MAX + 256] LT_LARGE_BSS;
	lt_vformat_ends(text, sizeof text, 160, fmt, ap);
	for (char *line = text; *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = 0;
		lt_debug_print("%s", line);
		if (!end)
			break;
		line = end + 1;
	}
}

/* An empty trace line, where glibc's loader's messages begin or end with "\n". */
static void empty_line(void)
{
	lt_debug_print("%s", "");
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

long lt_output_open(const char *base, int append)
{
	static char path[LT_PATH_MAX + 24] LT_LARGE_BSS;  /* (start-up and exit: one thread) */
	if (lt_format(path, sizeof path, "%s.%ld", base, sys_getpid()) >= sizeof path)
		return -ENAMETOOLONG;
	/* O_NOFOLLOW, as glibc's loader opens its trace: a link planted at a
	 * name someone traces to (in /tmp, say) must not send the output, or
	 * the truncation, elsewhere. */
	return lt_syscall4(__NR_openat, AT_FDCWD, path,
			   O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (append ? O_APPEND : O_TRUNC),
			   0666);
}

void lt_debug_init(void)
{
	const char *spec = lt.env.debug;
	if (lt.secure || !spec || !*spec)
		return;
	const char *out = lt.env.debug_output;
	long fd = out && *out ? lt_output_open(out, 1) : -1;
	if (fd >= 0)
		debug_fd = fd;
	else if (out && *out)  /* (glibc's loader writes to standard output then, unannounced) */
		lt_dprintf(2, LT_NAME ": warning: cannot open %s.%ld for LD_DEBUG_OUTPUT (%s): "
			   "tracing to standard error\n", out, sys_getpid(), lt_strerror(-fd));
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

/* ----- libs ----- */

void lt_trace_search_start(const char *name)
{
	lt_debug_print("find library=%s [0]; searching", name);
}

void lt_trace_served(const char *name, const char *libc, const char *path)
{
	lt_debug_print("find library=%s [0]; served by the %s adapter: %s", name, libc, path);
}

/* Append len bytes of s at out[*n], as far as they fit in size; *n counts them all. */
static void put(char *out, size_t size, size_t *n, const char *s, size_t len)
{
	if (*n < size)
		memcpy(out + *n, s, len < size - *n ? len : size - *n);
	*n += len;
}

/*
 * `list` as glibc prints a search path: every element (once, without its
 * trailing slashes; an empty one, the current directory, stays empty, and
 * its subdirectories are relative names, as they are tried) joined with every
 * subdirectory the libc tries in it (without the subdirectory's final
 * '/'), separated by colons, but for the directories `gone` says earlier
 * searches found missing, which glibc leaves out too.  Writes what fits;
 * returns the whole length.
 */
static size_t expand_search_path(char *out, size_t size, const char *list,
				 const char *const *subdirs, int (*gone)(const char *dir, size_t len))
{
	static char dir[LT_PATH_MAX] LT_LARGE_BSS;  /* (each directory, for `gone`) */
	size_t n = 0;
	int first = 1;
	for (const char *p = list;;) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		int repeated = lt_path_list_repeats(list, p, len);
		const char *elem = p;
		len = lt_path_element_length(p, len);
		for (const char *const *sub = subdirs; !repeated && *sub; sub++) {
			size_t sublen = strlen(*sub), sep = sublen && len && elem[len - 1] != '/';
			size_t dlen = len + sep + (sublen ? sublen - 1 : 0);
			if (dlen < sizeof dir) {
				memcpy(dir, elem, len);
				dir[len] = '/';
				memcpy(dir + len + sep, *sub, sublen ? sublen - 1 : 0);
				if (gone(dir, dlen))
					continue;
			}
			if (!first)
				put(out, size, &n, ":", 1);
			first = 0;
			put(out, size, &n, elem, len);
			put(out, size, &n, "/", sep);
			put(out, size, &n, *sub, sublen ? sublen - 1 : 0);
		}
		if (!end)
			return n;
		p = end + 1;
	}
}

/* The directories tried, the libc's subdirectories spelled out, as glibc's
 * loader lists them (a line of kilobytes: lt_debug_print writes it whole). */
void lt_trace_search_path(const char *list, const char *const *subdirs,
			  int (*gone)(const char *dir, size_t len), const char *why,
			  const char *why_file)
{
	size_t size = expand_search_path(0, 0, list, subdirs, gone) + 1;
	char *path = lt_alloc(size);
	if (path) {
		expand_search_path(path, size, list, subdirs, gone);
		path[size - 1] = 0;
	}
	lt_debug_print(" search path=%s\t\t(%s%s)", path ? path : list, why, why_file ? why_file : "");
	lt_free(path);
}

void lt_trace_search_cache(const char *file)
{
	lt_debug_print(" search cache=%s", file);
}

/* A corrupt cache: glibc says nothing; ld-teach says why, once. */
void lt_trace_cache_ignored(const char *file, const char *why)
{
	lt_debug_print(" cache=%s ignored: %s", file, why);
}

void lt_trace_trying(const char *path)
{
	lt_debug_print("  trying file=%s", path);
}

void lt_trace_search_end(const char *found, int err)
{
	if (found)
		lt_debug_print("  found %s", found);
	else
		lt_debug_print("  not found: %s", lt_strerror(err));
	empty_line();
}

/* ----- files ----- */

/*
 * The lines glibc's loader prints too are laid out as it lays them out,
 * down to the empty lines around them, its zero-padded addresses and its
 * column for phnum, so that a trace of ld-teach's diffs against one of
 * glibc's line by line, ld-teach's own lines aside.
 */
void lt_trace_needed_by(const char *name, const struct lt_object *requester, int dlopened)
{
	empty_line();
	lt_debug_print("file=%s [0];  %s by %s [0]", name, dlopened ? "dynamically loaded" : "needed",
		       requester->path);
}

void lt_trace_stands_for(const char *path, const char *by)
{
	lt_debug_print("  %s is a loader's or its libc's own file: unmapped again; %s stands for it",
		       path, by);
}

void lt_trace_program_unread(const char *path, const char *why)
{
	lt_debug_print("  %s: no file of the program could be read (%s): its mapping is taken "
		       "as the kernel made it, its program headers checked", path, why);
}

void lt_trace_new_object(const char *name, const struct lt_object *obj)
{
	lt_debug_print("file=%s [0];  generating link map", name);
	lt_debug_print("  dynamic: 0x%016lx  base: 0x%016lx   size: 0x%016lx",
		       (uintptr_t)obj->dynamic, obj->base, obj->map_len);
	lt_debug_print("    entry: 0x%016lx  phdr: 0x%016lx  phnum:   %16u", obj->entry,
		       (uintptr_t)obj->phdr, obj->phnum);
	empty_line();
}

void lt_trace_mapped(const struct lt_object *obj)
{
	lt_debug_print("  mapped %s at %#lx-%#lx (%u segments)", obj->path, obj->map_start,
		       obj->map_start + obj->map_len, obj->nsegs);
}

void lt_trace_relro(const struct lt_object *obj)
{
	lt_debug_print("  relro: %#lx-%#lx now read-only (%s)", obj->relro_start, obj->relro_end,
		       obj->path);
}

void lt_trace_execstack(const struct lt_object *asked_by)
{
	if (asked_by)
		lt_debug_print("stack: made executable, as %s asks (PT_GNU_STACK)", asked_by->path);
	else
		lt_debug_print("stack: made executable from the start: glibc.rtld.execstack=2");
}

void lt_trace_libc(const char *libc, const struct lt_object *because)
{
	if (because)
		lt_debug_print("libc: %s, for %s needs it", libc, because->path);
	else
		lt_debug_print("libc: %s (no object needs a libc)", libc);
}

void lt_trace_handing_over(const char *libc, const char *path)
{
	lt_debug_print("handing over to the %s adapter in %s", libc, path);
}

void lt_trace_transfer(const struct lt_object *main, uintptr_t entry)
{
	empty_line();
	lt_debug_print("transferring control: %s at %#lx", main->path, entry);
	empty_line();
}

void lt_trace_kept(const struct lt_object *obj, int is_root, enum lt_keep_reason why,
		   const struct lt_object *by)
{
	switch (why) {
	case LT_GOES:
		break;
	case LT_KEPT_INITIAL:
		if (is_root)
			lt_debug_print("file=%s [0];  not unloaded: loaded at start-up", obj->path);
		break;
	case LT_KEPT_EXITING:
		lt_debug_print("file=%s [0];  not unloaded: the program is exiting", obj->path);
		break;
	case LT_KEPT_NODELETE:
		lt_debug_print("file=%s [0];  not unloaded: NODELETE", obj->path);
		break;
	case LT_KEPT_OPEN:
		lt_debug_print("file=%s [0];  not unloaded: %u dlopen handle%s still open", obj->path,
			       obj->dl_refs, obj->dl_refs > 1 ? "s" : "");
		break;
	case LT_KEPT_NEEDED:
	case LT_KEPT_BOUND:
		lt_debug_print("file=%s [0];  not unloaded: %s by %s, which stays", obj->path,
			       why == LT_KEPT_NEEDED ? "needed" : "bound to", by->path);
		break;
	}
}

void lt_trace_unloading(const struct lt_object *obj)
{
	lt_debug_print("file=%s [0];  unloading: nothing keeps it any more", obj->path);
	empty_line();
	lt_debug_print("file=%s [0];  destroying link map", obj->path);
}

/* A dlopen's object, and its count of dlopen handles now. */
void lt_trace_opening(const struct lt_object *obj)
{
	lt_debug_print("opening file=%s [0]; direct_opencount=%u", obj->path, obj->dl_refs);
	empty_line();
}

/* A dlclose that leaves the object open (other handles; or loaded at start-up). */
void lt_trace_closing(const struct lt_object *obj)
{
	empty_line();
	lt_debug_print("closing file=%s; direct_opencount=%u", obj->path, obj->dl_refs);
}

void lt_trace_audit_module(const char *name)
{
	lt_debug_print("audit module=%s;  loaded first, with its dependencies, for the program", name);
}

void lt_trace_audit_declined(const struct lt_object *module)
{
	lt_debug_print("file=%s [0];  audit interface function la_version returned zero; ignored.",
		       module->path);
}

/* ----- reloc, bindings, symbols, versions ----- */

void lt_trace_relocating(const struct lt_object *obj, int lazy)
{
	empty_line();
	lt_debug_print("relocation processing: %s%s", obj->path, lazy ? " (lazy)" : "");
}

void lt_trace_binding(const struct lt_object *from, const char *name, const struct lt_object *to,
		      const struct lt_verreq *ver, int lazily)
{
	lt_debug_print("binding file %s [0] to %s [0]: normal symbol `%s'%s%s%s (%s)", from->path,
		       to->path, name, ver ? " [" : "", ver ? ver->name : "", ver ? "]" : "",
		       lazily ? "lazily, on its first call" : "at load time");
}

void lt_trace_lookup_in(const char *name, const struct lt_object *obj)
{
	lt_debug_print("symbol=%s;  lookup in file=%s [0]", name, obj->path);
}

void lt_trace_version_check(const char *version, const struct lt_object *def,
			    const struct lt_object *obj, const char *result)
{
	lt_debug_print("checking for version `%s' in file %s [0] required by file %s [0]%s",
		       version, def->path, obj->path, result);
}

/* ----- init ----- */

/* "init", "preinit" or "fini" (glibc's loader names a finalizer's namespace, [0]). */
void lt_trace_call(const char *what, const struct lt_object *obj)
{
	empty_line();
	lt_debug_print("calling %s: %s%s", what, obj->path, !strcmp(what, "fini") ? " [0]" : "");
	empty_line();
}

/* The order, and for each object what it had to wait for. */
void lt_trace_init_order(struct lt_object *const *order, size_t n, const char *rule)
{
	lt_debug_print("constructor order for %s: dependencies before dependents (%s):",
		       order[n - 1]->path, rule);
	for (size_t i = 0; i < n; i++) {
		char deps[512] = "";
		size_t len = 0;
		for (size_t j = 0; j < order[i]->nneeded && len < sizeof deps; j++) {
			const struct lt_object *d = order[i]->needed[j];
			size_t k = 0;
			while (k < n && order[k] != d)
				k++;
			len += lt_format(deps + len, sizeof deps - len, "%s%s%s", j ? ", " : "", d->path,
					 k > i ? " (later: a dependency cycle, broken here)" : "");
		}
		lt_debug_print("  %zu. %s%s%s", i + 1, order[i]->path, len ? " after " : "",
			       len ? deps : " (no dependencies)");
	}
}

void lt_trace_fini_order(const char *rule)
{
	lt_debug_print("destructor order: %s", rule);
}

/* ----- tls ----- */

void lt_trace_tls_static(size_t size, size_t modules, size_t surplus)
{
	lt_debug_print("tls: static TLS %zu bytes in %zu modules; surplus %zu bytes left "
		       "(for TLS in dlopen'ed libraries)", size, modules, surplus);
}

/* `where` says where a dlopen'ed module went; NULL for a start-up module.
 * (A dynamic module has no place: offset 0.) */
void lt_trace_tls_module(const struct lt_object *obj, const char *where)
{
	char at[32] = "";
	if (obj->tls.offset)
		lt_format(at, sizeof at, " at TP-%#zx", obj->tls.offset);
	lt_debug_print("tls: module %zu %s: size %zu (image %zu) align %zu%s%s%s", obj->tls.modid,
		       obj->path, obj->tls.memsz, obj->tls.filesz, obj->tls.align, at,
		       where ? ", " : "", where ? where : "");
}

void lt_trace_tls_released(const struct lt_object *obj, size_t surplus_left)
{
	lt_debug_print("tls: module %zu %s released; surplus %zu bytes left", obj->tls.modid,
		       obj->path, surplus_left);
}

void lt_trace_tls_refused(const struct lt_object *obj, size_t surplus_left)
{
	lt_debug_print("tls: %s uses initial-exec TLS: it needs %zu bytes (aligned to %zu) of the "
		       "static surplus, where %zu are left", obj->path, obj->tls.memsz, obj->tls.align,
		       surplus_left);
}

void lt_trace_thread_pointer(uintptr_t tp, size_t below)
{
	lt_debug_print("tls: thread pointer %#lx, static TLS %zu bytes below it", tp, below);
}

/* ----- prelink ----- */

void lt_trace_prelink_using(const char *file, unsigned objects, unsigned answers)
{
	lt_debug_print("using cache %s (%u objects, %u answers)", file, objects, answers);
}

void lt_trace_prelink_ignored(const char *file, const char *why)
{
	lt_debug_print("cache %s ignored: %s", file, why);
}

void lt_trace_prelink_none(const char *file)
{
	lt_debug_print("no cache %s", file);
}

void lt_trace_prelink_off(const char *why)
{
	lt_debug_print("no cache: %s", why);
}

void lt_trace_prelink_index_built(size_t walks)
{
	lt_debug_print("the scope walk answered %zu lookups: the global symbol index is built now", walks);
}

void lt_trace_prelink_answer_ignored(const char *file, const char *obj, uint64_t at)
{
	lt_debug_print("cache %s: %s: the answer for the relocation at %#lx names no symbol of an "
		       "object of the cache: looked up instead", file, obj, (unsigned long)at);
}
