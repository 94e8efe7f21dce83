/* libfs-prot.so: refers to its own prot_data through the GOT (GLOB_DAT) and
 * through a pointer in data (R_X86_64_64).  ld leaves those relocations
 * symbolic because prot_data has default visibility here; elfmangle's
 * "protected" mutation then makes it STV_PROTECTED, and the loader must bind
 * them to this definition although the program defines prot_data too. */
int prot_data = 1;
int *const prot_pointer = &prot_data;

int prot_through_got(void) { return prot_data; }
int prot_through_pointer(void) { return *prot_pointer; }
