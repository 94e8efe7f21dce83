/*
 * What ld-teach-exec learns of its process (loader/proc.c), against what
 * this process knows of itself.
 */
#include <sys/auxv.h>
#include <time.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
/* loader.h brings the kernel's <linux/time.h>, whose types glibc's <time.h> defines too. */
#define _LINUX_TIME_H
#include "loader.h"

static uint64_t auxv_entry(const struct proc_state *st, uint64_t type)
{
	for (size_t i = 0; i < st->nauxv; i++)
		if (st->auxv[i].a_type == type)
			return st->auxv[i].a_un.a_val;
	return 0;
}

/*
 * With standard input closed, the files under /proc are opened as
 * descriptor 0: they must be read from there, and closed again.
 */
Test(proc, survey_with_descriptor_0_free)
{
	static struct proc_state st;
	int saved = dup(0);
	cr_assert(saved > 0);
	close(0);
	int err = proc_survey(&st);
	int left_open = dup2(0, 0) == 0;  /* (dup2 of a descriptor onto itself: is it open?) */
	dup2(saved, 0);
	close(saved);
	cr_assert(eq(int, err, 0));
	cr_expect(not(left_open), "descriptor 0 is left open");
	cr_expect(eq(u64, auxv_entry(&st, AT_PAGESZ), getauxval(AT_PAGESZ)));
	cr_expect(eq(u64, auxv_entry(&st, AT_ENTRY), getauxval(AT_ENTRY)));
}
