/*
 * The prelink cache, the core's side (prelink.h; prelink_file.c checks the
 * format): where a program's cache lives, whether it fits the link a start
 * has just made ready, and recording one (--prelink).
 *
 * A start loads every object as usual (the same searches, the same files
 * opened), lays out static TLS and orders relocation; only then is the
 * cache read and compared with all of it: the environment that steers
 * linking, ld-teach's own build, each object's identity (device, inode,
 * size, modification time, build-id) and tables, the global scope, the
 * TLS layout and the constructor order.  Anything that differs leaves the
 * cache unused, with one LD_DEBUG=prelink line saying what, and linking
 * goes on as if there were none; nothing has been relocated yet.
 */
#include <stdarg.h>
#include <linux/stat.h>
#include "rtld.h"
#include "alloc.h"
#include "arch.h"
#include "audit.h"
#include "load.h"
#include "prelink.h"
#include "print.h"
#include "reloc.h"
#include "str.h"
#include "symbols.h"
#include "sys.h"
#include "trace.h"

struct lt_object **lt_prelink_objects;
uint32_t lt_prelink_nobjects;

#define NAME_KEPT 200        /* characters of the program's name in its cache's */
/* A small program's whole cache in one read, into a block that costs no mmap. */
#define FIRST_READ LT_ALLOC_SMALL_MAX

/* Start-up runs on one thread: the cache's path, in memory of its own
 * (the arena's, already touched: a 4 KiB buffer would be a page more),
 * whose first dir_len characters name its directory, and the last reason
 * for refusing it. */
static char *cache_file;
static size_t dir_len;
static char why[768] LT_LARGE_BSS;

__attribute__((format(printf, 1, 2))) static int refuse(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lt_vformat(why, sizeof why, fmt, ap);
	va_end(ap);
	return 0;
}

/* ----- where ----- */

/* $LD_TEACH_CACHE_DIR, else $XDG_CACHE_HOME/ld-teach (the XDG rule: only an
 * absolute one), else ~/.cache/ld-teach; into dir (size bytes: 0 to
 * measure).  Its length; 0 when none is known. */
static size_t cache_dir(char *dir, size_t size)
{
	const struct lt_env *e = &lt.env;
	if (e->cache_dir && *e->cache_dir)
		return lt_format(dir, size, "%s", e->cache_dir);
	if (e->xdg_cache_home && *e->xdg_cache_home == '/')
		return lt_format(dir, size, "%s/ld-teach", e->xdg_cache_home);
	if (e->home && *e->home)
		return lt_format(dir, size, "%s/.cache/ld-teach", e->home);
	return refuse("no cache directory: LD_TEACH_CACHE_DIR, XDG_CACHE_HOME and HOME are unset");
}

/*
 * The program's cache file, named after the program: its name, device and
 * inode, so that a program moved keeps its cache and two programs of one
 * name have their own.  (Both start modes opened the program's file and
 * noted its identity: command mode to map it, PT_INTERP mode to check the
 * kernel's mapping against it; a PT_INTERP start that could open none has
 * none, and no cache.)  Into cache_file, after its directory (dir_len); 0
 * when it cannot be named.
 */
static int locate(void)
{
	struct lt_object *main = lt.main;
	if (!main->ino)
		return refuse("the program's file could not be read: it has no identity to name a cache by");
	size_t n = cache_dir(0, 0), size = n + NAME_KEPT + 40;  /* ("/" name "-" dev "-" ino) */
	if (!n)
		return 0;
	if (n >= LT_PATH_MAX - NAME_KEPT - 40)
		return refuse("the cache directory's name is too long");
	lt_free(cache_file);
	if (!(cache_file = lt_alloc(size)))
		return refuse("out of memory for the cache's name");
	dir_len = cache_dir(cache_file, size);
	const char *slash = strrchr(main->path, '/');
	lt_format(cache_file + dir_len, size - dir_len, "/%.*s-%lx-%lx", NAME_KEPT,
		  slash ? slash + 1 : main->path, (unsigned long)main->dev, (unsigned long)main->ino);
	return 1;
}

/* The cache's directory, opened (cache_file's first dir_len characters,
 * cut short for the call). */
