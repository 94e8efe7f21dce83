/* libmu-noopen.so and libmu-noopen2.so: linked -z nodlopen (DF_1_NOOPEN). */
int noopen_value(void) { return 3; }
