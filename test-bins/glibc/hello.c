/* A plain gcc-built program: arguments, environment, libm, a UTF-8 locale, exit status. */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

int main(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		printf("argv[%d] = %s\n", i, i ? argv[i] : "(program)");
	const char *greeting = getenv("GREETING");
	printf("GREETING = %s\n", greeting ? greeting : "(unset)");
	volatile double two = 2.0;
	printf("sqrt(2) = %.6f, cbrt(27) = %.1f\n", sqrt(two), cbrt(27.0));
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	wchar_t wide[16];
	size_t n = mbstowcs(wide, "h\xc3\xa9llo", 16);
	for (size_t i = 0; i < n; i++)
		wide[i] = towupper(wide[i]);
	char back[32];
	wcstombs(back, wide, sizeof back);
	printf("C.UTF-8: %zu characters, upper case %s\n", n, back);
	char *copy = strdup("heap works");
	puts(copy);
	free(copy);
	return 3;
}