static long open_directory(void)
{
	cache_file[dir_len] = 0;
	long dfd = sys_open(cache_file, O_RDONLY | O_DIRECTORY);
	cache_file[dir_len] = '/';
	return dfd;
}

/* ----- reading ----- */

/* Secure mode: a root-owned file in a root-owned directory, neither writable by others. */
static int root_only(int fd, const char *what)
{
	struct stat st;
	long r = sys_fstat(fd, &st);
	if (r < 0)
		return refuse("cannot read the %s's data: %s", what, lt_strerror(-r));
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))
		return refuse("secure mode: the %s is not root's, or others may write to it", what);
	return 1;
}

/* The cache, opened; else -errno, with why.  (O_NONBLOCK: a FIFO in its place does not stop
 * the start.) */
static long open_cache(void)
{
	long fd;
	if (!lt.secure) {
		fd = sys_open(cache_file, O_RDONLY | O_NONBLOCK);
		if (fd < 0 && fd != -ENOENT)  /* (none at all, the usual answer, needs no reason) */
			refuse("cannot open it: %s", lt_strerror(-fd));
		return fd;
	}
	long dfd = open_directory();
	if (dfd < 0) {
		refuse("cannot open its directory: %s", lt_strerror(-dfd));
		return dfd;
	}
	fd = -EPERM;
	if (root_only(dfd, "directory") &&
	    (fd = sys_openat(dfd, cache_file + dir_len + 1, O_RDONLY | O_NONBLOCK | O_NOFOLLOW,
			     0)) < 0)
		refuse("cannot open it: %s", lt_strerror(-fd));
	if (fd >= 0 && !root_only(fd, "file")) {
		sys_close(fd);
		fd = -EPERM;
	}
	sys_close(dfd);
	return fd;
}

/*
 * The whole file, in memory of its own (never mapped: a file truncated
 * under a mapping would fault).  A small cache takes one read; a larger
 * one is read to the size its header claims, and to the end of the file.
 */
static void *read_cache(long fd, size_t *size)
{
	size_t cap = FIRST_READ, n = 0;
	char *buf = lt_alloc(cap);
	long r = 0;
	while (buf) {
		r = sys_read(fd, buf + n, cap - n);
		if (r == -EINTR)
			continue;
		if (r <= 0)
			break;
		n += r;
		if (n < cap && cap == FIRST_READ)
			break;  /* a short read of a file: its end */
		if (n == cap && memcmp(buf, LT_PRELINK_MAGIC, LT_PRELINK_MAGIC_LEN))
			break;  /* no cache (the parser says so): no need to read /dev/zero to its end */
		if (n == cap) {
			uint64_t claimed = ((const struct lt_prelink_header *)buf)->size;
			if (cap > LT_PRELINK_MAX_SIZE) {
				lt_free(buf);
				refuse("larger than the %lu MiB ld-teach reads", LT_PRELINK_MAX_SIZE >> 20);
				return 0;
			}
			cap = claimed >= cap && claimed <= LT_PRELINK_MAX_SIZE ? claimed + 8 : 2 * cap;
			char *grown = lt_realloc(buf, cap);
			if (!grown)
				lt_free(buf);
			buf = grown;
		}
	}
	if (!buf) {
		refuse("out of memory reading it");
		return 0;
	}
	if (r < 0) {
		lt_free(buf);
		refuse("cannot read it: %s", lt_strerror(-r));
		return 0;
	}
	*size = n;
	return buf;
}

/* ----- does it fit? ----- */

static void quoted(char *out, size_t size, const char *s)
{
	if (s)
		lt_format(out, size, "\"%.300s\"", s);
	else
		lt_format(out, size, "unset");
}

/* One setting of the environment: `now`, or NULL, against the cache's. */
static int same_setting(const char *what, const char *now, const struct lt_prelink_file *f,
			uint32_t flag, uint32_t string)
{
	const char *then = (f->h->flags & flag) ? lt_prelink_string(f, string) : 0;
	if (!now == !then && (!now || !strcmp(now, then)))
		return 1;
	char a[320], b[320];
	quoted(a, sizeof a, now);
	quoted(b, sizeof b, then);
	return refuse("%s differs: %s now, %s in the cache", what, a, b);
}

