/*
 * Formatted output without libc.  The formatter is pure (it only writes into
 * the caller's buffer), so the unit tests exercise it directly.
 */
#ifndef LT_PRINT_H
#define LT_PRINT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * printf-style formatting into buf (always NUL-terminated when size > 0).
 * Understands %s %c %d %i %u %x %p %%, the l/ll/z/j length modifiers,
 * the '-' '0' '#' flags, a width and a precision (both may be '*').
 * Unlike C's, %#x prints 0 as "0x0" and %p prints NULL as "0x0": in a
 * loader's trace an address always looks like one.
 * Returns the length the full output would have had.
 */
size_t lt_vformat(char *buf, size_t size, const char *fmt, va_list ap);
size_t lt_format(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * lt_vformat for a line whose end matters as much as its start (an error:
 * the object first, the reason last).  Output too long for buf keeps its
 * first characters and its last `tail` (at most LT_FORMAT_TAIL_MAX), with
 * "[... N characters left out ...]" between them, when buf has room for
 * twice as much as tail and note; else it is cut as lt_vformat cuts it.
 * Returns the length the full output would have had.
 */
#define LT_FORMAT_TAIL_MAX 256
size_t lt_vformat_ends(char *buf, size_t size, size_t tail, const char *fmt, va_list ap);

/* n bytes as 2n lower-case hex digits and a NUL, into out (size bytes:
 * as many whole bytes as fit). */
void lt_hex(char *out, size_t size, const unsigned char *b, size_t n);

/*
 * Format and write to a file descriptor, in one write(2) however long (in
 * pieces of 1 KiB only when no memory can be mapped for it).  Output shows the
 * control characters of %s and %c arguments as \xNN (the format's own stay):
 * every name printed comes from a file, and must not break a line.  This
 * holds for lt_trace_line too; lt_format and lt_vformat copy them as they are.
 */
void lt_vdprintf(int fd, const char *fmt, va_list ap);
void lt_dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * One line of a trace, in glibc's LD_DEBUG layout: the pid right-aligned
 * in ten columns, a colon, a tab, `prefix` and the message; written as
 * lt_vdprintf writes.
 */
void lt_trace_line(int fd, const char *prefix, const char *fmt, va_list ap);

/* Write all of buf, retrying short writes. */
void lt_write_all(int fd, const char *buf, size_t len);

#endif
