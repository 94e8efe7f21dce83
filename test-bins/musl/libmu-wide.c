/* libmu-wide.so: needs the 32 libraries lib/wide/libmu-w1.so ... w32.so, so
 * that a dlopen with RTLD_GLOBAL adds 33 objects to the global scope at
 * once, more than twice its first room of 16 (dlcases wide). */
#define CALL(n) int wide_##n(void);
#define TEN(d) CALL(d##0) CALL(d##1) CALL(d##2) CALL(d##3) CALL(d##4) \
	CALL(d##5) CALL(d##6) CALL(d##7) CALL(d##8) CALL(d##9)
CALL(1) CALL(2) CALL(3) CALL(4) CALL(5) CALL(6) CALL(7) CALL(8) CALL(9)
TEN(1) TEN(2) CALL(30) CALL(31) CALL(32)
#undef CALL
#define CALL(n) + wide_##n()

int wide_sum(void)
{
	return 0 CALL(1) CALL(2) CALL(3) CALL(4) CALL(5) CALL(6) CALL(7) CALL(8) CALL(9)
		TEN(1) TEN(2) CALL(30) CALL(31) CALL(32);
}
