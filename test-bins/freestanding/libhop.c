/* libfs-hop.so: needs libfs-where.so, which is searched for on its behalf,
 * with its own DT_RUNPATH if it has one, else with its loaders' DT_RPATH. */
const char *where(void);
const char *hop_where(void) { return where(); }
