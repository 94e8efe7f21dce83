/* libfs-deep.so: IFUNCs deep0 ... deep19, whose resolvers each call the next
 * through the PLT (deep20 is a plain function).  Binding deep0 lazily nests
 * a binding per level: past the 16 that ld-teach keeps track of, it must
 * stop the process rather than write past its record (lazy.sh). */
typedef int deep_fn(void);
static int one(void) { return 1; }
int deep20(void) { return 1; }

#define DEEP(k, next)                                   \
	int deep##next(void);                           \
	static deep_fn *resolve##k(void)                \
	{                                               \
		return deep##next() ? one : 0;          \
	}                                               \
	int deep##k(void) __attribute__((ifunc("resolve" #k)));
DEEP(19, 20) DEEP(18, 19) DEEP(17, 18) DEEP(16, 17) DEEP(15, 16) DEEP(14, 15) DEEP(13, 14)
DEEP(12, 13) DEEP(11, 12) DEEP(10, 11) DEEP(9, 10) DEEP(8, 9) DEEP(7, 8) DEEP(6, 7) DEEP(5, 6)
DEEP(4, 5) DEEP(3, 4) DEEP(2, 3) DEEP(1, 2) DEEP(0, 1)
