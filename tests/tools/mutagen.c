/*
 * mutagen: the mutants of a C source file, for `make mutate`
 * (tests/tools/mutate.sh; doc/testing.md).
 *
 *   mutagen list FILE       one line per mutant: ID, line, what it changes
 *   mutagen apply FILE ID   FILE with mutant ID applied, on stdout
 *
 * It works on tokens, outside comments, literals and preprocessor lines:
 *   - comparisons: == and != swapped; <, <=, > and >= each moved across
 *     its boundary (< to <=) and negated (< to >=);
 *   - arithmetic and bitwise operators, binary ones and their compound
 *     assignments: + and -, * and /, % to /, & and |, ^ to &, << and >>;
 *     ++ and --;
 *   - && and || swapped;
 *   - integer constants: 0 to 1, any other one up and down by one;
 *   - a statement deleted (an expression statement, return, break,
 *     continue or goto; not a declaration);
 *   - an if condition forced true or false, a while condition false (the
 *     condition is still evaluated, for its side effects).
 * The same file gives the same mutants in the same order, so an ID from
 * `list` names one mutant for `apply`.
 */
#define _GNU_SOURCE  /* vasprintf */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("mutagen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* `array` with room for element n. */
static void *grow(void *array, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return array;
	*cap = *cap ? 2 * *cap : 256;
	array = realloc(array, *cap * size);
	if (!array)
		die("out of memory");
	return array;
}

__attribute__((format(printf, 1, 2))) static char *format(const char *fmt, ...)
{
	char *out;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&out, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	return out;
}

/* ----- tokens ----- */

enum kind { IDENT, NUMBER, LITERAL, PUNCT };

struct token {
	enum kind kind;
	size_t start, len;
	int line;
};

struct source {
	const char *text;
	size_t size;
	struct token *tok;
	size_t ntok, cap;
};

static void add_token(struct source *s, enum kind kind, size_t start, size_t end, int line)
{
	s->tok = grow(s->tok, &s->cap, s->ntok, sizeof *s->tok);
	s->tok[s->ntok++] = (struct token){kind, start, end - start, line};
}

/* Longest first, so that the first match is the token. */
static const char *const punctuators[] = {
	"<<=", ">>=", "...", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "##",
};

static size_t punctuator_length(const char *p)
{
	for (size_t i = 0; i < sizeof punctuators / sizeof *punctuators; i++)
		if (!strncmp(p, punctuators[i], strlen(punctuators[i])))
			return strlen(punctuators[i]);
	return 1;
}

/* The end of the literal that starts with the quote at `i`. */
static size_t literal_end(const struct source *s, size_t i)
{
	char quote = s->text[i++];
	while (i < s->size && s->text[i] != quote && s->text[i] != '\n')
		i += s->text[i] == '\\' ? 2 : 1;
	return i + 1;
}

/* The end of the preprocessor line that starts at `i`, continuations included. */
static size_t directive_end(const struct source *s, size_t i, int *line)
{
	for (; i < s->size && s->text[i] != '\n'; i++)
		if (s->text[i] == '\\' && i + 1 < s->size && s->text[i + 1] == '\n')
			i++, (*line)++;
	return i;
}

static int is_ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

static void tokenize(struct source *s)
{
	int line = 1, line_start = 1;
	for (size_t i = 0; i < s->size;) {
		const char *p = s->text + i;
		size_t end;
		if (*p == '\n') {
			line++, line_start = 1, i++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			i++;
			continue;
		}
		if (!strncmp(p, "/*", 2)) {
			const char *close = strstr(p + 2, "*/");
			end = close ? (size_t)(close - s->text) + 2 : s->size;
			for (size_t k = i; k < end; k++)
				line += s->text[k] == '\n';
			i = end;
			continue;
		}
		if (!strncmp(p, "//", 2) || (*p == '#' && line_start)) {
			i = *p == '#' ? directive_end(s, i, &line) : i + strcspn(p, "\n");
			continue;
		}
		line_start = 0;
		if (*p == '"' || *p == '\'') {
			end = literal_end(s, i);
			add_token(s, LITERAL, i, end, line);
		} else if (isdigit((unsigned char)*p)) {
			for (end = i + 1; end < s->size && (is_ident_char(s->text[end]) || s->text[end] == '.');)
				end++;
			add_token(s, NUMBER, i, end, line);
		} else if (is_ident_char(*p)) {
			for (end = i + 1; end < s->size && is_ident_char(s->text[end]);)
				end++;
			add_token(s, IDENT, i, end, line);
		} else {
			end = i + punctuator_length(p);
			add_token(s, PUNCT, i, end, line);
		}
		i = end;
	}
}

static int is(const struct source *s, size_t t, const char *text)
{
	return t < s->ntok && s->tok[t].len == strlen(text) &&
	       !memcmp(s->text + s->tok[t].start, text, s->tok[t].len);
}

