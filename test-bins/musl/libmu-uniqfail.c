/* libmu-uniqfail.so: needs libmu-uniq1.so, whose relocation enters its
 * unique uniq_counter in the loader's table, and calls a function nothing
 * defines: dlopen with RTLD_NOW refuses it after that, and takes
 * libmu-uniq1.so away again, with its entry (dlcases unique). */
int uniqfail_nowhere(void);
int uniqfail_call(void) { return uniqfail_nowhere(); }
