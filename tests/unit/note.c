/*
 * The note walker (rtld/note.c) on hand-built PT_NOTE segments: what a
 * note must fit in to count, the gABI's two alignments, and a segment
 * that starts off a 4-byte boundary (found by the in-process fuzzer).
 */
#include <string.h>
#include <sys/mman.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include "rtld.h"

/* One readable memory image, the object's only segment, with the notes at
 * offset 'at' in it. */
static struct {
	_Alignas(8) unsigned char img[256];
	struct lt_segment seg;
	struct lt_object obj;
	Elf64_Phdr ph;
} f;

static void image(size_t at, const void *notes, size_t len, size_t align)
{
	memset(&f, 0, sizeof f);
	memcpy(f.img + at, notes, len);
	f.seg = (struct lt_segment){(uintptr_t)f.img, (uintptr_t)(f.img + sizeof f.img), PROT_READ};
	f.obj.segs = &f.seg;
	f.obj.nsegs = 1;
	f.obj.base = (uintptr_t)f.img;
	f.obj.phdr = &f.ph;
	f.obj.phnum = 1;
	f.ph = (Elf64_Phdr){.p_type = PT_NOTE, .p_vaddr = at, .p_filesz = len, .p_align = align};
}

/* A GNU build-id note: header, "GNU\0", a 20-byte id. */
struct build_id {
	Elf64_Nhdr h;
	char name[4];
	unsigned char id[20];
};
static const struct build_id build_id = {
	{4, 20, NT_GNU_BUILD_ID}, "GNU",
	{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20},
};

Test(note, build_id_found_in_place)
{
	image(16, &build_id, sizeof build_id, 4);
	size_t len = 0;
	const unsigned char *id = lt_object_build_id(&f.obj, &len);
	cr_assert(eq(ptr, (void *)id, f.img + 16 + offsetof(struct build_id, id)));
	cr_assert(eq(sz, len, 20));
}

Test(note, a_note_after_another_is_found)
{
	struct {
		Elf64_Nhdr h;
		char name[8];  /* "GNU-ABI\0": 8 bytes, no padding */
		uint32_t desc[1];
		struct build_id id;
	} two = {{8, 4, 1}, "GNU-ABI", {7}, build_id};
	image(0, &two, sizeof two, 4);
	size_t len = 0;
	cr_assert(eq(ptr, (void *)lt_object_build_id(&f.obj, &len),
		     f.img + offsetof(__typeof__(two), id.id)));
}

Test(note, a_descriptor_past_the_segment_is_not_read)
{
	image(16, &build_id, sizeof build_id, 4);
	f.ph.p_filesz -= 1;  /* the id's last byte lies past the segment */
	size_t len = 0;
	cr_assert(eq(ptr, (void *)lt_object_build_id(&f.obj, &len), NULL));
}

Test(note, a_segment_outside_readable_memory_is_not_walked)
{
	image(16, &build_id, sizeof build_id, 4);
	f.seg.prot = 0;
	size_t len = 0;
	cr_assert(eq(ptr, (void *)lt_object_build_id(&f.obj, &len), NULL));
}

Test(note, a_segment_off_a_4_byte_boundary_is_not_walked)
{
	image(17, &build_id, sizeof build_id, 4);
	size_t len = 0;
	cr_assert(eq(ptr, (void *)lt_object_build_id(&f.obj, &len), NULL));
}

/* With p_align 8 the descriptor and the next note start on 8 bytes: after
 * the 12-byte header, a 6-byte name puts the descriptor at 24, not 20. */
Test(note, eight_byte_alignment_pads_name_and_descriptor)
{
	struct {
		Elf64_Nhdr h;
		char name[12];  /* "Linux\0", padded to the descriptor at 24 */
		uint32_t desc[2];  /* 4 bytes used, padded to 8 */
		struct build_id id;
	} two = {{6, 4, 1}, "Linux", {9, 0}, build_id};
	image(8, &two, sizeof two, 8);
	struct lt_notes w = lt_object_notes(&f.obj, &f.ph);
	const unsigned char *desc;
	const Elf64_Nhdr *h = lt_note_next(&w, &desc);
	cr_assert(eq(ptr, (void *)desc, f.img + 8 + 24));
	h = lt_note_next(&w, &desc);
	cr_assert(eq(ptr, (void *)h, f.img + 8 + offsetof(__typeof__(two), id)));
	cr_assert(lt_note_is_gnu(h, NT_GNU_BUILD_ID));
	cr_assert(eq(ptr, (void *)lt_note_next(&w, &desc), NULL));
}
