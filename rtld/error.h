/*
 * Loader errors (error.c).  A function that fails records one line and
 * returns NULL or -1; its caller decides: at start-up the line is printed
 * and the process exits 127, inside dlopen it becomes the dlerror() text.
 * Once the libc's threads exist, each thread records its own line.
 */
#ifndef LT_ERROR_H
#define LT_ERROR_H

/* How messages name the loader, and its version. */
#define LT_NAME "ld-teach.so"
#define LT_VERSION "0.2"
#define LT_ERROR_MAX 512

void lt_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *lt_error_text(void);
const char *lt_strerror(int err);
__attribute__((noreturn)) void lt_die(void);
__attribute__((noreturn)) void lt_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A failure that is no error (dlopen's RTLD_NOLOAD of something not loaded):
 * the calling thread's line is empty, and its libc's dlerror says nothing. */
void lt_error_clear(void);
/* From now on, errors go to the buffer `slot` returns for the calling thread. */
void lt_error_use_slots(char *(*slot)(void));

#endif
