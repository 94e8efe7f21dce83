/*
 * glibc's l_info: the slot of a link_map's l_info array that keeps a
 * dynamic tag, by the ranges of the generated layout.h.
 */
#ifndef LT_GLIBC_LINFO_H
#define LT_GLIBC_LINFO_H

#include <stdint.h>

/* The l_info index of `tag` (below GLIBC_LEN_link_map__l_info), or -1 for
 * a tag glibc does not keep there. */
long lt_glibc_info_index(int64_t tag);

#endif
