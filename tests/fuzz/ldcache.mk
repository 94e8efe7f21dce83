# libFuzzer harness for the ld.so.cache parser (tests/fuzz/ldcache_fuzz.c).
# Not part of `make` or `make check`.  It needs clang with libFuzzer
# (Debian: clang and libclang-rt-dev).  From the top directory:
#
#   make -f Makefile -f tests/fuzz/ldcache.mk ldcache-fuzz [FUZZ_SECONDS=300]
#
# builds build/fuzz/ldcache-fuzz, seeds build/fuzz/ldcache-corpus with
# /etc/ld.so.cache and small caches in the three formats, and fuzzes for
# FUZZ_SECONDS on one core.  Crashes land in build/fuzz/ as crash-*; replay
# one with `build/fuzz/ldcache-fuzz FILE`.

FUZZ := $(BUILD)/fuzz
FUZZ_CC := clang
FUZZ_SECONDS := 300
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Wall -Wextra -Werror -Irtld -Iarch/x86_64 -Iinclude
LDCACHE_CORPUS := $(FUZZ)/ldcache-corpus

ifneq ($(shell command -v $(FUZZ_CC)),)
$(FUZZ)/ldcache-fuzz: tests/fuzz/ldcache_fuzz.c rtld/glibc/cache.c rtld/glibc/cache.h rtld/str.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/ldcache_fuzz.c rtld/glibc/cache.c

$(FUZZ)/ldcache-seeds: tests/fuzz/ldcache_seeds.c tests/unit/ldcache_writer.c tests/unit/ldcache_writer.h
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O1 -g $(WARN) -Itests/unit -o $@ tests/fuzz/ldcache_seeds.c \
		tests/unit/ldcache_writer.c

ldcache-fuzz: $(FUZZ)/ldcache-fuzz $(FUZZ)/ldcache-seeds
	@mkdir -p $(LDCACHE_CORPUS)
	$(FUZZ)/ldcache-seeds $(LDCACHE_CORPUS)
	-cp /etc/ld.so.cache $(LDCACHE_CORPUS)/system.cache
	cd $(FUZZ) && ./ldcache-fuzz -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		ldcache-corpus
else
ldcache-fuzz:
	@echo "ldcache-fuzz: needs $(FUZZ_CC) with libFuzzer (apt-get install clang libclang-rt-dev)"
endif

.PHONY: ldcache-fuzz
