#ifndef LT_SEARCH_H
#define LT_SEARCH_H

#include "rtld.h"

#define LT_PATH_MAX 4096

/*
 * Search for library `name` on behalf of `requester` (NULL for preloads).
 * On success returns an open descriptor and leaves the file's path in
 * `path` (LT_PATH_MAX bytes); on failure returns -1 with *err set.
 */
int lt_search_library(const char *name, const struct lt_object *requester, char *path, int *err);

#endif
