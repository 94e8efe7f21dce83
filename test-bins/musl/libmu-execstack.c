/* libmu-execstack.so: linked with -z execstack, so it asks for an
 * executable stack (PT_GNU_STACK with PF_X). */
int mu_execstack(void) { return 7; }
