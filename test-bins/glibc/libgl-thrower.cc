// libgl-thrower.so: throws across a library boundary, and has a static
// object with a constructor and a destructor.
#include <cstdio>
#include <stdexcept>
#include <string>

struct Announce {
	Announce() { std::puts("libgl-thrower: static constructor"); }
	~Announce() { std::puts("libgl-thrower: static destructor"); }
} announce;

void gl_throw(int n)
{
	if (n > 2)
		throw std::out_of_range("too far: " + std::to_string(n));
}
