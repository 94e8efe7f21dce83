/*
 * The environment variables the loader reads, found in one pass over envp:
 * the LD_* ones, GLIBC_TUNABLES, and the two that place the prelink cache
 * by default.  Whether they are honoured (secure mode) is up to their
 * users.  A variable may have more than one entry: glibc's loader takes
 * the last (lt.env), getenv, and so musl's loader, the first
 * (lt.env_first).
 */
#include "rtld.h"
#include "str.h"

struct lt_env_var {
	const char *name;  /* after "LD_" (or whole, in others[]), up to and including the '=' */
	size_t len;
	size_t offset;     /* where its value goes in struct lt_env */
};

#define VAR(name, field) {name "=", sizeof name, offsetof(struct lt_env, field)}
static const struct lt_env_var vars[] = {
	VAR("LIBRARY_PATH", library_path), VAR("PRELOAD", preload),
	VAR("BIND_NOW", bind_now),         VAR("DEBUG", debug),
	VAR("DEBUG_OUTPUT", debug_output), VAR("SHOW_AUXV", show_auxv),
	VAR("TRACE_LOADED_OBJECTS", trace_loaded_objects), VAR("GRAPH_OUTPUT", graph_output),
	VAR("AUDIT", audit),               VAR("TEACH_PRELINK", prelink),
	VAR("TEACH_CACHE_DIR", cache_dir),
};
static const struct lt_env_var others[] = {
	VAR("XDG_CACHE_HOME", xdg_cache_home), VAR("HOME", home),
};

/* Note s's value if it is one of `table`'s variables. */
static void note(const char *s, const struct lt_env_var *table, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!memcmp(s, table[i].name, table[i].len)) {
			const char **last = (const char **)((char *)&lt.env + table[i].offset);
			const char **first = (const char **)((char *)&lt.env_first + table[i].offset);
			*last = s + table[i].len;
			if (!*first)
				*first = *last;
			return;
		}
	}
}

/*
 * apply_environment (boot.c) took the settings from the last entries; a
 * setting still the environment's (not the command line's, nor left out
 * in secure mode) now comes from the first.
 */
void lt_env_take_first_entries(void)
{
	if (lt.library_path == lt.env.library_path)
		lt.library_path = lt.env_first.library_path;
	if (lt.preload == lt.env.preload)
		lt.preload = lt.env_first.preload;
}

void lt_read_environment(void)
{
	for (char **e = lt.envp; *e; e++) {
		const char *s = *e;
		if (s[0] == 'G' && !lt.env.tunables && !strncmp(s, "GLIBC_TUNABLES=", 15))
			lt.env.tunables = s + 15;  /* the first, as getenv finds it */
		if (s[0] == 'L' && s[1] == 'D' && s[2] == '_')
			note(s + 3, vars, sizeof vars / sizeof *vars);
		else if (s[0] == 'H' || s[0] == 'X')
			note(s, others, sizeof others / sizeof *others);
	}
}

void lt_each_tunable(const char *spec,
		     void (*take)(const char *name, size_t len, const char *value, const char *end))
{
	for (const char *p = spec; p && *p;) {
		const char *eq = strchr(p, '='), *colon = strchr(p, ':');
		const char *end = colon ? colon : p + strlen(p);
		if (eq && eq < end)
			take(p, eq - p, eq + 1, end);
		p = *end ? end + 1 : end;
	}
}

/*
 * What a set-user-id program must not inherit: variables that steer a
 * loader or a libc.  glibc's list (its unsecvars.h, 2.36), GLIBC_TUNABLES
 * aside: glibc filters that one, and the variables that stand for
 * tunables, tunable by tunable, and so does the glibc adapter
 * (rtld/glibc/tunables.c).
 */
static const char *const unsafe[] = {
	"GCONV_PATH", "GETCONF_DIR", "HOSTALIASES", "LD_AUDIT", "LD_DEBUG", "LD_DEBUG_OUTPUT",
	"LD_DYNAMIC_WEAK", "LD_HWCAP_MASK", "LD_LIBRARY_PATH", "LD_ORIGIN_PATH", "LD_PRELOAD",
	"LD_PROFILE", "LD_SHOW_AUXV", "LD_USE_LOAD_BIAS", "LOCALDOMAIN", "LOCPATH",
	"MALLOC_TRACE", "NIS_PATH", "NLSPATH", "RESOLV_HOST_CONF", "RES_OPTIONS", "TMPDIR", "TZDIR",
};

static int is_unsafe(const char *entry)
{
	for (size_t i = 0; i < sizeof unsafe / sizeof *unsafe; i++) {
		size_t n = strlen(unsafe[i]);
		if (!strncmp(entry, unsafe[i], n) && entry[n] == '=')
			return 1;
	}
	return 0;
}

void lt_remove_environment(int (*drop)(const char *entry))
{
	char **kept = lt.envp, **e = lt.envp;
	for (; *e; e++)
		if (!drop(*e))
			*kept++ = *e;
	if (e > kept)
		lt_stack_remove((uintptr_t *)kept, e - kept);
}

void lt_remove_unsafe_environment(void)
{
	lt_remove_environment(is_unsafe);
}
