/*
 * Futex-based locks for the core.  The core cannot use any libc's mutexes:
 * it runs before a libc exists and serves more than one libc.
 */
#ifndef LT_LOCK_H
#define LT_LOCK_H

/* A plain mutex: 0 free, 1 locked, 2 locked with waiters (Drepper's design). */
struct lt_mutex {
	volatile int state;
};

void lt_mutex_lock(struct lt_mutex *m);
void lt_mutex_unlock(struct lt_mutex *m);

/*
 * The loader lock: readers are lazy-binding resolutions and dlsym; the
 * writer is dlopen/dlclose.  A thread that holds it for writing may take it
 * again (a constructor calling dlopen, say), so it records its owner.
 */
struct lt_rwlock {
	volatile int readers;     /* active readers */
	volatile int writer;      /* owner's tid, or 0 */
	int depth;                /* writer's recursion depth */
	struct lt_mutex gate;     /* serialises writers, and new readers behind them */
};

void lt_read_lock(struct lt_rwlock *l);
void lt_read_unlock(struct lt_rwlock *l);
void lt_write_lock(struct lt_rwlock *l);
void lt_write_unlock(struct lt_rwlock *l);

#endif
