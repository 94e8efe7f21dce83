/*
 * The whole-process reports (report.c): LD_SHOW_AUXV, and LD_DEBUG's
 * scopes, unused, statistics and maps.  The counters statistics prints
 * live here too; the hot paths bump them directly.
 */
#ifndef LT_REPORT_H
#define LT_REPORT_H

#include <stddef.h>

#define LT_RELOC_TYPES 48     /* x86_64 type numbers in use stay below this */

struct lt_stats {
	size_t by_type[LT_RELOC_TYPES];  /* relocations, by type number */
	size_t relr;                     /* words relocated through DT_RELR */
	size_t lookups;                  /* symbol lookups */
	size_t from_cache;               /* ... spared: the relocation before had the same symbol */
	size_t answers;                  /* ... and answers taken from a prelink cache instead */
	size_t objects_searched;         /* ... and the objects they asked */
	size_t bloom_rejects;            /* ... of which the Bloom filter turned away */
	size_t lazy_slots;               /* JUMP_SLOTs left for their first call */
	size_t lazy_bound;               /* ... of which bound since */
};
extern struct lt_stats lt_stats;

enum lt_mark { LT_MARK_START, LT_MARK_LOADED, LT_MARK_RELOCATED, LT_MARK_READY, LT_MARK_COUNT };
void lt_mark_time(enum lt_mark which);
void lt_report_auxv(void);
void lt_report_scopes(void);
void lt_report_unused(void);
void lt_report_statistics(void);
void lt_report_lazy_statistics(void);
void lt_report_maps(void);

#endif
