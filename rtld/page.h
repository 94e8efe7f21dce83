/* Page arithmetic: x86_64 Linux maps memory in 4 KiB pages. */
#ifndef LT_PAGE_H
#define LT_PAGE_H

#include <stdint.h>

#define LT_PAGE_SIZE 4096UL

#define page_down(x) ((uintptr_t)(x) & ~(LT_PAGE_SIZE - 1))
#define page_up(x) (((uintptr_t)(x) + LT_PAGE_SIZE - 1) & ~(LT_PAGE_SIZE - 1))

/*
 * A large zeroed buffer, placed after .bss (in .lbss, which the linker puts
 * there): the small variables then share a few pages, and a start touches
 * fewer of them, each first touch a page fault.
 */
#define LT_LARGE_BSS __attribute__((section(".lbss")))

#endif
