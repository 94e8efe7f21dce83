/*
 * ld-teach-exec: execve(2) done in user space.
 *
 * The library behind the ld-teach-exec command (build/loader/libteach-exec.a).
 * It needs no libc: link it into a freestanding program or into a glibc or
 * musl one.  Only the names below are exported.  doc/exec.md explains how
 * it works and where it differs from the kernel's execve.
 */
#ifndef LD_TEACH_EXEC_H
#define LD_TEACH_EXEC_H

#ifdef __cplusplus
extern "C" {
#endif

struct teach_exec_options {
	/* Nonzero: describe every step on standard error, in the LD_DEBUG style. */
	int trace;
};

/*
 * Replace the calling process's image with the program at `path`, as
 * execve(2) does: static or dynamic ELF programs (whatever their PT_INTERP)
 * and #! scripts.  `path` is used as given (no PATH search); argv and envp
 * may be NULL.
 *
 * Never returns on success.  On failure nothing has changed and it returns a
 * negative errno value: -ENOENT (the program or its interpreter does not
 * exist), -EACCES (not a regular file, not executable, or on a noexec
 * mount), -ENOEXEC (not a valid ELF program or #! script), -ELOOP (#!
 * scripts nested too deeply), -E2BIG (arguments and environment too large),
 * -ENOMEM (the new image does not fit the address space or the resource
 * limits), -EBUSY (the caller has more than one thread, or process state that
 * cannot be undone), or the errno of a system call that failed.
 * teach_exec_error() then describes the failure in one line that names the
 * file.  The caller must be single-threaded and must not share its memory
 * with another process (a vfork child would unmap its parent's memory).
 */
int teach_execve(const char *path, char *const argv[], char *const envp[]);
int teach_execve_opts(const char *path, char *const argv[], char *const envp[],
		      const struct teach_exec_options *opts);

/* The last failure of teach_execve, e.g. "./prog: interpreter /lib/ld.so: No such file or directory". */
const char *teach_exec_error(void);

#ifdef __cplusplus
}
#endif

#endif
