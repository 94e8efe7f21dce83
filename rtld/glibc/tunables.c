/*
 * glibc's tunables: GLIBC_TUNABLES=name=value:name=value, and the older
 * variables that stand for some of them (MALLOC_ARENA_MAX...).  glibc's
 * loader keeps them; libc asks through __tunable_get_val, whose callback
 * runs only for tunables the user set, so a tunable nobody set keeps the
 * default compiled into libc.  The tunable ids are glibc's (generated into
 * layout.h from its debug information), and so is what secure mode does
 * with each (secure_mode_tunables, below).
 */
#include "glibc.h"
#include "alloc.h"
#include "str.h"

/* libc's tunable_val_t: a number or a string, as the user wrote it. */
union tunable_value {
	int64_t number;
	const char *string;
};

static union tunable_value values[GLIBC_TUNABLE_COUNT];
static unsigned char set[GLIBC_TUNABLE_COUNT];

/* Each tunable's name, type and bounds, as ld.so's tunable_list has them.
 * The names are one block of characters and the table holds offsets into
 * it: a table of pointers would be relocated at every start, and its
 * 1 KiB would take ld-teach.so's RELRO onto a second page. */
static const struct tunable_names {
#define NAME_FIELD(id, name, type, min, max, security) char n##id[sizeof name];
	GLIBC_TUNABLE_LIST(NAME_FIELD)
#undef NAME_FIELD
} names = {
#define NAME_VALUE(id, name, type, min, max, security) name,
	GLIBC_TUNABLE_LIST(NAME_VALUE)
#undef NAME_VALUE
};
static const struct {
	uint16_t name;       /* offset in `names` */
	uint8_t type;        /* GLIBC_ENUM_TUNABLE_TYPE_* */
	uint8_t security;    /* GLIBC_ENUM_TUNABLE_SECLEVEL_*: what secure mode does with it */
	int64_t min, max;    /* compared as unsigned but for TUNABLE_TYPE_INT_32 */
} tunables[GLIBC_TUNABLE_COUNT] = {
#define ENTRY(id, name, type, min, max, security) \
	[id] = {offsetof(struct tunable_names, n##id), type, security, min, max},
	GLIBC_TUNABLE_LIST(ENTRY)
#undef ENTRY
};
_Static_assert(sizeof(struct tunable_names) <= UINT16_MAX, "tunable names' offsets fit");

static const char *tunable_name(unsigned id)
{
	return (const char *)&names + tunables[id].name;
}

/* The environment variables glibc reads as tunables, with their ids. */
static const struct { const char *variable; unsigned id; } aliases[] = {
	{"MALLOC_CHECK_", GLIBC_TUNABLE_glibc__malloc__check},
	{"MALLOC_TOP_PAD_", GLIBC_TUNABLE_glibc__malloc__top_pad},
	{"MALLOC_PERTURB_", GLIBC_TUNABLE_glibc__malloc__perturb},
	{"MALLOC_MMAP_THRESHOLD_", GLIBC_TUNABLE_glibc__malloc__mmap_threshold},
	{"MALLOC_TRIM_THRESHOLD_", GLIBC_TUNABLE_glibc__malloc__trim_threshold},
	{"MALLOC_MMAP_MAX_", GLIBC_TUNABLE_glibc__malloc__mmap_max},
	{"MALLOC_ARENA_MAX", GLIBC_TUNABLE_glibc__malloc__arena_max},
	{"MALLOC_ARENA_TEST", GLIBC_TUNABLE_glibc__malloc__arena_test},
	{"LD_HWCAP_MASK", GLIBC_TUNABLE_glibc__cpu__hwcap_mask},
};

/*
 * Secure mode, by the level ld.so's table gives each tunable, as glibc's
 * loader: one marked SXID_ERASE leaves the environment, so that the
 * programs a set-user-id one starts do not inherit it; one marked
 * SXID_IGNORE stays for them, unused here; one marked NONE is used here
 * too.
 */
static int erased_when_secure(long id)
{
	return tunables[id].security == GLIBC_ENUM_TUNABLE_SECLEVEL_SXID_ERASE;
}

static int used(long id)
{
	return !lt.secure || tunables[id].security == GLIBC_ENUM_TUNABLE_SECLEVEL_NONE;
}

static long tunable_id(const char *name, size_t len)
{
	for (size_t i = 0; i < GLIBC_TUNABLE_COUNT; i++)
		if (strlen(tunable_name(i)) == len && !strncmp(tunable_name(i), name, len))
			return (long)i;
	return -1;
}

static unsigned digit_value(char c)
{
	return c >= '0' && c <= '9' ? (unsigned)(c - '0')
	       : (c | 32) >= 'a' && (c | 32) <= 'f' ? (unsigned)((c | 32) - 'a' + 10) : 99;
}

/*
 * A number as glibc 2.36's loader reads one (_dl_strtoul): blanks skipped,
 * a sign, then 0x for hexadecimal or a leading 0 for octal, and digits up
 * to the first that is none; whatever follows is ignored, and no digit at
 * all reads as 0.  Past 2^64 - 1 it is 2^64 - 1.
 */
static int64_t glibc_number(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	int negative = s < end && *s == '-';
	if (s < end && (*s == '-' || *s == '+'))
		s++;
	unsigned base = 10;
	if (s < end && *s == '0') {
		base = 8;
		if (end - s > 1 && (s[1] == 'x' || s[1] == 'X'))
			base = 16, s += 2;
	}
	uint64_t v = 0;
	for (unsigned d; s < end && (d = digit_value(*s)) < base; s++) {
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	return (int64_t)(negative ? -v : v);
}

static int within_bounds(long id, int64_t v)
{
	if (tunables[id].type == GLIBC_ENUM_TUNABLE_TYPE_INT_32)
		return v >= tunables[id].min && v <= tunables[id].max;
	return (uint64_t)v >= (uint64_t)tunables[id].min && (uint64_t)v <= (uint64_t)tunables[id].max;
}

/* Tunable `id` set to the value running to `end`: a string tunable keeps
 * it, a number outside the tunable's bounds is ignored, as glibc does. */
static void set_tunable(long id, const char *value, const char *end)
{
	if (tunables[id].type == GLIBC_ENUM_TUNABLE_TYPE_STRING) {
		if ((values[id].string = lt_strndup(value, end - value)))
			set[id] = 1;
		return;
	}
	int64_t v = glibc_number(value, end);
	if (within_bounds(id, v))
		values[id].number = v, set[id] = 1;
}

/* name=value, the value running to `end`; unknown names are ignored, as glibc does. */
static void take(const char *name, size_t len, const char *value, const char *end)
{
	long id = tunable_id(name, len);
	if (id >= 0 && used(id))
		set_tunable(id, value, end);
}

/* The tunable the environment entry VARIABLE=value stands for, or -1; *value: its value. */
static long alias_of(const char *entry, const char **value)
{
	if (*entry != 'M' && *entry != 'L')
		return -1;  /* (every alias starts so: most variables are passed over at once) */
	for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++) {
		const char *a = aliases[i].variable, *p = entry;
		while (*a && *a == *p)
			a++, p++;
		if (!*a && *p == '=') {
			*value = p + 1;
			return aliases[i].id;
		}
	}
	return -1;
}

/* VARIABLE=value, if VARIABLE stands for a tunable that is still unset. */
static void take_alias(const char *entry)
{
	const char *value;
	long id = alias_of(entry, &value);
	if (id >= 0 && !set[id] && used(id))
		set_tunable(id, value, value + strlen(value));
}

static int erased_alias(const char *entry)
{
	const char *value;
	long id = alias_of(entry, &value);
	return id >= 0 && erased_when_secure(id);
}

/* A GLIBC_TUNABLES value rewritten in place, pair by pair: what stays is
 * written at `kept`, never past what is being read. */
static char *kept_start, *kept;

static void keep_unless_erased(const char *name, size_t len, const char *value, const char *end)
{
	long id = tunable_id(name, len);
	(void)value;
	if (id < 0 || erased_when_secure(id))
		return;  /* (an unknown name goes too, as in glibc) */
	if (kept > kept_start)
		*kept++ = ':';
	memmove(kept, name, end - name);
	kept += end - name;
}

/* What a set-user-id program passes on: every GLIBC_TUNABLES without the
 * tunables marked SXID_ERASE, and none of the variables that stand for
 * them. */
static void secure_mode_tunables(void)
{
	for (char **e = lt.envp; *e; e++) {
		if (strncmp(*e, "GLIBC_TUNABLES=", 15))
			continue;
		kept_start = kept = *e + 15;
		lt_each_tunable(kept, keep_unless_erased);
		*kept = 0;
	}
	lt_remove_environment(erased_alias);
}

/* GLIBC_TUNABLES first: as in glibc, a variable that stands for a tunable
 * counts only when GLIBC_TUNABLES did not set that tunable. */
void lt_glibc_read_tunables(void)
{
	if (lt.secure)
		secure_mode_tunables();
	lt_each_tunable(lt.env.tunables, take);
	for (char **e = lt.envp; *e; e++)
		take_alias(*e);
}

int64_t lt_glibc_tunable(unsigned id, int64_t otherwise)
{
	return id < GLIBC_TUNABLE_COUNT && set[id] ? values[id].number : otherwise;
}

/* __tunable_get_val: libc's callback runs only for a tunable the user set. */
void lt_glibc_tunable_get_val(int id, void *valp, void (*callback)(void *))
{
	(void)valp;  /* (every caller in libc reads the value through its callback) */
	if (id >= 0 && id < GLIBC_TUNABLE_COUNT && set[id] && callback)
		callback(&values[id]);
}
