/* bigbss: 512 MiB of .bss, more than the exec suite's RLIMIT_AS allows. */
static char big[512 << 20];

int main(int argc, char **argv)
{
	(void)argv;
	big[argc] = 1;
	return big[1] ? 0 : 1;
}
