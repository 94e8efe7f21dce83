/*
 * Opening what execve runs, with the kernel's checks (open_exec, may_open):
 * a regular file, executable by the caller's effective ids, on a mount that
 * allows execution.  Directories, devices, FIFOs and sockets are refused
 * without being opened, so that opening has no side effects.  A noexec
 * mount needs no check of its own: access(2)'s X_OK on a regular file there
 * is refused with EACCES, whoever asks (the kernel's do_faccessat).
 */
#include "loader.h"
#include "syscalls.h"

static long check_executable(int fd, struct stat *st)
{
	long err = sys_fstat(fd, st);
	if (err < 0)
		return err;
	if (!S_ISREG(st->st_mode))
		return -EACCES;
	return sys_faccessat2(fd, "", EXEC_X_OK, AT_EACCESS | AT_EMPTY_PATH);
}

int file_open_executable(const char *path, int *fd, uint64_t *size)
{
	struct stat st;
	if (!*path)
		return -ENOENT;
	long err = sys_fstatat(path, &st);
	if (err < 0)
		return err;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	long f = sys_open(path, O_RDONLY | O_NONBLOCK);
	if (f < 0)
		return f;
	err = check_executable(f, &st);
	if (err < 0) {
		sys_close(f);
		return err;
	}
	*fd = f;
	*size = st.st_size;
	return 0;
}

long file_read_head(int fd, void *buf, size_t len)
{
	long n = sys_pread(fd, buf, len, 0);
	if (n >= 0)
		memset((char *)buf + n, 0, len - n);
	return n;
}
