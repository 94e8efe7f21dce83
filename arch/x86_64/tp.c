#include <asm/prctl.h>
#include "arch.h"
#include "sys.h"

int arch_set_thread_pointer(void *tp)
{
	return sys_arch_prctl(ARCH_SET_FS, (unsigned long)tp) < 0 ? -1 : 0;
}