static int same_environment(const struct lt_prelink_file *f)
{
	uint32_t flags = f->h->flags;
	if (!same_setting("LD_LIBRARY_PATH (or --library-path)", lt.library_path, f,
			  LT_PRELINK_F_LIBRARY_PATH, f->h->library_path) ||
	    !same_setting("LD_PRELOAD (or --preload)", lt.preload, f, LT_PRELINK_F_PRELOAD,
			  f->h->preload))
		return 0;
	if (!lt.bind_now != !(flags & LT_PRELINK_F_BIND_NOW))
		return refuse("LD_BIND_NOW differs: %s now, %s in the cache", lt.bind_now ? "set" : "unset",
			      lt.bind_now ? "unset" : "set");
	if (!lt.inhibit_cache != !(flags & LT_PRELINK_F_INHIBIT_CACHE))
		return refuse("--inhibit-cache differs: %s now, %s in the cache",
			      lt.inhibit_cache ? "given" : "not given", lt.inhibit_cache ? "not" : "given");
	return 1;
}

/* ld-teach.so's own build-id: a cache is only as good as the loader that made it. */
static const unsigned char *rtld_id(size_t *len)
{
	const unsigned char *id = lt_object_build_id(lt.self, len);
	if (*len > LT_PRELINK_ID_MAX)
		*len = LT_PRELINK_ID_MAX;
	return id;
}

static int same_rtld(const struct lt_prelink_file *f)
{
	size_t len = 0;
	const unsigned char *id = rtld_id(&len);
	if (id && len == f->h->rtld_id_len && !memcmp(id, f->h->rtld_id, len))
		return 1;
	char now[2 * LT_PRELINK_ID_MAX + 1] = "none", then[2 * LT_PRELINK_ID_MAX + 1];
	if (id)
		lt_hex(now, sizeof now, id, len);
	lt_hex(then, sizeof then, f->h->rtld_id, f->h->rtld_id_len);
	return refuse("made by another build of ld-teach.so (build-id %s; this one is %s)", then, now);
}

/* The file behind o is the one the cache recorded, unchanged. */
static int same_file(const struct lt_object *o, const struct lt_prelink_object *r, const char *was,
		     unsigned i)
{
	if (o->dev != r->dev || o->ino != r->ino) {
		if (strcmp(o->path, was))
			return refuse("object %u is %s now, %s in the cache", i, o->path, was);
		return refuse("%s was replaced: it is another file (device %lx, inode %lu) than the "
			      "cache's (device %lx, inode %lu)", o->path, (unsigned long)o->dev,
			      (unsigned long)o->ino, (unsigned long)r->dev, (unsigned long)r->ino);
	}
	if (o->size != r->size || o->mtime != r->mtime || o->mtime_nsec != r->mtime_nsec)
		return refuse("%s was modified: %lu bytes, modified at %ld.%09u now; %lu bytes, "
			      "modified at %ld.%09u in the cache", o->path, (unsigned long)o->size,
			      (long)o->mtime, o->mtime_nsec, (unsigned long)r->size, (long)r->mtime,
			      r->mtime_nsec);
	return 1;
}

static int same_object(const struct lt_object *o, const struct lt_prelink_file *f, unsigned i)
{
	const struct lt_prelink_object *r = &f->objects[i];
	const char *was = lt_prelink_string(f, r->path);
	if (o->kind != r->kind)
		return refuse("object %u is %s now, %s in the cache", i, o->path, was);
	/* ld-teach.so itself is known by its build-id (same_rtld), the vDSO by nothing: nothing binds to it. */
	if ((o->kind == LT_MAIN || o->kind == LT_LIB) && !same_file(o, r, was, i))
		return 0;
	size_t len = 0;
	const unsigned char *id = o->kind == LT_VDSO ? 0 : lt_object_build_id(o, &len);
	if (len != r->build_id_len || (len && memcmp(id, f->strings + r->build_id, len)))
		return refuse("%s: its build-id differs from the cache's", o->path);
	if (o->st.nsyms != r->nsyms || o->nrela != r->nrela || o->relacount != r->relacount ||
	    o->njmprel != r->njmprel)
		return refuse("%s: its symbol or relocation tables differ from the cache's", o->path);
	if (o->tls.modid != r->tls_modid || o->tls.offset != r->tls_offset)
		return refuse("%s: its static TLS block differs: module %zu at TP-%#lx now, module %u "
			      "at TP-%#lx in the cache", o->path, o->tls.modid,
			      (unsigned long)o->tls.offset, r->tls_modid, (unsigned long)r->tls_offset);
	return 1;
}

