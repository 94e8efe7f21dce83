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

/* Does in[0..len) start with `word`?  (Read up to the first difference,
 * which a NUL in `in` is.) */
static inline int starts_with(const char *in, size_t len, const char *word)
{
	for (size_t i = 0; word[i]; i++)
		if (i >= len || in[i] != word[i])
			return 0;
	return 1;
}

/* musl's $ORIGIN at in[0..len): "$ORIGIN" or "${ORIGIN}", whatever
 * follows; its length, else 0. */
static size_t origin_prefix_length(const char *in, size_t len)
{
	if (starts_with(in, len, "${ORIGIN}"))
		return 9;
	return starts_with(in, len, "$ORIGIN") ? 7 : 0;
}

int lt_path_origin_only(const char *list)
{
	for (const char *p = list; *p; p++)  /* (lists are short: a byte at a time) */
		if (*p == '$' && !origin_prefix_length(p, SIZE_MAX))  /* (its NUL ends the reading) */
			return 0;
	return 1;
}

/*
 * The value of the token at in[0..len), a '$': its length in *take (0 when
 * it is no token, and stands for itself).  NULL with *take set: a token
 * that must not be used (unknown, or where secure mode forbids it; `at` is
 * where in the name it is).
 */
static const char *token_value(const char *in, size_t len, size_t at,
			       const struct lt_path_vars *vars, size_t *take)
{
	if (vars->origin_prefix) {
		*take = origin_prefix_length(in, len);
		return *take ? vars->origin : 0;
	}
	if ((*take = token_length(in, len, "ORIGIN"))) {
		/* Set-user-id programs: only a leading "$ORIGIN" or "$ORIGIN/...". */
		if (vars->secure && (at || (*take < len && in[*take] != '/')))
			return 0;
		return vars->origin;
	}
	if ((*take = token_length(in, len, "LIB")))
		return vars->lib;
	if ((*take = token_length(in, len, "PLATFORM")))
		return vars->platform;
	return 0;
}

long lt_path_expand(const char *in, size_t len, const struct lt_path_vars *vars, char *out,
		    size_t outsize)
{
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		/* The characters up to the next '$' (in most names, all of them) as they are. */
		const char *dollar = memchr(in + i, '$', len - i);
		size_t run = (dollar ? (size_t)(dollar - in) : len) - i;
		if (o + run >= outsize)
			return -1;
		memcpy(out + o, in + i, run);
		o += run, i += run;
		if (i == len)
			break;
		size_t take;
		const char *value = token_value(in + i, len - i, i, vars, &take);
		if (take && !value)
			return -1;
		if (!take)  /* a '$' that starts no token */
			value = "$", take = 1;
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

int lt_path_list_append(char *out, size_t *n, int *separated, const char *in, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!in[i])
			return 1;
		if (in[i] == ':' || in[i] == '\n') {
			*separated = *n > 0;
			continue;
		}
		if (*separated)
			out[(*n)++] = ':';
		*separated = 0;
		out[(*n)++] = in[i];
	}
	return 0;
}

size_t lt_path_element_length(const char *p, size_t len)
{
	while (len > 1 && p[len - 1] == '/')
		len--;
	return len;
}

int lt_path_list_repeats(const char *list, const char *elem, size_t len)
{
	len = lt_path_element_length(elem, len);
	for (const char *p = list; p < elem;) {
		const char *end = memchr(p, ':', elem - p);  /* (elem follows a colon) */
		if (!end)
			return 0;
		if (lt_path_element_length(p, end - p) == len && !memcmp(p, elem, len))
			return 1;
		p = end + 1;
	}
	return 0;
}
