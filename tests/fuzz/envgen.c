/*
 * Environments and command lines for the loader, from a numbered random
 * stream: the other input a user controls besides the files.  Each set
 * names one to four of the variables ld-teach reads (some twice), and for
 * the command-line modes up to three of its options, with values built
 * from pieces a loader parses: path lists of real files and directories,
 * dynamic string tokens, separators, LD_DEBUG words, glibc tunables,
 * numbers at their limits, over-long and non-printable strings.
 *
 * Whatever a run may write (LD_DEBUG_OUTPUT, LD_GRAPH_OUTPUT, the prelink
 * cache's directory) is named relative to the run's own directory, or
 * where nothing can be written, so that a campaign leaves nothing behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

#define COUNT(a) (sizeof (a) / sizeof *(a))

static const char *pick(struct rng *r, const char *const *list, size_t n)
{
	return list[rng_below(r, n)];
}

/* ----- a growing string ----- */

struct str {
	char *s;
	size_t len, cap;
};

static void add_n(struct str *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = 2 * (b->len + n + 1);
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static void add(struct str *b, const char *s)
{
	add_n(b, s, strlen(s));
}

static void add_run(struct str *b, char c, size_t n)
{
	while (n--)
		add_n(b, &c, 1);
}

static char *done(struct str *b)
{
	if (!b->s)
		add(b, "");
	return b->s;
}

/* ----- the pieces ----- */

/* One to `most` pieces, each from `piece`, with one of the separators between each two. */
typedef void piece_fn(struct rng *r, const struct envpool *pool, struct str *b);
static struct str list_of(struct rng *r, const struct envpool *pool, unsigned most,
			  const char *const *separators, size_t nseparators, piece_fn *piece)
{
	struct str b = {0};
	unsigned n = 1 + rng_below(r, most);
	for (unsigned i = 0; i < n; i++) {
		if (i)
			add(&b, pick(r, separators, nseparators));
		piece(r, pool, &b);
	}
	return b;
}

/* A path element made stranger: a token, a separator inside it, or a length past PATH_MAX. */
static void add_strange(struct rng *r, struct str *b, const char *element)
{
	static const char *const before[] = {"$ORIGIN/", "${ORIGIN}/../", "$LIB/", "${PLATFORM}/",
					     "$ORIGIN", "$", "${", "${ORIGIN", "./", "//"};
	static const char *const after[] = {"/", "$", "${", "/.", "$ORIGIN", "%s%n%x", "=x"};
	switch (rng_below(r, 6)) {
	case 0: add(b, pick(r, before, COUNT(before))); add(b, element); break;
	case 1: add(b, element); add(b, pick(r, after, COUNT(after))); break;
	case 2: add_run(b, 'a', 200 + rng_below(r, 200)); break;
	case 3: add(b, "/"); add_run(b, 'd', 4090 + rng_below(r, 20)); break;  /* about PATH_MAX */
	case 4: add(b, "\x01\xff\t\x7f"); add(b, element); break;
	default: add(b, "$ORIGIN$ORIGIN$ORIGIN$ORIGIN$ORIGIN$ORIGIN$ORIGIN$ORIGIN"); break;
	}
}

/* An element of the pool, made stranger one time in four. */
static void path_element(struct rng *r, const struct envpool *pool, struct str *b)
{
	const char *element = pool->paths[rng_below(r, pool->npaths)];
	if (rng_below(r, 4) == 0)
		add_strange(r, b, element);
	else
		add(b, element);
}

/* One to five elements, joined by separators, sometimes with one more at the end. */
static char *path_list(struct rng *r, const struct envpool *pool)
{
	static const char *const separators[] = {":", ":", ":", " ", "::", ";", "\t", ": :"};
	struct str b = list_of(r, pool, 5, separators, COUNT(separators), path_element);
	if (rng_below(r, 8) == 0)
		add(&b, pick(r, separators, COUNT(separators)));  /* a trailing one: an empty element */
	return done(&b);
}

static void debug_word(struct rng *r, const struct envpool *pool, struct str *b)
{
	static const char *const words[] = {"all", "libs", "reloc", "files", "symbols", "bindings",
					    "versions", "scopes", "tls", "statistics", "unused",
					    "help", "", "ALL", "libs=1", "nonsense", "all,help"};
	(void)pool;
	add(b, pick(r, words, COUNT(words)));
}

static char *debug_words(struct rng *r)
{
	static const char *const separators[] = {",", ",", ":", " ", ",,"};
	struct str b = list_of(r, 0, 4, separators, COUNT(separators), debug_word);
	return done(&b);
}

static const char *const numbers[] = {
	"0", "1", "2", "16", "-1", "4096", "2147483648", "18446744073709551615",
	"18446744073709551616", "99999999999999999999999999", "0x10", "0x", "-", "", "1e3", " 7",
	"010", "0xffffffffffffffff"};

/* name=value, the name known or not, the '=' sometimes missing or doubled. */
static void tunable(struct rng *r, const struct envpool *pool, struct str *b)
{
	static const char *const names[] = {
		"glibc.rtld.optional_static_tls", "glibc.rtld.nns", "glibc.rtld.dynamic_sort",
		"glibc.malloc.check", "glibc.malloc.arena_max", "glibc.malloc.tcache_count",
		"glibc.cpu.hwcaps", "glibc.cpu.hwcap_mask", "glibc.cpu.x86_shstk", "glibc.cpu.x86_ibt",
		"glibc.cpu.x86_non_temporal_threshold", "glibc.cpu.x86_rep_movsb_threshold",
		"glibc.pthread.rseq", "glibc.pthread.stack_cache_size", "glibc.mem.tagging",
		"glibc.elision.enable", "glibc.", "glibc.rtld", "x", ""};
	static const char *const words[] = {"-AVX2_Usable,-ERMS", "-AVX512F,-AVX2,-SSE4_2,-BMI2",
					    "AVX2", ",,,", "on", "permissive", "-", "-x86-64-v3"};
	(void)pool;
	add(b, pick(r, names, COUNT(names)));
	if (rng_below(r, 8))
		add(b, rng_below(r, 8) ? "=" : "==");
	if (rng_below(r, 3))
		add(b, pick(r, numbers, COUNT(numbers)));
	else
		add(b, pick(r, words, COUNT(words)));
	if (rng_below(r, 16) == 0)
		add_run(b, '9', 300);
}

static char *tunables(struct rng *r)
{
	static const char *const separators[] = {":", ":", ":", "::", ";"};
	struct str b = list_of(r, 0, 4, separators, COUNT(separators), tunable);
	return done(&b);
}

static char *flag(struct rng *r)
{
	static const char *const values[] = {"", "1", "0", "yes", "no", "2", " ", "=1"};
	struct str b = {0};
	add(&b, pick(r, values, COUNT(values)));
	if (rng_below(r, 16) == 0)
		add_run(&b, 'y', 5000);
	return done(&b);
}

/* Where a run may write: relative to its own directory, or nowhere it can (not
 * /dev/null itself: the trace and the graph go to NAME.PID, which root may create
 * in /dev). */
static char *out_path(struct rng *r)
{
	static const char *const paths[] = {"out", "sub/out", "", "/dev/null/out", "/nonexistent/out",
					    ".", "out/", "o:u:t", "\x01out"};
	struct str b = {0};
	if (rng_below(r, 16) == 0)
		add_run(&b, 'o', 300 + rng_below(r, 4000));
	else
		add(&b, pick(r, paths, COUNT(paths)));
	return done(&b);
}

/* For HOME, XDG_CACHE_HOME (used only when absolute) and LD_TEACH_CACHE_DIR. */
static char *cache_place(struct rng *r)
{
	static const char *const places[] = {"", "cache", "sub/cache", "/nonexistent", "/nonexistent/",
					     "cache/", "\xff"};
	struct str b = {0};
	if (rng_below(r, 16) == 0)
		add_run(&b, 'c', 4100);
	else
		add(&b, pick(r, places, COUNT(places)));
	return done(&b);
}

static char *any_string(struct rng *r, const struct envpool *pool)
{
	static const char *const words[] = {"", "-", "--", "prog", "%s%s%s%n", "\n", "a b",
					    "\xff\xfe"};
	struct str b = {0};
	switch (rng_below(r, 4)) {
	case 0: add_run(&b, 'z', 5000); break;
	case 1: add(&b, pool->paths[rng_below(r, pool->npaths)]); break;
	default: add(&b, pick(r, words, COUNT(words))); break;
	}
	return done(&b);
}

/* ----- the variables and options ----- */

enum value_kind { V_PATHS, V_DEBUG, V_TUNABLES, V_FLAG, V_OUT, V_CACHE, V_STRING };

static char *value_of(struct rng *r, const struct envpool *pool, enum value_kind k)
{
	switch (k) {
	case V_PATHS: return path_list(r, pool);
	case V_DEBUG: return debug_words(r);
	case V_TUNABLES: return tunables(r);
	case V_FLAG: return flag(r);
	case V_OUT: return out_path(r);
	case V_CACHE: return cache_place(r);
	default: return any_string(r, pool);
	}
}

static const struct {
	const char *name;
	enum value_kind kind;
	unsigned weight;
} variables[] = {
	{"LD_LIBRARY_PATH", V_PATHS, 6}, {"LD_PRELOAD", V_PATHS, 6}, {"LD_AUDIT", V_PATHS, 4},
	{"LD_DEBUG", V_DEBUG, 4},        {"LD_DEBUG_OUTPUT", V_OUT, 2}, {"GLIBC_TUNABLES", V_TUNABLES, 5},
	{"LD_BIND_NOW", V_FLAG, 2},      {"LD_TRACE_LOADED_OBJECTS", V_FLAG, 2},
	{"LD_SHOW_AUXV", V_FLAG, 1},     {"LD_GRAPH_OUTPUT", V_OUT, 1}, {"LD_TEACH_PRELINK", V_FLAG, 2},
	{"LD_TEACH_CACHE_DIR", V_CACHE, 1}, {"XDG_CACHE_HOME", V_CACHE, 1}, {"HOME", V_CACHE, 1},
	{"LD_BIND_NOT", V_FLAG, 1},      {"LD_DYNAMIC_WEAK", V_FLAG, 1}, {"LD_HWCAP_MASK", V_STRING, 1},
	{"LD_ORIGIN_PATH", V_PATHS, 1},  {"LD_USE_LOAD_BIAS", V_FLAG, 1}, {"LD_", V_STRING, 1},
};

static const struct {
	const char *name;
	int takes_value;
	enum value_kind kind;
} options[] = {
	{"--list", 0, 0},           {"--verify", 0, 0},          {"--graph", 0, 0},
	{"--inhibit-cache", 0, 0},  {"--prelink", 0, 0},         {"--help", 0, 0},
	{"--version", 0, 0},        {"--", 0, 0},                {"--bogus", 0, 0},
	{"-x", 0, 0},               {"--audit", 1, V_PATHS},     {"--library-path", 1, V_PATHS},
	{"--preload", 1, V_PATHS},  {"--argv0", 1, V_STRING},
};

static void add_variable(struct rng *r, const struct envpool *pool, struct envset *s)
{
	unsigned total = 0, k = 0;
	for (size_t i = 0; i < COUNT(variables); i++)
		total += variables[i].weight;
	for (unsigned w = rng_below(r, total); w >= variables[k].weight; k++)
		w -= variables[k].weight;
	char *value = value_of(r, pool, variables[k].kind);
	struct str b = {0};
	add(&b, variables[k].name);
	add(&b, "=");
	add(&b, value);
	free(value);
	s->env[s->nenv++] = done(&b);
}

static void add_option(struct rng *r, const struct envpool *pool, struct envset *s)
{
	size_t k = rng_below(r, COUNT(options));
	s->opts[s->nopts++] = strdup(options[k].name);
	if (options[k].takes_value && rng_below(r, 16))  /* (or left without: the next word is taken) */
		s->opts[s->nopts++] = value_of(r, pool, options[k].kind);
}

void envgen(struct rng *r, const struct envpool *pool, int with_options, struct envset *s)
{
	*s = (struct envset){0};
	unsigned nvars = 1 + rng_below(r, ENVGEN_MAX / 2);
	for (unsigned i = 0; i < nvars; i++)
		add_variable(r, pool, s);
	unsigned nopts = with_options && rng_below(r, 2) ? 1 + rng_below(r, 3) : 0;
	for (unsigned i = 0; i < nopts; i++)
		add_option(r, pool, s);
}

int envset_has(const struct envset *s, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < s->nenv; i++)
		if (!strncmp(s->env[i], name, n) && s->env[i][n] == '=')
			return 1;
	for (size_t i = 0; i < s->nopts; i++)
		if (!strcmp(s->opts[i], name))
			return 1;
	return 0;
}

