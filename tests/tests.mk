# make check: every suite, then one summary line.  Included by the top Makefile.

CHECK_BUILD := all test-bins

check: deps-check
	@$(MAKE) --no-print-directory $(CHECK_BUILD)
	@tests/run-all.sh

.PHONY: check
