/* libmu-dst.so: installed under dst/$LIB and dst/$PLATFORM, saying which. */
const char *dst_where(void) { return DST_WHERE; }
