/* missing-lib: linked against libmu-gone.so, which is not installed. */
int gone(void);
int main(void) { return gone(); }
