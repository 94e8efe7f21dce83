/*
 * The musl adapter, core side.
 *
 * musl's libc.so is also musl's loader and cannot run under another one, so
 * ld-teach gives musl programs a libc.so of its own: Debian's libc.a plus
 * the glue in glue.c (the adapter's libc side).  This file is everything
 * the core knows about musl: which objects are musl's, which library names
 * that libc.so serves, where musl looks for libraries, and how to hand the
 * glue the start-up state once everything is relocated.
 */
#include "rtld.h"
#include "alloc.h"
#include "audit.h"
#include "libc.h"
#include "load.h"
#include "path.h"
#include "str.h"
#include "symbols.h"
#include "sys.h"
#include "tls.h"
#include "trace.h"
#include "ld-teach/adapter.h"

#define MUSL_LOADER "ld-musl-x86_64.so.1"
#define MUSL_PATH_FILE "/etc/ld-musl-x86_64.path"
/* musl's built-in search path, used when the path file is absent. */
#define MUSL_DEFAULT_PATH "/lib:/usr/local/lib:/usr/lib"

/* What the glue offers once it runs (its start function returns it). */
static const struct lt_libc_ops *glue;

/* Is `name` (n bytes) the last name of `path` (len bytes)? */
static int last_name_is(const char *path, size_t len, const char *name, size_t n)
{
	return len >= n && (len == n || path[len - n - 1] == '/') && !memcmp(path + len - n, name, n);
}

/*
 * Is `path` a file of musl's libc itself?  musl installs it as libc.so,
 * and its loader is a link to it; glibc has no ELF file of either name.
 * (strlen goes a word at a time: every musl start asks of its libc.so.)
 */
static int names_musl_libc(const char *path)
{
	size_t len = strlen(path);
	return last_name_is(path, len, "libc.so", sizeof "libc.so" - 1) ||
	       last_name_is(path, len, MUSL_LOADER, sizeof MUSL_LOADER - 1);
}

/* musl-gcc links programs and libraries against "libc.so"; musl's libc
 * itself needs nothing. */
static int claims(const struct lt_object *obj)
{
	return lt_object_needs(obj, "libc.so") || lt_object_needs(obj, MUSL_LOADER) ||
	       (!obj->nneeded_names && names_musl_libc(obj->path));
}

/*
 * The names musl's own loader answers for itself: lib<stem>.so, with or
 * without a version suffix, for the libraries musl folds into libc.so,
 * and the loader's own name.
 */
static int reserved(const char *name)
{
	static const struct { char stem[8]; size_t len; } stems[] = {
		{"c", 1}, {"pthread", 7}, {"rt", 2}, {"m", 1}, {"dl", 2},
		{"util", 4}, {"xnet", 4}, {"resolv", 6}, {"crypt", 5}};
	if (!strcmp(name, MUSL_LOADER))
		return 1;
	if (strncmp(name, "lib", 3))
		return 0;
	const char *stem = name + 3, *dot = strchr(stem, '.');
	if (!dot || strncmp(dot, ".so", 3) || (dot[3] != 0 && dot[3] != '.'))
		return 0;
	for (size_t i = 0; i < sizeof stems / sizeof *stems; i++)
		if (stems[i].len == (size_t)(dot - stem) && !memcmp(stem, stems[i].stem, stems[i].len))
			return 1;
	return 0;
}

/* ld-teach's libc.so for musl programs, next to ld-teach.so. */
static const char *libc_path(void)
{
	static char libc_made[LT_PATH_MAX] LT_LARGE_BSS;  /* (away from home) */
	static const char *path;
	static const char *const layouts[] = {"/ld-teach/musl/libc.so", "/build/musl/libc.so"};
	if (!path)
		path = lt_beside_self(layouts, sizeof layouts / sizeof *layouts, libc_made);
	return path;
}

static const char *serves(const char *name)
{
	return reserved(name) ? libc_path() : 0;
}

/*
 * musl's loader finds itself however its file is reached.  A musl libc.so
 * other than ld-teach's, whichever file it is, could not run beside it
 * (its code expects to be its own loader): ld-teach's stands for it.
 */
static const char *own_file(const struct lt_object *obj)
{
	const char *libc = libc_path();
	return names_musl_libc(obj->path) && libc && strcmp(obj->path, libc) ? libc : 0;
}

/*
 * musl's path file as a search list: its directories, up to its end or a
 * NUL, separated by newlines or colons.  Empty ones are dropped, as musl's
 * path_open skips them (an empty element of a list would mean the current
 * directory).  "" when it names none, or cannot be read (a read error, or
 * no memory for the list: musl's getdelim fails, and musl then searches no
 * system directory either).
 */
static const char *path_file_list(long fd)
{
	char *list = 0, chunk[256];
	size_t n = 0;
	int separated = 0, ended = 0;
	while (!ended) {
		long r = sys_read(fd, chunk, sizeof chunk);
		if (r == -EINTR)
			continue;
		if (r == 0)
			break;
		char *grown = r < 0 ? 0 : lt_realloc(list, n + r + 2);  /* (the piece, then the NUL) */
		if (!grown) {
			lt_free(list);
			return "";
		}
		list = grown;
		ended = lt_path_list_append(list, &n, &separated, chunk, r);
	}
	if (!list)
		return "";
	list[n] = 0;
	return list;
}

