/* libmu-rta.so: opened RTLD_GLOBAL; libmu-rtb.so and libmu-rtc.so find its
 * definitions at run time, without needing it. */
int rta_value(void) { return 42; }
