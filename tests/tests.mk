# make check: every suite, then one summary line.  Included by the top Makefile.
# Fragments add what they need built to CHECK_BUILD.

# Fragments included before this one (loader/loader.mk) have added theirs already.
CHECK_BUILD := all test-bins $(CHECKED_LT) $(CHECK_BUILD)

include tests/unit/unit.mk
include tests/tools/tools.mk
include tests/glibc/glibc.mk
include tests/fuzz/fuzz.mk
include tests/guard/guard.mk
include tests/mutate.mk

# What the suites need is built by a make started after deps-check, which
# reads the fragments again: packages it has just installed change what they
# add (the glibc layout's helpers need libc6-dbg and libdw-dev).
check-build: $(CHECK_BUILD)

check: deps-check
	@$(MAKE) --no-print-directory check-build
	@tests/run-all.sh

.PHONY: check check-build
