/* libmu-tls.so: thread-local data accessed general-dynamic (the default for
 * -fPIC) and initial-exec. */
__thread int lib_tls_gd = 100;
__thread int lib_tls_ie __attribute__((tls_model("initial-exec"))) = 200;
__thread char lib_tls_zero[64];

int *lib_gd_address(void) { return &lib_tls_gd; }
int *lib_ie_address(void) { return &lib_tls_ie; }

int lib_zero_ok(void)
{
	for (int i = 0; i < 64; i++)
		if (lib_tls_zero[i])
			return 0;
	return 1;
}
