/*
 * The musl flavour, core side.
 *
 * musl's libc.so is also musl's loader and cannot run under another one, so
 * ld-teach gives musl programs a libc.so of its own: Debian's libc.a plus
 * the glue in rtld/musl/.  This file decides which library names that
 * libc.so serves, finds it next to ld-teach.so, and hands it the start-up
 * state once everything is relocated.
 */
#include "rtld.h"
#include "alloc.h"
#include "debug.h"
#include "libc.h"
#include "print.h"
#include "search.h"
#include "string.h"
#include "sys.h"
#include "ld-teach/adapter.h"

/*
 * The names musl's own loader answers for itself: lib<stem>.so, with or
 * without a version suffix, for the libraries musl folds into libc.so,
 * and the loader's own name.
 */
int lt_musl_reserved(const char *name)
{
	static const struct { char stem[8]; size_t len; } stems[] = {
		{"c", 1}, {"pthread", 7}, {"rt", 2}, {"m", 1}, {"dl", 2},
		{"util", 4}, {"xnet", 4}, {"resolv", 6}, {"crypt", 5}};
	if (!strcmp(name, "ld-musl-x86_64.so.1"))
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

/* Follow symbolic links (a few hops), so that a link to ld-teach.so still
 * finds the files that sit next to the real one. */
static void resolve_links(const char *path, char *out)
{
	strlcpy(out, path, LT_PATH_MAX);
	for (int hop = 0; hop < 8; hop++) {
		static char target[LT_PATH_MAX];  /* not on a small stack; (loader lock) */
		long n = sys_readlink(out, target, sizeof target - 1);
		if (n <= 0)
			return;
		target[n] = 0;
		char *slash = strrchr(out, '/');
		if (target[0] == '/' || !slash)
			strlcpy(out, target, LT_PATH_MAX);
		else
			strlcpy(slash + 1, target, LT_PATH_MAX - (slash + 1 - out));
	}
}

/* The directory ld-teach.so was started from; returns its length. */
static size_t self_directory(char *dir)
{
	long n = -1;
	if (lt.command_mode) {
		/* The kernel ran ld-teach.so itself: /proc/self/exe is it. */
		n = sys_readlink("/proc/self/exe", dir, LT_PATH_MAX - 1);
		if (n > 0)
			dir[n] = 0;
	}
	if (n <= 0)
		resolve_links(lt.self_path, dir);
	char *slash = strrchr(dir, '/');
	if (!slash) {
		dir[0] = '.', dir[1] = 0;
		return 1;
	}
	if (slash == dir)
		slash++;  /* the root */
	*slash = 0;
	return slash - dir;
}

/*
 * ld-teach's libc.so for musl programs: installed as <dir>/ld-teach/musl/,
 * built as <dir>/build/musl/, where <dir> holds ld-teach.so.
 */
static const char *adapter_path(void)
{
	static char path[LT_PATH_MAX];
	static const char *const layouts[] = {"/ld-teach/musl/libc.so", "/build/musl/libc.so"};
	if (path[0])
		return path;
	size_t len = self_directory(path);
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++) {
		size_t n = strlen(layouts[i]);
		if (len + n >= sizeof path)
			break;
		memcpy(path + len, layouts[i], n + 1);
		if (lt_syscall4(__NR_faccessat, AT_FDCWD, path, 4 /* R_OK */, 0) == 0)
			break;
	}
	return path;  /* when neither exists, the last one names the failure */
}

const char *lt_musl_library(const char *name)
{
	return lt_musl_reserved(name) ? adapter_path() : 0;
}

/* Static TLS as the glue needs it: one record per module, in id order. */
static struct lt_tls_module_info *tls_modules(void)
{
	struct lt_tls_module_info *t = lt_alloc((lt.tls_cnt + 1) * sizeof *t);
	if (!t)
		lt_fatal("out of memory describing TLS to the musl adapter");
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (o->tls.modid)
			t[o->tls.modid - 1] = (struct lt_tls_module_info){
				(const void *)o->tls.image, o->tls.filesz, o->tls.memsz, o->tls.align,
				o->tls.offset};
	return t;
}

/* Does an object before the adapter in the global scope define `name`?
 * Then that definition, not libc's, is the one everybody gets. */
static int replaced(const char *name, const struct lt_object *adapter)
{
	uint32_t gh = lt_gnu_hash(name);
	for (size_t i = 0; i < lt.global.n && lt.global.objs[i] != adapter; i++)
		if (lt_find_in_object(lt.global.objs[i], name, gh, 0, 0))
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

/* The object that serves the reserved names: ld-teach's libc.so for musl. */
static struct lt_object *adapter_object(void)
{
	const char *path = adapter_path();
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (o->kind == LT_LIB && !strcmp(o->path, path))
			return o;
	return 0;
}

void lt_musl_start(struct lt_handoff *out)
{
	struct lt_symdef start = {0, adapter_object()};
	if (start.obj)
		start.sym = lt_find_in_object(start.obj, LT_MUSL_START_SYMBOL,
					      lt_gnu_hash(LT_MUSL_START_SYMBOL), 0, 0);
	if (!start.sym)
		lt_fatal("%s: musl program, but its libc.so is not ld-teach's musl adapter "
			 "(no %s)", lt.main->path, LT_MUSL_START_SYMBOL);
	struct lt_adapter_boot boot = {
		.abi = LT_ADAPTER_ABI,
		.core = &lt_core_ops,
		.envp = lt.envp,
		.auxv = (size_t *)lt.auxv,
		.secure = lt.secure,
		.tls = tls_modules(),
		.tls_count = lt.tls_cnt,
		.tls_offset = lt.tls_offset,
		.tls_align = lt.tls_align,
		.malloc_replaced = replaced("malloc", start.obj),
		.aligned_alloc_replaced = replaced("aligned_alloc", start.obj),
		.stack_size = largest_stack_request(),
	};
	lt_debug(LT_DBG_FILES, "handing over to the musl adapter in %s", start.obj->path);
	lt.adapter = ((lt_adapter_start_fn *)lt_symbol_address(&start))(&boot);
	lt_free((void *)boot.tls);
	out->fini = 0;  /* musl's _start ignores %rdx; exit() runs the destructors */
}
