/* libmu-auddl.so: what audited dlopens, under a name auditmod.so rewrites. */
long aud_dl(void)
{
	return 5;
}
