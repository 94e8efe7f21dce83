/* libfs-execstack.so: linked with -z execstack, so it asks for an
 * executable stack, which a library loaded at start-up gets. */
int execstack_fn(void) { return 1; }