static const char *const keywords[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
	"enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
	"restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
	"typedef", "union", "unsigned", "void", "volatile", "while", "_Bool", "__attribute__",
};

static int is_keyword(const struct source *s, size_t t)
{
	for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
		if (is(s, t, keywords[i]))
			return 1;
	return 0;
}

/* Does token t end an operand, so that an operator after it is binary? */
static int ends_operand(const struct source *s, size_t t)
{
	const struct token *k = &s->tok[t];
	if (k->kind == IDENT)  /* not a keyword, nor a tag as in "struct x *p" */
		return !is_keyword(s, t) &&
		       !(t && (is(s, t - 1, "struct") || is(s, t - 1, "union") || is(s, t - 1, "enum")));
	return k->kind == NUMBER || k->kind == LITERAL || is(s, t, ")") || is(s, t, "]");
}

/* The token that closes the parenthesis opened at `open`, or ntok. */
static size_t matching_paren(const struct source *s, size_t open)
{
	int depth = 0;
	for (size_t t = open; t < s->ntok; t++) {
		depth += is(s, t, "(") - is(s, t, ")");
		if (!depth)
			return t;
	}
	return s->ntok;
}

/* Is the constant t a whole value set or returned: `x = 1;`, `return 0;`? */
static int whole_value(const struct source *s, size_t t)
{
	return t && (is(s, t - 1, "=") || is(s, t - 1, "return")) && is(s, t + 1, ";");
}

/* ----- mutants ----- */

struct mutant {
	size_t start, end;  /* the bytes replaced */
	char *text;         /* by this */
	int line;
	char *what;
};

struct mutants {
	struct mutant *m;
	size_t n, cap;
};

static void add_mutant(struct mutants *ms, size_t start, size_t end, char *text, int line,
		       char *what)
{
	ms->m = grow(ms->m, &ms->cap, ms->n, sizeof *ms->m);
	ms->m[ms->n++] = (struct mutant){start, end, text, line, what};
}

/* The line of token t as it reads with the token replaced by `by`, trimmed. */
static char *line_with(const struct source *s, size_t t, const char *by)
{
	const struct token *k = &s->tok[t];
	size_t from = k->start, to = k->start + k->len;
	while (from && s->text[from - 1] != '\n')
		from--;
	while (from < k->start && isspace((unsigned char)s->text[from]))
		from++;
	to += strcspn(s->text + to, "\n");
	return format("%.*s%s%.*s", (int)(k->start - from), s->text + from, by,
		      (int)(to - k->start - k->len), s->text + k->start + k->len);
}

/* Source text on one line, blanks squeezed, cut short after 60 characters. */
static char *squeezed(const char *from, size_t len)
{
	char shown[64];
	size_t n = 0;
	for (size_t i = 0; i < len && n < sizeof shown - 4; i++)
		if (!isspace((unsigned char)from[i]) || (n && shown[n - 1] != ' '))
			shown[n++] = isspace((unsigned char)from[i]) ? ' ' : from[i];
	return format("%.*s%s", (int)n, shown, n == sizeof shown - 4 ? "..." : "");
}

/* Replace token t by `by`. */
static void replace_token(struct mutants *ms, const struct source *s, size_t t, const char *by)
{
	const struct token *k = &s->tok[t];
	char *line = line_with(s, t, by);
	add_mutant(ms, k->start, k->start + k->len, format("%s", by), k->line,
		   format("'%.*s' -> '%s' in: %s", (int)k->len, s->text + k->start, by, line));
	free(line);
}

/* Operator replacements: FROM, then what it becomes (one or two). */
static const char *const operators[][3] = {
	{"==", "!="}, {"!=", "=="},
	{"<", "<=", ">="}, {"<=", "<", ">"}, {">", ">=", "<="}, {">=", ">", "<"},
	{"&&", "||"}, {"||", "&&"},
	{"+=", "-="}, {"-=", "+="}, {"*=", "/="}, {"/=", "*="}, {"%=", "/="},
	{"&=", "|="}, {"|=", "&="}, {"^=", "&="}, {"<<=", ">>="}, {">>=", "<<="},
	{"++", "--"}, {"--", "++"},
};
/* These only when binary: as unary operators they are something else. */
static const char *const binary_operators[][2] = {
	{"+", "-"}, {"-", "+"}, {"*", "/"}, {"/", "*"}, {"%", "/"}, {"&", "|"}, {"|", "&"},
	{"^", "&"}, {"<<", ">>"}, {">>", "<<"},
};

/* Do tokens [a, a + n) read the same as [b, b + n)? */
static int same_tokens(const struct source *s, size_t a, size_t b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct token *x = &s->tok[a + i], *y = &s->tok[b + i];
		if (x->len != y->len || memcmp(s->text + x->start, s->text + y->start, x->len))
			return 0;
	}
	return 1;
}

