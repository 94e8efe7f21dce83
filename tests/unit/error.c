/*
 * Loader errors (rtld/error.c): the errno texts are glibc's own, word for
 * word, and an error line is formatted and kept, its ends when it is long.
 */
#include <errno.h>
#include <string.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include "rtld.h"

Test(errors, errno_texts_are_glibc_s)
{
	static const int known[] = {ENOENT, EACCES, EPERM, ENOEXEC, ENOMEM, ENOTDIR, EISDIR, ELOOP,
				    ENAMETOOLONG, EINVAL, EIO, EMFILE, ENFILE, EEXIST, ENODEV,
				    EOVERFLOW, E2BIG, EBUSY, ENOSYS, ETXTBSY};
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		cr_expect(eq(str, (char *)lt_strerror(known[i]), strerror(known[i])), "errno %d",
			  known[i]);
	cr_expect(eq(str, (char *)lt_strerror(EDOM), "Unknown error"));
}

Test(errors, the_last_error_is_kept_formatted)
{
	lt_error("%s: %d", "prog", 127);
	cr_expect(eq(str, (char *)lt_error_text(), "prog: 127"));
}

/* 512 bytes: a longer line keeps its start and its end (where the reason
 * is), with a note of how much was left out between them. */
Test(errors, a_long_error_keeps_both_ends)
{
	char name[600];
	memset(name, 'x', sizeof name - 1);
	name[sizeof name - 1] = 0;
	lt_error("%s: %s: cannot open shared object file", "./prog", name);
	const char *line = lt_error_text();
	cr_expect(eq(sz, strlen(line), 511));
	cr_expect(eq(int, strncmp(line, "./prog: xxx", 11), 0));
	cr_expect(ne(ptr, strstr(line, "characters left out ...]"), NULL));
	const char *end = "xxx: cannot open shared object file";
	cr_expect(eq(str, (char *)line + 511 - strlen(end), (char *)end));
}