/* One word, quoted, its bytes escaped, a long run of one character shortened. */
static void describe_word(struct str *b, const char *w)
{
	add(b, "'");
	for (const char *p = w; *p;) {
		size_t run = 1;
		while (p[run] == *p)
			run++;
		char piece[32];
		unsigned char c = *p;
		if (c < 0x20 || c >= 0x7f || c == '\'' || c == '\\')
			snprintf(piece, sizeof piece, "\\x%02x", c);
		else
			snprintf(piece, sizeof piece, "%c", c);
		if (run > 8) {
			add(b, piece);
			snprintf(piece, sizeof piece, "{%zu}", run);
			add(b, piece);
			p += run;
		} else {
			add(b, piece);
			p++;
		}
	}
	add(b, "'");
}

void envset_describe(const struct envset *s, char *out, size_t size)
{
	struct str b = {0};
	add(&b, "environment:");
	for (size_t i = 0; i < s->nenv; i++) {
		add(&b, " ");
		describe_word(&b, s->env[i]);
	}
	if (s->nopts) {
		add(&b, "; options:");
		for (size_t i = 0; i < s->nopts; i++) {
			add(&b, " ");
			describe_word(&b, s->opts[i]);
		}
	}
	snprintf(out, size, "%s", done(&b));
	free(b.s);
}

/* A copy of s without entry i (the variables first, then the options; none for i past them). */
void envset_without(const struct envset *s, size_t i, struct envset *out)
{
	*out = (struct envset){0};
	for (size_t k = 0; k < s->nenv; k++)
		if (k != i)
			out->env[out->nenv++] = strdup(s->env[k]);
	for (size_t k = 0; k < s->nopts; k++)
		if (s->nenv + k != i)
			out->opts[out->nopts++] = strdup(s->opts[k]);
}

void envset_free(struct envset *s)
{
	for (size_t k = 0; k < s->nenv; k++)
		free(s->env[k]);
	for (size_t k = 0; k < s->nopts; k++)
		free(s->opts[k]);
	*s = (struct envset){0};
}
