/*
 * reserved: linked against stand-ins named like the libraries musl folds
 * into libc.so (libm.so.6, libpthread.so.0, ...).  At run time every one of
 * those names must be served by ld-teach's libc.so: no such file exists
 * where the program looks.
 */
#include <math.h>
#include <stdio.h>

int main(void)
{
	volatile double x = 2.0;
	printf("sqrt(2) = %.6f\n", sqrt(x));
	return 0;
}
