/* libmu-uniqmany.so: a hundred STB_GNU_UNIQUE objects, each bound through
 * the library's GOT, so that the loader's table of unique symbols must grow
 * past its first 64 slots (dlcases unique). */
#define UNIQUE(n) __asm__(".type uniq_many_" #n ", @gnu_unique_object"); int uniq_many_##n = n;
#define TEN(d) UNIQUE(d##0) UNIQUE(d##1) UNIQUE(d##2) UNIQUE(d##3) UNIQUE(d##4) \
	UNIQUE(d##5) UNIQUE(d##6) UNIQUE(d##7) UNIQUE(d##8) UNIQUE(d##9)
TEN(1) TEN(2) TEN(3) TEN(4) TEN(5) TEN(6) TEN(7) TEN(8) TEN(9) TEN(10)

#define ADD(n) + uniq_many_##n
#define ADD_TEN(d) ADD(d##0) ADD(d##1) ADD(d##2) ADD(d##3) ADD(d##4) \
	ADD(d##5) ADD(d##6) ADD(d##7) ADD(d##8) ADD(d##9)
int uniq_many_sum(void)
{
	return 0 ADD_TEN(1) ADD_TEN(2) ADD_TEN(3) ADD_TEN(4) ADD_TEN(5) ADD_TEN(6) ADD_TEN(7)
		ADD_TEN(8) ADD_TEN(9) ADD_TEN(10);
}
