/*
 * inline: two libraries built from one C++ source, opened RTLD_LOCAL, share
 * its inline function's static variable and its template's static member
 * (STB_GNU_UNIQUE).
 */
#include <dlfcn.h>
#include <stdio.h>

typedef int *address_fn(void);

int main(void)
{
	void *one = dlopen("libgl-inline1.so", RTLD_NOW | RTLD_LOCAL);
	void *two = dlopen("libgl-inline2.so", RTLD_NOW | RTLD_LOCAL);
	if (!one || !two) {
		printf("dlopen: %s\n", dlerror());
		return 1;
	}
	address_fn *counter1 = (address_fn *)dlsym(one, "counter_address");
	address_fn *counter2 = (address_fn *)dlsym(two, "counter_address");
	address_fn *entries1 = (address_fn *)dlsym(one, "entries_address");
	address_fn *entries2 = (address_fn *)dlsym(two, "entries_address");
	printf("two libraries: %s\n", counter1 != counter2 ? "yes" : "no");
	++*counter1();
	*entries2() += 2;
	printf("the inline function's static: one object: %s, value %d\n",
	       counter1() == counter2() ? "yes" : "no", *counter2());
	printf("the template's static member: one object: %s, value %d\n",
	       entries1() == entries2() ? "yes" : "no", *entries1());
	return 0;
}
