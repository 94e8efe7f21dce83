# Criterion unit tests of the pure core modules, and of ld-teach-exec's
# survey of its process (loader/proc.c, which reads the test's own /proc
# files).  Included by tests/tests.mk.
#
# The core sources under test are compiled again for the host (hosted gcc,
# glibc) into build/unit/core/ and linked with the tests and Criterion into
# build/unit/unit-tests; tests/run-unit.sh runs it under valgrind.
#
# rtld/str.c stays out: its memcpy and strlen would interpose glibc's,
# which valgrind's memcheck replaces with its own checking versions.  What
# else the modules call is linked for real where that is pure (dynamic.c
# for lt_object_string, error.c for lt_error and lt_error_text, trace.c for
# the trace events, which stay off) and comes from the link seams in
# tests/unit/seams.c otherwise.

UNIT := $(BUILD)/unit
GLIBC_REF := $(UNIT)/glibc-ref
UNIT_CORE_SRCS := rtld/hash.c rtld/version.c rtld/path.c rtld/elf_check.c rtld/print.c \
	arch/x86_64/reloc.c rtld/dynamic.c rtld/error.c rtld/trace.c rtld/search.c \
	rtld/glibc/cache.c rtld/glibc/search.c rtld/prelink_file.c \
	loader/layout.c loader/script.c loader/proc.c rtld/alloc.c rtld/lock.c rtld/note.c rtld/env.c
UNIT_TEST_SRCS := $(sort $(wildcard tests/unit/*.c))
# glibc's CPU description and l_info indexes read the generated layout,
# which exists only with libc6-dbg (rtld/glibc/glibc.mk); the CPU's CPUID
# comes from the test's fake CPU (tests/unit/glibc_cpu.c), not from
# arch/x86_64/cpu.c.
UNIT_GLIBC_LAYOUT_SRCS := rtld/glibc/cpu.c rtld/glibc/linfo.c
UNIT_GLIBC_LAYOUT_TESTS := tests/unit/glibc_cpu.c tests/unit/glibc_linfo.c
ifeq ($(GLIBC_LAYOUT_AVAILABLE),yes)
UNIT_CORE_SRCS += $(UNIT_GLIBC_LAYOUT_SRCS)
else
UNIT_TEST_SRCS := $(filter-out $(UNIT_GLIBC_LAYOUT_TESTS),$(UNIT_TEST_SRCS))
endif
UNIT_CORE_OBJS := $(patsubst %.c,$(UNIT)/core/%.o,$(UNIT_CORE_SRCS))
UNIT_TEST_OBJS := $(patsubst tests/unit/%.c,$(UNIT)/tests/%.o,$(UNIT_TEST_SRCS))

UNIT_CFLAGS := -std=gnu11 -O1 -g $(WARN) -MMD -MP
# The tests reach the core's headers with -iquote: with -I, a system header's
# name (error.h) in rtld/ would stand in for glibc's in #include <...>.
UNIT_TEST_CFLAGS := $(UNIT_CFLAGS) -iquote rtld -iquote arch/x86_64 -iquote loader -Iinclude \
	-DGLIBC_REF_DIR='"$(GLIBC_REF)"'

$(UNIT)/core/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -Irtld -Iarch/x86_64 -Iinclude -c $< -o $@

# The allocator under names of its own (the seams' lt_alloc serves the
# other modules), its lock watched by tests/unit/alloc.c.
$(UNIT)/core/rtld/alloc.o: UNIT_CFLAGS += -include tests/unit/alloc-under-test.h
$(UNIT)/core/rtld/alloc.o: tests/unit/alloc-under-test.h

# No home: the unit tests never start from an ld-teach.so's own directory.
$(UNIT)/core/rtld/search.o: UNIT_CFLAGS += $(call home_flags,,0)

$(patsubst %.c,$(UNIT)/core/%.o,$(UNIT_GLIBC_LAYOUT_SRCS)) \
$(patsubst tests/unit/%.c,$(UNIT)/tests/%.o,$(UNIT_GLIBC_LAYOUT_TESTS)): $(GLIBC_AVAILABLE)
$(patsubst %.c,$(UNIT)/core/%.o,$(UNIT_GLIBC_LAYOUT_SRCS)): UNIT_CFLAGS += -I$(GLIBC_DIR)
$(patsubst tests/unit/%.c,$(UNIT)/tests/%.o,$(UNIT_GLIBC_LAYOUT_TESTS)): \
	UNIT_TEST_CFLAGS += -iquote $(GLIBC_DIR)

$(UNIT)/tests/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_TEST_CFLAGS) -c $< -o $@

$(UNIT)/unit-tests: $(UNIT_CORE_OBJS) $(UNIT_TEST_OBJS)
	$(CC) -g -o $@ $^ -lcriterion

-include $(UNIT_CORE_OBJS:.o=.d) $(UNIT_TEST_OBJS:.o=.d)

# glibc's own answers on this machine, which tests/unit/glibc_*.c compare
# with: made here, outside valgrind (ldconfig is static, and memcheck
# flags its start-up).  Remade when the cache or the loader changes.
GLIBC_REF_LD := /lib64/ld-linux-x86-64.so.2
GLIBC_REF_FILES := $(GLIBC_REF)/ldconfig-p.txt $(GLIBC_REF)/ld-so-help.txt \
	$(GLIBC_REF)/libs-trace.txt

$(GLIBC_REF)/ldconfig-p.txt: $(wildcard /etc/ld.so.cache)
	@mkdir -p $(@D)
	PATH="$$PATH:/usr/sbin:/sbin" ldconfig -p >$@

$(GLIBC_REF)/ld-so-help.txt: $(GLIBC_REF_LD)
	@mkdir -p $(@D)
	$(GLIBC_REF_LD) --help >$@

# The search for libc.so.6 through a missing LD_LIBRARY_PATH directory,
# then the cache.
$(GLIBC_REF)/libs-trace.txt: $(GLIBC_REF_LD) $(wildcard /etc/ld.so.cache)
	@mkdir -p $(@D)
	LD_DEBUG=libs LD_LIBRARY_PATH=/nonexistent-ld-teach /bin/true 2>$@

CHECK_BUILD += $(UNIT)/unit-tests $(GLIBC_REF_FILES)
