# Criterion unit tests of the pure core modules.  Included by tests/tests.mk.
#
# The core sources under test are compiled again for the host (hosted gcc,
# glibc) into build/unit/core/ and linked with the tests and Criterion into
# build/unit/unit-tests; tests/run-unit.sh runs it under valgrind.
#
# rtld/string.c stays out: its memcpy and strlen would interpose glibc's,
# which valgrind's memcheck replaces with its own checking versions.  What
# else the modules call is linked for real where that is pure (dynamic.c
# for lt_object_string, error.c for lt_error and lt_error_text) and comes
# from the link seams in tests/unit/seams.c otherwise.

UNIT := $(BUILD)/unit
UNIT_CORE_SRCS := rtld/hash.c rtld/version.c rtld/path.c rtld/elf_check.c rtld/print.c \
	arch/x86_64/reloc.c rtld/dynamic.c rtld/error.c loader/layout.c loader/script.c
UNIT_TEST_SRCS := $(sort $(wildcard tests/unit/*.c))
UNIT_CORE_OBJS := $(patsubst %.c,$(UNIT)/core/%.o,$(UNIT_CORE_SRCS))
UNIT_TEST_OBJS := $(patsubst tests/unit/%.c,$(UNIT)/tests/%.o,$(UNIT_TEST_SRCS))

UNIT_CFLAGS := -std=gnu11 -O1 -g $(WARN) -MMD -MP
# The tests reach the core's headers with -iquote: with -Irtld, their own
# #include <string.h> (and Criterion's) would find rtld/string.h instead of glibc's.
UNIT_TEST_CFLAGS := $(UNIT_CFLAGS) -iquote rtld -iquote arch/x86_64 -iquote loader -Iinclude

$(UNIT)/core/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -Irtld -Iarch/x86_64 -Iinclude -c $< -o $@

$(UNIT)/tests/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_TEST_CFLAGS) -c $< -o $@

$(UNIT)/unit-tests: $(UNIT_CORE_OBJS) $(UNIT_TEST_OBJS)
	$(CC) -g -o $@ $^ -lcriterion

-include $(UNIT_CORE_OBJS:.o=.d) $(UNIT_TEST_OBJS:.o=.d)

CHECK_BUILD += $(UNIT)/unit-tests
