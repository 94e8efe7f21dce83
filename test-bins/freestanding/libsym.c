/* libfs-sym.so: sym_call() calls sym_value() through the PLT.  The program
 * defines its own sym_value, which wins under the usual rules; when the
 * library carries DT_SYMBOLIC (added by tests/tools/elfmangle) its own
 * definition must win instead. */
int sym_value(void) { return 1; }
int sym_call(void) { return sym_value(); }
