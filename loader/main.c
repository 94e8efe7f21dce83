/*
 * The ld-teach-exec command: run a program through teach_execve.
 *
 *   ld-teach-exec [--fork] [--trace] [--argv0 NAME] PROGRAM [ARGS...]
 *
 * Like a shell's exec: a PROGRAM without a slash is looked up in PATH, and a
 * program that cannot be started ends ld-teach-exec with status 127 (not
 * found) or 126 (anything else).  The command itself runs without libc
 * (exec_start.S is its _start), so that its own image is simple to undo.
 */
#include "ld-teach/exec.h"
#include "loader.h"
#include "print.h"
#include "syscalls.h"

#define EXIT_USAGE 1
#define EXIT_CANNOT_RUN 126
#define EXIT_NOT_FOUND 127
#define DEFAULT_PATH "/bin:/usr/bin" /* what execvp uses when PATH is unset */

struct command {
	int fork, trace;
	const char *argv0;
	const char *program;   /* the path given to teach_execve */
	char **argv;           /* the program's argv; argv[0] is PROGRAM or --argv0 */
	char **envp;
	char found[4096];      /* PROGRAM found in PATH */
};

static const char usage[] =
	"Usage: " EXEC_NAME " [OPTIONS] PROGRAM [ARGS...]\n"
	"Start PROGRAM in this process, as execve(2) would, without the kernel's execve.\n"
	"\n"
	"  --fork        run it in a child process, wait, and report how it ended\n"
	"  --trace       describe each step on standard error (LD_DEBUG style)\n"
	"  --argv0 NAME  pass NAME as argv[0]\n"
	"  --help        display this help and exit\n"
	"  --version     output version information and exit\n"
	"\n"
	"PROGRAM is looked up in PATH when it has no slash.  Exit status: PROGRAM's,\n"
	"or 127 when it is not found, 126 when it cannot be started, 1 for usage errors.\n";

static int usage_error(const char *fmt, const char *arg)
{
	char msg[512];
	lt_format(msg, sizeof msg, fmt, arg);
	lt_dprintf(2, EXEC_NAME ": %s\nTry '" EXEC_NAME " --help' for more information.\n", msg);
	return EXIT_USAGE;
}

/* Parse the options; returns -1 to go on, or the exit status. */
static int parse_options(struct command *c, int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "--fork")) {
			c->fork = 1;
		} else if (!strcmp(a, "--trace")) {
			c->trace = 1;
		} else if (!strcmp(a, "--argv0")) {
			if (++i == argc)
				return usage_error("option '%s' requires an argument", a);
			c->argv0 = argv[i];
		} else if (str_starts(a, "--argv0=")) {
			c->argv0 = a + 8;
		} else if (!strcmp(a, "--help")) {
			lt_write_all(1, usage, sizeof usage - 1);
			return 0;
		} else if (!strcmp(a, "--version")) {
			lt_dprintf(1, EXEC_NAME " (ld-teach) " LT_VERSION "\n");
			return 0;
		} else {
			return usage_error("unrecognized option '%s'", a);
		}
	}
	if (i == argc)
		return usage_error("%s", "missing program");
	c->program = argv[i];
	c->argv = argv + i;
	if (c->argv0)
		c->argv[0] = (char *)c->argv0;
	return -1;
}

static const char *getenv_from(char **envp, const char *name)
{
	size_t len = strlen(name);
	for (; envp && *envp; envp++)
		if (!strncmp(*envp, name, len) && (*envp)[len] == '=')
			return *envp + len + 1;
	return 0;
}

/* The first executable regular file named `name` in a PATH directory, as a shell finds it. */
static const char *search_path(struct command *c, const char *name)
{
	const char *path = getenv_from(c->envp, "PATH");
	if (!path)
		path = DEFAULT_PATH;
	for (const char *dir = path;; dir++) {
		const char *end = strchr(dir, ':');
		size_t len = end ? (size_t)(end - dir) : strlen(dir);
		lt_format(c->found, sizeof c->found, "%.*s%s%s", (int)len, dir, len ? "/" : "", name);
		struct stat st;
		if (sys_fstatat(c->found, &st) == 0 && S_ISREG(st.st_mode) &&
		    sys_faccessat2(AT_FDCWD, c->found, EXEC_X_OK, AT_EACCESS) == 0)
			return c->found;
		if (!end)
			return 0;
		dir = end;
	}
}

static int run(struct command *c)
{
	const char *path = c->program;
	if (!strchr(path, '/') && *path && !(path = search_path(c, path))) {
		lt_dprintf(2, EXEC_NAME ": %s: command not found\n", c->program);
		return EXIT_NOT_FOUND;
	}
	struct teach_exec_options opts = {.trace = c->trace};
	int err = teach_execve_opts(path, c->argv, c->envp, &opts);
	lt_dprintf(2, EXEC_NAME ": %s\n", teach_exec_error());
	return err == -ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN;
}

/* The name of a signal that ended a child: sig is 1 to 127 (wait's status & 0x7f). */
static const char *signal_name(int sig)
{
	static const char names[][10] = {
		"", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
		"SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
		"SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG",
		"SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
	};
	return sig < 32 ? names[sig] : "a real-time signal";
}

/* --fork: the child becomes the program; the parent waits and says how it ended. */
static int run_in_child(struct command *c)
{
	long pid = sys_fork();
	if (pid < 0) {
		lt_dprintf(2, EXEC_NAME ": fork: %s\n", lt_strerror((int)-pid));
		return EXIT_CANNOT_RUN;
	}
	if (pid == 0)
		sys_exit(run(c));
	int status;
	long r;
	while ((r = sys_wait4((int)pid, &status, 0)) == -EINTR)
		;
	if (r < 0) {
		lt_dprintf(2, EXEC_NAME ": wait4: %s\n", lt_strerror((int)-r));
		return EXIT_CANNOT_RUN;
	}
	if ((status & 0x7f) == 0) {
		int code = (status >> 8) & 0xff;
		lt_dprintf(2, EXEC_NAME ": %s (pid %ld) exited with status %d\n", c->program, pid, code);
		return code;
	}
	int sig = status & 0x7f;
	lt_dprintf(2, EXEC_NAME ": %s (pid %ld) was killed by signal %d (%s)%s\n", c->program, pid,
		   sig, signal_name(sig), (status & 0x80) ? ", core dumped" : "");
	return 128 + sig;
}

static int command_main(int argc, char **argv, char **envp)
{
	struct command c = {.envp = envp};
	int status = parse_options(&c, argc, argv);
	if (status >= 0)
		return status;
	return c.fork ? run_in_child(&c) : run(&c);
}

/* Called by _start with the initial stack: argc, argv, NULL, envp, NULL, auxv. */
__attribute__((noreturn, used)) void exec_command_start(uintptr_t *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	sys_exit(command_main(argc, argv, argv + argc + 1));
}
