/*
 * The environment as the loader reads it (rtld/env.c): a variable's last
 * entry (glibc's loader) and its first (getenv, musl's loader); search
 * settings switched to the first entries without touching the command
 * line's or secure mode's; GLIBC_TUNABLES's pairs; and secure mode's
 * removal of glibc's unsafe variables, in place.
 */
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include "rtld.h"

/* Read `env` (NULL-terminated) as the loader reads the process's. */
static void read_env(char **env)
{
	memset(&lt, 0, sizeof lt);
	lt.envp = env;
	lt_read_environment();
}

Test(env, a_variable_given_twice_has_a_last_and_a_first_entry)
{
	char *env[] = {"LD_PRELOAD=one", "PATH=/bin", "LD_PRELOAD=two", "LD_LIBRARY_PATH=lib",
		       "LD_PRELOADX=no", "LD_=x", 0};
	read_env(env);
	cr_expect(eq(str, (char *)lt.env.preload, "two"));
	cr_expect(eq(str, (char *)lt.env_first.preload, "one"));
	cr_expect(eq(str, (char *)lt.env.library_path, "lib"));
	cr_expect(eq(str, (char *)lt.env_first.library_path, "lib"));
	cr_expect(eq(ptr, (void *)lt.env.bind_now, NULL));
	cr_expect(eq(ptr, (void *)lt.env_first.bind_now, NULL));
}

Test(env, an_empty_first_entry_counts)
{
	char *env[] = {"LD_PRELOAD=", "LD_PRELOAD=two", 0};
	read_env(env);
	cr_expect(eq(str, (char *)lt.env_first.preload, ""));
	cr_expect(eq(str, (char *)lt.env.preload, "two"));
}

Test(env, the_cache_places_and_tunables_are_read)
{
	char *env[] = {"HOME=/root", "XDG_CACHE_HOME=/c", "GLIBC_TUNABLES=a=1", "GLIBC_TUNABLES=b=2",
		       "HOMEX=no", 0};
	read_env(env);
	cr_expect(eq(str, (char *)lt.env.home, "/root"));
	cr_expect(eq(str, (char *)lt.env.xdg_cache_home, "/c"));
	cr_expect(eq(str, (char *)lt.env.tunables, "a=1"), "GLIBC_TUNABLES: the first, as getenv");
}

Test(env, settings_from_the_environment_switch_to_the_first_entries)
{
	char *env[] = {"LD_PRELOAD=one", "LD_PRELOAD=two", "LD_LIBRARY_PATH=a", "LD_LIBRARY_PATH=b", 0};
	read_env(env);
	lt.preload = lt.env.preload;
	lt.library_path = lt.env.library_path;
	lt_env_take_first_entries();
	cr_expect(eq(str, (char *)lt.preload, "one"));
	cr_expect(eq(str, (char *)lt.library_path, "a"));
}

Test(env, the_command_line_and_secure_mode_keep_their_settings)
{
	char *env[] = {"LD_PRELOAD=one", "LD_PRELOAD=two", "LD_LIBRARY_PATH=a", "LD_LIBRARY_PATH=b", 0};
	char option[] = "from --library-path";
	read_env(env);
	lt.preload = 0;  /* secure mode: not applied */
	lt.library_path = option;
	lt_env_take_first_entries();
	cr_expect(eq(ptr, (void *)lt.preload, NULL));
	cr_expect(eq(ptr, (void *)lt.library_path, option));
}

static char pairs[128];

static void take(const char *name, size_t len, const char *value, const char *end)
{
	size_t n = strlen(pairs);
	snprintf(pairs + n, sizeof pairs - n, "[%.*s|%.*s]", (int)len, name, (int)(end - value), value);
}

Test(env, tunables_are_name_value_pairs_between_colons)
{
	pairs[0] = 0;
	lt_each_tunable("glibc.a=1:novalue:glibc.b=x=y::c=", take);
	cr_expect(eq(str, pairs, "[glibc.a|1][glibc.b|x=y][c|]"));
}

Test(env, secure_mode_takes_the_unsafe_variables_out_in_place)
{
	char *env[] = {"LD_PRELOAD=x", "PATH=/bin", "TMPDIR=/t", "LD_BIND_NOW=1", "LD_DEBUG=all",
		       "TMPDIRX=kept", 0};
	read_env(env);
	lt_remove_unsafe_environment();
	cr_expect(eq(str, env[0], "PATH=/bin"));
	cr_expect(eq(str, env[1], "LD_BIND_NOW=1"));
	cr_expect(eq(str, env[2], "TMPDIRX=kept"));
	cr_expect(eq(ptr, env[3], NULL));
}
