/*
 * The prelink cache's format (rtld/prelink_file.c): a small valid file is
 * read back as written, and every field that can be wrong is refused with
 * its own reason, without a read outside the buffer (valgrind watches:
 * every file here is malloc'ed at its exact size).
 */
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include "prelink.h"

/*
 * A cache of two objects: a program with 2 DT_RELA relocations past 1
 * relative one and 1 DT_JMPREL slot, and a library of 10 symbols; strings
 * "./prog", "./lib.so" and a 4-byte build-id.
 */
struct file {
	unsigned char *p;
	size_t size;
	uint64_t off[LT_PRELINK_END + 1];
};

static const char strings[] = "./prog\0./lib.so\0\x01\x02\x03\x04";

static struct lt_prelink_header *header(struct file *f) { return (void *)f->p; }
static struct lt_prelink_object *objects(struct file *f) { return (void *)(f->p + f->off[LT_PRELINK_OBJECTS]); }
static struct lt_prelink_answer *answers(struct file *f) { return (void *)(f->p + f->off[LT_PRELINK_ANSWERS]); }
static uint32_t *scope(struct file *f) { return (void *)(f->p + f->off[LT_PRELINK_SCOPE]); }

static void seal(struct file *f)
{
	header(f)->checksum = lt_prelink_checksum(f->p, f->size);
}

static struct file make(void)
{
	struct lt_prelink_header h = {.magic = LT_PRELINK_MAGIC, .version = LT_PRELINK_VERSION,
				      .flags = LT_PRELINK_F_PRELOAD, .rtld_id_len = 4, .preload = 7,
				      .nobjects = 2, .nanswers = 3, .nscope = 2, .ninit = 2,
				      .strings_size = sizeof strings};
	struct file f;
	lt_prelink_layout(&h, f.off);
	f.size = h.size = f.off[LT_PRELINK_END];
	f.p = aligned_alloc(8, f.size);
	memset(f.p, 0, f.size);
	memcpy(f.p, &h, sizeof h);
	objects(&f)[0] = (struct lt_prelink_object){.kind = LT_MAIN, .path = 0, .nsyms = 5, .nrela = 3,
						     .relacount = 1, .njmprel = 1, .mtime_nsec = 999999999};
	objects(&f)[1] = (struct lt_prelink_object){.kind = LT_LIB, .path = 7, .build_id = 16,
						     .build_id_len = 4, .nsyms = 10};
	answers(&f)[0] = (struct lt_prelink_answer){1, 9};
	answers(&f)[1] = (struct lt_prelink_answer){LT_PRELINK_UNDEF, 0};
	answers(&f)[2] = (struct lt_prelink_answer){LT_PRELINK_SPECIAL | 0, 1};
	scope(&f)[0] = 0, scope(&f)[1] = 1;
	memcpy(f.p + f.off[LT_PRELINK_STRINGS], strings, sizeof strings);
	seal(&f);
	return f;
}

static const char *refused(struct file *f)
{
	struct lt_prelink_file out;
	const char *why = 0;
	unsigned char *exact = malloc(f->size);  /* (the parser needs 8-byte alignment: malloc's) */
	memcpy(exact, f->p, f->size);
	cr_assert(eq(int, lt_prelink_parse(exact, f->size, &out, &why), -1), "accepted");
	cr_assert(why != NULL);
	cr_assert(eq(ptr, (void *)out.h, NULL), "a refused file is not described");
	free(exact);
	free(f->p);
	return why;
}

Test(prelink_file, a_valid_file_reads_back)
{
	struct file f = make();
	struct lt_prelink_file out;
	const char *why = 0;
	cr_assert(eq(int, lt_prelink_parse(f.p, f.size, &out, &why), 0), "refused: %s", why);
	cr_expect(eq(u32, out.h->nanswers, 3));
	cr_expect(eq(str, (char *)lt_prelink_string(&out, out.objects[1].path), "./lib.so"));
	cr_expect(eq(str, (char *)lt_prelink_string(&out, out.h->preload), "./lib.so"));
	cr_expect(eq(u32, out.answers[0].sym, 9));
	cr_expect(eq(u32, out.scope[1], 1));
	free(f.p);
}

