#include <stdarg.h>
#include "trace.h"
#include "print.h"

void exec_trace(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lt_trace_line(2, "exec: ", fmt, ap);
	va_end(ap);
}
