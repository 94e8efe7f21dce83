/*
 * Running under valgrind's memcheck: the core's one concession to it
 * (str.h, lt_exact_strings).  Not in str.c, which ld-teach-exec's stage
 * shares and which must hold no writable data.
 */
#include "str.h"
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>  /* header only: its requests are a few no-ops natively */
#endif

int lt_exact_strings;

/*
 * Under memcheck, asking the definedness of a byte succeeds (1); natively
 * and under every other tool (callgrind, which `make bench` counts
 * instructions with) the request answers 0, so they see the fast compare.
 */
void lt_strings_init(void)
{
#ifdef VALGRIND_GET_VBITS
	char probe = 0;
	unsigned char vbits;
	lt_exact_strings = VALGRIND_GET_VBITS(&probe, &vbits, 1) == 1;
#endif
}
