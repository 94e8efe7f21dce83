/* missing-sym: calls c_gone, which its link-time libmu-c.so had and the
 * real one does not.  musl's loader fails at load time; under lazy binding
 * ld-teach fails at the call, after the first line is out. */
#include <stdio.h>

int c_gone(void);

int main(void)
{
	puts("before the call");
	fflush(stdout);
	return c_gone();
}
