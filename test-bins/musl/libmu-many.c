/*
 * libmu-many.so: many small functions for the lazy-binding stress test,
 * and an IFUNC whose resolver counts its calls: bound lazily, it must run
 * once however many threads make the first call together.
 */
#define F(i) long many_##i(long x) { return x * (i + 1); }
F(0) F(1) F(2) F(3) F(4) F(5) F(6) F(7) F(8) F(9) F(10) F(11) F(12) F(13) F(14) F(15)
F(16) F(17) F(18) F(19) F(20) F(21) F(22) F(23) F(24) F(25) F(26) F(27) F(28) F(29) F(30) F(31)

int resolver_calls;

static long ifunc_impl(long x) { return x + 1000; }
typedef long (*impl_fn)(long);
static impl_fn ifunc_resolver(void)
{
	__atomic_add_fetch(&resolver_calls, 1, __ATOMIC_SEQ_CST);
	return ifunc_impl;
}
long many_ifunc(long x) __attribute__((ifunc("ifunc_resolver")));
