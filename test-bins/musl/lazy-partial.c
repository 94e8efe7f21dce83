/* lazy-partial: references two functions but calls only one of them, so
 * lazy binding binds only that one. */
#include <stdio.h>

double vsum(int n, ...);
double mix(double, double, double, double, double, double, double, double, long, long, long,
	   long, long, long);

int main(int argc, char **argv)
{
	(void)argv;
	printf("vsum: %g\n", vsum(2, 1.0, 2.0));
	if (argc > 100)  /* never true in the tests: mix is never called */
		printf("mix: %g\n", mix(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
	return 0;
}
