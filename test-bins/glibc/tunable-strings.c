/*
 * glibc's string tunables (glibc.cpu.hwcaps, glibc.cpu.x86_ibt and
 * glibc.cpu.x86_shstk), asked of the loader as libc asks for a tunable:
 * __tunable_get_val, whose callback gets the value only when the user set
 * it.  One line each: the string, or "not set".  The ids are glibc's
 * (build/glibc/layout.h).
 */
#include <stdio.h>
#include "layout.h"

/* tunable_val_t: a number or a string. */
union tunable_value {
	long long number;
	const char *string;
};

void __tunable_get_val(int id, void *valp, void (*callback)(union tunable_value *));

static const char *seen;
static int called;

static void take(union tunable_value *v)
{
	seen = v->string;
	called = 1;
}

static void show(const char *name, int id)
{
	const char *value;  /* (where glibc's loader copies the value whether set or not) */
	called = 0;
	__tunable_get_val(id, &value, take);
	if (!called)
		printf("%s: not set\n", name);
	else
		printf("%s: \"%s\"\n", name, seen ? seen : "(null)");
}

int main(void)
{
	show("glibc.cpu.hwcaps", GLIBC_TUNABLE_glibc__cpu__hwcaps);
	show("glibc.cpu.x86_ibt", GLIBC_TUNABLE_glibc__cpu__x86_ibt);
	show("glibc.cpu.x86_shstk", GLIBC_TUNABLE_glibc__cpu__x86_shstk);
	return 0;
}
