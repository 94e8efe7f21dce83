/*
 * fs-main: a program without any libc, linked against five freestanding
 * libraries (a diamond through libfs-d).  Built twice: as a PIE (GLOB_DAT
 * for library data) and as a fixed-address program (COPY relocations).
 * It prints one line per fact it checks; main.expected holds the answers.
 * With the argument --no-fini it exits without calling the loader's
 * finalizer (glibc's loader cannot run one for a program like this).
 */
#include <elf.h>
#include "rt.h"

extern int a_counter;
extern int *a_ptr_to_counter;
extern const char *a_greeting;
int a_add(int, int);
int a_mul(int, int);
void *a_add_address(void);
void a_set_counter(int);
int *a_counter_address(void);
int a_call_w_first(void);
int a_prot_fn(void);
int a_call_prot(void);
extern __thread int a_tls;
int a_get_tls(void);
int a_get_local_tls(void);
int a_tbss_zero(void);
int a_aligned_ok(void);
int a_ifunc(void);
int a_call_ifunc(void);
int b_get_ie(void);
int b_pc32_ok(void);
int c_get_desc(void);
int c_textrel_get(void);
const char *d_log_text(void);
const char *d_name(int);
const void *d_relro_address(void);
int ver_fn(void);

/* Weak and undefined: must read as 0. */
extern int nowhere_fn(void) __attribute__((weak));
extern int nowhere_data __attribute__((weak));

/* Weak definition that still wins over libfs-a's strong one: it comes first. */
__attribute__((weak)) int w_first(void) { return 100; }

/* The program's own a_prot_fn; libfs-a's protected one must not see it. */
int a_prot_fn(void) { return -1; }

/* Function pointers stored in data: R_X86_64_64 (or RELATIVE to PLT stubs). */
static int (*const ops[])(int, int) = {a_add, a_mul};

/* Local-exec TLS in the program. */
static __thread int main_tls = 11;

/* A local IFUNC: R_X86_64_IRELATIVE in the program. */
static int exe_impl(void) { return 64; }
typedef int (*int_fn)(void);
static int_fn exe_resolver(void) { return exe_impl; }
static int exe_ifunc(void) __attribute__((ifunc("exe_resolver")));

/* 10 MiB of .bss: anonymous pages that must read as zero. */
static uint64_t big_bss[(10 << 20) / 8];

static int preinit_ran;
static void preinit(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	preinit_ran = 1;
}
__attribute__((section(".preinit_array"), used)) static void (*preinit_entry)(int, char **, char **) =
	preinit;

static int bss_is_zero(void)
{
	for (size_t i = 0; i < sizeof big_bss / 8; i++)
		if (big_bss[i])
			return 0;
	big_bss[sizeof big_bss / 8 - 1] = 1;  /* and writable to the very end */
	return 1;
}

/* The loader's own PT_GNU_RELRO (AT_BASE is its ELF header) is read-only, like everyone's. */
static int loader_relro_read_only(char **envp)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)rt_aux(envp, AT_BASE);
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);
	for (unsigned i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_GNU_RELRO)
			return !strcmp(rt_perms_of((const char *)eh + ph[i].p_vaddr), "r--p");
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	int no_fini = 0;
	for (int i = 1; i < argc; i++) {
		rt_printf("argv[%d]=%s\n", i, argv[i]);
		no_fini |= !strcmp(argv[i], "--no-fini");
	}
	rt_printf("constructors: %s\n", d_log_text());
	rt_check("preinit array", preinit_ran);
	rt_check("library data", a_counter == 42);
	a_set_counter(5);
	rt_check("library writes our copy", a_counter == 5 && a_counter_address() == &a_counter);
	rt_check("R_X86_64_64 to data", a_ptr_to_counter == &a_counter);
	rt_check("relative pointer", !strcmp(a_greeting, "hello from A"));
	rt_check("function pointer equality", a_add_address() == (void *)a_add);
	rt_check("function pointers in data", ops[0](2, 3) == 5 && ops[1](2, 3) == 6);
	rt_check("DT_RELR table", !strcmp(d_name(2), "two") && !strcmp(d_name(5), "five"));
	rt_check("R_X86_64_PC32", b_pc32_ok());
	rt_check("DT_TEXTREL", c_textrel_get() == 1234);
	rt_check("weak definition order", w_first() == 100 && a_call_w_first() == 100);
	rt_check("weak undefined", &nowhere_fn == 0 && &nowhere_data == 0);
	rt_check("protected symbol", a_call_prot() == 5 && a_prot_fn() == -1);
	rt_check("IFUNC in a library", a_ifunc() == 31 && a_call_ifunc() == 31);
	rt_check("IRELATIVE in the program", exe_ifunc() == 64);
	rt_check("versioned default", ver_fn() == 2);
	rt_check("TLS local-exec", main_tls == 11);
	main_tls = 12;
	rt_check("TLS initial-exec to a library", a_tls == 7);
	a_tls = 8;
	rt_check("TLS general-dynamic", a_get_tls() == 8);
	rt_check("TLS local-dynamic", a_get_local_tls() == 3 && a_get_local_tls() == 4);
	rt_check("TLS initial-exec in a library", b_get_ie() == 21);
	rt_check("TLS descriptors", c_get_desc() == 55);
	rt_check("TLS .tbss is zero", a_tbss_zero());
	rt_check("TLS alignment", a_aligned_ok());
	rt_check("10 MiB .bss is zero", bss_is_zero());
	rt_check("RELRO is read-only", !strcmp(rt_perms_of(d_relro_address()), "r--p"));
	rt_check("the loader's RELRO is read-only", loader_relro_read_only(envp));
	rt_check("no writable and executable mapping", !rt_any_wx_mapping());
	if (no_fini)
		rt_exit_now(rt_failures());
	return rt_failures();
}
