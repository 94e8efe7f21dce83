/*
 * #! lines, parsed as the kernel's binfmt_script parses them.
 *
 * The kernel looks at the first 256 bytes only.  The interpreter is the
 * first word after "#!"; everything after it on the line, with the spaces
 * around it trimmed, is one optional argument, spaces and all.  A line cut
 * off inside the interpreter's name is refused (the name might be wrong);
 * one cut off in the argument is not (the interpreter can read the whole
 * line itself).
 *
 * Pure: it reads only the bytes it is given.
 */
#include "loader.h"

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* The first character in [p, last] that is not blank, or NULL. */
static char *skip_blanks(char *p, char *last)
{
	for (; p <= last; p++)
		if (!is_blank(*p))
			return p;
	return 0;
}

/* Does a blank or NUL follow in [p, last], ending the interpreter's name? */
static int name_ends(const char *p, const char *last)
{
	for (; p <= last; p++)
		if (is_blank(*p) || !*p)
			return 1;
	return 0;
}

/*
 * Find the end of the #! line and NUL-terminate it there, or return NULL
 * when the line is too long to tell the interpreter's name for sure.
 */
static char *terminate_line(char *buf)
{
	char *last = buf + SCRIPT_BUF_SIZE - 1;
	char *end = buf + 2;
	while (end < last && *end && *end != '\n')
		end++;
	if (*end != '\n' && end == last) {
		char *name = skip_blanks(buf + 2, last);
		if (!name || !name_ends(name, last))
			return 0;
	}
	*end = 0;
	while (is_blank(end[-1]))  /* (at the latest, the '!' of "#!" stops it) */
		*--end = 0;
	return end;
}

int script_parse(const unsigned char *head, size_t len, struct script_line *line)
{
	if (len < 2 || head[0] != '#' || head[1] != '!')
		return -ENOEXEC;
	if (len > SCRIPT_BUF_SIZE)
		len = SCRIPT_BUF_SIZE;
	memset(line->buf, 0, sizeof line->buf);
	memcpy(line->buf, head, len);
	if (!terminate_line(line->buf))
		return -ENOEXEC;
	char *p = line->buf + 2;
	while (is_blank(*p))
		p++;
	if (!*p)
		return -ENOEXEC;
	line->interp = p;
	while (*p && !is_blank(*p))
		p++;
	while (is_blank(*p))
		*p++ = 0;
	line->arg = *p ? p : 0;
	return 0;
}
