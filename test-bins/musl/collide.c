/*
 * collide: calls and copies names of libmu-collide.so whose GNU hashes are
 * the same, which a lookup must still tell apart by name.  It says whether
 * their hashes are indeed one, so that the test cannot lose its point.
 */
#include <stdint.h>
#include <stdio.h>

int collide_xAb(void);
int collide_xBA(void);
extern int collide_data_xAb, collide_data_xBA;

static uint32_t gnu_hash(const char *s)
{
	uint32_t h = 5381;
	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

int main(void)
{
	printf("one GNU hash: %s, %s\n",
	       gnu_hash("collide_xAb") == gnu_hash("collide_xBA") ? "yes" : "no",
	       gnu_hash("collide_data_xAb") == gnu_hash("collide_data_xBA") ? "yes" : "no");
	printf("collide_xAb() = %d, collide_xBA() = %d\n", collide_xAb(), collide_xBA());
	printf("collide_data_xAb = %d, collide_data_xBA = %d\n", collide_data_xAb, collide_data_xBA);
	return 0;
}
