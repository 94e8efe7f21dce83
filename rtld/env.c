/*
 * The LD_* environment variables the loader reads, and GLIBC_TUNABLES,
 * found in one pass over envp.  Whether they are honoured (secure mode) is
 * up to their users.
 */
#include "rtld.h"
#include "str.h"

struct lt_env_var {
	const char *name;  /* after "LD_", up to and including the '=' */
	size_t len;
	size_t offset;     /* where its value goes in struct lt_env */
};

#define VAR(name, field) {name "=", sizeof name, offsetof(struct lt_env, field)}
static const struct lt_env_var vars[] = {
	VAR("LIBRARY_PATH", library_path), VAR("PRELOAD", preload),
	VAR("BIND_NOW", bind_now),         VAR("DEBUG", debug),
	VAR("DEBUG_OUTPUT", debug_output), VAR("SHOW_AUXV", show_auxv),
	VAR("TRACE_LOADED_OBJECTS", trace_loaded_objects), VAR("GRAPH_OUTPUT", graph_output),
};

void lt_read_environment(void)
{
	for (char **e = lt.envp; *e; e++) {
		const char *s = *e;
		if (!lt.env.tunables && !strncmp(s, "GLIBC_TUNABLES=", 15))
			lt.env.tunables = s + 15;  /* the first, as getenv finds it */
		if (s[0] != 'L' || s[1] != 'D' || s[2] != '_')
			continue;
		for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
			if (!memcmp(s + 3, vars[i].name, vars[i].len)) {
				*(const char **)((char *)&lt.env + vars[i].offset) = s + 3 + vars[i].len;
				break;
			}
		}
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
 * aside: glibc filters that one entry by entry, and ld-teach honours none
 * of it in secure mode (rtld/glibc/tunables.c).
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

void lt_remove_unsafe_environment(void)
{
	char **kept = lt.envp, **e = lt.envp;
	for (; *e; e++)
		if (!is_unsafe(*e))
			*kept++ = *e;
	if (e > kept)
		lt_stack_remove((uintptr_t *)kept, e - kept);
}
