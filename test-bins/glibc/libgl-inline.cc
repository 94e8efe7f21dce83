// libgl-inline1.so and libgl-inline2.so, from this one source: an inline
// function's static variable and a template's static member, which g++
// makes STB_GNU_UNIQUE, so that a process has one of each however many
// libraries define them, even opened RTLD_LOCAL.
inline int &shared_counter()
{
	static int counter;
	return counter;
}

template <typename T> struct registry {
	static int entries;
};
template <typename T> int registry<T>::entries;

extern "C" int *counter_address() { return &shared_counter(); }
extern "C" int *entries_address() { return &registry<int>::entries; }
