/* origin: finds its libraries through $ORIGIN/lib, from any directory. */
#include <stdio.h>

int a_value(void);
int b_value(void);

int main(void)
{
	printf("a=%d b=%d\n", a_value(), b_value());
	return 0;
}