/* Where an operand ends, scanning from token t in direction dir (+1 or -1):
 * the first token outside it, at its own depth. */
static size_t operand_end(const struct source *s, size_t t, int dir)
{
	static const char *const stops[] = {"=", ",", ";", "?", ":", "&&", "||", "{", "}", "return"};
	int depth = 0;
	for (; t < s->ntok; t += dir) {
		depth += dir * (is(s, t, "(") - is(s, t, ")"));
		if (depth < 0)
			return t;
		for (size_t i = 0; !depth && i < sizeof stops / sizeof *stops; i++)
			if (is(s, t, stops[i]))
				return t;
	}
	return t;
}

/* Is the comparison at t that of a maximum or minimum, as in `a > b ? a : b`? */
static int picks_an_operand(const struct source *s, size_t t)
{
	size_t l = operand_end(s, t - 1, -1) + 1, q = operand_end(s, t + 1, 1);
	if (!is(s, q, "?"))
		return 0;
	size_t c = operand_end(s, q + 1, 1), e = operand_end(s, c + 1, 1);
	size_t nl = t - l, nr = q - t - 1, nx = c - q - 1, ny = e - c - 1;
	return is(s, c, ":") && nx + ny == nl + nr &&
	       ((nx == nl && same_tokens(s, q + 1, l, nl) && same_tokens(s, c + 1, t + 1, nr)) ||
		(nx == nr && same_tokens(s, q + 1, t + 1, nr) && same_tokens(s, c + 1, l, nl)));
}

/*
 * The first replacement of a comparison moves its boundary (< to <=);
 * in a maximum or minimum that changes nothing, and is left out.
 */
static void mutate_operator(struct mutants *ms, const struct source *s, size_t t)
{
	for (size_t i = 0; i < sizeof operators / sizeof *operators; i++)
		if (is(s, t, operators[i][0]))
			for (int k = 1; k < 3 && operators[i][k]; k++)
				if (!(k == 1 && operators[i][2] && picks_an_operand(s, t)))
					replace_token(ms, s, t, operators[i][k]);
	if (!t || !ends_operand(s, t - 1))
		return;
	for (size_t i = 0; i < sizeof binary_operators / sizeof *binary_operators; i++)
		if (is(s, t, binary_operators[i][0]))
			replace_token(ms, s, t, binary_operators[i][1]);
}

/*
 * An integer constant, in its own base and with its own suffix.  Three
 * moves would change nothing wherever the value is only tested, as error
 * returns (for < 0) and truth values are: a negated constant only moves
 * toward 0 (not -1 to -2); a 1 set or returned only goes down (not to 2);
 * and `return 0` becomes `return -1`, not 1 (-1 is true, and an error).
 */
static void mutate_constant(struct mutants *ms, const struct source *s, size_t t)
{
	int negated = t && is(s, t - 1, "-") && !(t > 1 && ends_operand(s, t - 2));
	int whole = whole_value(s, t);
	const struct token *k = &s->tok[t];
	char digits[64], *end, by[80];
	if (k->len >= sizeof digits)
		return;
	memcpy(digits, s->text + k->start, k->len);
	digits[k->len] = 0;
	errno = 0;
	unsigned long long v = strtoull(digits, &end, 0);
	if (errno || strspn(end, "uUlL") != strlen(end))
		return;  /* a floating constant, or out of range */
	if (!v && whole && is(s, t - 1, "return")) {
		replace_token(ms, s, t, "-1");
		return;
	}
	const char *base = digits[0] != '0' || !digits[1] ? "%llu%s" :
			   tolower((unsigned char)digits[1]) == 'x' ? "0x%llx%s" : "0%llo%s";
	for (int delta = 1; delta >= -1; delta -= 2) {
		if ((delta < 0 && !v) || (delta > 0 && (negated || (whole && v == 1))))
			continue;
		snprintf(by, sizeof by, base, v + delta, end);
		replace_token(ms, s, t, by);
	}
}

/* Where the scan is: what encloses the token, and how the last ':' was used. */
struct place {
	int parens, braces;
	int open_ternaries;     /* '?' not yet matched by their ':' */
	int after_label_colon;  /* the token before is a label's, or a case's, ':' */
};

static void track(struct place *p, const struct source *s, size_t t)
{
	p->parens += is(s, t, "(") - is(s, t, ")");
	p->braces += is(s, t, "{") - is(s, t, "}");
	p->open_ternaries += is(s, t, "?");
	p->after_label_colon = is(s, t, ":") && !p->open_ternaries;
	if (is(s, t, ":") && p->open_ternaries)
		p->open_ternaries--;
}