/*
 * musl's order of lists: LD_LIBRARY_PATH first, then the RUNPATH (else the
 * RPATH) of the object that needs the library, of the object that loaded
 * that one, and so on up to the program: a RUNPATH serves the libraries
 * loaded for its object's own dependencies too.  A dlopen searches as a
 * dependency of the program, whoever calls it.
 */
static int search_lists(struct lt_search *s)
{
	int fd = lt_search_library_path(s);
	s->where = LA_SER_RUNPATH;
	const struct lt_object *o = s->how & LT_LOAD_DLOPEN ? lt.main : s->requester;
	for (; fd < 0 && o; o = o->loader)
		fd = o->runpath ? lt_search_list(s, o->runpath, o, "RUNPATH from file ", o->path)
				: lt_search_list(s, o->rpath, o, "RPATH from file ", o->path);
	return fd;
}

/*
 * musl's order after those lists: the directories its path file lists, or,
 * without that file, its built-in path.  A file that exists but cannot be
 * opened, or lists no directory, leaves no system directory to search, as
 * in musl.  Read once.
 */
static int search_default(struct lt_search *s)
{
	static const char *path;
	if (!path) {
		long fd = sys_open(MUSL_PATH_FILE, O_RDONLY | O_NONBLOCK);
		if (fd >= 0) {
			path = path_file_list(fd);
			sys_close(fd);
		} else {
			path = fd == -ENOENT ? MUSL_DEFAULT_PATH : "";
		}
	}
	return *path ? lt_search_list(s, path, 0, "system search path", 0) : -1;
}

/* Does an object before libc.so in the global scope define `name`?
 * Then that definition, not libc's, is the one everybody gets. */
static int replaced(const char *name, const struct lt_object *libc)
{
	struct lt_ref ref = lt_ref_of(name, 0, 0);
	for (size_t i = 0; i < lt.global.n && lt.global.objs[i] != libc; i++)
		if (lt_find_in_object(lt.global.objs[i], &ref))
			return 1;
	return 0;
}

static size_t largest_stack_request(void)
{
	size_t max = 0;
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (o->stack_size > max)
			max = o->stack_size;
	return max;
}

static struct lt_object *libc_object(void)
{
	const char *path = libc_path();
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (o->kind == LT_LIB && !strcmp(o->path, path))
			return o;
	return 0;
}

/* The glue's start: the thread pointer and musl's own state, before any constructor. */
static void start_glue(void)
{
	struct lt_symdef start = {0, libc_object()};
	struct lt_ref ref = lt_ref_of(LT_ADAPTER_START_SYMBOL, 0, 0);
	if (start.obj)
		start.sym = lt_find_in_object(start.obj, &ref);
	if (!start.sym)
		lt_fatal("%s: musl program, but its libc.so is not ld-teach's musl adapter (no %s)",
			 lt.main->path, LT_ADAPTER_START_SYMBOL);
	struct lt_adapter_boot boot = {
		.abi = LT_ADAPTER_ABI,
		.core = &lt_core_ops,
		.envp = lt.envp,
		.auxv = (size_t *)lt.auxv,
		.secure = lt.secure,
		.tls = lt_tls_modules(),
		.tls_count = lt_tls_module_count(),
		.tls_offset = lt_tls_static_size(),
		.tls_align = lt_tls_static_align(),
		.malloc_replaced = replaced("malloc", start.obj),
		.aligned_alloc_replaced = replaced("aligned_alloc", start.obj),
		.stack_size = largest_stack_request(),
	};
	if (!boot.tls)
		lt_fatal("out of memory describing TLS to the musl adapter");
	trace_handing_over("musl", start.obj->path);
	glue = ((lt_adapter_start_fn *)lt_symbol_address(&start))(&boot);
	lt_free((void *)boot.tls);
	lt_error_use_slots(glue->error_slot);
}

/* musl's __libc_start_main runs the constructors (the glue asks the core). */
static void hand_off(struct lt_handoff *out)
{
	out->fini = 0;  /* musl's _start ignores %rdx; exit() runs the destructors */
}

static int tls_add(const struct lt_object *obj)
{
	struct lt_tls_module_info m = lt_tls_module_of(obj);
	return glue->tls_add(obj->tls.modid, &m, lt_tls_is_static(obj), lt_tls_static_size(),
			     lt_tls_static_align());
}

static void tls_remove(const struct lt_object *obj)
{
	glue->tls_remove(obj->tls.modid);
}

static void *tls_block(const struct lt_object *obj)
{
	return glue->tls_block(obj->tls.modid);
}

static void *tls_get_addr(size_t *ti)
{
	return glue->tls_get_addr(ti);
}

const struct lt_libc_adapter lt_musl_adapter = {
	.name = "musl",
	.claims = claims,
	.serves = serves,
	.own_file = own_file,
	.system_dirs = MUSL_DEFAULT_PATH,
	.first_entries = 1,
	.lists_skip_empty = 1,
	.preload_separators = " \t\n\v\f\r:",
	.origin_only = 1,
	.open_error_ends_search = 1,
	.name_max = 255,   /* NAME_MAX */
	.path_max = 512,   /* 2 * NAME_MAX + 2 */
	.search_lists = search_lists,
	.search_default = search_default,
	.before_constructors = start_glue,
	.hand_off = hand_off,
	.tls_add = tls_add,
	.tls_remove = tls_remove,
	.tls_block = tls_block,
	.tls_get_addr = tls_get_addr,
};
