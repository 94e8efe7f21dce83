/* Link-time stand-in for libfs-ver.so that offers hid_only without a
 * version, so a program can hold an unversioned reference to it.  At run
 * time the real libfs-ver.so is found, where hid_only is hidden. */
int hid_only(void) { return 0; }
