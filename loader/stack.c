/*
 * The new initial stack, laid out as the kernel lays it out (fs/exec.c and
 * create_elf_tables in fs/binfmt_elf.c), from the top down:
 *
 *   top - 8        a zero word
 *   AT_EXECFN      the path execve was given
 *                  the environment strings, then below them the argument strings
 *                  a random gap of up to 8 KiB (arch_align_stack), 16-aligned
 *   AT_PLATFORM    "x86_64"
 *   AT_RANDOM      16 random bytes
 *                  auxv, then envp and argv pointers, then argc at %rsp,
 *                  which is 16-byte aligned
 *
 * Pure: measuring and writing only compute; the caller provides the memory,
 * whose bytes for [sp, top) are copied to the stack by the stage.
 */
#include "loader.h"
#include "exec_arch.h"

static uint64_t strings_size(const char *const *s, size_t n)
{
	uint64_t size = 0;
	for (size_t i = 0; i < n; i++)
		size += strlen(s[i]) + 1;
	return size;
}

/* Where the platform string and the random bytes go: below the strings and the gap. */
static uint64_t platform_address(const struct stack_input *in, const struct stack_layout *lay)
{
	return ((lay->arg_start - in->pad) & ~15ULL) - (strlen(in->platform) + 1);
}

void stack_measure(const struct stack_input *in, struct stack_layout *lay)
{
	uint64_t execfn = in->top - 8 - (strlen(in->execfn) + 1);
	lay->env_end = execfn;
	lay->env_start = execfn - strings_size(in->envp, in->envc);
	lay->arg_end = lay->env_start;
	lay->arg_start = lay->arg_end - strings_size(in->argv, in->argc);
	lay->strings_size = lay->env_end - lay->arg_start;
	uint64_t random = platform_address(in, lay) - 16;
	uint64_t words = 1 + (in->argc + 1) + (in->envc + 1) + 2 * (in->nauxv + 1);
	lay->sp = (random - 8 * words) & ~(EXEC_STACK_ALIGN - 1);
	lay->size = in->top - lay->sp;
	lay->auxv_addr = lay->sp + 8 * (1 + (in->argc + 1) + (in->envc + 1));
	lay->auxv_size = 16 * (in->nauxv + 1);
}

/* Copy strings upwards from `addr`, storing each one's address in ptrs. */
static uint64_t put_strings(unsigned char *image, uint64_t sp, uint64_t addr,
			    const char *const *s, size_t n, uint64_t *ptrs)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(s[i]) + 1;
		memcpy(image + (addr - sp), s[i], len);
		ptrs[i] = addr;
		addr += len;
	}
	ptrs[n] = 0;
	return addr;
}

void stack_write(struct stack_input *in, const struct stack_layout *lay, unsigned char *image)
{
	uint64_t sp = lay->sp;
	uint64_t *words = (uint64_t *)image;
	uint64_t *argv = words + 1, *envp = argv + in->argc + 1;
	words[0] = in->argc;
	put_strings(image, sp, lay->arg_start, in->argv, in->argc, argv);
	uint64_t execfn = put_strings(image, sp, lay->env_start, in->envp, in->envc, envp);
	memcpy(image + (execfn - sp), in->execfn, strlen(in->execfn) + 1);
	uint64_t platform = platform_address(in, lay);
	memcpy(image + (platform - sp), in->platform, strlen(in->platform) + 1);
	uint64_t random = platform - 16;
	memcpy(image + (random - sp), in->random, 16);
	for (size_t i = 0; i < in->nauxv; i++) {
		if (in->auxv[i].a_type == AT_RANDOM)
			in->auxv[i].a_un.a_val = random;
		else if (in->auxv[i].a_type == AT_EXECFN)
			in->auxv[i].a_un.a_val = execfn;
		else if (in->auxv[i].a_type == AT_PLATFORM)
			in->auxv[i].a_un.a_val = platform;
	}
	memcpy(image + (lay->auxv_addr - sp), in->auxv, lay->auxv_size);
}
