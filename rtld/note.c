/*
 * The notes of an object's PT_NOTE segments, walked within what the object
 * maps readable (doc/robustness.md, "Notes"): the build-id, and glibc's x86
 * ISA marker (rtld/glibc/isa.c).  Pure: it reads the object's memory only,
 * and the in-process fuzzer (tests/fuzz/inproc/elf.c) runs it.
 */
#include "rtld.h"
#include "str.h"

/* A segment that does not start on a 4-byte boundary is skipped: its note
 * headers' 32-bit fields could not be read in place. */
struct lt_notes lt_object_notes(const struct lt_object *o, const Elf64_Phdr *p)
{
	struct lt_notes w = {0, 0, p->p_align == 8 ? 8 : 4};
	if (p->p_type == PT_NOTE && (o->base + p->p_vaddr) % 4 == 0 &&
	    lt_object_readable(o, o->base + p->p_vaddr, p->p_filesz)) {
		w.at = (const unsigned char *)(o->base + p->p_vaddr);
		w.end = w.at + p->p_filesz;
	}
	return w;
}

/* Descriptors and the notes after them start on the segment's alignment
 * (the gABI's rule; 4 keeps the name's and the descriptor's 4-byte padding). */
static size_t note_align(size_t n, size_t align)
{
	return (n + align - 1) & ~(align - 1);
}

const Elf64_Nhdr *lt_note_next(struct lt_notes *w, const unsigned char **desc)
{
	size_t left = w->end - w->at;
	if (left < sizeof(Elf64_Nhdr))
		return 0;
	const Elf64_Nhdr *h = (const Elf64_Nhdr *)w->at;
	size_t at_desc = note_align(sizeof *h + (size_t)h->n_namesz, w->align);
	if (at_desc > left || h->n_descsz > left - at_desc) {
		w->at = w->end;  /* a note that does not fit ends the walk */
		return 0;
	}
	*desc = w->at + at_desc;
	size_t step = note_align(at_desc + h->n_descsz, w->align);
	w->at = step < left ? w->at + step : w->end;
	return h;
}

int lt_note_is_gnu(const Elf64_Nhdr *h, uint32_t type)
{
	return h->n_type == type && h->n_namesz == 4 && !memcmp(h + 1, "GNU", 4);
}

const unsigned char *lt_object_build_id(const struct lt_object *o, size_t *len)
{
	for (unsigned i = 0; i < o->phnum; i++) {
		struct lt_notes w = lt_object_notes(o, &o->phdr[i]);
		const unsigned char *desc;
		for (const Elf64_Nhdr *h; (h = lt_note_next(&w, &desc));)
			if (lt_note_is_gnu(h, NT_GNU_BUILD_ID)) {
				*len = h->n_descsz;
				return desc;
			}
	}
	return 0;
}
