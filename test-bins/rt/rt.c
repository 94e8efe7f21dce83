#include <stdarg.h>
#include "rt.h"
#include "print.h"
#include "sys.h"

static int failures;

void rt_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lt_vdprintf(1, fmt, ap);
	va_end(ap);
}

void rt_check(const char *name, int ok)
{
	rt_printf("%s: %s\n", name, ok ? "ok" : "FAIL");
	failures += !ok;
}

int rt_failures(void) { return failures; }

void rt_exit_now(int code) { sys_exit(code); }

