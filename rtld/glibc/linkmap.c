/*
 * glibc-layout link_maps: one per loaded object, kept in obj->priv.
 *
 * libc.so.6 walks these itself (dl_iterate_phdr, dladdr, dlinfo,
 * __libc_start_main, __libc_freeres, libthread_db), so each carries what
 * glibc's own ld.so would put there, and they form the list
 * _rtld_global._dl_ns[0]._ns_loaded heads, in load order.  ld-teach never
 * edits a dynamic section in place, so every map says l_ld_readonly:
 * libc then adds l_addr to the addresses it reads through l_info itself.
 */
#include "glibc.h"
#include "linfo.h"
#include "alloc.h"
#include "load.h"
#include "str.h"

static uint64_t maps_added;  /* ever: dl_iterate_phdr's dlpi_adds */

struct map_record {
	unsigned char map[GLIBC_SIZEOF_link_map];
	unsigned char libname[GLIBC_SIZEOF_libname_list];
	struct lt_object *obj;
} __attribute__((aligned(16)));

#define MAP(m, field, T) GLIBC_AT(m, GLIBC_OFF_link_map__##field, T)

/* A link_map bit field: set `value` into the bits glibc's layout gives it. */
static void set_bits(unsigned char *map, unsigned bitoff, unsigned bits, unsigned value)
{
	uint64_t *word = (uint64_t *)(map + bitoff / 64 * 8);
	uint64_t mask = ((1ULL << bits) - 1) << (bitoff % 64);
	*word = (*word & ~mask) | (((uint64_t)value << (bitoff % 64)) & mask);
}
#define SET_BITS(m, field, v) \
	set_bits(m, GLIBC_BITOFF_link_map__##field, GLIBC_BITSIZE_link_map__##field, v)

static void fill_info(unsigned char *map, const struct lt_object *obj)
{
	Elf64_Dyn **info = &MAP(map, l_info, Elf64_Dyn *);
	for (Elf64_Dyn *d = obj->dynamic; d && d->d_tag != DT_NULL; d++) {
		long i = lt_glibc_info_index(d->d_tag);
		if (i >= 0)
			info[i] = d;
	}
}

/* What dladdr's walk of the GNU hash table reads. */
static void fill_gnu_hash(unsigned char *map, const struct lt_object *obj)
{
	const struct lt_symtab *st = &obj->st;
	if (!st->gnu_buckets)
		return;
	MAP(map, l_nbuckets, uint32_t) = st->gnu_nbuckets;
	MAP(map, l_gnu_bitmask_idxbits, uint32_t) = st->gnu_bloom_size - 1;
	MAP(map, l_gnu_shift, uint32_t) = st->gnu_bloom_shift;
	MAP(map, l_gnu_bitmask, const uint64_t *) = st->gnu_bloom;
	MAP(map, l_gnu_buckets, const uint32_t *) = st->gnu_buckets;
	MAP(map, l_gnu_chain_zero, const uint32_t *) = st->gnu_chain;
}

/* As glibc's: a library's text ends at a page boundary (its loader maps
 * whole pages), the program's where its segment does (the kernel mapped it). */
static void fill_span(unsigned char *map, const struct lt_object *obj)
{
	uintptr_t lo = obj->nsegs ? page_down(obj->segs[0].start) : obj->base, hi = lo, text = lo;
	for (unsigned i = 0; i < obj->nsegs; i++) {
		if (obj->segs[i].end > hi)
			hi = obj->segs[i].end;
		if (obj->segs[i].prot & 4 /* PROT_EXEC */)
			text = obj->kind == LT_MAIN ? obj->segs[i].end : page_up(obj->segs[i].end);
	}
	MAP(map, l_map_start, uintptr_t) = lo;
	MAP(map, l_map_end, uintptr_t) = hi;
	MAP(map, l_text_end, uintptr_t) = text;
}

/* PT_GNU_RELRO as glibc's loader keeps it: p_vaddr, not relocated, and p_memsz. */
static void fill_relro(unsigned char *map, const struct lt_object *obj)
{
	for (unsigned i = 0; i < obj->phnum; i++)
		if (obj->phdr[i].p_type == PT_GNU_RELRO) {
			MAP(map, l_relro_addr, uintptr_t) = obj->phdr[i].p_vaddr;
			MAP(map, l_relro_size, size_t) = obj->phdr[i].p_memsz;
		}
}

static unsigned map_type(const struct lt_object *obj)
{
	if (obj->kind == LT_MAIN)
		return GLIBC_ENUM_lt_executable;
	return obj->initial || !lt.started ? GLIBC_ENUM_lt_library : GLIBC_ENUM_lt_loaded;
}

/* The directory the object came from, as dlinfo(RTLD_DI_ORIGIN) copies it. */
static char *origin_of(const struct lt_object *obj)
{
	const char *dir;
	size_t len = lt_object_origin_span(obj, &dir);
	return lt_strndup(dir, len);
}

static void link_at_end(unsigned char *map)
{
	unsigned char *last = 0;
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (o->priv && o->priv != map)
			last = o->priv;
	MAP(map, l_prev, unsigned char *) = last;
	if (last)
		MAP(last, l_next, unsigned char *) = map;
}

int lt_glibc_map_added(struct lt_object *obj)
{
	struct map_record *r = lt_alloc(sizeof *r);
	char *origin = r ? origin_of(obj) : 0;
	if (!origin) {
		lt_free(r);
		lt_error("%s: out of memory for its link_map", obj->path);
		return -1;
	}
	unsigned char *map = r->map;
	r->obj = obj;
	MAP(map, l_addr, uintptr_t) = obj->base;
	MAP(map, l_name, const char *) = obj->name;
	MAP(map, l_ld, Elf64_Dyn *) = obj->dynamic;
	MAP(map, l_real, unsigned char *) = map;
	GLIBC_AT(r->libname, GLIBC_OFF_libname_list__name, const char *) =
		obj->soname ? obj->soname : obj->name;
	GLIBC_AT(r->libname, GLIBC_OFF_libname_list__dont_free, int) = 1;
	MAP(map, l_libname, unsigned char *) = r->libname;
	MAP(map, l_phdr, const Elf64_Phdr *) = obj->phdr;
	MAP(map, l_phnum, uint16_t) = obj->phnum;
	MAP(map, l_entry, uintptr_t) = obj->entry;
	MAP(map, l_origin, char *) = origin;
	MAP(map, l_serial, uint64_t) = obj->serial;
	MAP(map, l_flags_1, uint32_t) = obj->flags_1;
	MAP(map, l_loader, void *) = lt_glibc_map(obj->loader);
	fill_info(map, obj);
	fill_gnu_hash(map, obj);
	fill_span(map, obj);
	fill_relro(map, obj);
	SET_BITS(map, l_type, map_type(obj));
	SET_BITS(map, l_ld_readonly, 1);
	SET_BITS(map, l_relocated, obj->relocated);
	obj->priv = map;
	link_at_end(map);
	maps_added++;
	lt_glibc_publish_maps();
	return 0;
}

/* The TLS module is placed by now (start-up and dlopen both place it before relocating). */
void lt_glibc_map_relocated(struct lt_object *obj)
{
	unsigned char *map = obj->priv;
	if (!map)
		return;
	SET_BITS(map, l_relocated, 1);
	SET_BITS(map, l_global, obj->in_global);
	if (!obj->tls.modid)
		return;
	MAP(map, l_tls_initimage, uintptr_t) = obj->tls.image;
	MAP(map, l_tls_initimage_size, size_t) = obj->tls.filesz;
	MAP(map, l_tls_blocksize, size_t) = obj->tls.memsz;
	MAP(map, l_tls_align, size_t) = obj->tls.align;
	MAP(map, l_tls_firstbyte_offset, size_t) = obj->tls.image & (obj->tls.align - 1);
	MAP(map, l_tls_offset, size_t) = obj->tls.offset;
	MAP(map, l_tls_modid, size_t) = obj->tls.modid;
}

/* glibc's dlopen sets l_global as the object joins the global scope, after its constructors. */
void lt_glibc_map_global(struct lt_object *obj)
{
	if (obj->priv)
		SET_BITS(obj->priv, l_global, 1);
}

void lt_glibc_map_removing(struct lt_object *obj)
{
	unsigned char *map = obj->priv;
	if (!map)
		return;
	unsigned char *prev = MAP(map, l_prev, unsigned char *);
	unsigned char *next = MAP(map, l_next, unsigned char *);
	if (prev)
		MAP(prev, l_next, unsigned char *) = next;
	if (next)
		MAP(next, l_prev, unsigned char *) = prev;
	obj->priv = 0;
	lt_glibc_publish_maps();
	lt_free(MAP(map, l_origin, char *));
	lt_free(map);
}

struct lt_object *lt_glibc_object(const void *map)
{
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (o->priv == map)
			return o;
	return 0;
}

void lt_glibc_publish_maps(void)
{
	unsigned n = 0;
	void *head = 0;
	if (!lt_glibc.gl)
		return;  /* start-up publishes them once the stand-in is there */
	for (struct lt_object *o = lt.head; o; o = o->next) {
		if (!o->priv)
			continue;
		head = head ? head : o->priv;
		n++;
	}
	unsigned char *ns = lt_glibc.gl + GLIBC_OFF_rtld_global___dl_ns;
	GLIBC_AT(ns, GLIBC_OFF_link_namespaces___ns_loaded, void *) = head;
	GLIBC_AT(ns, GLIBC_OFF_link_namespaces___ns_nloaded, unsigned) = n;
	GLIBC_AT(ns, GLIBC_OFF_link_namespaces__libc_map, void *) = lt_glibc_map(lt_glibc.libc);
	GL(_dl_load_adds, uint64_t) = maps_added;
	if (lt.debug)
		lt.debug->r_map = head;  /* debuggers and libthread_db walk glibc's maps */
}
