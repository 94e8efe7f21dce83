/*
 * libFuzzer harness for the ld.so.cache parser and lookup
 * (rtld/glibc/cache.c).  The input is the cache file, in a buffer of its
 * exact size, so that AddressSanitizer sees any read past it.  A parsed
 * cache is searched for every name it lists, for a few names it does not,
 * on CPUs from below the baseline to x86-64-v4; every answer must be a
 * string inside the input.  Built and run by tests/fuzz/fuzz.mk.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "glibc/cache.h"

static const struct lt_glibc_cpu cpus[] = {
	{0, 0, 0},
	{1, LT_GLIBC_HWCAP_X86_64, "x86_64"},
	{3, LT_GLIBC_HWCAP_X86_64, "haswell"},
	{4, LT_GLIBC_HWCAP_X86_64 | LT_GLIBC_HWCAP_AVX512_1, "xeon_phi"},
};

static void check_answer(const char *got, const uint8_t *data, size_t size)
{
	if (!got)
		return;
	const char *end = (const char *)data + size;
	if (got < (const char *)data || got >= end || !memchr(got, 0, end - got))
		abort();
}

static void look_up(const struct lt_glibc_cache *c, const char *name, const uint8_t *data,
		    size_t size)
{
	for (size_t i = 0; i < sizeof cpus / sizeof *cpus; i++)
		check_answer(lt_glibc_cache_lookup(c, name, &cpus[i]), data, size);
}

/* The name of entry i, if it lies whole in the string table; NULL if not
 * (the parser checks entries where they are read, not when it parses). */
static const char *entry_name(const struct lt_glibc_cache *c, uint32_t i)
{
	uint32_t key;
	memcpy(&key, c->entries + (size_t)i * c->entry_size + 4, 4);
	uint64_t at = c->strings + (uint64_t)key;
	return at >= c->strings_start && at < c->strings_limit ? (const char *)c->file + at : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lt_glibc_cache c;
	const char *why;
	if (lt_glibc_cache_parse(&c, data, size, &why) < 0) {
		if (!why || c.entries)
			abort();
		return 0;
	}
	for (uint32_t i = 0; i < c.nentries && i < 256; i++)
		if (entry_name(&c, i))
			look_up(&c, entry_name(&c, i), data, size);
	static const char *const absent[] = {"", "libc.so.6", "libz.so.1", "libzzzz.so.99999999999999999999",
					     "0", "lib\xff.so"};
	for (size_t i = 0; i < sizeof absent / sizeof *absent; i++)
		look_up(&c, absent[i], data, size);
	return 0;
}
