/*
 * libFuzzer harness: the prelink cache's format (rtld/prelink_file.c).
 * The input after its first byte is the file, in a buffer of its exact
 * size (AddressSanitizer sees a read past it).  Bit 0 of the first byte:
 * write the right checksum into the file first, so that mutants reach the
 * checks behind it (a fuzzer cannot make a checksum right by chance).  A
 * file the parser accepts must keep its promises: every string it names
 * ends inside the string table, every build-id lies in it, the answers
 * are as many as the objects' relocations, every scope and
 * constructor-order entry names an object.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "prelink.h"

static void string_inside(const struct lt_prelink_file *f, uint32_t off)
{
	if (off >= f->h->strings_size || !memchr(f->strings + off, 0, f->h->strings_size - off))
		abort();
}

static void promises_kept(const struct lt_prelink_file *f)
{
	const struct lt_prelink_header *h = f->h;
	if (h->flags & LT_PRELINK_F_LIBRARY_PATH)
		string_inside(f, h->library_path);
	if (h->flags & LT_PRELINK_F_PRELOAD)
		string_inside(f, h->preload);
	uint64_t answers = 0;
	for (uint32_t i = 0; i < h->nobjects; i++) {
		const struct lt_prelink_object *o = &f->objects[i];
		string_inside(f, o->path);
		if ((uint64_t)o->build_id + o->build_id_len > h->strings_size || o->relacount > o->nrela)
			abort();
		answers += o->nrela - o->relacount + o->njmprel;
	}
	if (answers != h->nanswers)
		abort();
	/* (Answers are checked where they are used: rtld/reloc.c.) */
	for (uint32_t i = 0; i < h->nscope; i++)
		if (f->scope[i] >= h->nobjects)
			abort();
	for (uint32_t i = 0; i < h->ninit; i++)
		if (f->init[i] >= h->nobjects)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t n = size - 1;
	void *buf = malloc(n + !n);  /* (malloc aligns as ld-teach's reading does: 8 bytes at least) */
	if (!buf)
		return 0;
	memcpy(buf, data + 1, n);
	if ((data[0] & 1) && n >= sizeof(struct lt_prelink_header) && n % 8 == 0)
		((struct lt_prelink_header *)buf)->checksum = lt_prelink_checksum(buf, n);
	struct lt_prelink_file f;
	const char *why = 0;
	if (lt_prelink_parse(buf, n, &f, &why) == 0)
		promises_kept(&f);
	else if (!why || f.h)
		abort();  /* a refusal says why, and describes nothing */
	free(buf);
	return 0;
}
