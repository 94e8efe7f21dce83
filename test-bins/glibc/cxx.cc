// g++-built C++: an exception thrown in one library and caught in
// another, std::thread, thread_local with a destructor, iostreams.
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

void gl_throw(int n);

struct PerThread {
	int id = 0;
	~PerThread() { std::cout << "thread_local destructor of " << id << std::endl; }
};
thread_local PerThread per_thread;

int main()
{
	for (int n = 1; n <= 4; n++) {
		try {
			gl_throw(n);
			std::cout << n << ": fine" << std::endl;
		} catch (const std::out_of_range &e) {
			std::cout << n << ": caught " << e.what() << std::endl;
		}
	}
	std::vector<int> results(3);
	for (int i = 0; i < 3; i++) {  // one at a time: the destructors' lines come in order
		std::thread t([i, &results] {
			per_thread.id = 10 + i;
			std::ostringstream out;
			out << "thread " << i;
			results[i] = (int)out.str().size() * (i + 1);
		});
		t.join();
	}
	for (int r : results)
		std::cout << "result " << r << std::endl;
	per_thread.id = 1;
	return 0;
}
