/* Interim: a baseline description of the CPU (replaced by cpu.c). */
#include "glibc.h"

#define CPU(field, T) GLRO(_dl_x86_cpu_features__##field, T)

void lt_glibc_describe_cpu(void)
{
	CPU(data_cache_size, uint64_t) = 32 * 1024;
	CPU(shared_cache_size, uint64_t) = 1024 * 1024;
	CPU(non_temporal_threshold, uint64_t) = 3 * 1024 * 1024 / 4;
	CPU(rep_movsb_threshold, uint64_t) = 2048;
	CPU(rep_movsb_stop_threshold, uint64_t) = 3 * 1024 * 1024 / 4;
	CPU(rep_stosb_threshold, uint64_t) = 2048;
	GLRO(_dl_hwcap, uint64_t) = 2;
	GLRO(_dl_platform, const char *) = "x86_64";
}
