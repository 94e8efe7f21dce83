/*
 * The x86-64 ISA levels an object needs, and glibc 2.36's loader's refusal
 * of one whose levels the CPU lacks (doc/glibc-facts.md, "ISA level
 * check").  The linker's -z x86-64-v2 ... -v4 (and compilers' -mneeded)
 * write the levels as bits of the GNU_PROPERTY_X86_ISA_1_NEEDED property
 * of the object's NT_GNU_PROPERTY_TYPE_0 note: baseline, v2, v3, v4.
 * glibc compares them with its cpu_features' isa_1 and refuses, with
 * "CPU ISA level is lower than required", the program or a library it
 * needs (exit 127), or one dlopen brings (dlopen fails).
 *
 * glibc reads the note its own way, which is followed here:
 *   - only from PT_NOTE segments aligned to 8 (its x86 code passes over
 *     PT_GNU_PROPERTY), the last such segment first; the first property
 *     note found decides, so later segments are not read;
 *   - that segment's note counts for nothing if the segment holds a second
 *     property note, or if the note is malformed: a size below 8 or not a
 *     multiple of 8, properties out of ascending order of type or running
 *     past the note, or a 4-byte property glibc reads (GNU_PROPERTY_1_NEEDED,
 *     X86_FEATURE_1_AND, X86_ISA_1_NEEDED) of another size;
 *   - the scan of the properties stops at X86_ISA_1_NEEDED, or past it.
 * Every note is read only where it lies whole in the object's readable
 * memory (lt_note_next); glibc does not check that.
 */
#include "isa.h"
#include "str.h"

enum { NONE = -1, MALFORMED = -2 };

static uint32_t load32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static int read_by_glibc(uint32_t type)
{
	return type == GNU_PROPERTY_1_NEEDED || type == GNU_PROPERTY_X86_FEATURE_1_AND ||
	       type == GNU_PROPERTY_X86_ISA_1_NEEDED;
}

/* The X86_ISA_1_NEEDED bits of one property note's descriptor (`size`
 * bytes, readable), 0 without that property, or MALFORMED. */
static int64_t isa_in_properties(const unsigned char *desc, size_t size)
{
	if (size < 8 || size % 8)
		return MALFORMED;
	uint32_t last = 0;
	/* (at and size stay multiples of 8, so each step fits in what is left) */
	for (size_t at = 0; size - at >= 8;) {
		uint32_t type = load32(desc + at), datasz = load32(desc + at + 4);
		at += 8;
		if (type < last || datasz > size - at || (read_by_glibc(type) && datasz != 4))
			return MALFORMED;
		last = type;
		if (type == GNU_PROPERTY_X86_ISA_1_NEEDED)
			return load32(desc + at);
		if (type > GNU_PROPERTY_X86_ISA_1_NEEDED)
			break;
		at += ((size_t)datasz + 7) & ~7UL;
	}
	return 0;
}

/* The ISA bits of the property note in one segment, 0 when it counts for
 * nothing, NONE when the segment has none. */
static int64_t isa_in_segment(const struct lt_object *obj, const Elf64_Phdr *p)
{
	struct lt_notes walk = lt_object_notes(obj, p);
	const unsigned char *desc;
	int64_t isa = NONE;
	for (const Elf64_Nhdr *h; (h = lt_note_next(&walk, &desc));) {
		if (!lt_note_is_gnu(h, NT_GNU_PROPERTY_TYPE_0))
			continue;
		if (isa != NONE)
			return 0;  /* a second one: an old linker's, glibc trusts neither */
		if ((isa = isa_in_properties(desc, h->n_descsz)) == MALFORMED)
			return 0;
	}
	return isa;
}

uint32_t lt_glibc_isa_needed(const struct lt_object *obj)
{
	for (unsigned i = obj->phnum; i-- > 0;) {
		int64_t isa = obj->phdr[i].p_align == 8 ? isa_in_segment(obj, &obj->phdr[i]) : NONE;
		if (isa != NONE)
			return (uint32_t)isa;
	}
	return 0;
}

#define TOO_LOW "CPU ISA level is lower than required"

int lt_glibc_isa_admit(const struct lt_object *obj, uint32_t cpu_isa_1)
{
	uint32_t needed = lt_glibc_isa_needed(obj);
	if ((needed & cpu_isa_1) == needed)
		return 0;
	/* At start-up the line names the program, then the library (if it is
	 * not the program); as dlerror() text, the object alone, as glibc's. */
	if (lt.started || obj == lt.main)
		lt_error("%s: " TOO_LOW, obj->path);
	else
		lt_error("%s: %s: " TOO_LOW, lt.main->path, obj->path);
	return -1;
}
