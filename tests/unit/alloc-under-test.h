/*
 * rtld/alloc.c as the unit tests link it (unit.mk gives this file to its
 * compilation with -include): under names of its own, beside the link
 * seams' lt_alloc that the other modules use (seams.c), and with its lock
 * taken and released through tests/unit/alloc.c, which watches it.
 */
#define lt_alloc alloc_under_test
#define lt_free free_under_test
#define lt_realloc realloc_under_test
#define lt_alloc_in_use in_use_under_test
#define lt_alloc_peak peak_under_test
#define lt_mutex_lock alloc_lock_take
#define lt_mutex_unlock alloc_lock_give
