/*
 * A test double for the core's allocator (rtld/alloc.h), linked into
 * build/guarded/ld-teach.so instead of rtld/alloc.c.  The core's own
 * allocator carves blocks out of shared arenas, where a write past the end
 * of a block quietly lands in its neighbour.  Here every block has pages
 * of its own and ends where an inaccessible page begins, so that such a
 * write faults at once; a freed block is unmapped, so that a use after
 * free faults too.  Slow, and meant for the tests only.
 *
 * With LT_GUARD_FAIL_AT=N in the environment, the Nth allocation (and only
 * it) fails, as when memory runs out: the loader must then refuse cleanly
 * or carry on, never crash.  With LT_GUARD_MARK=FILE too, FILE is created
 * when that allocation comes, so that a test knows the run got that far.
 */
#include "rtld.h"
#include "alloc.h"
#include "str.h"
#include "sys.h"

#define PAGE 4096UL
#define ALIGN 16UL

/* Just before each block: its size, and the length of its mapping. */
struct header {
	size_t size, len;
};

static size_t in_use, peak;

static size_t round_up(size_t x, size_t to) { return (x + to - 1) & ~(to - 1); }

static void count(long delta)
{
	size_t now = __atomic_add_fetch(&in_use, delta, __ATOMIC_RELAXED);
	size_t was = __atomic_load_n(&peak, __ATOMIC_RELAXED);
	while (now > was && !__atomic_compare_exchange_n(&peak, &was, now, 1, __ATOMIC_RELAXED,
							 __ATOMIC_RELAXED))
		;
}

#define FAIL_AT "LT_GUARD_FAIL_AT="
#define MARK "LT_GUARD_MARK="

/* The allocation to fail (0: none) and the file that says it came. */
static unsigned long fail_at;
static const char *mark;

/* Read once the environment is known: no allocation fails before that. */
static int read_settings(void)
{
	static int read;
	if (read || !lt.envp)
		return read;
	read = 1;
	for (char **e = lt.envp; *e; e++) {
		if (!strncmp(*e, FAIL_AT, sizeof FAIL_AT - 1))
			for (const char *d = *e + sizeof FAIL_AT - 1; *d >= '0' && *d <= '9'; d++)
				fail_at = fail_at * 10 + (*d - '0');
		if (!strncmp(*e, MARK, sizeof MARK - 1))
			mark = *e + sizeof MARK - 1;
	}
	return read;
}

static int this_one_fails(void)
{
	static unsigned long calls;
	if (!read_settings() || __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED) != fail_at)
		return 0;
	if (mark)
		sys_close(lt_syscall4(__NR_openat, AT_FDCWD, mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	return 1;
}

void *lt_alloc(size_t size)
{
	if (size > ((size_t)1 << 40) || this_one_fails())
		return 0;
	size_t block = round_up(size, ALIGN);
	size_t len = round_up(block + sizeof(struct header), PAGE) + PAGE;
	char *m = sys_mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sys_mmap_failed(m))
		return 0;
	char *guard = m + len - PAGE;
	if (sys_mprotect(guard, PAGE, PROT_NONE) < 0) {
		sys_munmap(m, len);
		return 0;
	}
	char *p = guard - block;
	*((struct header *)p - 1) = (struct header){size, len};
	count(size);
	return p;
}

void lt_free(void *p)
{
	if (!p)
		return;
	const struct header *h = (const struct header *)p - 1;
	size_t len = h->len;
	count(-(long)h->size);
	sys_munmap((char *)p + round_up(h->size, ALIGN) + PAGE - len, len);
}

void *lt_realloc(void *p, size_t size)
{
	if (!p)
		return lt_alloc(size);
	size_t old = ((const struct header *)p - 1)->size;
	void *q = lt_alloc(size);
	if (!q)
		return 0;
	memcpy(q, p, old < size ? old : size);
	lt_free(p);
	return q;
}

size_t lt_alloc_in_use(void) { return __atomic_load_n(&in_use, __ATOMIC_RELAXED); }
size_t lt_alloc_peak(void) { return __atomic_load_n(&peak, __ATOMIC_RELAXED); }
