/* libmu-uniq2.so: defines uniq_counter as STB_GNU_UNIQUE (what g++ makes of
 * an inline or template static), and refers to it through its GOT. */
__asm__(".type uniq_counter, @gnu_unique_object");
int uniq_counter = 2;
int *uniq2_address(void) { return &uniq_counter; }
