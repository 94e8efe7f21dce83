/* libmu-vers.so: v_fn@V1 (old) and v_fn@@V2 (default), see libmu-vers.map. */
int v_fn_1(void) { return 1; }
int v_fn_2(void) { return 2; }
__asm__(".symver v_fn_1, v_fn@V1");
__asm__(".symver v_fn_2, v_fn@@V2");
