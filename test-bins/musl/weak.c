/* weak: undefined weak references resolve to 0, defined ones to the definition. */
#include <stdio.h>

extern void mu_nowhere(void) __attribute__((weak));
extern int mu_nowhere_data __attribute__((weak));
int c_value(void) __attribute__((weak));

int main(void)
{
	printf("mu_nowhere: %s\n", mu_nowhere ? "defined" : "null");
	printf("mu_nowhere_data: %s\n", &mu_nowhere_data ? "defined" : "null");
	printf("c_value: %s (%d)\n", c_value ? "defined" : "null", c_value ? c_value() : -1);
	return 0;
}
