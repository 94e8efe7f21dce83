/* Needs libz.so.1, which on Debian only glibc's directories hold. */
int zlib_stub(void);
int main(void) { return zlib_stub(); }
