/*
 * The prelink cache's format, checked as an ELF file is: every count,
 * offset, string and index before anything is used, with one reason for
 * each refusal.  Pure: it reads only the buffer it is given.
 */
#include "prelink.h"
#include "str.h"

_Static_assert(sizeof(struct lt_prelink_header) % 8 == 0, "header size");
_Static_assert(sizeof(struct lt_prelink_object) % 8 == 0, "object record size");
_Static_assert(offsetof(struct lt_prelink_header, checksum) % 8 == 0, "checksum alignment");

/* FNV-1a, a word at a time: it catches what a disk or a stray write
 * changes.  (Not a defence against someone who writes a cache on purpose:
 * doc/prelink.md says what such a file can and cannot do.) */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

/* (Unrolled 16 times: each word is an xor and a multiply, and the loop's
 * own compare and branch then cost an eighth of a word, not a half.) */
static inline uint64_t fnv_words(uint64_t h, const uint64_t *w, size_t n)
{
#pragma GCC unroll 16
	for (size_t i = 0; i < n; i++)
		h = (h ^ w[i]) * FNV_PRIME;
	return h;
}

/* The header's words, its checksum field taken as 0. */
static uint64_t fnv_header(const uint64_t *w)
{
	const size_t skip = offsetof(struct lt_prelink_header, checksum) / 8;
	uint64_t h = fnv_words(FNV_OFFSET, w, skip) * FNV_PRIME;
	return fnv_words(h, w + skip + 1, sizeof(struct lt_prelink_header) / 8 - skip - 1);
}

uint64_t lt_prelink_checksum(const void *buf, size_t size)
{
	const uint64_t *w = buf;
	return fnv_words(fnv_header(w), w + sizeof(struct lt_prelink_header) / 8,
			 size / 8 - sizeof(struct lt_prelink_header) / 8);
}

static uint64_t padded(uint64_t n)
{
	return (n + 7) & ~7ULL;
}

/* (Counts are 32-bit, so no sum can overflow.) */
void lt_prelink_layout(const struct lt_prelink_header *h, uint64_t off[LT_PRELINK_END + 1])
{
	off[LT_PRELINK_OBJECTS] = sizeof *h;
	off[LT_PRELINK_ANSWERS] = off[LT_PRELINK_OBJECTS] +
				  (uint64_t)h->nobjects * sizeof(struct lt_prelink_object);
	off[LT_PRELINK_SCOPE] = off[LT_PRELINK_ANSWERS] +
				(uint64_t)h->nanswers * sizeof(struct lt_prelink_answer);
	off[LT_PRELINK_INIT] = off[LT_PRELINK_SCOPE] + padded((uint64_t)h->nscope * 4);
	off[LT_PRELINK_STRINGS] = off[LT_PRELINK_INIT] + padded((uint64_t)h->ninit * 4);
	off[LT_PRELINK_END] = off[LT_PRELINK_STRINGS] + padded(h->strings_size);
}

/* A string of the string table: it starts inside and ends there. */
static int string_ok(const struct lt_prelink_file *f, uint32_t off)
{
	uint32_t size = f->h->strings_size;
	return off < size && memchr(f->strings + off, 0, size - off);
}

static int bytes_ok(const struct lt_prelink_file *f, uint32_t off, uint32_t len)
{
	return len <= f->h->strings_size && off <= f->h->strings_size - len;
}

static const char *check_header(const struct lt_prelink_header *h, size_t size)
{
	if (size < sizeof *h)
		return "truncated: shorter than its header";
	if (memcmp(h->magic, LT_PRELINK_MAGIC, LT_PRELINK_MAGIC_LEN))
		return "not a prelink cache (bad magic)";
	if (h->version != LT_PRELINK_VERSION)
		return "written in another version of the format";
	if (h->size != size)
		return h->size > size ? "truncated: shorter than its header says"
				      : "longer than its header says";
	if (h->size % 8)
		return "its size is not a multiple of 8";
	if (h->flags & ~(uint32_t)LT_PRELINK_F_ALL)
		return "unknown flags in its header";
	if (h->rtld_id_len > LT_PRELINK_ID_MAX)
		return "ld-teach's build-id is longer than its field";
	if (h->nobjects > LT_PRELINK_MAX_OBJECTS)
		return "more objects than an answer can name";
	if (h->reserved)
		return "a reserved field of its header is not 0";
	return 0;
}

static const char *check_environment(const struct lt_prelink_file *f)
{
	const struct lt_prelink_header *h = f->h;
	if ((h->flags & LT_PRELINK_F_LIBRARY_PATH) && !string_ok(f, h->library_path))
		return "its library path is outside the string table";
	if ((h->flags & LT_PRELINK_F_PRELOAD) && !string_ok(f, h->preload))
		return "its preload list is outside the string table";
	return 0;
}

static const char *check_objects(const struct lt_prelink_file *f)
{
	uint64_t answers = 0;
	for (uint32_t i = 0; i < f->h->nobjects; i++) {
		const struct lt_prelink_object *o = &f->objects[i];
		if (o->kind > LT_VDSO)
			return "an object of unknown kind";
		if (!string_ok(f, o->path))
			return "an object's path is outside the string table";
		if (!bytes_ok(f, o->build_id, o->build_id_len))
			return "an object's build-id is outside the string table";
		if (o->relacount > o->nrela)
			return "an object has more leading relative relocations than relocations";
		if (o->mtime_nsec >= 1000000000)
			return "an object's modification time has more than a second of nanoseconds";
		answers += (uint64_t)o->nrela - o->relacount + o->njmprel;
	}
	if (answers != f->h->nanswers)
		return "its answer count is not what its objects' relocations add up to";
	return 0;
}

static const char *check_object_list(const uint32_t *list, uint32_t n, uint32_t nobjects)
{
	for (uint32_t i = 0; i < n; i++)
		if (list[i] >= nobjects)
			return "its scope or constructor order names an object beyond its object table";
	return 0;
}

/* The checksum first, so that a file a disk corrupted is called corrupt;
 * then every other field. */
int lt_prelink_parse(const void *buf, size_t size, struct lt_prelink_file *out, const char **why)
{
	const struct lt_prelink_header *h = buf;
	uint64_t off[LT_PRELINK_END + 1];
	*out = (struct lt_prelink_file){0};
	if ((*why = check_header(h, size)))
		return -1;
	lt_prelink_layout(h, off);
	if (off[LT_PRELINK_END] != h->size) {
		*why = "its tables do not add up to its size";
		return -1;
	}
	const char *base = buf;
	struct lt_prelink_file f = {
		h, (const void *)(base + off[LT_PRELINK_OBJECTS]), (const void *)(base + off[LT_PRELINK_ANSWERS]),
		(const void *)(base + off[LT_PRELINK_SCOPE]), (const void *)(base + off[LT_PRELINK_INIT]),
		base + off[LT_PRELINK_STRINGS]};
	if (lt_prelink_checksum(buf, size) != h->checksum)
		*why = "checksum mismatch: the file is corrupt";
	else if (!(*why = check_environment(&f)) && !(*why = check_objects(&f)) &&
		 !(*why = check_object_list(f.scope, h->nscope, h->nobjects)))
		*why = check_object_list(f.init, h->ninit, h->nobjects);
	if (*why)
		return -1;
	*out = f;
	return 0;
}
