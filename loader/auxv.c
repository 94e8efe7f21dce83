/*
 * The new auxiliary vector.
 *
 * Its template is the running kernel's own vector for this process
 * (/proc/self/auxv), so the entries come in the kernel's order and the
 * machine's facts (hardware capabilities, page size, clock ticks, the vDSO,
 * the signal stack size, rseq's sizes) are the kernel's.  What describes the
 * program is replaced; what ld-teach-exec cannot vouch for (AT_EXECFD, types
 * newer than this file) is dropped.
 */
#include "loader.h"

#ifndef AT_RSEQ_FEATURE_SIZE
#define AT_RSEQ_FEATURE_SIZE 27
#define AT_RSEQ_ALIGN 28
#endif
#ifndef AT_HWCAP3
#define AT_HWCAP3 29
#define AT_HWCAP4 30
#endif

/* The value for `type`, or 0 with *keep = 0 when the entry is dropped. */
static uint64_t value_for(const Elf64_auxv_t *t, const struct auxv_facts *f, int *keep)
{
	*keep = 1;
	switch (t->a_type) {
	case AT_SYSINFO_EHDR: case AT_MINSIGSTKSZ: case AT_HWCAP: case AT_HWCAP2:
	case AT_HWCAP3: case AT_HWCAP4: case AT_PAGESZ: case AT_CLKTCK:
	case AT_RSEQ_FEATURE_SIZE: case AT_RSEQ_ALIGN:
		return t->a_un.a_val;
	case AT_PHDR: return f->phdr;
	case AT_PHENT: return sizeof(Elf64_Phdr);
	case AT_PHNUM: return f->phnum;
	case AT_BASE: return f->base;
	case AT_FLAGS: return 0;
	case AT_ENTRY: return f->entry;
	case AT_UID: return f->uid;
	case AT_EUID: return f->euid;
	case AT_GID: return f->gid;
	case AT_EGID: return f->egid;
	case AT_SECURE: return f->secure;
	case AT_RANDOM: case AT_EXECFN: case AT_PLATFORM:
		return 0; /* addresses on the new stack: stack_write fills them in */
	default:
		*keep = 0;
		return 0;
	}
}

size_t auxv_build(const Elf64_auxv_t *tmpl, size_t n, const struct auxv_facts *f,
		  Elf64_auxv_t *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n && tmpl[i].a_type != AT_NULL && k < AUXV_MAX - 1; i++) {
		int keep;
		uint64_t v = value_for(&tmpl[i], f, &keep);
		if (!keep)
			continue;
		out[k].a_type = tmpl[i].a_type;
		out[k].a_un.a_val = v;
		k++;
	}
	out[k].a_type = AT_NULL;
	out[k].a_un.a_val = 0;
	return k;
}

const char *auxv_name(uint64_t type)
{
	switch (type) {
	case AT_SYSINFO_EHDR: return "AT_SYSINFO_EHDR";
	case AT_MINSIGSTKSZ: return "AT_MINSIGSTKSZ";
	case AT_HWCAP: return "AT_HWCAP";
	case AT_HWCAP2: return "AT_HWCAP2";
	case AT_HWCAP3: return "AT_HWCAP3";
	case AT_HWCAP4: return "AT_HWCAP4";
	case AT_PAGESZ: return "AT_PAGESZ";
	case AT_CLKTCK: return "AT_CLKTCK";
	case AT_PHDR: return "AT_PHDR";
	case AT_PHENT: return "AT_PHENT";
	case AT_PHNUM: return "AT_PHNUM";
	case AT_BASE: return "AT_BASE";
	case AT_FLAGS: return "AT_FLAGS";
	case AT_ENTRY: return "AT_ENTRY";
	case AT_UID: return "AT_UID";
	case AT_EUID: return "AT_EUID";
	case AT_GID: return "AT_GID";
	case AT_EGID: return "AT_EGID";
	case AT_SECURE: return "AT_SECURE";
	case AT_RANDOM: return "AT_RANDOM";
	case AT_EXECFN: return "AT_EXECFN";
	case AT_PLATFORM: return "AT_PLATFORM";
	case AT_RSEQ_FEATURE_SIZE: return "AT_RSEQ_FEATURE_SIZE";
	case AT_RSEQ_ALIGN: return "AT_RSEQ_ALIGN";
	case AT_NULL: return "AT_NULL";
	default: return "AT_?";
	}
}