static int same_objects(const struct lt_prelink_file *f)
{
	unsigned i = 0, n = f->h->nobjects;
	for (const struct lt_object *o = lt.head; o; o = o->next, i++)
		if (i == n)
			return refuse("%s is loaded now, and not in the cache", o->path);
		else if (!same_object(o, f, i))
			return 0;
	if (i < n)
		return refuse("%s is in the cache, and not loaded now",
			      lt_prelink_string(f, f->objects[i].path));
	return 1;
}

/* The global scope, or the constructor order, is the cache's. */
static int same_list(const char *what, struct lt_object *const *objs, size_t n,
		     const struct lt_prelink_file *f, const uint32_t *list, uint32_t nlist)
{
	for (size_t i = 0; i < n && i < nlist; i++)
		if (objs[i]->serial != list[i])
			return refuse("%s differs at %zu: %s now, %s in the cache", what, i, objs[i]->path,
				      lt_prelink_string(f, f->objects[list[i]].path));
	if (n != nlist)
		return refuse("%s has %zu objects now, %u in the cache", what, n, nlist);
	return 1;
}

static int fits(const struct lt_prelink_file *f, struct lt_object **order, size_t n)
{
	return same_rtld(f) && same_environment(f) && same_objects(f) &&
	       same_list("the global scope", lt.global.objs, lt.global.n, f, f->scope, f->h->nscope) &&
	       same_list("the constructor order", order, n, f, f->init, f->h->ninit);
}

/* Every object gets its answers; answers name objects by serial. */
static int install(const struct lt_prelink_file *f)
{
	lt_prelink_objects = lt_alloc(f->h->nobjects * sizeof *lt_prelink_objects);
	if (!lt_prelink_objects)
		return refuse("out of memory");
	lt_prelink_nobjects = f->h->nobjects;
	const struct lt_prelink_answer *a = f->answers;
	for (struct lt_object *o = lt.head; o; o = o->next) {
		lt_prelink_objects[o->serial] = o;
		o->answers = a;
		a += o->nrela - o->relacount + o->njmprel;
	}
	return 1;
}

static int names_a_symbol(const struct lt_prelink_answer *a)
{
	uint32_t o = a->obj & ~LT_PRELINK_SPECIAL;
	return o < lt_prelink_nobjects && a->sym && a->sym < lt_prelink_objects[o]->st.nsyms;
}

int lt_prelink_answer_ok(const struct lt_object *obj, uint64_t at, const struct lt_prelink_answer *a)
{
	if (a->obj == LT_PRELINK_UNDEF ? !a->sym : names_a_symbol(a))
		return 1;
	trace_prelink_answer_ignored(cache_file, obj->path, at);
	return 0;
}

static int turned_off(void)
{
	return lt.env.prelink && !strcmp(lt.env.prelink, "0");
}

int lt_prelink_use(struct lt_object **order, size_t n)
{
	if (turned_off()) {
		trace_prelink_off("LD_TEACH_PRELINK=0");
		return 0;
	}
	/* Audit modules see every binding (la_symbind64), which answers skip. */
	if (lt_auditing()) {
		trace_prelink_off("audit modules are in use");
		return 0;
	}
	if (!locate()) {
		trace_prelink_off(why);
		return 0;
	}
	long fd = open_cache();
	if (fd == -ENOENT) {
		trace_prelink_none(cache_file);
		return 0;
	}
	size_t size = 0;
	void *buf = fd >= 0 ? read_cache(fd, &size) : 0;
	if (fd >= 0)
		sys_close(fd);
	struct lt_prelink_file f;
	const char *bad;
	if (buf && lt_prelink_parse(buf, size, &f, &bad) < 0)
		refuse("%s", bad);
	else if (buf && fits(&f, order, n) && install(&f)) {
		trace_prelink_using(cache_file, f.h->nobjects, f.h->nanswers);
		return 1;
	}
	lt_free(buf);
	trace_prelink_ignored(cache_file, why);
	return 0;
}

