/*
 * A small printf: enough for error messages, --list and LD_DEBUG lines.
 */
#include <stdint.h>
#include "print.h"
#include "str.h"
#include "sys.h"

struct out {
	char *buf;
	size_t size;  /* capacity, including the final NUL */
	size_t pos;   /* characters in buf */
	size_t len;   /* characters produced so far, even past capacity */
	int shown;    /* for a file descriptor: %s and %c show control characters as \xNN */
	int fd;       /* -1: a string, cut at its capacity; else written out whenever buf fills */
	char *ring;   /* if set, the last ring_size characters produced, from len % ring_size on */
	size_t ring_size;
};

/* Write out what buf holds (for a descriptor). */
static void flush(struct out *o)
{
	lt_write_all(o->fd, o->buf, o->pos);
	o->pos = 0;
}

/* put_chars when there is a ring to fill, or not room enough. */
static __attribute__((noinline)) void put_chars_slowly(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; o->ring && i < n; i++)
		o->ring[(o->len + i) % o->ring_size] = s[i];
	o->len += n;
	if (!o->size)
		return;
	for (;;) {
		size_t room = o->size - 1 - o->pos, k = n < room ? n : room;
		memcpy(o->buf + o->pos, s, k);
		o->pos += k;
		if (k == n || o->fd < 0)
			return;
		flush(o);
		s += k, n -= k;
	}
}

/* n characters at once (what fits is copied; the length counts them all). */
static inline void put_chars(struct out *o, const char *s, size_t n)
{
	if (o->ring || o->pos + n >= o->size) {
		put_chars_slowly(o, s, n);
		return;
	}
	memcpy(o->buf + o->pos, s, n);
	o->pos += n, o->len += n;
}

static inline void put_char(struct out *o, char c)
{
	if (o->ring || o->pos + 1 >= o->size) {
		put_chars_slowly(o, &c, 1);
		return;
	}
	o->buf[o->pos++] = c;
	o->len++;
}

static void put_repeat(struct out *o, char c, int count)
{
	while (count-- > 0)
		put_char(o, c);
}

struct spec {
	int left;      /* '-' */
	int zero;      /* '0' */
	int alt;       /* '#' */
	int width;
	int precision; /* -1: none */
};

/*
 * A control character in a string argument, shown as \xNN on output: names
 * come from files, and a newline in one must not turn a one-line message
 * into two (nor an escape sequence reach the terminal).
 */
static int hidden(const struct out *o, char c)
{
	return o->shown && ((unsigned char)c < 0x20 || c == 0x7f);
}

static void put_shown(struct out *o, char c)
{
	if (!hidden(o, c)) {
		put_char(o, c);
		return;
	}
	put_char(o, '\\');
	put_char(o, 'x');
	put_char(o, "0123456789abcdef"[(unsigned char)c >> 4]);
	put_char(o, "0123456789abcdef"[c & 15]);
}

/* Emit `len` characters of s, padded to the field width (control
 * characters shown, when they are, one by one; anything else at once). */
static void put_field(struct out *o, const struct spec *sp, const char *s, size_t len)
{
	size_t width = len;
	for (size_t i = 0; o->shown && i < len; i++)
		width += hidden(o, s[i]) ? 3 : 0;
	int pad = sp->width > (int)width ? sp->width - (int)width : 0;
	if (!sp->left)
		put_repeat(o, ' ', pad);
	if (o->shown)
		for (size_t i = 0; i < len; i++)
			put_shown(o, s[i]);
	else
		put_chars(o, s, len);
	if (sp->left)
		put_repeat(o, ' ', pad);
}

static void put_number(struct out *o, const struct spec *sp, uint64_t v, int negative,
		       unsigned base, const char *prefix)
{
	char digits[24];
	int n = 0;
	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n < sp->precision)
		digits[n++] = '0';

	int prefix_len = (negative ? 1 : 0) + (int)strlen(prefix);
	int pad = sp->width - n - prefix_len;
	if (!sp->left && !sp->zero)
		put_repeat(o, ' ', pad);
	if (negative)
		put_char(o, '-');
	for (const char *p = prefix; *p; p++)
		put_char(o, *p);
	if (!sp->left && sp->zero)
		put_repeat(o, '0', pad);
	while (n)
		put_char(o, digits[--n]);
	if (sp->left)
		put_repeat(o, ' ', pad);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){.precision = -1};
	for (;; f++) {
		if (*f == '-')
			sp->left = 1;
		else if (*f == '0')
			sp->zero = 1;
		else if (*f == '#')
			sp->alt = 1;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0)
			sp->left = 1, sp->width = -sp->width;
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			sp->precision = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->precision = sp->precision * 10 + (*f++ - '0');
	}
	return f;
}

/* Read an integer argument of the size the length modifier names. */
static uint64_t take_unsigned(int longs, va_list *ap)
{
	return longs ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int);
}

static int64_t take_signed(int longs, va_list *ap)
{
	return longs ? va_arg(*ap, long) : va_arg(*ap, int);
}

