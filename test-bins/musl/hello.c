/* hello: the smallest real musl program. */
#include <stdio.h>

int main(void)
{
	puts("hello, world");
	return 0;
}
