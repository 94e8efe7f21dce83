/*
 * tlsimage: thread-local variables whose initial values are addresses in
 * the program (data, a string, a function).  In a PIE those values are
 * written into the TLS image by relocations, so a thread block filled
 * before the program is relocated holds the wrong ones.
 */
#include <stdio.h>

/* Not static, so that gcc cannot fold the initial values into the code. */
int tls_target = 5;
const char tls_text[] = "text";
int tls_function(void) { return 9; }

__thread int *tls_to_data = &tls_target;
__thread const char *tls_to_text = tls_text;
__thread int (*tls_to_function)(void) = tls_function;

int main(void)
{
	printf("to data: %s, %d\n", tls_to_data == &tls_target ? "its address" : "another",
	       tls_to_data == &tls_target ? *tls_to_data : -1);
	printf("to a string: %s, %s\n", tls_to_text == tls_text ? "its address" : "another",
	       tls_to_text == tls_text ? tls_to_text : "-");
	printf("to a function: %s, %d\n", tls_to_function == tls_function ? "its address" : "another",
	       tls_to_function == tls_function ? tls_to_function() : -1);
	return 0;
}
