/*
 * libmu-lazy.so: functions whose arguments travel in every register the
 * lazy-binding trampoline must preserve.  The program's first call to each
 * goes through an unbound PLT slot.  (imix and iadd256 are IFUNCs: their
 * resolvers, run by that first call, overwrite the vector registers the
 * arguments are in.)
 */
#include <immintrin.h>
#include <stdarg.h>

typedef double mix_fn(double, double, double, double, double, double, double, double, long,
		      long, long, long, long, long);

static double weigh(double a, double b, double c, double d, double e, double f, double g,
		    double h, long i, long j, long k, long l, long m, long n)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h +
	       (double)(i + 10 * j + 100 * k + 1000 * l + 10000 * m + 100000 * n);
}

/* Eight doubles in xmm0-7 and six integers in rdi, rsi, rdx, rcx, r8, r9. */
double mix(double a, double b, double c, double d, double e, double f, double g, double h,
	   long i, long j, long k, long l, long m, long n)
{
	return weigh(a, b, c, d, e, f, g, h, i, j, k, l, m, n);
}

static mix_fn *resolve_imix(void)
{
	__asm__ volatile("pxor %%xmm0, %%xmm0; pxor %%xmm1, %%xmm1; pxor %%xmm2, %%xmm2; "
			 "pxor %%xmm3, %%xmm3; pxor %%xmm4, %%xmm4; pxor %%xmm5, %%xmm5; "
			 "pxor %%xmm6, %%xmm6; pxor %%xmm7, %%xmm7"
			 ::: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7");
	return weigh;
}
mix_fn imix __attribute__((ifunc("resolve_imix")));

/* Variadic: %al says how many vector registers carry arguments. */
double vsum(int n, ...)
{
	va_list ap;
	double s = 0;
	va_start(ap, n);
	while (n--)
		s += va_arg(ap, double);
	va_end(ap);
	return s;
}

/* Full-width vector arguments: the upper halves must survive too. */
__attribute__((target("avx"))) __m256d add256(__m256d x, __m256d y)
{
	return _mm256_add_pd(x, y);
}

/* An IFUNC whose resolver clears every vector register whole (vzeroall):
 * the first call's 256-bit arguments must be saved around it, upper halves
 * included. */
typedef __m256d add256_fn(__m256d, __m256d);
__attribute__((target("avx"))) static add256_fn *resolve_iadd256(void)
{
	__asm__ volatile("vzeroall" ::: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
			 "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
	return add256;
}
add256_fn iadd256 __attribute__((ifunc("resolve_iadd256")));

__attribute__((target("avx512f"))) __m512d add512(__m512d x, __m512d y)
{
	return _mm512_add_pd(x, y);
}
