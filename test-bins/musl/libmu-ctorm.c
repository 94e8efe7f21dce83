/* libmu-ctorm.so: needs lib/wide/libmu-w20.so ... w32.so; opened by
 * libmu-ctorg.so's constructor (dlcases ctorglobal). */
int wide_20(void);
int wide_32(void);
int ctorm_value(void) { return wide_20() + wide_32(); }
