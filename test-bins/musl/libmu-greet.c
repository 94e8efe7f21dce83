/* libmu-greet.so: a musl library a program without libc may use. */
#include <string.h>
#include <unistd.h>
void mu_greet(const char *who)
{
	static const char hello[] = "hello from musl, ";
	write(1, hello, sizeof hello - 1);
	write(1, who, strlen(who));
	write(1, "\n", 1);
}
