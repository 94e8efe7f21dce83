/* libmu-rpa.so: needs lib/rp/libmu-rpb.so, found through its own DT_RPATH
 * ($ORIGIN/rp), which then is the first step of libmu-rpb.so's search
 * chain (dlcases loadergone). */
int rpb_value(void);
int rpa_value(void) { return rpb_value() + 1; }
