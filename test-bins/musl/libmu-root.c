/* libmu-root.so: in lib/sub/, needs libmu-leaf.so next to it ($ORIGIN). */
int leaf_value(void);
int root_value(void) { return leaf_value() * 10; }
