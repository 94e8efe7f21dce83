/* Needs a, b, c and v, each of which needs d: the constructor order is glibc's. */
#include <stdio.h>
void order_a(void), order_b(void), order_c(void), order_v(void);
__attribute__((constructor)) static void init(void) { puts("constructor: program"); }
__attribute__((destructor)) static void fini(void) { puts("destructor: program"); }
int main(void)
{
	order_a(), order_b(), order_c(), order_v();
	puts("main");
	return 0;
}
