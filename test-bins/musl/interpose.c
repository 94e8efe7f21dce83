/* interpose: the program defines mu_whoami, which libmu-a also defines and
 * calls; the program's definition comes first in the global scope, so
 * libmu-a's own call reaches it (unless LD_PRELOAD brings another, which
 * comes right after the program). */
#include <stdio.h>

const char *a_asks_whoami(void);

const char *mu_whoami(void) { return "the program"; }

int main(void)
{
	printf("libmu-a asked mu_whoami and got: %s\n", a_asks_whoami());
	return 0;
}
