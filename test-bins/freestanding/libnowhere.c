/* Link-time stand-in only: never installed next to fs-missing-lib. */
int nowhere(void) { return 0; }
