#include <stdint.h>
#include "alloc.h"
#include "lock.h"
#include "page.h"
#include "str.h"
#include "sys.h"

/*
 * Each block starts with a 16-byte header holding its size class (or its
 * mapping length for large blocks); the caller sees the memory after it,
 * 16-byte aligned.
 */
struct header {
	size_t size;    /* usable bytes */
	size_t class;   /* index into free_lists, or LARGE */
};

#define MIN_SHIFT 4                 /* 16 bytes */
#define NCLASSES 9                  /* 16 .. 4096 */
#define LARGE ((size_t)-1)
#define ARENA_SIZE (64 * 1024)
#define PAGE 4096
_Static_assert(LT_ALLOC_SMALL_MAX + sizeof(struct header) == (size_t)1 << (NCLASSES - 1 + MIN_SHIFT),
	       "LT_ALLOC_SMALL_MAX is the largest class less its header");

struct free_block {
	struct free_block *next;
};

static struct free_block *free_lists[NCLASSES];
/* The first arena is in .bss: the kernel mapped it with ld-teach.so, so a
 * small program's loader allocates without a system call. */
static char first_arena[ARENA_SIZE] __attribute__((aligned(16))) LT_LARGE_BSS;
static char *arena_next = first_arena, *arena_end = first_arena + ARENA_SIZE;
static size_t in_use, peak;
static struct lt_mutex alloc_lock;

/* The smallest class whose blocks (1 << (class + MIN_SHIFT) bytes) hold `size`. */
static size_t class_of(size_t size)
{
	if (size <= ((size_t)1 << MIN_SHIFT))
		return 0;
	return 64 - __builtin_clzl(size - 1) - MIN_SHIFT;
}

static void *map_pages(size_t len)
{
	void *p = sys_mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return sys_mmap_failed(p) ? 0 : p;
}

static void *carve(size_t block)
{
	if ((size_t)(arena_end - arena_next) < block) {
		/* The rest of the old arena is wasted; small, and rare. */
		char *a = map_pages(ARENA_SIZE);
		if (!a)
			return 0;
		arena_next = a;
		arena_end = a + ARENA_SIZE;
	}
	void *p = arena_next;
	arena_next += block;
	return p;
}

static struct header *alloc_small(size_t size)
{
	size_t c = class_of(size + sizeof(struct header));
	size_t block = (size_t)1 << (c + MIN_SHIFT);
	struct header *h;
	if (free_lists[c]) {
		h = (struct header *)free_lists[c];
		free_lists[c] = free_lists[c]->next;
		memset(h, 0, block);
	} else {
		h = carve(block);  /* fresh arena memory is already zero */
		if (!h)
			return 0;
	}
	h->size = block - sizeof *h;
	h->class = c;
	return h;
}

static struct header *alloc_large(size_t size)
{
	size_t len = (size + sizeof(struct header) + PAGE - 1) & ~(size_t)(PAGE - 1);
	struct header *h = map_pages(len);
	if (!h)
		return 0;
	h->size = len - sizeof *h;
	h->class = LARGE;
	return h;
}

void *lt_alloc(size_t size)
{
	if (size > ((size_t)1 << 40))
		return 0;  /* absurd: refuse instead of overflowing below */
	lt_mutex_lock(&alloc_lock);
	struct header *h;
	if (size + sizeof(struct header) <= ((size_t)1 << (NCLASSES - 1 + MIN_SHIFT)))
		h = alloc_small(size);
	else
		h = alloc_large(size);
	if (h) {
		in_use += h->size;
		if (in_use > peak)
			peak = in_use;
	}
	lt_mutex_unlock(&alloc_lock);
	return h ? h + 1 : 0;
}

void lt_free(void *p)
{
	if (!p)
		return;
	struct header *h = (struct header *)p - 1;
	lt_mutex_lock(&alloc_lock);
	in_use -= h->size;
	if (h->class == LARGE) {
		sys_munmap(h, h->size + sizeof *h);
	} else {
		struct free_block *b = (struct free_block *)h;
		b->next = free_lists[h->class];
		free_lists[h->class] = b;
	}
	lt_mutex_unlock(&alloc_lock);
}

void *lt_realloc(void *p, size_t size)
{
	if (!p)
		return lt_alloc(size);
	struct header *h = (struct header *)p - 1;
	if (size <= h->size)
		return p;
	void *q = lt_alloc(size);
	if (!q)
		return 0;
	memcpy(q, p, h->size);
	lt_free(p);
	return q;
}

size_t lt_alloc_in_use(void) { return in_use; }
size_t lt_alloc_peak(void) { return peak; }
