/* A program without libc whose library needs musl's libc. */
void mu_greet(const char *who);
int main(void)
{
	mu_greet("a program without libc");
	return 0;
}
