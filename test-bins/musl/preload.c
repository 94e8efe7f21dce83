/* preload: prints a_value(), which LD_PRELOAD=libmu-preload.so overrides. */
#include <stdio.h>

int a_value(void);

int main(void)
{
	printf("a_value() = %d\n", a_value());
	return 0;
}
