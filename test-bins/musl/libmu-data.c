/* libmu-data.so: data a fixed-address program copies (R_X86_64_COPY). */
int mu_counter = 41;
#ifndef MU_WORDS
#define MU_WORDS 3  /* stubs/bigger/'s copy has 4: the program, linked with 3, copies 3 */
#endif
const char *mu_words[MU_WORDS] = {"alpha", "beta", "gamma"};

void mu_bump(void) { mu_counter++; }
int mu_read(void) { return mu_counter; }
int *mu_counter_address(void) { return &mu_counter; }
/* Through the GOT (R_X86_64_GLOB_DAT): the fixed-address program's own
 * address for the function, the one it takes itself, for C's pointer equality. */
void (*mu_bump_address(void))(void) { return mu_bump; }
