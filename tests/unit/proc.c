/*
 * What ld-teach-exec learns of its process (loader/proc.c), against what
 * this process knows of itself.
 */
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/wait.h>
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

/*
 * /proc/sys/vm/mmap_rnd_bits is readable by root only (mode 0600): for
 * everyone else the survey takes the kernel's default for x86_64, 28
 * bits, which this kernel has too when root reads it so.
 */
Test(proc, a_user_who_cannot_read_mmap_rnd_bits_gets_the_kernels_default)
{
	if (geteuid() != 0)
		cr_skip_test("needs root, to read mmap_rnd_bits and then give it up");
	FILE *f = fopen("/proc/sys/vm/mmap_rnd_bits", "r");
	unsigned bits = 0;
	cr_assert(f != NULL && fscanf(f, "%u", &bits) == 1);
	fclose(f);
	if (bits != 28)
		cr_skip_test("this kernel's mmap_rnd_bits is %u, not its default", bits);
	pid_t pid = fork();
	if (pid == 0) {
		static struct proc_state st;
		/* nobody, dumpable again so that its /proc/self files are its own */
		if (setregid(65534, 65534) || setreuid(65534, 65534) ||
		    prctl(PR_SET_DUMPABLE, 1) || !access("/proc/sys/vm/mmap_rnd_bits", R_OK))
			_exit(100);
		_exit(proc_survey(&st) ? 101 : (int)st.rnd_bits);
	}
	int status;
	cr_assert(eq(int, waitpid(pid, &status, 0), pid));
	int exited = WIFEXITED(status), code = WEXITSTATUS(status);
	cr_assert(exited);
	cr_expect(eq(int, code, 28));
}
