/* libfs-a.so: data, functions, TLS, IFUNC, weak and protected symbols. */
#include "rt.h"

void d_log(const char *who);

int a_counter = 42;
int *a_ptr_to_counter = &a_counter;     /* R_X86_64_64: must follow a COPY */
const char *a_greeting = "hello from A"; /* relative */

int a_add(int x, int y) { return x + y; }
int a_mul(int x, int y) { return x * y; }
void *a_add_address(void) { return (void *)a_add; }
void a_set_counter(int v) { a_counter = v; }
int *a_counter_address(void) { return &a_counter; }

/* The program defines a weak w_first too; the first definition in scope
 * order, the program's, wins even over this strong one. */
int w_first(void) { return 200; }
int a_call_w_first(void) { return w_first(); }

/* Protected: our own calls stay here even though the program defines one. */
__attribute__((visibility("protected"))) int a_prot_fn(void) { return 5; }
int a_call_prot(void) { return a_prot_fn(); }

/* TLS: general-dynamic (R_X86_64_DTPMOD64 + DTPOFF64), local-dynamic
 * (DTPMOD64 against symbol 0), .tbss, and an over-aligned variable. */
__thread int a_tls = 7;
int a_get_tls(void) { return a_tls; }
static __thread int a_local_tls __attribute__((tls_model("local-dynamic"))) = 3;
int a_get_local_tls(void) { return a_local_tls++; }
__thread int a_tbss[16];
int a_tbss_zero(void)
{
	for (int i = 0; i < 16; i++)
		if (a_tbss[i])
			return 0;
	return 1;
}
__thread int a_aligned __attribute__((aligned(64))) = 1;
int a_aligned_ok(void)
{
	/* The compiler knows the variable's alignment and would fold the
	 * check to true: the address it tests must come from the loader. */
	uintptr_t at = (uintptr_t)&a_aligned;
	__asm__("" : "+r"(at));
	return (at & 63) == 0 && *(int *)at == 1;
}

/* IFUNC: the resolver picks the implementation at load time. */
static int a_ifunc_impl(void) { return 31; }
typedef int (*a_fn)(void);
static a_fn a_ifunc_resolver(void) { return a_ifunc_impl; }
int a_ifunc(void) __attribute__((ifunc("a_ifunc_resolver")));
int a_call_ifunc(void) { return a_ifunc(); }

__attribute__((constructor)) static void a_ctor(void) { d_log("a"); }
__attribute__((destructor)) static void a_dtor(void) { rt_printf("dtor: a\n"); }
