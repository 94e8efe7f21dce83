/* libfs-override.so: for LD_PRELOAD, replaces libfs-a's a_add. */
int a_add(int x, int y) { return 1000 + x + y; }
