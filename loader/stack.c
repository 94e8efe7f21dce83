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

/* The lowest string's address: all of them, AT_EXECFN's too, end a zero word below the top. */
static uint64_t strings_start(const struct stack_input *in, uint64_t strings)
{
	return in->top - 8 - strings;
}

/* What lies below the strings (they start at lay->arg_start), down to sp. */
static void measure_below_strings(const struct stack_input *in, struct stack_layout *lay)
{
	uint64_t random = platform_address(in, lay) - 16;
	uint64_t words = 1 + (in->argc + 1) + (in->envc + 1) + 2 * (in->nauxv + 1);
	lay->sp = (random - 8 * words) & ~(EXEC_STACK_ALIGN - 1);
	lay->size = in->top - lay->sp;
	lay->auxv_addr = lay->sp + 8 * (1 + (in->argc + 1) + (in->envc + 1));
	lay->auxv_size = 16 * (in->nauxv + 1);
}

void stack_measure(const struct stack_input *in, struct stack_layout *lay)
{
	uint64_t args = strings_size(in->argv, in->argc), env = strings_size(in->envp, in->envc);
	lay->arg_start = strings_start(in, args + env + strlen(in->execfn) + 1);
	lay->arg_end = lay->env_start = lay->arg_start + args;
	lay->env_end = lay->env_start + env;
	lay->strings_size = args + env;
	measure_below_strings(in, lay);
}

uint64_t stack_random_gap(uint64_t rnd)
{
	return rnd % EXEC_STACK_RANDOM_RANGE & ~15ULL;
}

/*
 * The image only grows with the gap, and the largest draw gives the largest
 * gap (2^64 is a multiple of the range).
 */
uint64_t stack_room(const struct stack_input *in, uint64_t strings)
{
	struct stack_input widest = *in;
	widest.pad = stack_random_gap(UINT64_MAX);
	struct stack_layout lay = {.arg_start = strings_start(in, strings)};
	measure_below_strings(&widest, &lay);
	return lay.size;
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
