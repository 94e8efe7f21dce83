/*
 * The core's formatter (rtld/print.c): conversions, flags, widths,
 * precision, '*', and truncation.  Expected strings are what C's printf
 * prints for the same format and arguments.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include "print.h"

#define GUARD 0x7e
#define BUFSIZE 128
static char buf[BUFSIZE + 16];

/* lt_vformat into buf limited to `size`; no byte past `size` may change. */
static size_t vformat_into(size_t size, const char *fmt, va_list ap)
{
	memset(buf, GUARD, sizeof buf);
	size_t n = lt_vformat(buf, size, fmt, ap);
	for (size_t i = size; i < sizeof buf; i++)
		cr_assert(eq(i8, buf[i], GUARD), "\"%s\": byte %zu written past size %zu", fmt, i, size);
	return n;
}

__attribute__((format(printf, 2, 3))) static size_t format_into(size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = vformat_into(size, fmt, ap);
	va_end(ap);
	return n;
}

/* Format with room to spare: the output must be `want`, and the length its length. */
#define EXPECT_FORMAT(want, ...)                                                          \
	do {                                                                               \
		size_t n_ = format_into(BUFSIZE, __VA_ARGS__);                             \
		cr_expect(eq(str, buf, (char *)(want)), "format %s", #__VA_ARGS__);       \
		cr_expect(eq(sz, n_, strlen(want)), "length of %s", #__VA_ARGS__);        \
	} while (0)

Test(format, strings_and_characters)
{
	EXPECT_FORMAT("hello", "%s", "hello");
	EXPECT_FORMAT("[x]", "[%c]", 'x');
	EXPECT_FORMAT("100% sure", "100%% sure");
	EXPECT_FORMAT("a-b-c", "%s-%s-%s", "a", "b", "c");
	EXPECT_FORMAT("", "%s", "");
}

/* A null string must not crash an error message; it prints as glibc's does. */
Test(format, null_string)
{
	const char *volatile none = NULL;  /* volatile: the compiler would refuse a literal NULL */
	EXPECT_FORMAT("(null)", "%s", none);
	EXPECT_FORMAT("plain text", "plain text");
}

Test(format, signed_decimal)
{
	EXPECT_FORMAT("0", "%d", 0);
	EXPECT_FORMAT("-42", "%d", -42);
	EXPECT_FORMAT("2147483647", "%d", INT_MAX);
	EXPECT_FORMAT("-2147483648", "%d", INT_MIN);
	EXPECT_FORMAT("-7", "%i", -7);
	EXPECT_FORMAT("-9223372036854775808", "%ld", LONG_MIN);
	EXPECT_FORMAT("9223372036854775807", "%ld", LONG_MAX);
	EXPECT_FORMAT("-1", "%lld", -1LL);
}

Test(format, unsigned_and_hex)
{
	EXPECT_FORMAT("4294967295", "%u", UINT_MAX);
	EXPECT_FORMAT("18446744073709551615", "%zu", SIZE_MAX);
	EXPECT_FORMAT("18446744073709551615", "%lu", ULONG_MAX);
	EXPECT_FORMAT("deadbeef", "%x", 0xdeadbeefu);
	EXPECT_FORMAT("ffffffffffffffff", "%lx", ~0UL);
	EXPECT_FORMAT("ff", "%x", 0xffu);
	EXPECT_FORMAT("0xff", "%#x", 0xffu);
	EXPECT_FORMAT("0x7f0000001000", "%#lx", 0x7f0000001000UL);
	EXPECT_FORMAT("0x1234", "%p", (void *)0x1234);
	EXPECT_FORMAT("0x7ffff7dd5000", "%p", (void *)0x7ffff7dd5000);
	EXPECT_FORMAT("42", "%zu", (size_t)42);
	EXPECT_FORMAT("42", "%jd", (intmax_t)42);
}

/* An int argument is read as an int: no sign bits from the rest of the register. */
Test(format, int_arguments_are_32_bits)
{
	EXPECT_FORMAT("4294967295 -1", "%u %d", -1, -1);
	EXPECT_FORMAT("ffffffff", "%x", -1);
}

Test(format, width_and_flags)
{
	EXPECT_FORMAT("   42", "%5d", 42);
	EXPECT_FORMAT("42   |", "%-5d|", 42);
	EXPECT_FORMAT("00042", "%05d", 42);
	EXPECT_FORMAT("-0042", "%05d", -42);
	EXPECT_FORMAT("  -42", "%5d", -42);
	EXPECT_FORMAT("-42  |", "%-5d|", -42);
	EXPECT_FORMAT("12345", "%3d", 12345);
	EXPECT_FORMAT("     abc", "%8s", "abc");
	EXPECT_FORMAT("abc     |", "%-8s|", "abc");
	EXPECT_FORMAT("0x000000ff", "%#010x", 0xffu);
	EXPECT_FORMAT("0000000000001000", "%016lx", 0x1000UL);
	EXPECT_FORMAT("      0xff", "%#10x", 0xffu);
	EXPECT_FORMAT("    x|", "%5c|", 'x');
}

/* Unlike C: an address is always shown as one (print.h). */
Test(format, zero_addresses_keep_their_prefix)
{
	EXPECT_FORMAT("0x0", "%#x", 0u);
	EXPECT_FORMAT("0x0", "%p", (void *)0);
	EXPECT_FORMAT("0x1000", "%p", (void *)0x1000);
}

Test(format, precision)
{
	EXPECT_FORMAT("abc", "%.3s", "abcdef");
	EXPECT_FORMAT("", "%.0s", "abcdef");
	EXPECT_FORMAT("ab", "%.5s", "ab");
	EXPECT_FORMAT("     abc", "%8.3s", "abcdef");
	EXPECT_FORMAT("abc  |", "%-5.3s|", "abcdef");
	EXPECT_FORMAT("00042", "%.5d", 42);
	EXPECT_FORMAT("-00042", "%.5d", -42);
	EXPECT_FORMAT("   00042", "%8.5d", 42);
	EXPECT_FORMAT("000000ff", "%.8x", 0xffu);
}

/* %.Ns must not read past N bytes: the string need not be terminated. */
Test(format, precision_bounds_the_read)
{
	char *unterminated = malloc(3);
	cr_assert(ne(ptr, unterminated, NULL));
	memcpy(unterminated, "xyz", 3);
	EXPECT_FORMAT("[xyz]", "[%.3s]", unterminated);
	EXPECT_FORMAT("[xy]", "[%.*s]", 2, unterminated);
	free(unterminated);
}

Test(format, star_width_and_precision)
{
	EXPECT_FORMAT("    42", "%*d", 6, 42);
	EXPECT_FORMAT("7   |", "%-*d|", 4, 7);
	EXPECT_FORMAT("7   |", "%*d|", -4, 7);  /* a negative width means '-' */
	EXPECT_FORMAT("he", "%.*s", 2, "hello");
	EXPECT_FORMAT("hello", "%.*s", -1, "hello");  /* a negative precision means none */
	EXPECT_FORMAT("   he", "%*.*s", 5, 2, "hello");
	EXPECT_FORMAT("[ab] 3", "[%.*s] %d", 2, "abc", 3);
}

/*
 * Formats the compiler warns about, on purpose: '-' wins over '0' as in C;
 * what the formatter cannot format, it shows; it never reads past the
 * format's end.
 */
Test(format, questionable_formats)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	EXPECT_FORMAT("42   |", "%-05d|", 42);
	EXPECT_FORMAT("50%", "50%");
	EXPECT_FORMAT("%q", "%q");
#pragma GCC diagnostic pop
}

/* Truncated output: NUL-terminated within size, the full length returned. */
Test(format, truncation)
{
	size_t n = format_into(5, "%s", "hello world");
	cr_expect(eq(sz, n, 11));
	cr_expect(eq(str, buf, "hell"));

	n = format_into(4, "%08x", 0xabu);
	cr_expect(eq(sz, n, 8));
	cr_expect(eq(str, buf, "000"));

	n = format_into(6, "%d and %s", -123, "more");
	cr_expect(eq(sz, n, 13));
	cr_expect(eq(str, buf, "-123 "));

	n = format_into(1, "%s", "abc");
	cr_expect(eq(sz, n, 3));
	cr_expect(eq(i8, buf[0], 0), "size 1 holds only the NUL");

	n = format_into(0, "%d", 12345);
	cr_expect(eq(sz, n, 5), "size 0: nothing written, the length still counted");

	n = format_into(12, "%s", "hello world");
	cr_expect(eq(sz, n, 11), "exactly fits");
	cr_expect(eq(str, buf, "hello world"));
}

static size_t ends_into(size_t size, size_t tail, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	memset(buf, GUARD, sizeof buf);
	size_t n = lt_vformat_ends(buf, size, tail, fmt, ap);
	va_end(ap);
	for (size_t i = size; i < sizeof buf; i++)
		cr_assert(eq(i8, buf[i], GUARD), "byte %zu written past size %zu", i, size);
	return n;
}

/* A line too long keeps its start and its last `tail` characters, and says
 * how many it left out between them; one that fits is as lt_vformat makes it. */
Test(format, a_line_too_long_keeps_its_ends)
{
	char name[201];
	for (int i = 0; i < 200; i++)
		name[i] = 'a' + i % 26;
	name[200] = 0;
	size_t n = ends_into(BUFSIZE, 20, "%s: %s", "prog", "short");
	cr_expect(eq(sz, n, 11));
	cr_expect(eq(str, buf, "prog: short"));

	n = ends_into(BUFSIZE, 20, "%s: %s: gone", "prog", name);
	cr_expect(eq(sz, n, 212));
	/* 127 characters: 74 of the start, a note of 33, the last 20. */
	const char *want = "prog: abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnop"
			   "[... 118 characters left out ...]efghijklmnopqr: gone";
	cr_expect(eq(str, buf, (char *)want));
	cr_expect(eq(sz, strlen(buf), BUFSIZE - 1), "as long as the buffer allows");

	n = ends_into(40, 20, "%s: %s: gone", "prog", name);
	cr_expect(eq(sz, n, 212));
	cr_expect(eq(str, buf, "prog: abcdefghijklmnopqrstuvwxyzabcdefg"),
		  "no room for both ends and the note: cut as lt_vformat cuts");
	n = ends_into(BUFSIZE, 0, "%s", name);
	cr_expect(eq(sz, strlen(buf), BUFSIZE - 1), "no tail asked for: cut");
	cr_expect(eq(i8, buf[BUFSIZE - 2], name[BUFSIZE - 2]));
}

/* lt_format is lt_vformat with its arguments collected. */
Test(format, lt_format_wraps_lt_vformat)
{
	char small[8];
	size_t n = lt_format(small, sizeof small, "%s=%d", "answer", 42);
	cr_expect(eq(sz, n, 9));
	cr_expect(eq(str, small, "answer="));
}

/* What lt_dprintf writes to `fd`, read back through a pipe. */
static const char *printed(const char *fmt, const char *arg)
{
	static char out[256];
	int fd[2];
	cr_assert(eq(int, pipe(fd), 0));
	lt_dprintf(fd[1], fmt, arg);
	close(fd[1]);
	ssize_t n = read(fd[0], out, sizeof out - 1);
	close(fd[0]);
	out[n < 0 ? 0 : n] = 0;
	return out;
}

/* Output shows a name's control characters as \xNN, so that it stays on its line. */
Test(format, output_shows_control_characters)
{
	cr_expect(eq(str, (char *)printed("[%s]\n", "VER\n3"), "[VER\\x0a3]\n"));
	cr_expect(eq(str, (char *)printed("%s\n", "\033[2J\t\x7f"), "\\x1b[2J\\x09\\x7f\n"));
	cr_expect(eq(str, (char *)printed("[%-8s]\n", "a\nb"), "[a\\x0ab  ]\n"),
		  "the field is as wide as what is shown");
	cr_expect(eq(str, (char *)printed("caf\xc3\xa9 %s\n", "\xc3\xa9"), "caf\xc3\xa9 \xc3\xa9\n"),
		  "bytes past ASCII (UTF-8) are not control characters");
	EXPECT_FORMAT("VER\n3", "%s", "VER\n3");  /* into a buffer: as they are */
}

/* Output to a descriptor longer than its 1 KiB buffer is written whole, in
 * one write(2): a socket of SOCK_SEQPACKET keeps each write a message. */
Test(format, long_output_is_written_whole)
{
	static char name[3001], out[4096];
	memset(name, 'n', sizeof name - 1);
	name[1500] = '\n';  /* shown as \x0a, also across the buffer's end */
	int fd[2];
	cr_assert(eq(int, socketpair(AF_UNIX, SOCK_SEQPACKET, 0, fd), 0));
	lt_dprintf(fd[1], "[%s]\n", name);
	close(fd[1]);
	ssize_t got = read(fd[0], out, sizeof out - 1);
	close(fd[0]);
	cr_expect(eq(sz, (size_t)got, 1 + 3000 + 3 + 2),
		  "every character, the newline shown in four, in one write");
	cr_expect(eq(i8, out[0], '['));
	cr_expect(eq(int, memcmp(out + 1501, "\\x0a", 4), 0));
	cr_expect(eq(int, memcmp(out + got - 4, "nn]\n", 4), 0));
}

/* lt_hex: two digits a byte, and only whole bytes that fit with the NUL. */
Test(hex, bytes_as_digits_within_the_buffer)
{
	const unsigned char id[] = {0x00, 0x1f, 0xa0, 0xff};
	char out[9], small[6];
	lt_hex(out, sizeof out, id, sizeof id);
	cr_expect(eq(str, out, "001fa0ff"));
	memset(small, 'x', sizeof small);
	lt_hex(small, sizeof small, id, sizeof id);
	cr_expect(eq(str, small, "001f"));
	lt_hex(small, 1, id, sizeof id);
	cr_expect(eq(str, small, ""));
}
