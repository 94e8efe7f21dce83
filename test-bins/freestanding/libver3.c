/* Link-time stand-in for a newer libfs-ver.so that adds VER_3.  Programs
 * linked against it require VER_3, which the real libfs-ver.so lacks. */
int ver3_fn(void) { return 3; }
