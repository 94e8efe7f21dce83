/*
 * libFuzzer harness: path expansion ($ORIGIN, $LIB, $PLATFORM; rtld/path.c).
 * The input is a flag byte (bit 0: secure mode, bit 1: $ORIGIN is known,
 * bit 2: $PLATFORM is known, bit 4: musl's reading of $ORIGIN, which
 * lt_path_origin_only also checks), an output size byte, then the origin, the
 * platform and the path element, separated by NULs.  With bit 3 set, the
 * rest is a path file instead (lt_path_list_append), read in pieces of
 * (size byte + 1) bytes, and its list's repeated elements are checked
 * (lt_path_list_repeats).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "path.h"

/* The next NUL-terminated piece of the input, or the rest of it. */
static const char *piece(const char **p, const char *end, size_t *len)
{
	const char *start = *p, *nul = memchr(start, 0, end - start);
	*len = (nul ? nul : end) - start;
	*p = nul ? nul + 1 : end;
	return start;
}

/* The list of a path file read in pieces of `piece` bytes; *ended: a NUL stopped it. */
static char *path_file(const char *in, size_t len, size_t piece, int *ended)
{
	char *out = malloc(len + 2);
	size_t n = 0;
	int separated = 0;
	*ended = 0;
	for (size_t at = 0; at < len && !*ended; at += piece)
		*ended = lt_path_list_append(out, &n, &separated, in + at,
					     len - at < piece ? len - at : piece);
	out[n] = 0;
	if (n > len)
		abort();  /* never longer than the file */
	return out;
}

/* lt_path_list_repeats against the obvious: every earlier element compared
 * in turn, trailing slashes taken off (all but a first one). */
static void check_repeats(const char *list)
{
	for (const char *e = list;;) {
		const char *end = strchr(e, ':');
		size_t len = end ? (size_t)(end - e) : strlen(e), n = len;
		while (n > 1 && e[n - 1] == '/')
			n--;
		int seen = 0;
		for (const char *p = list; p < e && !seen;) {
			const char *q = strchr(p, ':');
			size_t m = q - p;
			while (m > 1 && p[m - 1] == '/')
				m--;
			seen = m == n && !memcmp(p, e, n);
			p = q + 1;
		}
		if (seen != lt_path_list_repeats(list, e, len))
			abort();
		if (!end)
			return;
		e = end + 1;
	}
}

/* Read whole or in pieces, the list is the same, and has no empty entry. */
static void check_path_file(const char *in, size_t len, size_t piece)
{
	int ended_whole, ended_pieces;
	char *whole = path_file(in, len, len ? len : 1, &ended_whole);
	char *pieces = path_file(in, len, piece, &ended_pieces);
	size_t n = strlen(whole);
	if (strcmp(whole, pieces) || ended_whole != ended_pieces || strchr(whole, '\n') ||
	    strstr(whole, "::") || (n && (whole[0] == ':' || whole[n - 1] == ':')))
		abort();
	check_repeats(whole);
	free(whole);
	free(pieces);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	if (data[0] & 8) {
		check_path_file((const char *)data + 2, size - 2, data[1] + 1);
		return 0;
	}
	char *copy = malloc(size + 1);  /* NUL-terminated, so that each piece is a string */
	memcpy(copy, data, size);
	copy[size] = 0;
	const char *p = copy + 2, *end = copy + size;
	size_t olen, plen, len;
	const char *origin = piece(&p, end, &olen), *platform = piece(&p, end, &plen);
	const char *in = piece(&p, end, &len);
	struct lt_path_vars vars = {data[0] & 2 ? origin : 0, "lib/x86_64-linux-gnu",
				    data[0] & 4 ? platform : 0, data[0] & 1, data[0] & 16};
	if (lt_path_origin_only(in) && strchr(in, '$') && !strstr(in, "ORIGIN"))
		abort();  /* (`in` ends at its piece's NUL) a '$' it lets through starts $ORIGIN */
	size_t outsize = data[1] + 1;
	char *out = malloc(outsize);
	long n = lt_path_expand(in, len, &vars, out, outsize);
	if (n >= 0 && ((size_t)n >= outsize || strlen(out) != (size_t)n))
		abort();  /* the result must fit, and be as long as reported */
	free(out);
	free(copy);
	return 0;
}
