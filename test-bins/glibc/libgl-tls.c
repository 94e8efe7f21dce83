/* libgl-tls.so: general-dynamic TLS (the default for -fPIC) and initial-exec TLS. */
__thread int gl_dynamic = 100;
__thread int gl_initial __attribute__((tls_model("initial-exec"))) = 200;
static __thread char gl_buffer[64];

int gl_bump(int by)
{
	gl_dynamic += by;
	gl_initial += 2 * by;
	gl_buffer[by % 64]++;
	return gl_dynamic + gl_initial + gl_buffer[by % 64];
}
