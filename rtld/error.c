/*
 * Loader errors.  A failing function records one line and returns failure;
 * its caller decides: at start-up the line is printed and the process exits
 * 127 (like glibc's loader), inside dlopen it becomes the dlerror() text.
 *
 * Start-up has one thread and one buffer.  Once the program runs, two
 * threads may fail at once (dlsym holds the loader lock only for reading),
 * so each records its line in a slot of its own, which the libc adapter
 * provides (lt_error_use_slots).
 */
#include <stdarg.h>
#include "error.h"
#include "print.h"
#include "sys.h"


static char startup_buffer[LT_ERROR_MAX];

/* A line too long for its buffer keeps its end, where the reason is, and
 * this many characters of it (the name of a missing library and why, or
 * the end of a long symbol name and its version). */
#define LT_ERROR_TAIL 160
static char *(*thread_slot)(void);

void lt_error_use_slots(char *(*slot)(void))
{
	thread_slot = slot;
}

static char *buffer(void)
{
	return thread_slot ? thread_slot() : startup_buffer;
}

void lt_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lt_vformat_ends(buffer(), LT_ERROR_MAX, LT_ERROR_TAIL, fmt, ap);
	va_end(ap);
}

void lt_error_clear(void)
{
	buffer()[0] = 0;
}

const char *lt_error_text(void)
{
	return buffer();
}

void lt_die(void)
{
	lt_dprintf(2, LT_NAME ": %s\n", buffer());
	sys_exit(127);
}

void lt_fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lt_vformat_ends(buffer(), LT_ERROR_MAX, LT_ERROR_TAIL, fmt, ap);
	va_end(ap);
	lt_die();
}

/* The errno texts a loader can meet, worded as glibc words them. */
const char *lt_strerror(int err)
{
	switch (err) {
	case ENOENT: return "No such file or directory";
	case EACCES: return "Permission denied";
	case EPERM: return "Operation not permitted";
	case ENOEXEC: return "Exec format error";
	case ENOMEM: return "Cannot allocate memory";
	case ENOTDIR: return "Not a directory";
	case EISDIR: return "Is a directory";
	case ELOOP: return "Too many levels of symbolic links";
	case ENAMETOOLONG: return "File name too long";
	case EINVAL: return "Invalid argument";
	case EIO: return "Input/output error";
	case EMFILE: return "Too many open files";
	case ENFILE: return "Too many open files in system";
	case EEXIST: return "File exists";
	case ENODEV: return "No such device";
	case EOVERFLOW: return "Value too large for defined data type";
	case E2BIG: return "Argument list too long";
	case EBUSY: return "Device or resource busy";
	case ENOSYS: return "Function not implemented";
	case ETXTBSY: return "Text file busy";
	default: return "Unknown error";
	}
}
