/*
 * The debugger interface (the System V r_debug protocol, which gdb knows
 * from every loader).  gdb finds `_r_debug` through the program's DT_DEBUG entry
 * (or by its symbol name in ld-teach.so), walks r_map, and keeps a
 * breakpoint on _dl_debug_state, which the loader calls after every change:
 * first with RT_ADD or RT_DELETE while the list is being changed, then with
 * RT_CONSISTENT once it is whole again.
 */
#include "rtld.h"

__attribute__((visibility("default"))) struct lt_r_debug _r_debug;

/* The breakpoint: it must stay a real, separate function. */
__attribute__((visibility("default"), noinline)) void _dl_debug_state(void)
{
	__asm__ volatile("" ::: "memory");
}

void lt_debugger_init(void)
{
	_r_debug.r_version = 1;
	_r_debug.r_map = (struct lt_link_map *)lt.head;
	_r_debug.r_brk = (uintptr_t)_dl_debug_state;
	_r_debug.r_ldbase = lt.self->base;
	lt.debug = &_r_debug;
	if (lt.main->debug_slot)
		lt.main->debug_slot->d_un.d_ptr = (uintptr_t)&_r_debug;
}

void lt_debugger_notify(int state)
{
	_r_debug.r_state = state;
	_dl_debug_state();
}
