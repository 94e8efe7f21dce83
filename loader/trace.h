/*
 * --trace output, in the LD_DEBUG style: each line is the pid, a colon, a
 * tab and the message, on standard error.  Used before the point of no
 * return (exec.c) and after it (stage.c, which has its own copy).
 */
#ifndef EXEC_TRACE_H
#define EXEC_TRACE_H

void exec_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
