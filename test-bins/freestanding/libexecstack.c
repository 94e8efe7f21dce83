/* libfs-execstack.so: linked with -z execstack, so it asks for an
 * executable stack, which ld-teach refuses (W^X). */
int execstack_fn(void) { return 1; }
