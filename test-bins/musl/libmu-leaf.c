/* libmu-leaf.so: in lib/sub/, found by libmu-root.so through its $ORIGIN. */
int leaf_value(void) { return 5; }
