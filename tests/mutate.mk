# make mutate: mutation testing of the loader's C sources (tests/tools/mutate.sh,
# doc/testing.md).  Slow, so not part of make check.  Included by tests/tests.mk.

MUTAGEN := $(TOOLS)/mutagen

$(MUTAGEN): tests/tools/mutagen.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g $(WARN) -o $@ $<

# The scratch tree builds what make check builds, and the generator.
mutate: deps-check
	@MUTATE_BUILD="$(CHECK_BUILD) $(MUTAGEN)" tests/tools/mutate.sh

.PHONY: mutate
