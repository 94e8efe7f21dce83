/*
 * audited: calls into libmu-aud.so, each call twice (la_symbind once,
 * la_pltenter every time), then dlopen, dlsym and dlclose; run with
 * auditmod.so, which changes what several of these calls see and return.
 */
#include <dlfcn.h>
#include <stdio.h>

long aud_answer(void);
long aud_args(long a, double d, double *d_seen);
long aud_stack(long a, long b, long c, long d, long e, long f, long g, long h);
long aud_ret(void);
double aud_dbl(void);
long aud_quiet(void);

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

int main(void)
{
	calls();
	calls();
	dynamic();
	return 0;
}
