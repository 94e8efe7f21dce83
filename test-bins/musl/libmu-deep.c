/* libmu-deep.so: defines mu_whoami, which the program defines too.  Opened
 * with RTLD_DEEPBIND its own definition comes first for its own calls. */
const char *mu_whoami(void) { return "libmu-deep"; }
const char *deep_asks(void) { return mu_whoami(); }