/* ----- recording (--prelink) ----- */

/* The string table being built. */
struct strings {
	char *s;
	size_t n, cap;
};

static uint32_t add_bytes(struct strings *t, const void *b, size_t len)
{
	if (t->n + len > t->cap) {
		size_t cap = 2 * (t->n + len) + 256;
		char *grown = lt_realloc(t->s, cap);
		if (!grown)
			lt_fatal("out of memory recording the prelink cache");
		t->s = grown, t->cap = cap;
	}
	memcpy(t->s + t->n, b, len);
	t->n += len;
	return t->n - len;
}

static uint32_t add_string(struct strings *t, const char *s)
{
	return add_bytes(t, s, strlen(s) + 1);
}

/* (The GOT words the lean path fills: GLOB_DAT in DT_RELA, JUMP_SLOT in DT_JMPREL.) */
static struct lt_prelink_answer answer(struct lt_object *o, const Elf64_Rela *r, uint32_t got_type)
{
	struct lt_symdef d;
	int found = lt_reloc_answer(o, r, &d);
	if (found < 0)
		lt_die();  /* a start would fail here, with the same words */
	/* (A unique definition is looked up as usual: the lookup enters the
	 * process's one definition of its name, unique.c.) */
	if (!found || (d.sym && ELF64_ST_BIND(d.sym->st_info) == STB_GNU_UNIQUE))
		return (struct lt_prelink_answer){LT_PRELINK_LOOKUP, 0};
	if (!d.sym)
		return (struct lt_prelink_answer){LT_PRELINK_UNDEF, 0};
	int got_word = ELF64_R_TYPE(r->r_info) == got_type && lt_symbol_plain(d.sym);
	uint32_t special = got_word ? 0 : LT_PRELINK_SPECIAL;
	return (struct lt_prelink_answer){d.obj->serial | special, (uint32_t)(d.sym - d.obj->st.syms)};
}

static void record_object(struct lt_prelink_object *r, const struct lt_object *o,
			  struct strings *t)
{
	size_t len = 0;
	const unsigned char *id = o->kind == LT_VDSO ? 0 : lt_object_build_id(o, &len);
	*r = (struct lt_prelink_object){
		.dev = o->dev, .ino = o->ino, .size = o->size, .mtime = o->mtime,
		.mtime_nsec = o->mtime_nsec, .kind = o->kind, .path = add_string(t, o->path),
		.build_id = id ? add_bytes(t, id, len) : 0, .build_id_len = id ? len : 0,
		.nsyms = o->st.nsyms, .nrela = o->nrela, .relacount = o->relacount,
		.njmprel = o->njmprel, .tls_modid = o->tls.modid, .tls_offset = o->tls.offset};
}

static struct lt_prelink_answer *record_answers(size_t total)
{
	struct lt_prelink_answer *a = lt_alloc(total * sizeof *a), *next = a;  /* (0 bytes: a block all the same) */
	if (!a)
		lt_fatal("out of memory recording the prelink cache");
	for (struct lt_object *o = lt.head; o; o = o->next) {
		for (size_t i = o->relacount; i < o->nrela; i++)
			*next++ = answer(o, &o->rela[i], ARCH_R_GLOB_DAT);
		for (size_t i = 0; i < o->njmprel; i++)
			*next++ = answer(o, &o->jmprel[i], ARCH_R_JUMP_SLOT);
	}
	return a;
}

/* The header, but for what depends on the layout. */
static void record_header(struct lt_prelink_header *h, struct strings *t)
{
	size_t len = 0;
	const unsigned char *id = rtld_id(&len);
	if (!id)
		lt_fatal("cannot prelink: this ld-teach.so has no build-id to tell its caches by");
	memcpy(h->magic, LT_PRELINK_MAGIC, LT_PRELINK_MAGIC_LEN);
	h->version = LT_PRELINK_VERSION;
	memcpy(h->rtld_id, id, len);
	h->rtld_id_len = len;
	h->flags = (lt.library_path ? LT_PRELINK_F_LIBRARY_PATH : 0) |
		   (lt.preload ? LT_PRELINK_F_PRELOAD : 0) | (lt.bind_now ? LT_PRELINK_F_BIND_NOW : 0) |
		   (lt.inhibit_cache ? LT_PRELINK_F_INHIBIT_CACHE : 0);
	h->library_path = lt.library_path ? add_string(t, lt.library_path) : 0;
	h->preload = lt.preload ? add_string(t, lt.preload) : 0;
}

