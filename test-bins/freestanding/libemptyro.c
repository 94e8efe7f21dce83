/* libfs-emptyro.so: code and data, no read-only data (no strings, no
 * unwind tables, no build-id note): GNU ld still emits the PT_LOAD meant
 * for .rodata, empty (p_filesz and p_memsz 0). */
int emptyro_counter = 41;

int emptyro_next(void)
{
	return ++emptyro_counter;
}
