/*
 * libFuzzer harness: an ELF file through the loader's pure modules, as
 * loading one goes.  The header and program-header validator
 * (rtld/elf_check.c) first; a file it accepts is "mapped" into one buffer,
 * each PT_LOAD's bytes at its address, with the segments' protections
 * recorded as the loader records them; then the dynamic-section parser
 * (rtld/dynamic.c) and the version tables it loads (rtld/version.c), and
 * for a file it accepts, version matching: each symbol's requirement
 * against every symbol, and the required versions against the object
 * itself (lt_versions_check).  The notes of its PT_NOTE segments last:
 * the build-id, and the x86 ISA levels glibc's loader would read.
 *
 * Links with the unit tests' seams (tests/unit/seams.c): lt_alloc is
 * calloc, lt_object_segment walks the record's segments.
 */
#include <stdlib.h>
#include <string.h>
#include "rtld.h"
#include "elf_check.h"
#include "symbols.h"
#include "glibc/isa.h"

#define MAX_SPAN (4 << 20)  /* mapped in memory: larger files are not looked at */
#define MAX_SYMBOLS 64      /* version matching is quadratic in them */

static int prot_of(uint32_t flags)
{
	return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) |
	       (flags & PF_X ? PROT_EXEC : 0);
}

/* The PT_LOADs of a validated file, copied into `image` as mmap would lay them out. */
static void map_into(const uint8_t *file, const struct lt_elf_info *info, uint8_t *image,
		     struct lt_object *obj, struct lt_segment *segs)
{
	obj->base = (uintptr_t)image - info->lo;
	obj->segs = segs;
	for (unsigned i = 0; i < info->phnum; i++) {
		const Elf64_Phdr *p = &info->phdr[i];
		if (p->p_type != PT_LOAD || !p->p_memsz)
			continue;  /* (an empty one maps nothing, as in the loader) */
		memcpy(image + (p->p_vaddr - info->lo), file + p->p_offset, p->p_filesz);
		segs[obj->nsegs++] = (struct lt_segment){obj->base + p->p_vaddr,
							 obj->base + p->p_vaddr + p->p_memsz,
							 prot_of(p->p_flags)};
	}
	if (info->dynamic)
		obj->dynamic = (Elf64_Dyn *)(obj->base + info->dynamic->p_vaddr);
}

static void match_versions(struct lt_object *obj)
{
	size_t n = obj->st.nsyms < MAX_SYMBOLS ? obj->st.nsyms : MAX_SYMBOLS;
	for (size_t i = 0; i < n; i++) {
		struct lt_verreq req;
		const struct lt_verreq *want = lt_verreq_of(obj, i, &req) ? &req : 0;
		for (size_t j = 0; j < n; j++)
			lt_version_matches(obj, j, want);
	}
	lt.head = obj;
	lt_versions_check(obj);
	lt.head = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The loader reads the headers into an aligned buffer, and so does this. */
	uint8_t *file = malloc(size ? size : 1);
	memcpy(file, data, size);
	struct lt_elf_info info;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)file;
	if (!lt_elf_check_header(file, size, size) &&
	    !lt_elf_check_phdrs(eh, (const Elf64_Phdr *)(file + eh->e_phoff), size, &info) &&
	    info.hi - info.lo <= MAX_SPAN) {
		uint8_t *image = calloc(1, info.hi - info.lo);
		struct lt_segment segs[256];
		struct lt_object obj = {.path = "fuzzed", .kind = LT_LIB, .phdr = info.phdr,
					.phnum = info.phnum};
		map_into(file, &info, image, &obj, segs);
		if (lt_dynamic_parse(&obj) == 0)
			match_versions(&obj);
		size_t id_len;
		const unsigned char *id = lt_object_build_id(&obj, &id_len);
		volatile uint32_t sink = (id && id_len ? id[id_len - 1] : 0) ^ lt_glibc_isa_needed(&obj);
		(void)sink;
		free(obj.needed_names);
		free(obj.st.versions);
		free(image);
	}
	free(file);
	return 0;
}
