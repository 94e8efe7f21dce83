/* The test writer of ld.so.cache files (ldcache_writer.h). */
#include <stdlib.h>
#include <string.h>
#include "ldcache_writer.h"

#define GENERATOR "ld-teach unit tests"

struct buf {
	unsigned char *p;
	size_t len;
};

static size_t reserve(struct buf *b, size_t n)
{
	size_t at = b->len;
	b->p = realloc(b->p, b->len + n);
	memset(b->p + at, 0, n);
	b->len += n;
	return at;
}

static size_t append(struct buf *b, const void *data, size_t n)
{
	size_t at = reserve(b, n);
	memcpy(b->p + at, data, n);
	return at;
}

static size_t append_string(struct buf *b, const char *s)
{
	return append(b, s, strlen(s) + 1);
}

static void align(struct buf *b, size_t to)
{
	reserve(b, (to - b->len % to) % to);
}

void ldc_put32(unsigned char *file, size_t at, uint32_t v)
{
	memcpy(file + at, &v, 4);
}

static void put64(unsigned char *file, size_t at, uint64_t v)
{
	memcpy(file + at, &v, 8);
}

/* The string table: every key, then every value, then the hwcaps names.
 * Fills in the file offsets of each. */
static void write_strings(struct buf *b, const struct ldc_entry *e, size_t n,
			  const char *const *hwcaps, size_t nhwcaps, size_t *keys, size_t *values,
			  size_t *names)
{
	for (size_t i = 0; i < n; i++)
		keys[i] = append_string(b, e[i].key);
	for (size_t i = 0; i < n; i++)
		values[i] = append_string(b, e[i].value);
	for (size_t i = 0; i < nhwcaps; i++)
		names[i] = append_string(b, hwcaps[i]);
}

/* The extension directory, the glibc-hwcaps array, then the generator text. */
static void write_extensions(struct buf *b, size_t nhwcaps, const size_t *names,
			     struct ldc_layout *l)
{
	align(b, 4);
	uint32_t count = nhwcaps ? 2 : 1;
	l->extension_at = reserve(b, 8 + 16 * count);
	ldc_put32(b->p, l->extension_at, 0xeaa42174u);
	ldc_put32(b->p, l->extension_at + 4, count);
	size_t generator_section = l->extension_at + 8;
	if (nhwcaps) {
		size_t section = l->extension_at + 8 + 16;
		l->hwcaps_at = reserve(b, 4 * nhwcaps);
		for (size_t i = 0; i < nhwcaps; i++)
			ldc_put32(b->p, l->hwcaps_at + 4 * i, (uint32_t)names[i]);
		ldc_put32(b->p, section, 1);
		ldc_put32(b->p, section + 8, (uint32_t)l->hwcaps_at);
		ldc_put32(b->p, section + 12, (uint32_t)(4 * nhwcaps));
	}
	size_t text = append(b, GENERATOR, strlen(GENERATOR));
	ldc_put32(b->p, generator_section + 8, (uint32_t)text);
	ldc_put32(b->p, generator_section + 12, strlen(GENERATOR));
}

static void write_new(struct buf *b, const struct ldc_entry *e, size_t n,
		      const char *const *hwcaps, size_t nhwcaps, struct ldc_layout *l)
{
	size_t keys[n + 1], values[n + 1], names[nhwcaps + 1];
	l->new_at = append(b, "glibc-ld.so.cache1.1", 20);
	reserve(b, 28);
	l->entries_at = reserve(b, 24 * n);
	l->entry_size = 24;
	l->strings_at = b->len;
	write_strings(b, e, n, hwcaps, nhwcaps, keys, values, names);
	ldc_put32(b->p, l->new_at + 20, (uint32_t)n);
	ldc_put32(b->p, l->new_at + 24, (uint32_t)(b->len - l->strings_at));
	b->p[l->new_at + 28] = 2;  /* little-endian */
	for (size_t i = 0; i < n; i++) {
		size_t at = l->entries_at + 24 * i;
		ldc_put32(b->p, at, (uint32_t)e[i].flags);
		ldc_put32(b->p, at + 4, (uint32_t)(keys[i] - l->new_at));
		ldc_put32(b->p, at + 8, (uint32_t)(values[i] - l->new_at));
		put64(b->p, at + 16, e[i].hwcap);
	}
	write_extensions(b, nhwcaps, names, l);
	ldc_put32(b->p, l->new_at + 32, (uint32_t)l->extension_at);
}

static size_t write_old_header(struct buf *b, size_t n)
{
	append(b, "ld.so-1.7.0", 11);
	reserve(b, 5);
	ldc_put32(b->p, 12, (uint32_t)n);
	return reserve(b, 12 * n);
}

static void write_old(struct buf *b, const struct ldc_entry *e, size_t n, struct ldc_layout *l)
{
	size_t keys[n + 1], values[n + 1];
	l->entries_at = write_old_header(b, n);
	l->entry_size = 12;
	l->strings_at = b->len;
	write_strings(b, e, n, 0, 0, keys, values, 0);
	for (size_t i = 0; i < n; i++) {
		size_t at = l->entries_at + 12 * i;
		ldc_put32(b->p, at, (uint32_t)e[i].flags);
		ldc_put32(b->p, at + 4, (uint32_t)(keys[i] - l->strings_at));
		ldc_put32(b->p, at + 8, (uint32_t)(values[i] - l->strings_at));
	}
}

static void write_combined(struct buf *b, const struct ldc_entry *e, size_t n,
			   const char *const *hwcaps, size_t nhwcaps, struct ldc_layout *l)
{
	size_t old_entries = write_old_header(b, n), old_strings = b->len;
	align(b, 8);
	write_new(b, e, n, hwcaps, nhwcaps, l);
	for (size_t i = 0; i < n; i++) {
		uint32_t key;
		memcpy(&key, b->p + l->entries_at + 24 * i + 4, 4);
		key += (uint32_t)l->new_at;
		ldc_put32(b->p, old_entries + 12 * i, (uint32_t)e[i].flags);
		ldc_put32(b->p, old_entries + 12 * i + 4, key - (uint32_t)old_strings);
		ldc_put32(b->p, old_entries + 12 * i + 8, key - (uint32_t)old_strings);
	}
}

unsigned char *ldc_write(enum ldc_format format, const struct ldc_entry *e, size_t n,
			 const char *const *hwcaps, size_t nhwcaps, size_t *size,
			 struct ldc_layout *layout)
{
	struct buf b = {0};
	struct ldc_layout l = {0};
	if (format == LDC_NEW)
		write_new(&b, e, n, hwcaps, nhwcaps, &l);
	else if (format == LDC_OLD)
		write_old(&b, e, n, &l);
	else
		write_combined(&b, e, n, hwcaps, nhwcaps, &l);
	if (layout)
		*layout = l;
	*size = b.len;
	return b.p;
}
