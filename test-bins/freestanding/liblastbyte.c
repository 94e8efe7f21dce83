/* libfs-lastbyte.so: an initializer one byte long (a ret) that is the last
 * byte of the library's executable segment: it is code, and is called
 * (fs-lastbyte).  Written last in the file, it is the last of .text, and a
 * library built without the C runtime has no .fini after it. */
void last_byte_init(void);
__attribute__((section(".init_array"), used)) static void (*const init_entry)(void) = last_byte_init;

int lastbyte_value(void)
{
	return 7;
}

__asm__(".text\n\t.globl last_byte_init\n\t.type last_byte_init, @function\nlast_byte_init:\n\tret\n"
	"\t.size last_byte_init, 1\n");
