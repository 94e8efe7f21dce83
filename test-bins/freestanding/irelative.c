/*
 * fs-irelative: an IFUNC whose resolver reads a_add's address from the GOT,
 * which a GLOB_DAT relocation sets.  Its address is taken, so there is an
 * IRELATIVE in .rela.dyn, which ld puts after the GLOB_DAT; elfmangle's
 * "irelative-first" moves it ahead, and then only a loader that runs
 * IRELATIVE after the object's other relocations gets this right.
 */
#include "rt.h"

/* Weak, so that the resolver may find it unset. */
int a_add(int, int) __attribute__((weak));

typedef int (*add_fn)(int, int);
static int add_unset(int x, int y) { return x - y; }
static add_fn resolve_add(void) { return a_add ? a_add : add_unset; }
static int add(int, int) __attribute__((ifunc("resolve_add")));
int (*add_address)(int, int) = add;

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	rt_check("IFUNC called", add(2, 3) == 5);
	rt_check("IFUNC through its address", add_address(2, 3) == 5);
	return rt_failures();
}
