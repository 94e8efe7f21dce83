/*
 * LD_DEBUG tracing.  Each category is a bit; a trace point costs one load
 * and one test when its category is off.
 */
#ifndef LT_DEBUG_H
#define LT_DEBUG_H

enum {
	LT_DBG_LIBS = 1 << 0,
	LT_DBG_FILES = 1 << 1,
	LT_DBG_RELOC = 1 << 2,
	LT_DBG_SYMBOLS = 1 << 3,
	LT_DBG_BINDINGS = 1 << 4,
	LT_DBG_VERSIONS = 1 << 5,
	LT_DBG_SCOPES = 1 << 6,
	LT_DBG_STATISTICS = 1 << 7,
	LT_DBG_UNUSED = 1 << 8,
	LT_DBG_MAPS = 1 << 9,
	LT_DBG_INIT = 1 << 10,
	LT_DBG_TLS = 1 << 11,
};

extern unsigned lt_debug_mask;

void lt_debug_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define lt_debug_on(cat) __builtin_expect((lt_debug_mask & (cat)) != 0, 0)
#define lt_debug(cat, ...)                       \
	do {                                     \
		if (lt_debug_on(cat))            \
			lt_debug_print(__VA_ARGS__); \
	} while (0)

/* Read LD_DEBUG and LD_DEBUG_OUTPUT (not in secure mode). */
void lt_debug_init(void);

#endif
