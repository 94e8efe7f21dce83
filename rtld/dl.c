/*
 * The dl* family, as operations the libc adapters call (struct lt_core_ops,
 * include/ld-teach/adapter.h).  Every operation that reads or changes the
 * object list holds the loader lock: dlopen and dlclose for writing, the
 * rest for reading.
 */
#include "rtld.h"
#include "arch.h"
#include "alloc.h"
#include "lock.h"
#include "print.h"
#include "string.h"
#include "ld-teach/adapter.h"

struct lt_rwlock lt_loader_lock;

/* Hand a failure's text to the caller's dlerror buffer. */
static void take_error(char *err)
{
	lt_format(err, LT_DLERROR_MAX, "%s", lt_error_text());
}

int lt_is_object(const void *handle)
{
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (o == handle)
			return 1;
	return 0;
}

static int dl_is_handle(const void *handle)
{
	lt_read_lock(&lt_loader_lock);
	int ok = lt_is_object(handle);
	lt_read_unlock(&lt_loader_lock);
	return ok;
}

/* This thread's copy of a module's TLS block (static TLS: below the TP). */
static void *tls_block(const struct lt_object *o)
{
	return o->tls.modid ? (void *)(arch_thread_pointer() - o->tls.offset) : 0;
}

static int dl_iterate_phdr(int (*cb)(struct lt_dl_phdr_info *, size_t, void *), void *data)
{
	int r = 0;
	/* For writing: it is recursive, so a callback may dlopen. */
	lt_write_lock(&lt_loader_lock);
	for (struct lt_object *o = lt.head; o && !r; o = o->next) {
		struct lt_dl_phdr_info info = {
			.dlpi_addr = o->base,
			.dlpi_name = o->name,
			.dlpi_phdr = o->phdr,
			.dlpi_phnum = (Elf64_Half)o->phnum,
			.dlpi_adds = lt.objects_added,
			.dlpi_subs = lt.objects_removed,
			.dlpi_tls_modid = o->tls.modid,
			.dlpi_tls_data = tls_block(o),
		};
		r = cb(&info, sizeof info, data);
	}
	lt_write_unlock(&lt_loader_lock);
	return r;
}

/*
 * The symbol that covers `addr`: one whose [value, value + size) holds it,
 * else the nearest one below it with no size.
 */
static const Elf64_Sym *symbol_at(const struct lt_object *o, uintptr_t addr)
{
	const Elf64_Sym *best = 0;
	for (size_t i = 1; i < o->st.nsyms; i++) {
		const Elf64_Sym *s = &o->st.syms[i];
		unsigned type = ELF64_ST_TYPE(s->st_info);
		if (s->st_shndx == SHN_UNDEF || !s->st_value || type == STT_TLS ||
		    type == STT_SECTION || type == STT_FILE)
			continue;
		uintptr_t at = o->base + s->st_value;
		if (at > addr)
			continue;
		if (s->st_size && addr < at + s->st_size)
			return s;
		if (!s->st_size && (!best || s->st_value > best->st_value))
			best = s;
	}
	return best;
}

static int dl_addr(const void *addr, struct lt_dl_info *info)
{
	lt_read_lock(&lt_loader_lock);
	struct lt_object *o = lt_object_containing((uintptr_t)addr);
	if (o) {
		const Elf64_Sym *s = symbol_at(o, (uintptr_t)addr);
		info->dli_fname = o->kind == LT_MAIN ? lt.argv[0] : o->path;
		info->dli_fbase = (void *)(o->nsegs ? page_down(o->segs[0].start) : o->base);
		info->dli_sname = s ? o->st.strtab + s->st_name : 0;
		info->dli_saddr = s ? (void *)(o->base + s->st_value) : 0;
	}
	lt_read_unlock(&lt_loader_lock);
	return o != 0;
}

/* Objects after `caller` in the global scope: RTLD_NEXT. */
static struct lt_symdef lookup_next(const char *name, const struct lt_verreq *ver,
				   const void *caller)
{
	struct lt_object *from = lt_object_containing((uintptr_t)caller);
	size_t i = 0;
	while (from && i < lt.global.n && lt.global.objs[i] != from)
		i++;
	uint32_t gh = lt_gnu_hash(name);
	for (i = from ? i + 1 : 0; i < lt.global.n; i++) {
		const Elf64_Sym *s = lt_find_in_object(lt.global.objs[i], name, gh, ver, 0);
		if (s)
			return (struct lt_symdef){s, lt.global.objs[i]};
	}
	return (struct lt_symdef){0, 0};
}

