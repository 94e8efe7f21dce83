/*
 * String and memory helpers for the freestanding core.  They carry the
 * standard names because the compiler itself emits calls to memcpy, memset,
 * memmove and memcmp for struct copies and zeroing; the rest follow suit.
 */
#ifndef LT_STRING_H
#define LT_STRING_H

#include <stddef.h>

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

/* strcmp(a, b) == 0, comparing eight bytes at a time where it safely can. */
int lt_streq(const char *a, const char *b);

/* Does `s` start with `prefix`? */
static inline int str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

#endif
