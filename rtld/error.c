/*
 * Loader errors.  A failing function records one line and returns failure;
 * its caller decides: at start-up the line is printed and the process exits
 * 127 (like glibc's loader), inside dlopen it becomes the dlerror() text.
 */
#include <stdarg.h>
#include "rtld.h"
#include "print.h"
#include "sys.h"

static char errbuf[512];

void lt_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lt_vformat(errbuf, sizeof errbuf, fmt, ap);
	va_end(ap);
}

const char *lt_error_text(void)
{
	return errbuf;
}

void lt_die(void)
{
	lt_dprintf(2, LT_NAME ": %s\n", errbuf);
	sys_exit(127);
}

void lt_fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lt_vformat(errbuf, sizeof errbuf, fmt, ap);
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
