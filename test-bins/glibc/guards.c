/* The stack protector's canary (%fs:0x28) and the pointer guard (%fs:0x30)
 * of the main thread come from the 16 random bytes of AT_RANDOM: the
 * canary from the first eight, its low byte 0 (a string overrun stops at
 * it), the pointer guard from the next eight.  A loader that left them 0
 * would still run every program: only this shows it. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

static uint64_t thread_word(unsigned long offset)
{
	uint64_t v;
	__asm__ volatile("movq %%fs:(%1), %0" : "=r"(v) : "r"(offset));
	return v;
}

int main(void)
{
	const unsigned char *random = (const unsigned char *)getauxval(AT_RANDOM);
	uint64_t first, second;
	if (!random)
		return puts("no AT_RANDOM"), 1;
	memcpy(&first, random, 8);
	memcpy(&second, random + 8, 8);
	uint64_t canary = thread_word(0x28), pointer_guard = thread_word(0x30);
	printf("stack guard: AT_RANDOM's first 8 bytes, low byte 0: %s\n",
	       canary == (first & ~(uint64_t)0xff) ? "yes" : "no");
	printf("pointer guard: AT_RANDOM's next 8 bytes: %s\n", pointer_guard == second ? "yes" : "no");
	return 0;
}
