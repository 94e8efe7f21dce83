/* libfs-sym.so: sym_call() calls sym_value() through the PLT.  The program
 * defines its own sym_value, which wins under the usual rules; when the
 * library carries DT_SYMBOLIC (added by tests/tools/elfmangle) its own
 * definition must win instead.  sym_outside, which only the program
 * defines (weakly referred to: a preload of libfs-gap.so, built from this
 * file, finds none), is found in the program either way: DT_SYMBOLIC puts
 * the library first, it does not stop the search there. */
int sym_value(void) { return 1; }
__attribute__((weak)) int sym_outside(void);
int sym_call(void) { return sym_value() + (sym_outside ? sym_outside() : 0); }