static void format(struct out *o, const char *fmt, va_list ap0)
{
	va_list ap;
	va_copy(ap, ap0);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {  /* the text up to the next conversion, at once */
			const char *pct = strchr(f, '%');
			size_t n = pct ? (size_t)(pct - f) : strlen(f);
			put_chars(o, f, n);
			f += n - 1;
			continue;
		}
		struct spec sp;
		f = parse_spec(f + 1, &sp, &ap);
		int longs = 0;
		while (*f == 'l' || *f == 'z' || *f == 'j')
			longs = 1, f++;  /* every one of these is 64 bits on x86_64 */
		switch (*f) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			size_t len = sp.precision >= 0 ? strnlen(s, sp.precision) : strlen(s);
			put_field(o, &sp, s, len);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			put_field(o, &sp, &c, 1);
			break;
		}
		case 'd':
		case 'i': {
			int64_t v = take_signed(longs, &ap);
			put_number(o, &sp, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, "");
			break;
		}
		case 'u':
			put_number(o, &sp, take_unsigned(longs, &ap), 0, 10, "");
			break;
		case 'x':
			put_number(o, &sp, take_unsigned(longs, &ap), 0, 16, sp.alt ? "0x" : "");
			break;
		case 'p':
			put_number(o, &sp, (uintptr_t)va_arg(ap, void *), 0, 16, "0x");
			break;
		case '%':
			put_char(o, '%');
			break;
		default: /* unknown conversion: show it rather than guess */
			put_char(o, '%');
			if (!*f)
				f--;
			else
				put_char(o, *f);
		}
	}
	va_end(ap);
}

size_t lt_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {.buf = buf, .size = size, .fd = -1};
	format(&o, fmt, ap);
	if (size)
		buf[o.pos] = 0;
	return o.len;
}

/* What lt_vformat_ends puts between head and tail. */
#define LEFT_OUT "[... %zu characters left out ...]"

size_t lt_vformat_ends(char *buf, size_t size, size_t tail, const char *fmt, va_list ap)
{
	char ring[LT_FORMAT_TAIL_MAX];
	struct out o = {.buf = buf, .size = size, .fd = -1, .ring = ring,
			.ring_size = tail < sizeof ring ? tail : sizeof ring};
	if (!o.ring_size)
		o.ring = 0;
	format(&o, fmt, ap);
	if (size)
		buf[o.pos] = 0;
	if (o.len < size || !o.ring)
		return o.len;  /* (it fits: the most often by far) */
	/* The note is made for as many digits as the whole length has: what
	 * it counts, the characters between head and tail, has no more. */
	size_t note = lt_format(0, 0, LEFT_OUT, o.len), kept = o.ring_size + note;
	if (size < 2 * kept)
		return o.len;
	size_t head = size - 1 - kept, left_out = o.len - head - o.ring_size;
	char *at = buf + head + lt_format(buf + head, note + 1, LEFT_OUT, left_out);
	for (size_t i = o.len - o.ring_size; i < o.len; i++)
		*at++ = ring[i % o.ring_size];
	*at = 0;
	return o.len;
}

size_t lt_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = lt_vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void lt_hex(char *out, size_t size, const unsigned char *b, size_t n)
{
	if (!size)
		return;
	for (size_t i = 0; i < n && size > 2; i++, out += 2, size -= 2) {
		out[0] = "0123456789abcdef"[b[i] >> 4];
		out[1] = "0123456789abcdef"[b[i] & 15];
	}
	*out = 0;
}

void lt_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		long n = sys_write(fd, buf, len);
		if (n == -EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= n;
	}
}

/* Output to a descriptor is made in a buffer of this size: a line that
 * fits is one write(2) from it (write_whole). */
#define OUT_BUFFER 1024

/* format for a descriptor's own text (no argument of it is shown escaped) */
static void put_format(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int shown = o->shown;
	o->shown = 0;
	format(o, fmt, ap);
	o->shown = shown;
	va_end(ap);
}

/* What goes around a formatted message: for a trace line, its process id
 * and prefix before it and a newline after; else nothing. */
struct frame {
	int traced;
	long pid;
	const char *prefix;
};

static void put_framed(struct out *o, const struct frame *f, const char *fmt, va_list ap)
{
	if (f->traced)
		put_format(o, "%10ld:\t%s", f->pid, f->prefix);
	format(o, fmt, ap);
	if (f->traced)
		put_char(o, '\n');
}

/*
 * Format to fd in one write(2), as glibc's loader writes a message, so that
 * no other thread's output comes into it: from the stack when it fits in
 * OUT_BUFFER, else from memory mapped for it (a long path, a C++ name;
 * made a second time there).  Only when that mapping fails is the output
 * written in pieces of OUT_BUFFER.
 */
static void write_whole(int fd, const struct frame *f, const char *fmt, va_list ap)
{
	char buf[OUT_BUFFER];
	struct out o = {.buf = buf, .size = sizeof buf, .shown = 1, .fd = -1};
	put_framed(&o, f, fmt, ap);  /* (format reads a copy of ap: it can be read again) */
	if (o.len < o.size) {
		lt_write_all(fd, buf, o.len);
	} else {
		size_t size = (o.len + 1 + 4095) & ~(size_t)4095;
		char *big = sys_mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int mapped = !sys_mmap_failed(big);
		struct out w = {.buf = mapped ? big : buf, .size = mapped ? size : sizeof buf,
				.shown = 1, .fd = fd};
		put_framed(&w, f, fmt, ap);
		flush(&w);
		if (mapped)
			sys_munmap(big, size);
	}
}

void lt_vdprintf(int fd, const char *fmt, va_list ap)
{
	write_whole(fd, &(struct frame){0}, fmt, ap);
}

void lt_trace_line(int fd, const char *prefix, const char *fmt, va_list ap)
{
	write_whole(fd, &(struct frame){1, sys_getpid(), prefix}, fmt, ap);
}

void lt_dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lt_vdprintf(fd, fmt, ap);
	va_end(ap);
}
