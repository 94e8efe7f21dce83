/*
 * Memory and string helpers.  memcpy and memset use the string instructions,
 * eight bytes at a time and then the rest, which keeps them fast and keeps
 * the compiler from turning a loop back into a call to themselves.
 */
#include <stdint.h>
#include "str.h"

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	void *ret = dst;
	size_t words = n / 8, bytes = n % 8;
	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(bytes) : : "memory");
	return ret;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlap with dst above src: copy backwards. */
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *ret = dst;
	size_t words = n / 8, bytes = n % 8;
	uint64_t pattern = (uint8_t)c * 0x0101010101010101ULL;
	__asm__ volatile("rep stosq" : "+D"(dst), "+c"(words) : "a"(pattern) : "memory");
	__asm__ volatile("rep stosb" : "+D"(dst), "+c"(bytes) : "a"(pattern) : "memory");
	return ret;
}

int memcmp(const void *a, const void *b, size_t n)
{
	/* Eight bytes at a time while they last; in a word that differs, the
	 * lowest differing byte (little-endian: the first) decides. */
	const unsigned char *x = a, *y = b;
	for (; n >= 8; n -= 8, x += 8, y += 8) {
		uint64_t u, v;
		__builtin_memcpy(&u, x, 8);
		__builtin_memcpy(&v, y, 8);
		if (u != v) {
			unsigned at = __builtin_ctzll(u ^ v) / 8;
			return x[at] - y[at];
		}
	}
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

/* The bytes of a word equal to the byte in every lane of `pattern`, as lt_zero_bytes flags them. */
static inline uint64_t bytes_equal(uint64_t w, uint64_t pattern)
{
	return lt_zero_bytes(w ^ pattern);
}

void *memchr(const void *s, int c, size_t n)
{
	/* Bytes up to an 8-byte boundary, then whole words while they fit. */
	const unsigned char *p = s;
	for (; n && (uintptr_t)p % 8; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	uint64_t pattern = (uint8_t)c * 0x0101010101010101ULL;
	for (; n >= 8; n -= 8, p += 8) {
		uint64_t w, hits;
		__builtin_memcpy(&w, p, 8);
		if ((hits = bytes_equal(w, pattern)))
			return (void *)(p + __builtin_ctzll(hits) / 8);
	}
	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return 0;
}

size_t strlen(const char *s)
{
	/* Bytes up to an 8-byte boundary, then aligned words (which never cross a page). */
	const char *p = s;
	for (; (uintptr_t)p % 8; p++)
		if (!*p)
			return p - s;
	for (;; p += 8) {
		uint64_t w, zeros;
		__builtin_memcpy(&w, p, 8);
		zeros = lt_zero_bytes(w);
		if (zeros)
			return p - s + __builtin_ctzll(zeros) / 8;
	}
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size) {
		size_t n = len < size ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	/* Bytes up to an 8-byte boundary, then aligned words (which never cross a
	 * page): the first byte that is c or the end decides. */
	for (; (uintptr_t)s % 8; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return 0;
	}
	uint64_t pattern = (uint8_t)c * 0x0101010101010101ULL;
	for (;; s += 8) {
		uint64_t w, stops;
		__builtin_memcpy(&w, s, 8);
		if ((stops = lt_zero_bytes(w) | bytes_equal(w, pattern))) {
			const char *p = s + __builtin_ctzll(stops) / 8;
			return *p == (char)c ? (char *)p : 0;
		}
	}
}

char *strrchr(const char *s, int c)
{
	/* Find the end a word at a time, then look back: the last one is usually near it. */
	const char *p = s + strlen(s);
	if (!(char)c)
		return (char *)p;
	while (p > s)
		if (*--p == (char)c)
			return (char *)p;
	return 0;
}

uintptr_t lt_parse_hex(const char **p)
{
	uintptr_t v = 0;
	for (;; (*p)++) {
		char c = **p;
		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else
			return v;
	}
}
