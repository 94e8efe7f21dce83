/* libmu-rtc.so: calls rta_value, which nothing it needs defines, through
 * its PLT: the first call binds it to libmu-rta.so, opened RTLD_GLOBAL. */
int rta_value(void);
int rtc_call(void) { return rta_value() + 1; }
