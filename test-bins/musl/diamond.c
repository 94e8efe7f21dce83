/* diamond: needs libmu-a and libmu-b, which both need libmu-c.
 * Constructors run dependencies first, the program's last; destructors in
 * reverse, after atexit handlers. */
#include <stdio.h>
#include <stdlib.h>

int a_value(void);
int b_value(void);

__attribute__((constructor)) static void main_init(void) { puts("ctor: diamond"); }
__attribute__((destructor)) static void main_fini(void) { puts("dtor: diamond"); }
static void at_exit(void) { puts("atexit handler"); }

int main(void)
{
	atexit(at_exit);
	printf("main: a=%d b=%d\n", a_value(), b_value());
	return 0;
}
