#include <elf.h>
#include <stdarg.h>
#include "rt.h"
#include "print.h"
#include "str.h"
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


const Elf64_auxv_t *rt_auxv(char **envp)
{
	while (*envp)
		envp++;
	return (const Elf64_auxv_t *)(envp + 1);
}

uintptr_t rt_aux(char **envp, uint64_t type)
{
	for (const Elf64_auxv_t *av = rt_auxv(envp); av->a_type != AT_NULL; av++)
		if (av->a_type == type)
			return av->a_un.a_val;
	return 0;
}

long rt_read_file(const char *path, char *buf, size_t size)
{
	long fd = sys_open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size_t len = 0;
	for (long n; len + 1 < size && (n = sys_read(fd, buf + len, size - 1 - len)) > 0;)
		len += n;
	sys_close(fd);
	buf[len] = 0;
	return (long)len;
}

static char maps[65536];

const char *rt_perms_of(const void *addr)
{
	static char perms[5];
	if (rt_read_file("/proc/self/maps", maps, sizeof maps) < 0)
		return "?";
	for (const char *p = maps; *p;) {
		uintptr_t lo = lt_parse_hex(&p);
		p++;
		uintptr_t hi = lt_parse_hex(&p);
		p++;
		if ((uintptr_t)addr >= lo && (uintptr_t)addr < hi) {
			for (int i = 0; i < 4; i++)
				perms[i] = p[i];
			return perms;
		}
		while (*p && *p++ != '\n')
			;
	}
	return "?";
}

int rt_any_wx_mapping(void)
{
	if (rt_read_file("/proc/self/maps", maps, sizeof maps) < 0)
		return 1;
	for (const char *p = maps; *p;) {
		while (*p && *p != ' ')
			p++;
		if (p[1] && p[2] == 'w' && p[3] == 'x')
			return 1;
		while (*p && *p++ != '\n')
			;
	}
	return 0;
}
