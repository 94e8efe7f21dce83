/*
 * libmu-ro-y.so (relocation order): needs libmu-ro-x.so, and resolves its
 * IFUNC y_op by calling x_pick, which reads libmu-ro-x.so's GOT.  The
 * resolver runs while this library is relocated (y_ptr refers to y_op), so
 * libmu-ro-x.so must already be relocated by then, although the program
 * loads it first and this library second.
 */
int x_pick(void);

static int op_small(void) { return 1; }
static int op_big(void) { return 2; }

static int (*resolve_op(void))(void)
{
	return x_pick() > 2 ? op_big : op_small;
}
int y_op(void) __attribute__((ifunc("resolve_op")));

int (*y_ptr)(void) = y_op;
int y_via_pointer(void) { return y_ptr(); }
