/* lib/rp/libmu-rpc.so: found only through libmu-rpa.so's DT_RPATH. */
int rpc_value(void) { return 3; }
