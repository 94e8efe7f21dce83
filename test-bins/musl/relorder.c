/* Needs libmu-ro-x.so then libmu-ro-y.so, which needs libmu-ro-x.so too. */
#include <stdio.h>
int y_op(void);
int y_via_pointer(void);
int main(void)
{
	printf("y_op %d, through y_ptr %d\n", y_op(), y_via_pointer());
	return 0;
}
