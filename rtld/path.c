#include "path.h"
#include "str.h"

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/*
 * If in[0..len) starts with $WORD or ${WORD}, return how many bytes the
 * token takes; otherwise 0.
 */
static size_t token_length(const char *in, size_t len, const char *word)
{
	size_t w = strlen(word);
	if (len >= w + 3 && in[1] == '{' && !strncmp(in + 2, word, w) && in[2 + w] == '}')
		return w + 3;
	if (len >= w + 1 && !strncmp(in + 1, word, w) && (len == w + 1 || !is_name_char(in[1 + w])))
		return w + 1;
	return 0;
}

long lt_path_expand(const char *in, size_t len, const struct lt_path_vars *vars, char *out,
		    size_t outsize)
{
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		const char *value = 0;
		size_t take = 0;
		if (in[i] == '$') {
			if ((take = token_length(in + i, len - i, "ORIGIN"))) {
				/* Set-user-id programs: only a leading "$ORIGIN" or "$ORIGIN/...". */
				if (!vars->origin ||
				    (vars->secure && (i || (i + take < len && in[i + take] != '/'))))
					return -1;
				value = vars->origin;
			} else if ((take = token_length(in + i, len - i, "LIB"))) {
				value = vars->lib;
			} else if ((take = token_length(in + i, len - i, "PLATFORM"))) {
				value = vars->platform;
			}
			if (take && !value)
				return -1;
		}
		if (!take) {
			if (o + 1 >= outsize)
				return -1;
			out[o++] = in[i++];
			continue;
		}
		size_t vlen = strlen(value);
		if (o + vlen >= outsize)
			return -1;
		memcpy(out + o, value, vlen);
		o += vlen;
		i += take;
	}
	if (o >= outsize)
		return -1;
	out[o] = 0;
	return (long)o;
}
