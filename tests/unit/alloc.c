/*
 * The core's allocator (rtld/alloc.c) is shared by every thread: the
 * musl adapter's glue allocates a thread's dynamic TLS block on its first
 * use, and frees it when the thread exits, with no other lock held.  It
 * holds its own lock over every change of its free lists and arenas.
 *
 * Its lock is the core's (rtld/lock.c), reached through the wrappers
 * below, which note an unlock by a thread that did not take the lock.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <pthread.h>
#include <string.h>
#include <valgrind/valgrind.h>
#include "lock.h"

static __thread int holding;  /* this thread took the allocator's lock */
static int unpaired;          /* unlocks by a thread that had not taken it */

void alloc_lock_take(struct lt_mutex *m)
{
	lt_mutex_lock(m);
	holding = 1;
}

void alloc_lock_give(struct lt_mutex *m)
{
	if (!holding)
		__atomic_add_fetch(&unpaired, 1, __ATOMIC_RELAXED);
	holding = 0;
	lt_mutex_unlock(m);
}

/* (From here on, the allocator's names are those alloc.c was compiled with.) */
#include "alloc-under-test.h"
#include "alloc.h"

Test(alloc, every_call_takes_the_lock_it_releases)
{
	void *small = lt_alloc(100), *large = lt_alloc(3 * LT_ALLOC_SMALL_MAX);
	cr_assert(small && large);
	small = lt_realloc(small, 2000);
	cr_assert(small != NULL);
	lt_free(small);
	lt_free(large);
	cr_assert(eq(int, unpaired, 0));
}

/*
 * Threads that allocate and free at once never get the same block: each
 * fills its blocks with its own byte and finds it still there before it
 * frees them.  (A race shows only when two threads meet inside a call, which
 * a run may happen to miss; a call that releases the lock without taking
 * it fails the test above every time.)
 */
#define ROUNDS 20000
#define BLOCKS 8

static void *churn(void *arg)
{
	unsigned char mine = (unsigned char)(uintptr_t)arg;
	unsigned char *held[BLOCKS] = {0};
	size_t size[BLOCKS] = {0};
	long wrong = 0;
	for (unsigned r = 0; r < ROUNDS; r++) {
		unsigned k = r % BLOCKS;
		if (held[k]) {
			for (size_t i = 0; i < size[k]; i++)
				wrong += held[k][i] != mine;
			lt_free(held[k]);
		}
		size[k] = 16 + (r * 37 + mine * 11) % 600;
		held[k] = lt_alloc(size[k]);
		if (!held[k])
			return (void *)-1L;
		memset(held[k], mine, size[k]);
	}
	for (unsigned k = 0; k < BLOCKS; k++)
		lt_free(held[k]);
	return (void *)wrong;
}

Test(alloc, threads_allocating_at_once_get_blocks_of_their_own)
{
	pthread_t t[4];
	for (uintptr_t i = 0; i < 4; i++)
		cr_assert(eq(int, pthread_create(&t[i], 0, churn, (void *)(i + 1)), 0));
	for (int i = 0; i < 4; i++) {
		void *wrong;
		pthread_join(t[i], &wrong);
		cr_expect(eq(ptr, wrong, 0), "thread %d found %ld bytes not its own", i, (long)wrong);
	}
	cr_assert(eq(int, unpaired, 0));
}

/* Blocks of one class come one after the other from an arena until it is
 * full, the first (in .bss) and each one mapped after it, and no further:
 * 256 blocks of 1 KiB, four arenas' worth, leave the run of addresses once
 * for each new 64 KiB arena, at least three times.  (The kernel maps each
 * new arena below the last; valgrind may map it right after, where the run
 * goes on: under valgrind only the upper bound is checked.) */
Test(alloc, an_arena_is_filled_before_another_is_mapped)
{
	char *prev = lt_alloc(1000), *p = lt_alloc(1000);
	cr_assert(prev && p);
	const ptrdiff_t step = p - prev;
	int jumps = 0;
	for (int i = 0; i < 256; i++, prev = p) {
		p = lt_alloc(1000);
		cr_assert(p != NULL);
		jumps += p - prev != step;
	}
	cr_expect(gt(sz, (size_t)step, 1000), "a block holds what was asked");
	if (!RUNNING_ON_VALGRIND)
		cr_expect(ge(int, jumps, 3), "%d new arenas for 256 KiB", jumps);
	cr_expect(le(int, jumps, 5), "%d new arenas for 256 KiB", jumps);
}

/* A large block (past LT_ALLOC_SMALL_MAX) is its own mapping of whole
 * pages, rounded up no further than the next page: what it counts in use
 * exceeds what was asked by less than a page, for a request at every
 * offset within a page (one of them fills its last page exactly). */
Test(alloc, a_large_block_takes_the_pages_it_needs_and_no_more)
{
	for (size_t size = 3 * 4096; size < 4 * 4096 + 16; size++) {
		size_t before = lt_alloc_in_use();
		void *p = lt_alloc(size);
		cr_assert(p != NULL);
		size_t counted = lt_alloc_in_use() - before;
		lt_free(p);
		cr_assert(ge(sz, counted, size));
		cr_assert(lt(sz, counted - size, 4096), "%zu bytes asked, %zu counted", size, counted);
	}
}

/* A request for no bytes gets a block of its own, as malloc(0) may: the
 * smallest class's, whose 16 bytes are its header alone, so two such
 * blocks lie at least a header apart and count no bytes in use. */
Test(alloc, requests_for_no_bytes_get_blocks_of_their_own)
{
	size_t before = lt_alloc_in_use();
	char *a = lt_alloc(0), *b = lt_alloc(0);
	cr_assert(a && b);
	cr_expect(ge(sz, (size_t)(a > b ? a - b : b - a), 16), "blocks %p and %p overlap", a, b);
	cr_expect(eq(sz, lt_alloc_in_use() - before, 0));
	lt_free(a);
	lt_free(b);
	cr_expect(eq(sz, lt_alloc_in_use(), before));
}
