/* libmu-widecall.so: call_N calls wide_N of lib/wide/libmu-wN.so, which it
 * does not need: the binding, made on the first call (lazily) or at its
 * dlopen (LD_BIND_NOW), is all that keeps that library loaded once its own
 * handle is closed (dlcases race). */
#define CALL(n) \
	int wide_##n(void); \
	int call_##n(void) { return wide_##n(); }
CALL(1) CALL(2) CALL(3) CALL(4) CALL(5) CALL(6) CALL(7) CALL(8)
