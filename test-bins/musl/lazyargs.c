/*
 * lazyargs: calls through lazily bound PLT slots with arguments in every
 * register class, and checks what comes back.  The general and SSE
 * registers always; the 256- and 512-bit vector registers when asked with
 * the argument "avx" or "avx512", which only a CPU with the feature can run
 * (tests/integration/lazy.sh asks the CPU first); with "ifunc", the SSE
 * registers through an IFUNC whose resolver, run by the first call,
 * overwrites them, and with "ifunc-avx" the 256-bit ones (musl's loader
 * ignores IFUNCs: the references are weak).
 */
#include <immintrin.h>
#include <stdio.h>
#include <string.h>

double mix(double, double, double, double, double, double, double, double, long, long, long,
	   long, long, long);
double imix(double, double, double, double, double, double, double, double, long, long, long,
	    long, long, long) __attribute__((weak));
double vsum(int n, ...);
__m256d add256(__m256d, __m256d);
__m256d iadd256(__m256d, __m256d) __attribute__((weak));
__m512d add512(__m512d, __m512d);

__attribute__((target("avx"))) static void say256(const char *what, __m256d r)
{
	double out[4];
	_mm256_storeu_pd(out, r);
	printf("%s arguments: %s\n", what,
	       out[0] == 11 && out[1] == 22 && out[2] == 33 && out[3] == 44 ? "ok" : "FAIL");
}

/* (Direct calls: through the PLT, each bound by its first call.) */
__attribute__((target("avx"))) static void check256(void)
{
	say256("__m256d", add256(_mm256_set_pd(4, 3, 2, 1), _mm256_set_pd(40, 30, 20, 10)));
}

__attribute__((target("avx"))) static void check_ifunc256(void)
{
	say256("IFUNC-resolved __m256d", iadd256(_mm256_set_pd(4, 3, 2, 1), _mm256_set_pd(40, 30, 20, 10)));
}

__attribute__((target("avx512f"))) static void check512(void)
{
	__m512d r = add512(_mm512_set_pd(8, 7, 6, 5, 4, 3, 2, 1),
			   _mm512_set_pd(80, 70, 60, 50, 40, 30, 20, 10));
	double out[8], want[8] = {11, 22, 33, 44, 55, 66, 77, 88};
	_mm512_storeu_pd(out, r);
	printf("__m512d arguments: %s\n", !memcmp(out, want, sizeof out) ? "ok" : "FAIL");
}

#define WANT (1.5 + 5 + 10.5 + 18 + 27.5 + 39 + 52.5 + 68 + 654321)

static void check_ifunc(void)
{
	double m = imix(1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 1, 2, 3, 4, 5, 6);
	printf("IFUNC-resolved arguments: %s\n", m == WANT ? "ok" : "FAIL");
}

int main(int argc, char **argv)
{
	double m = mix(1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 1, 2, 3, 4, 5, 6);
	printf("8 doubles and 6 integers: %s\n", m == WANT ? "ok" : "FAIL");
	printf("variadic doubles: %s\n", vsum(5, 1.0, 2.0, 3.0, 4.0, 5.25) == 15.25 ? "ok" : "FAIL");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "avx")) {
			check256();
		} else if (!strcmp(argv[i], "ifunc-avx")) {
			check_ifunc256();
		} else if (!strcmp(argv[i], "avx512")) {
			check512();
		} else if (!strcmp(argv[i], "ifunc")) {
			check_ifunc();
		} else {
			fprintf(stderr, "lazyargs: no check named %s (avx, avx512, ifunc, ifunc-avx)\n", argv[i]);
			return 2;
		}
	}
	return 0;
}
