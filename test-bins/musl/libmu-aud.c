/*
 * libmu-aud.so: the library whose calls auditmod.so watches and changes
 * (see auditmod.c); each function makes a change visible in its result.
 */
long aud_answer(void)
{
	return 1;
}

/* An integer in rdi and a double in xmm0. */
long aud_args(long a, double d, double *d_seen)
{
	*d_seen = d;
	return a;
}

/* Eight integers: the last two on the stack. */
long aud_stack(long a, long b, long c, long d, long e, long f, long g, long h)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
}

long aud_ret(void)
{
	return 3;
}

double aud_dbl(void)
{
	return 1.5;
}

long aud_quiet(void)
{
	return 7;
}

long aud_noenter(void)
{
	return 8;
}

/* Returned in st(0), on the x87 stack. */
long double aud_ld(long double x)
{
	return x * 2;
}