/* mkdir -p of the cache's directory, private to the user as the XDG rules
 * ask: each prefix of it in cache_file, cut short for the call. */
static void make_directories(void)
{
	for (char *p = cache_file + 1; p <= cache_file + dir_len; p++)
		if (*p == '/') {
			*p = 0;
			sys_mkdir(cache_file, 0700);
			*p = '/';
		}
}

/* Written beside it, then renamed over it: a start reads the old file or the new, whole. */
static void write_cache(const void *buf, size_t size)
{
	static char tmp[LT_PATH_MAX + 32] LT_LARGE_BSS;  /* (off a stack that may be small) */
	lt_format(tmp, sizeof tmp, "%s.%ld.tmp", cache_file, sys_getpid());
	long fd = sys_openat(AT_FDCWD, tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd == -ENOENT) {
		make_directories();
		fd = sys_openat(AT_FDCWD, tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
	}
	if (fd < 0)
		lt_fatal("cannot create %s: %s", tmp, lt_strerror(-fd));
	long r = 0;
	for (size_t done = 0; done < size && r >= 0; done += r > 0 ? r : 0)
		if ((r = sys_write(fd, (const char *)buf + done, size - done)) == -EINTR)
			r = 0;
	sys_close(fd);
	if (r < 0 || (r = sys_rename(tmp, cache_file)) < 0) {
		sys_unlink(tmp);
		lt_fatal("cannot write %s: %s", cache_file, lt_strerror(-r));
	}
}

void lt_prelink_record(struct lt_object **order, size_t n)
{
	if (!locate())
		lt_fatal("%s: cannot prelink: %s", lt.main->path, why);
	struct lt_prelink_header h = {0};
	struct strings t = {0};
	size_t nanswers = 0;
	record_header(&h, &t);
	struct lt_prelink_object *objects = lt_alloc(lt.nobjects * sizeof *objects);
	if (!objects)
		lt_fatal("out of memory recording the prelink cache");
	for (struct lt_object *o = lt.head; o; o = o->next) {
		record_object(&objects[o->serial], o, &t);
		nanswers += o->nrela - o->relacount + o->njmprel;
	}
	struct lt_prelink_answer *answers = record_answers(nanswers);

	uint64_t off[LT_PRELINK_END + 1];
	h.nobjects = lt.nobjects, h.nanswers = nanswers, h.nscope = lt.global.n, h.ninit = n;
	h.strings_size = t.n;
	lt_prelink_layout(&h, off);
	h.size = off[LT_PRELINK_END];
	char *buf = lt_alloc(h.size);
	if (!buf)
		lt_fatal("cannot prelink: out of memory for a %lu-byte cache", (unsigned long)h.size);
	memcpy(buf, &h, sizeof h);
	memcpy(buf + off[LT_PRELINK_OBJECTS], objects, h.nobjects * sizeof *objects);
	memcpy(buf + off[LT_PRELINK_ANSWERS], answers, nanswers * sizeof *answers);
	for (size_t i = 0; i < h.nscope; i++)
		((uint32_t *)(buf + off[LT_PRELINK_SCOPE]))[i] = lt.global.objs[i]->serial;
	for (size_t i = 0; i < n; i++)
		((uint32_t *)(buf + off[LT_PRELINK_INIT]))[i] = order[i]->serial;
	memcpy(buf + off[LT_PRELINK_STRINGS], t.s, t.n);
	((struct lt_prelink_header *)buf)->checksum = lt_prelink_checksum(buf, h.size);
	write_cache(buf, h.size);
	lt_dprintf(1, "%s: %u objects, %zu answers: written to %s (%lu bytes)\n", lt.main->path,
		   h.nobjects, nanswers, cache_file, (unsigned long)h.size);
	sys_exit(0);
}
