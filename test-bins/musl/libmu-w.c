/* lib/wide/libmu-wN.so, built once for each N from 1 to 32 (-DWIDE_N=N):
 * the libraries libmu-wide.so needs (dlcases wide). */
#define PASTE(a, b) a##b
#define NAMED(n) PASTE(wide_, n)
int NAMED(WIDE_N)(void)
{
	return WIDE_N;
}
