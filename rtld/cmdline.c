/*
 * Command mode: `./ld-teach.so [options] [--] prog [args]`.
 *
 * The kernel started ld-teach.so as the program, so ld-teach maps the real
 * program itself, then rewrites the initial stack so that the program sees
 * exactly what it would have seen had the kernel started it: argv begins
 * at the program's name, and the auxiliary vector describes the program
 * (AT_PHDR, AT_PHNUM, AT_ENTRY, AT_EXECFN) with ld-teach as its
 * interpreter (AT_BASE).
 */
#include "rtld.h"
#include "audit.h"
#include "look.h"
#include "print.h"
#include "str.h"
#include "sys.h"
#include "trace.h"

/* (Written as it is: longer than the formatter's one kilobyte a call.) */
static const char usage_text[] =
	"Usage: " LT_NAME " [OPTION]... [--] PROGRAM [ARGUMENT]...\n"
	"Load, link and run PROGRAM, explaining each step on request (LD_DEBUG).\n"
	"\n"
	"  --list                 list the dependencies and exit, like ldd (127 if\n"
	"                         any is missing)\n"
	"  --verify               load and relocate PROGRAM, run nothing, and exit 0\n"
	"                         if ld-teach can load it (2: a shared library it\n"
	"                         can load), 1 if it is not a dynamic program, 127\n"
	"                         if it cannot be loaded\n"
	"  --graph                print the link as a Graphviz DOT graph and exit\n"
	"  --library-path PATH    use PATH instead of LD_LIBRARY_PATH\n"
	"  --preload LIST         preload the objects in LIST (space or colon separated)\n"
	"  --audit LIST           use the audit modules in LIST (colon separated), after\n"
	"                         those of LD_AUDIT\n"
	"  --argv0 NAME           give the program NAME as argv[0]\n"
	"  --inhibit-cache        glibc programs: do not use /etc/ld.so.cache\n"
	"  --prelink              link PROGRAM without running it, and record the\n"
	"                         result in its prelink cache (doc/prelink.md)\n"
	"  --help                 show this help and exit\n"
	"  --version              show the version and exit\n"
	"\n"
	"Tracing: LD_DEBUG=help lists the categories; LD_SHOW_AUXV=1 prints the\n"
	"auxiliary vector; LD_TRACE_LOADED_OBJECTS=1 lists the dependencies, as ldd;\n"
	"LD_GRAPH_OUTPUT=FILE draws the link at exit into FILE.PID.\n"
	"LD_TEACH_PRELINK=0 leaves prelink caches unused; LD_TEACH_CACHE_DIR names\n"
	"their directory (else $XDG_CACHE_HOME/ld-teach, else ~/.cache/ld-teach).\n";

static void usage(int fd)
{
	lt_write_all(fd, usage_text, sizeof usage_text - 1);
}

__attribute__((noreturn)) static void bad_usage(const char *fmt, const char *arg)
{
	lt_dprintf(2, LT_NAME ": ");
	lt_dprintf(2, fmt, arg);
	lt_dprintf(2, "\n");
	usage(2);
	sys_exit(1);
}

/* An option that takes a value: --opt VALUE or --opt=VALUE. */
static int take_value(const char *opt, int *i, const char **value)
{
	const char *arg = lt.argv[*i];
	size_t len = strlen(opt);
	if (strncmp(arg, opt, len))
		return 0;
	if (arg[len] == '=') {
		*value = arg + len + 1;
		return 1;
	}
	if (arg[len])
		return 0;
	if (*i + 1 >= lt.argc)
		bad_usage("option '%s' requires an argument", opt);
	*value = lt.argv[++*i];
	return 1;
}

int lt_cmdline_parse(void)
{
	int i = 1;
	for (; i < lt.argc && !strncmp(lt.argv[i], "--", 2); i++) {
		const char *a = lt.argv[i], *value;
		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "--list")) {
			lt.mode = LT_MODE_LIST;
		} else if (!strcmp(a, "--verify")) {
			lt.mode = LT_MODE_VERIFY;
		} else if (!strcmp(a, "--graph")) {
			lt.mode = LT_MODE_GRAPH;
		} else if (!strcmp(a, "--inhibit-cache")) {
			lt.inhibit_cache = 1;
		} else if (!strcmp(a, "--prelink")) {
			lt.prelink_only = 1;
		} else if (!strcmp(a, "--help")) {
			usage(1);
			sys_exit(0);
		} else if (!strcmp(a, "--version")) {
			lt_dprintf(1, LT_NAME " " LT_VERSION ": the teaching dynamic linker\n");
			sys_exit(0);
		} else if (take_value("--audit", &i, &value)) {
			lt_audit_request(value);
		} else if (!take_value("--library-path", &i, &lt.library_path) &&
			   !take_value("--preload", &i, &lt.preload) &&
			   !take_value("--argv0", &i, &lt.argv0)) {
			bad_usage("unrecognized option '%s'", a);
		}
	}
	if (i >= lt.argc)
		bad_usage("missing program name%s", "");
	return i;
}

/* Replace one auxv entry's value, if the kernel supplied that entry. */
static void set_aux(unsigned long type, uintptr_t value)
{
	for (Elf64_auxv_t *a = lt.auxv; a->a_type != AT_NULL; a++)
		if (a->a_type == type)
			a->a_un.a_val = value;
	if (type < LT_AUX_MAX)
		lt.aux[type] = value;
}

/*
 * Drop ld-teach's own arguments: argv[skip..], envp and auxv move down by
 * `skip` words, in place.  The stack pointer does not move, so it keeps the
 * 16-byte alignment the psABI requires at the program's entry.
 */
static void shift_arguments(int skip)
{
	lt_stack_remove((uintptr_t *)lt.argv, skip);
	lt.argc -= skip;
	((uintptr_t *)lt.argv)[-1] = lt.argc;
}

struct lt_object *lt_cmdline_load_program(int prog_index)
{
	const char *path = lt.argv[prog_index];
	struct lt_object *main = lt_object_new(LT_MAIN, path);
	if (!main)
		lt_die();
	long fd = sys_open(path, O_RDONLY);
	if (fd < 0) {
		lt_error("%s: cannot open: %s", path, lt_strerror(-fd));
		lt_look_program_failed(path);
	}
	struct stat st;
	long r = sys_fstat(fd, &st);
	if (r < 0) {
		lt_error("%s: cannot read file data: %s", path, lt_strerror(-r));
		lt_look_program_failed(path);
	}
	if (lt_object_map_file(main, fd, &st, path, 0) < 0)
		lt_look_program_failed(path);
	sys_close(fd);
	if (!main->dynamic) {
		lt_error("%s: not a dynamic program (it has no PT_DYNAMIC): run it directly", path);
		lt_look_program_failed(path);
	}
	trace_new_object(path, main);  /* (as glibc's loader, for the program it maps itself) */

	shift_arguments(prog_index);
	if (lt.argv0)
		lt.argv[0] = (char *)lt.argv0;
	set_aux(AT_PHDR, (uintptr_t)main->phdr);
	set_aux(AT_PHNUM, main->phnum);
	set_aux(AT_ENTRY, main->entry);
	set_aux(AT_EXECFN, (uintptr_t)path);
	set_aux(AT_BASE, lt.self->base);
	return main;
}
