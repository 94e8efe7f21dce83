/* A link-time stand-in named libz.so.1; never installed. */
int zlib_stub(void) { return 0; }
