/* missing-sym: calls c_gone, which its link-time libmu-c.so had and the
 * real one does not.  musl binds everything at load time: exit 127. */
int c_gone(void);
int main(void) { return c_gone(); }
