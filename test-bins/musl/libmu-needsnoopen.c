/* libmu-needsnoopen.so: needs libmu-noopen2.so, which refuses dlopen. */
int noopen_value(void);
int needsnoopen_value(void) { return noopen_value(); }
