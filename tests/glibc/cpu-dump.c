/*
 * What ld-teach would give glibc about this CPU, for tests/integration/
 * glibc-cpu.sh to compare with glibc's own loader: rtld/glibc/cpu.c and
 * arch/x86_64/cpu.c compiled for the host, the latter counting each CPUID
 * it executes (LT_CPUID_TRACE).
 *
 * Prints one line each: "cpu_features" and its bytes in hex, "hwcap",
 * "hwcap2", "platform", "isa_level", then "cpuid LEAF SUBLEAF TIMES" for
 * every leaf and subleaf executed while both users (glibc's cpu_features
 * and the trampoline's xsave set-up) asked for what they need.
 */
#include <inttypes.h>
#include <stdio.h>
#include <sys/auxv.h>
#include "layout.h"
#include "arch.h"
#include "cpu.h"

#define MAX_EXECUTED 256

static struct {
	uint32_t leaf, subleaf;
	unsigned times;
} executed[MAX_EXECUTED];
static unsigned nexecuted;

void lt_cpuid_executed(uint32_t leaf, uint32_t subleaf)
{
	unsigned i = 0;
	while (i < nexecuted && (executed[i].leaf != leaf || executed[i].subleaf != subleaf))
		i++;
	if (i == MAX_EXECUTED)
		return;
	if (i == nexecuted)
		executed[nexecuted++] = (typeof(executed[0])){ leaf, subleaf, 0 };
	executed[i].times++;
}

int main(void)
{
	static unsigned char features[GLIBC_SIZEOF_cpu_features];
	uint64_t hwcap = 0, hwcap2 = getauxval(AT_HWCAP2);
	const char *platform = (const char *)getauxval(AT_PLATFORM);

	lt_glibc_cpu_init(features, &hwcap, &hwcap2, &platform);
	arch_cpu_init();

	printf("cpu_features ");
	for (size_t i = 0; i < sizeof features; i++)
		printf("%02x", features[i]);
	printf("\nhwcap %#" PRIx64 "\nhwcap2 %#" PRIx64 "\nplatform %s\nisa_level %u\n", hwcap,
	       hwcap2, platform ? platform : "(null)", lt_x86_isa_level(features));
	for (unsigned i = 0; i < nexecuted; i++)
		printf("cpuid %#" PRIx32 " %#" PRIx32 " %u\n", executed[i].leaf, executed[i].subleaf,
		       executed[i].times);
	return 0;
}
