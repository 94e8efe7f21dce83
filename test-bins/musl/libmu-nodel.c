/* libmu-nodel.so: opened with RTLD_NODELETE, it stays after dlclose. */
int nodel_value(void) { return 99; }