/* A handle: the object, then its dependencies breadth-first. */
static struct lt_symdef lookup_in_handle(struct lt_object *h, const char *name,
					 const struct lt_verreq *ver)
{
	if (h->kind == LT_MAIN)
		return lt_lookup(name, ver, 0, 0);  /* dlopen(NULL): the global scope */
	size_t n;
	struct lt_object **order = lt_dependency_order(h, &n);
	struct lt_symdef d = {0, 0};
	uint32_t gh = lt_gnu_hash(name);
	for (size_t i = 0; order && i < n && !d.sym; i++) {
		const Elf64_Sym *s = lt_find_in_object(order[i], name, gh, ver, 0);
		if (s)
			d = (struct lt_symdef){s, order[i]};
	}
	lt_free(order);
	return d;
}

#define LT_RTLD_DEFAULT ((void *)0)
#define LT_RTLD_NEXT ((void *)-1)

static int dl_sym(void *handle, const char *name, const char *version, const void *caller,
		  struct lt_dlsym_result *out, char *err)
{
	struct lt_verreq req = {version, version ? lt_sysv_hash(version) : 0, 0};
	const struct lt_verreq *ver = version ? &req : 0;
	struct lt_symdef d;
	int r = 0;
	lt_read_lock(&lt_loader_lock);
	if (handle == LT_RTLD_DEFAULT)
		d = lt_lookup(name, ver, 0, 0);
	else if (handle == LT_RTLD_NEXT)
		d = lookup_next(name, ver, caller);
	else if (lt_is_object(handle))
		d = lookup_in_handle(handle, name, ver);
	else {
		lt_error("Invalid library handle %p", handle);
		d = (struct lt_symdef){0, 0};
	}
	if (!d.sym && (handle == LT_RTLD_DEFAULT || handle == LT_RTLD_NEXT || lt_is_object(handle)))
		lt_error("%s: undefined symbol: %s%s%s",
			 handle == LT_RTLD_DEFAULT || handle == LT_RTLD_NEXT
				 ? lt.main->path : ((struct lt_object *)handle)->path,
			 name, version ? ", version " : "", version ? version : "");
	*out = (struct lt_dlsym_result){0, 0, 0};
	if (!d.sym) {
		take_error(err);
		r = -1;
	} else if (ELF64_ST_TYPE(d.sym->st_info) == STT_TLS) {
		out->tls_module = d.obj->tls.modid;
		out->tls_offset = d.sym->st_value;
	} else if (lt_symbol_value(&d, &out->addr) < 0) {
		take_error(err);
		r = -1;
	}
	lt_read_unlock(&lt_loader_lock);
	return r;
}

static void *dl_open(const char *file, int flags, const void *caller, char *err)
{
	(void)file, (void)flags, (void)caller;
	lt_format(err, LT_DLERROR_MAX, "dlopen: not available yet in ld-teach");
	return 0;
}

static int dl_close(void *handle, char *err)
{
	(void)handle;
	lt_format(err, LT_DLERROR_MAX, "dlclose: not available yet in ld-teach");
	return -1;
}

static void run_all_constructors(void)
{
	lt_run_initializers(1);
}

/* fork(): hold every loader lock across it, so the child gets them free. */
static void dl_atfork(int phase)
{
	if (phase < 0) {
		lt_write_lock(&lt_loader_lock);
		lt_init_atfork(phase);
	} else {
		lt_init_atfork(phase);
		lt_write_unlock(&lt_loader_lock);
	}
}

const struct lt_core_ops lt_core_ops = {
	.abi = LT_ADAPTER_ABI,
	.alloc = lt_alloc,
	.run_constructors = run_all_constructors,
	.run_destructors = lt_run_finalizers,
	.atfork = dl_atfork,
	.dlopen = dl_open,
	.dlclose = dl_close,
	.dlsym = dl_sym,
	.dladdr = dl_addr,
	.iterate_phdr = dl_iterate_phdr,
	.is_handle = dl_is_handle,
};
