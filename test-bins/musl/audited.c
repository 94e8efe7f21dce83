/*
 * audited: calls into libmu-aud.so, each call twice (la_symbind once,
 * la_pltenter every time), then dlopen, dlsym and dlclose; run with
 * auditmod.so, which changes what several of these calls see and return.
 * With the argument "x87": only calls returning on the x87 stack, which
 * la_pltexit sees, and which must leave that stack as the callee did.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

long aud_answer(void);
long aud_args(long a, double d, double *d_seen);
long aud_stack(long a, long b, long c, long d, long e, long f, long g, long h);
long aud_ret(void);
double aud_dbl(void);
long aud_quiet(void);
long aud_noenter(void);
long double aud_ld(long double x);

static void calls(void)
{
	double seen;
	long a = aud_args(1, 2.0, &seen);
	printf("answer %ld\n", aud_answer());
	printf("args %ld %g\n", a, seen);
	printf("stack %ld\n", aud_stack(1, 2, 3, 4, 5, 6, 7, 8));
	printf("ret %ld\n", aud_ret());
	printf("dbl %g\n", aud_dbl());
	printf("quiet %ld\n", aud_quiet());
	printf("noenter %ld\n", aud_noenter());
}

static void dynamic(void)
{
	void *h = dlopen("libmu-audalias.so", RTLD_NOW);
	if (!h) {
		printf("dlopen libmu-audalias.so: failed\n");
		return;
	}
	long (*dl)(void) = (long (*)(void))dlsym(h, "aud_dl");
	printf("dl %ld\n", dl ? dl() : -1);
	printf("dlopen libmu-auddrop.so: %s\n", dlopen("libmu-auddrop.so", RTLD_NOW) ? "opened" : "failed");
	dlclose(h);
}

/*
 * After a call that returns no long double, the x87 stack must be empty
 * (its tag word all ones) and no x87 exception raised; then ten calls that
 * return on that stack must add up.
 */
static int x87(void)
{
	unsigned short env[14];
	double d = aud_dbl();
	__asm__ volatile("fnstenv %0" : "=m"(env));
	printf("x87 stack after a double: %s, exceptions %#x\n", env[4] == 0xffff ? "empty" : "not empty",
	       env[2] & 0x7f);
	long double sum = 0;
	for (int i = 1; i <= 10; i++)
		sum += aud_ld(i);
	printf("long doubles: %s (%g)\n", sum == 110 ? "ok" : "FAIL", d);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "x87"))
		return x87();
	calls();
	calls();
	dynamic();
	return 0;
}
