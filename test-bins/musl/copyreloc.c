/* copyreloc: a fixed-address program using a library's data directly.
 * Its references become COPY relocations: the data moves into the program,
 * and the library must use the program's copy from then on.  It takes the
 * address of a library function too: its PLT entry is that function's
 * address for the library as well. */
#include <stdio.h>

extern int mu_counter;
extern const char *mu_words[3];
void mu_bump(void);
int mu_read(void);
int *mu_counter_address(void);
void (*mu_bump_address(void))(void);

int main(void)
{
	printf("mu_counter=%d words=%s,%s,%s\n", mu_counter, mu_words[0], mu_words[1], mu_words[2]);
	mu_bump();
	mu_counter += 10;
	printf("after bump and +10: program sees %d, library sees %d, same object: %s\n",
	       mu_counter, mu_read(), mu_counter_address() == &mu_counter ? "yes" : "no");
	printf("mu_bump has one address for the program and the library: %s\n",
	       mu_bump_address() == mu_bump ? "yes" : "no");
	return 0;
}
