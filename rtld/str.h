/*
 * String and memory helpers for the freestanding core.  They carry the
 * standard names because the compiler itself emits calls to memcpy, memset,
 * memmove and memcmp for struct copies and zeroing; the rest follow suit.
 */
#ifndef LT_STR_H
#define LT_STR_H

#include <stddef.h>
#include <stdint.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
/* Copy with truncation, always terminated (when size > 0); returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

/*
 * The zero bytes of a word, as the high bit of each (the classic trick).
 * Bytes above the first zero may be flagged wrongly; the lowest flag, the
 * only one used, is always right.
 */
static inline uint64_t lt_zero_bytes(uint64_t w)
{
	return (w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL;
}

/*
 * May we read 8 bytes at p, given that p itself is readable?  Yes unless
 * they would cross into the next page, which may not be mapped.
 */
static inline int lt_word_readable(const char *p)
{
	return ((uintptr_t)p & 4095) <= 4096 - 8;
}

/*
 * Under valgrind's memcheck, compare strings a byte at a time where one may
 * be the program's (lt_streq_words without `in_words`): reading past its
 * end, in memory the program never wrote, is harmless here, but memcheck
 * reports every decision that depends on such bytes (not so the hash's,
 * which depend on the terminator alone).  Set once, at start-up.
 */
extern int lt_exact_strings;
void lt_strings_init(void);

/*
 * strcmp(a, b) == 0, comparing eight bytes at a time where it safely can:
 * everywhere when `in_words` says that both strings may be read a word
 * at a time (both are in objects' string tables), else while neither read
 * can cross into another page.
 * Inline: symbol lookup compares a name or two on every relocation.
 */
static inline __attribute__((always_inline)) int lt_streq_words(const char *a, const char *b,
								 int in_words)
{
	if (!in_words && __builtin_expect(lt_exact_strings, 0))
		return !strcmp(a, b);
	while (in_words || (lt_word_readable(a) && lt_word_readable(b))) {
		uint64_t x, y;
		__builtin_memcpy(&x, a, 8);  /* one unaligned load, not a call */
		__builtin_memcpy(&y, b, 8);
		uint64_t zeros = lt_zero_bytes(x), diff = x ^ y;
		if (diff)  /* little-endian: equal only if both end before they differ */
			return zeros && __builtin_ctzll(zeros) < __builtin_ctzll(diff);
		if (zeros)
			return 1;
		a += 8, b += 8;
	}
	return !strcmp(a, b);
}

static inline int lt_streq(const char *a, const char *b)
{
	return lt_streq_words(a, b, 0);
}

/* Lower-case hex digits at *p, as a number; *p is left after them (as in /proc/self/maps). */
uintptr_t lt_parse_hex(const char **p);

/* Does `s` start with `prefix`? */
static inline int str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

#endif
