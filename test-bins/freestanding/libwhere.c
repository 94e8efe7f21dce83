/* libfs-where.so, one copy in each directory of build/test-bins/fs/where/:
 * where() names the directory (WHERE, from test-bins.mk), so a program can
 * say which copy the library search found. */
const char *where(void) { return WHERE; }
