#include <linux/futex.h>
#include "lock.h"
#include "sys.h"

static int cas(volatile int *p, int expected, int desired)
{
	__atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_ACQUIRE,
				    __ATOMIC_RELAXED);
	return expected;
}

static void futex_wait(volatile int *addr, int val)
{
	sys_futex(addr, FUTEX_WAIT_PRIVATE, val);
}

static void futex_wake(volatile int *addr, int count)
{
	sys_futex(addr, FUTEX_WAKE_PRIVATE, count);
}

void lt_mutex_lock(struct lt_mutex *m)
{
	int c = cas(&m->state, 0, 1);
	if (c == 0)
		return;
	if (c != 2)
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		futex_wait(&m->state, 2);
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	}
}

void lt_mutex_unlock(struct lt_mutex *m)
{
	if (__atomic_exchange_n(&m->state, 0, __ATOMIC_RELEASE) == 2)
		futex_wake(&m->state, 1);
}

static int write_locked_by_me(struct lt_rwlock *l)
{
	int owner = __atomic_load_n(&l->writer, __ATOMIC_RELAXED);
	return owner && owner == (int)sys_gettid();
}

/*
 * Readers pass through `gate` briefly, so a waiting writer (which holds the
 * gate) stops new readers and cannot starve.
 */
void lt_read_lock(struct lt_rwlock *l)
{
	if (write_locked_by_me(l))
		return;  /* the writer itself looks things up: it already excludes others */
	lt_mutex_lock(&l->gate);
	__atomic_add_fetch(&l->readers, 1, __ATOMIC_ACQUIRE);
	lt_mutex_unlock(&l->gate);
}

/*
 * The last reader out wakes a writer only if one holds the gate (and so
 * may be waiting): most unlocks then make no system call.  Both sides
 * change one word and then read the other with sequentially consistent
 * atomics, so at least one of them sees the other.
 */
void lt_read_unlock(struct lt_rwlock *l)
{
	if (write_locked_by_me(l))
		return;
	if (__atomic_sub_fetch(&l->readers, 1, __ATOMIC_SEQ_CST) == 0 &&
	    __atomic_load_n(&l->gate.state, __ATOMIC_SEQ_CST) != 0)
		futex_wake(&l->readers, 1);
}

void lt_write_lock(struct lt_rwlock *l)
{
	if (write_locked_by_me(l)) {
		l->depth++;
		return;
	}
	lt_mutex_lock(&l->gate);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);  /* the gate is seen taken before readers is read */
	for (;;) {
		int r = __atomic_load_n(&l->readers, __ATOMIC_SEQ_CST);
		if (!r)
			break;
		futex_wait(&l->readers, r);
	}
	__atomic_store_n(&l->writer, (int)sys_gettid(), __ATOMIC_RELAXED);
	l->depth = 1;
}

void lt_write_unlock(struct lt_rwlock *l)
{
	if (--l->depth)
		return;
	__atomic_store_n(&l->writer, 0, __ATOMIC_RELAXED);
	lt_mutex_unlock(&l->gate);
}
