/*
 * ELF-aware mutations.  A mutant is its seed with one to four edits, each
 * aimed at a field the map names: a new value (a bit flipped, a small step,
 * a boundary, a number the seed itself holds, random bits), another
 * field's value, another dynamic tag, raw bytes, or a truncation.  Every
 * choice comes from the execution's own random stream, so a mutant is
 * rebuilt exactly from (campaign seed, execution number).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "fuzz.h"

uint64_t rng_next(struct rng *r)
{
	/* splitmix64 */
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
	return n ? rng_next(r) % n : 0;
}

struct rng rng_for(uint64_t seed, uint64_t n)
{
	struct rng r = {seed * 0x2545f4914f6cdd1dULL ^ n};
	rng_next(&r);
	return r;
}

/* How often each kind of field is chosen: headers and the dynamic section most. */
static const unsigned kind_weight[F_KINDS] = {
	[F_EHDR] = 6, [F_PHDR] = 24, [F_DYN] = 22, [F_SYM] = 14, [F_RELOC] = 12,
	[F_HASH] = 8, [F_VERSION] = 8, [F_STRING] = 4, [F_ARRAY] = 2,
};

static const struct field *pick_field(const struct elfmap *m, struct rng *r)
{
	unsigned total = 0, k = 0;
	for (unsigned i = 0; i < F_KINDS; i++)
		total += kind_weight[i];
	for (unsigned pick = rng_below(r, total); pick >= kind_weight[k]; k++)
		pick -= kind_weight[k];
	for (int tries = 0; tries < 64; tries++) {
		const struct field *f = &m->fields[rng_below(r, m->nfields)];
		if (f->kind == k)
			return f;
	}
	return &m->fields[rng_below(r, m->nfields)];
}

static uint64_t get(const uint8_t *buf, const struct field *f)
{
	uint64_t v = 0;
	memcpy(&v, buf + f->off, f->size);
	return v;
}

static void set(uint8_t *buf, const struct field *f, uint64_t v)
{
	memcpy(buf + f->off, &v, f->size);
}

static const uint64_t boundaries[] = {
	0, 1, 2, 3, 7, 8, 0x10, 0x40, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0xffff, 0x10000,
	0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 1ULL << 40, 1ULL << 46, 1ULL << 47,
	0x7ffffffff000, 0x800000000000, 1ULL << 63, ~0ULL, ~0ULL - 7, ~0ULL - 0xfff,
};

static const uint64_t steps[] = {1, 2, 4, 8, 16, 24, 56, 64, 0x1000};

/* A new value for a field holding v. */
static uint64_t new_value(const struct elfmap *m, uint64_t v, unsigned size, struct rng *r,
			  const char **how)
{
	uint64_t step = steps[rng_below(r, sizeof steps / sizeof *steps)];
	switch (rng_below(r, 6)) {
	case 0:
		*how = "bit";
		return v ^ (1ULL << rng_below(r, 8 * size));
	case 1:
		*how = "step";
		return rng_below(r, 2) ? v + step : v - step;
	case 2:
		*how = "boundary";
		return boundaries[rng_below(r, sizeof boundaries / sizeof *boundaries)];
	case 3:
	case 4:
		*how = "seed value";
		v = m->values[rng_below(r, m->nvalues)];
		return rng_below(r, 2) ? v : rng_below(r, 2) ? v + step : v - step;
	default:
		*how = "random";
		return rng_next(r);
	}
}

static size_t describe(char *what, size_t size, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static size_t describe(char *what, size_t size, size_t at, const char *fmt, ...)
{
	if (at >= size)
		return at;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(what + at, size - at, fmt, ap);
	va_end(ap);
	return n > 0 ? at + n : at;
}

static size_t edit_field(const struct elfmap *m, uint8_t *out, struct rng *r, char *what,
			 size_t wsize, size_t w)
{
	const struct field *f = pick_field(m, r);
	uint64_t old = get(out, f), v;
	const char *how;
	if (f->kind == F_STRING) {
		static const uint8_t chars[] = {'\n', '\t', '\033', '/', '$', 0, 'A', 0x80};
		unsigned byte = rng_below(r, f->size);
		uint8_t c = rng_below(r, 2) ? chars[rng_below(r, sizeof chars)] : (uint8_t)rng_next(r);
		v = old & ~(0xffULL << (8 * byte));
		v |= (uint64_t)c << (8 * byte);
		how = "character";
	} else if (rng_below(r, 5) == 0) {
		const struct field *g = pick_field(m, r);
		v = get(out, g);
		how = "another field's value";
	} else {
		v = new_value(m, old, f->size, r, &how);
	}
	set(out, f, v);
	return describe(what, wsize, w, "%s%s %#lx -> %#lx (%s)", w ? "; " : "", f->name,
			(unsigned long)old, (unsigned long)get(out, f), how);
}

/* A dynamic entry takes another entry's tag (a table loses or gains its size, say). */
static size_t swap_tag(const struct elfmap *m, uint8_t *out, struct rng *r, char *what,
		       size_t wsize, size_t w)
{
	const struct field *f = 0, *g = 0;
	for (int tries = 0; tries < 64 && !(f && g); tries++) {
		const struct field *x = &m->fields[rng_below(r, m->nfields)];
		if (x->kind == F_DYN && strstr(x->name, ".d_tag"))
			f ? (void)(g = x) : (void)(f = x);
	}
	if (!f || !g)
		return edit_field(m, out, r, what, wsize, w);
	uint64_t old = get(out, f);
	set(out, f, get(out, g));
	return describe(what, wsize, w, "%s%s %#lx -> %#lx (another tag)", w ? "; " : "",
			f->name, (unsigned long)old, (unsigned long)get(out, f));
}

static size_t scribble(const struct elfmap *m, uint8_t *out, size_t size, struct rng *r,
		       char *what, size_t wsize, size_t w)
{
	const struct field *f = pick_field(m, r);
	size_t n = 1 + rng_below(r, 8), at = f->off;
	if (at + n > size)
		n = size - at;
	for (size_t i = 0; i < n; i++)
		out[at + i] = rng_next(r);
	return describe(what, wsize, w, "%s%zu random bytes at %#zx (%s)", w ? "; " : "", n, at,
			f->name);
}

/* Cut the file: anywhere, or just inside a field. */
static size_t truncation(const struct elfmap *m, size_t size, struct rng *r)
{
	if (rng_below(r, 2))
		return rng_below(r, size);
	const struct field *f = pick_field(m, r);
	return f->off + rng_below(r, f->size);
}

size_t mutate(const struct elfmap *m, const uint8_t *orig, size_t size, uint8_t *out,
	      struct rng *r, char *what, size_t what_size)
{
	memcpy(out, orig, size);
	unsigned edits = rng_below(r, 8) < 5 ? 1 : 2 + rng_below(r, 3);
	size_t w = 0, len = size;
	what[0] = 0;
	for (unsigned i = 0; i < edits; i++) {
		unsigned op = rng_below(r, 100);
		if (op < 65)
			w = edit_field(m, out, r, what, what_size, w);
		else if (op < 77)
			w = swap_tag(m, out, r, what, what_size, w);
		else if (op < 90)
			w = scribble(m, out, size, r, what, what_size, w);
		else if (len == size) {
			len = truncation(m, size, r);
			w = describe(what, what_size, w, "%struncated to %zu of %zu bytes", w ? "; " : "",
				     len, size);
		}
	}
	return len;
}