/* Is token t where a statement may start, inside a function? */
static int starts_statement(const struct source *s, size_t t, const struct place *p)
{
	if (!t || p->parens || !p->braces)
		return 0;
	return is(s, t - 1, ";") || is(s, t - 1, "{") || is(s, t - 1, "}") ||
	       is(s, t - 1, "else") || p->after_label_colon;
}

/* A statement worth deleting: not a declaration, a label or an empty one. */
static int deletable(const struct source *s, size_t t)
{
	if (is(s, t, "return") || is(s, t, "break") || is(s, t, "continue") || is(s, t, "goto"))
		return 1;
	if (is(s, t, "*") || is(s, t, "++") || is(s, t, "--"))
		return 1;
	return s->tok[t].kind == IDENT && !is_keyword(s, t) && t + 1 < s->ntok &&
	       s->tok[t + 1].kind == PUNCT && !is(s, t + 1, "*") && !is(s, t + 1, ":");
}

static void delete_statement(struct mutants *ms, const struct source *s, size_t t)
{
	size_t e = t;
	for (int depth = 0; e < s->ntok && !(depth == 0 && is(s, e, ";")); e++)
		depth += (is(s, e, "(") || is(s, e, "{") || is(s, e, "[")) -
			 (is(s, e, ")") || is(s, e, "}") || is(s, e, "]"));
	if (e == s->ntok)
		return;
	size_t start = s->tok[t].start, end = s->tok[e].start + 1;
	/* "{}", not ";": an else body left empty would not compile */
	add_mutant(ms, start, end, format("{}"), s->tok[t].line,
		   format("deleted '%s'", squeezed(s->text + start, end - start)));
}

/*
 * `if (c)` forced true and false, `while (c)` false (true would hang), c
 * still evaluated.  Not a condition that is a constant already.
 */
static void force_condition(struct mutants *ms, const struct source *s, size_t t)
{
	size_t close = matching_paren(s, t + 1);
	if (close == s->ntok || (close == t + 3 && s->tok[t + 2].kind == NUMBER))
		return;
	size_t start = s->tok[t + 2].start, end = s->tok[close].start;
	static const char *const forced[][2] = {{"|| 1", "true"}, {"&& 0", "false"}};
	for (int k = is(s, t, "while"); k < 2; k++)
		add_mutant(ms, start, end,
			   format("(%.*s) %s", (int)(end - start), s->text + start, forced[k][0]),
			   s->tok[t].line,
			   format("%.*s (%s) forced %s", (int)s->tok[t].len, s->text + s->tok[t].start,
				  squeezed(s->text + start, end - start), forced[k][1]));
}

static struct mutants find_mutants(const struct source *s)
{
	struct mutants ms = {0};
	struct place place = {0};
	for (size_t t = 0; t < s->ntok; t++) {
		if (starts_statement(s, t, &place) && deletable(s, t))
			delete_statement(&ms, s, t);
		if ((is(s, t, "if") || is(s, t, "while")) && is(s, t + 1, "("))
			force_condition(&ms, s, t);
		if (s->tok[t].kind == NUMBER)
			mutate_constant(&ms, s, t);
		else if (s->tok[t].kind == PUNCT)
			mutate_operator(&ms, s, t);
		track(&place, s, t);
	}
	return ms;
}

/* ----- the command ----- */

static struct source read_source(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die("%s: %s", path, strerror(errno));
	struct source s = {0};
	long size = fseek(f, 0, SEEK_END) ? -1 : ftell(f);
	char *text = size < 0 ? 0 : malloc(size + 1);
	if (!text || fseek(f, 0, SEEK_SET) || fread(text, 1, size, f) != (size_t)size)
		die("%s: cannot read", path);
	fclose(f);
	text[size] = 0;
	s.text = text;
	s.size = size;
	tokenize(&s);
	return s;
}

int main(int argc, char **argv)
{
	if (argc < 3 || (strcmp(argv[1], "list") && strcmp(argv[1], "apply")) ||
	    (argc != 3 + !strcmp(argv[1], "apply"))) {
		fprintf(stderr, "usage: mutagen list FILE\n       mutagen apply FILE ID\n");
		return 2;
	}
	struct source s = read_source(argv[2]);
	struct mutants ms = find_mutants(&s);
	if (!strcmp(argv[1], "list")) {
		for (size_t i = 0; i < ms.n; i++)
			printf("%zu\t%d\t%s\n", i, ms.m[i].line, ms.m[i].what);
		return 0;
	}
	char *end;
	unsigned long id = strtoul(argv[3], &end, 10);
	if (*end || id >= ms.n)
		die("%s has no mutant %s", argv[2], argv[3]);
	const struct mutant *m = &ms.m[id];
	fwrite(s.text, 1, m->start, stdout);
	fputs(m->text, stdout);
	fwrite(s.text + m->end, 1, s.size - m->end, stdout);
	return ferror(stdout) ? 1 : 0;
}
