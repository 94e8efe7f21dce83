/*
 * libmu-ro-x.so (relocation order): x_level is exported, so x_pick reads
 * it through a GOT entry, which holds nothing until this library is
 * relocated.
 */
int x_level = 3;
int x_pick(void) { return x_level; }