/* change(f): alter a valid file (and seal it again, or not); the reason expected. */
#define REFUSED(name, change, reason)                            \
	Test(prelink_file, name)                                 \
	{                                                        \
		struct file f = make();                          \
		change;                                          \
		cr_expect(eq(str, (char *)refused(&f), reason)); \
	}

REFUSED(truncated_header, f.size = 40, "truncated: shorter than its header")
REFUSED(truncated, f.size -= 8, "truncated: shorter than its header says")
REFUSED(longer, (header(&f)->size -= 8, seal(&f)), "longer than its header says")
REFUSED(bad_magic, (f.p[0] = 'X', seal(&f)), "not a prelink cache (bad magic)")
REFUSED(other_version, (header(&f)->version = LT_PRELINK_VERSION + 1, seal(&f)), "written in another version of the format")
REFUSED(damaged, f.p[f.size - 3] ^= 1, "checksum mismatch: the file is corrupt")
REFUSED(damaged_answer, answers(&f)[0].sym = 8, "checksum mismatch: the file is corrupt")
REFUSED(unknown_flags, (header(&f)->flags |= 64, seal(&f)), "unknown flags in its header")
REFUSED(long_build_id, (header(&f)->rtld_id_len = 33, seal(&f)), "ld-teach's build-id is longer than its field")
REFUSED(reserved_set, (header(&f)->reserved = 1, seal(&f)), "a reserved field of its header is not 0")
REFUSED(too_many_objects, (header(&f)->nobjects = 0x7ffffff1, seal(&f)), "more objects than an answer can name")
REFUSED(counts_off, (header(&f)->nscope = 7, seal(&f)), "its tables do not add up to its size")
REFUSED(preload_outside, (header(&f)->preload = sizeof strings, seal(&f)),
	"its preload list is outside the string table")
REFUSED(preload_unterminated, (header(&f)->preload = sizeof strings - 1,
			       f.p[f.off[LT_PRELINK_STRINGS] + sizeof strings - 1] = 'x', seal(&f)),
	"its preload list is outside the string table")
REFUSED(path_outside, (objects(&f)[1].path = 1000, seal(&f)), "an object's path is outside the string table")
REFUSED(build_id_outside, (objects(&f)[1].build_id = sizeof strings - 2, seal(&f)),
	"an object's build-id is outside the string table")
REFUSED(unknown_kind, (objects(&f)[0].kind = 4, seal(&f)), "an object of unknown kind")
REFUSED(relacount_past_rela, (objects(&f)[0].relacount = 4, seal(&f)),
	"an object has more leading relative relocations than relocations")
REFUSED(nanoseconds, (objects(&f)[0].mtime_nsec = 1000000000, seal(&f)),
	"an object's modification time has more than a second of nanoseconds")
REFUSED(answers_off, (objects(&f)[0].njmprel = 2, seal(&f)),
	"its answer count is not what its objects' relocations add up to")
REFUSED(scope_past_table, (scope(&f)[1] = 2, seal(&f)),
	"its scope or constructor order names an object beyond its object table")

/* Answers are checked where they are used, against the objects as mapped
 * (reloc.c, prelink.c): the file's parse takes any whose checksum is right. */
Test(prelink_file, answers_are_left_to_their_use)
{
	struct file f = make();
	answers(&f)[0] = (struct lt_prelink_answer){7, 12345};
	answers(&f)[1] = (struct lt_prelink_answer){0xfffffff0, 1};
	seal(&f);
	struct lt_prelink_file out;
	const char *why = 0;
	cr_assert(eq(int, lt_prelink_parse(f.p, f.size, &out, &why), 0), "refused: %s", why);
	cr_expect(eq(u32, out.answers[0].sym, 12345));
	free(f.p);
}
