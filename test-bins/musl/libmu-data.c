/* libmu-data.so: data a fixed-address program copies (R_X86_64_COPY). */
int mu_counter = 41;
const char *mu_words[3] = {"alpha", "beta", "gamma"};

void mu_bump(void) { mu_counter++; }
int mu_read(void) { return mu_counter; }
int *mu_counter_address(void) { return &mu_counter; }
