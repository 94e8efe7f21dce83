/*
 * #! lines (loader/script.c), parsed as the kernel's binfmt_script does:
 * the first 256 bytes only; the interpreter is the first word after "#!",
 * the rest of the line, blanks around it trimmed, one optional argument.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
/* loader.h brings the kernel's <linux/time.h>, whose types glibc's <time.h> defines too. */
#define _LINUX_TIME_H
#include "loader.h"

static struct script_line line;

static int parse(const char *text) { return script_parse((const void *)text, strlen(text), &line); }

Test(script, the_interpreter_alone)
{
	cr_assert(eq(int, parse("#!/bin/sh\necho hi\n"), 0));
	cr_expect(eq(str, (char *)line.interp, "/bin/sh"));
	cr_expect(eq(ptr, (void *)line.arg, NULL));
}

Test(script, one_argument_with_its_inner_blanks)
{
	cr_assert(eq(int, parse("#!  /bin/sh \t -x  y \t\nrest"), 0));
	cr_expect(eq(str, (char *)line.interp, "/bin/sh"));
	cr_expect(eq(str, (char *)line.arg, "-x  y"));
	cr_assert(eq(int, parse("#!/bin/sh\targ"), 0), "no newline: the data ends the line");
	cr_expect(eq(str, (char *)line.interp, "/bin/sh"));
	cr_expect(eq(str, (char *)line.arg, "arg"));
}

Test(script, a_nul_ends_the_line)
{
	cr_assert(eq(int, script_parse((const void *)"#!/bin/sh\0arg\n", 14, &line), 0));
	cr_expect(eq(str, (char *)line.interp, "/bin/sh"));
	cr_expect(eq(ptr, (void *)line.arg, NULL));
}

Test(script, not_a_script)
{
	cr_expect(eq(int, parse("\x7f" "ELF"), -ENOEXEC));
	cr_expect(eq(int, parse("#"), -ENOEXEC));
	cr_expect(eq(int, parse("#x/bin/sh\n"), -ENOEXEC));
	cr_expect(eq(int, parse("!#/bin/sh\n"), -ENOEXEC));
	cr_expect(eq(int, parse("#!  \t\n/bin/sh\n"), -ENOEXEC), "no interpreter");
}

/* "#!/" and then 'a' up to the end of buf. */
static void long_line(char *buf, size_t size)
{
	memset(buf, 'a', size - 1);
	buf[size - 1] = 0;
	memcpy(buf, "#!/", 3);
}

/* Only 256 bytes are read: a name they cut off is refused, an argument is not. */
Test(script, a_line_longer_than_256_bytes)
{
	char text[400];
	long_line(text, sizeof text);
	cr_expect(eq(int, parse(text), -ENOEXEC), "the name is cut off");
	memcpy(text, "#!/bin/sh ", 10);
	cr_assert(eq(int, parse(text), 0), "only the argument is cut off");
	cr_expect(eq(str, (char *)line.interp, "/bin/sh"));
	cr_expect(eq(sz, strlen(line.arg), 255 - 10));
	long_line(text, sizeof text);
	text[255] = '\n';
	cr_assert(eq(int, parse(text), 0), "a newline as the 256th byte ends the name in time");
	cr_expect(eq(sz, strlen(line.interp), 255 - 2));
}
