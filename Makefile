# ld-teach: a dynamic run-time linker to learn from and debug with.
#
#   make            build ./ld-teach.so (and everything else under build/)
#   make check      build and run every test suite; ends with "N passed, N failed"
#   make demo       run a real program through ld-teach with tracing on
#   make bench      measure start-up cost against the system loaders
#   make install PREFIX=/usr/local
#
# Missing Debian packages are installed with apt-get when run as root;
# otherwise the build says which ones are missing.

CC := gcc
LD := ld
BUILD := build
PREFIX ?= /usr/local

# ---------------------------------------------------------------------------
# The rtld core: freestanding, no libc at run time.
# arch/x86_64/exec_* belong to ld-teach-exec (loader/), not to the core.
CORE_SRCS := $(sort $(wildcard rtld/*.c)) \
	$(sort $(filter-out arch/x86_64/exec_%,$(wildcard arch/x86_64/*.c arch/x86_64/*.S)))
CORE_OBJS := $(patsubst %,$(BUILD)/core/%.o,$(basename $(CORE_SRCS)))
WARN := -Wall -Wextra -Werror
# No frame over 2 KiB: the core runs on the program's stack, which may be
# as small as 16 KiB (ulimit -s 16), and it holds path buffers elsewhere.
CORE_CFLAGS := -std=gnu11 -O2 -g -fPIC -ffreestanding -nostdlib -fno-stack-protector \
	-fvisibility=hidden -fno-plt $(WARN) -Wframe-larger-than=2048 -Iinclude -Irtld \
	-Iarch/x86_64 -MMD -MP
CORE_LDFLAGS := -shared -nostdlib -Wl,-e,_lt_start -Wl,-soname,ld-teach.so \
	-Wl,-Bsymbolic -Wl,-z,now -Wl,-z,relro -Wl,-z,noexecstack \
	-Wl,-z,pack-relative-relocs -Wl,--hash-style=gnu -Wl,--no-undefined

all: ld-teach.so

$(BUILD)/core/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -c $< -o $@

$(BUILD)/core/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -c $< -o $@

# The freestanding proof: the core objects, linked alone with --no-undefined
# and no libraries at all, must need nothing from outside.  That includes the
# memcpy/memset calls the compiler emits on its own.
$(BUILD)/core/freestanding.ok: $(CORE_OBJS)
	$(LD) -shared --no-undefined -o $(BUILD)/core/freestanding-check.so $(CORE_OBJS)
	@touch $@

# ld-teach.so relocates itself before it can look anything up, so it must
# need relative relocations only.
ld-teach.so: $(CORE_OBJS) $(BUILD)/core/freestanding.ok
	$(CC) $(CORE_LDFLAGS) -o $@ $(CORE_OBJS)
	@if readelf -rW $@ | grep -E '^[0-9a-f]+ ' | grep -v R_X86_64_RELATIVE; then \
		echo "ld-teach.so: needs relocations other than R_X86_64_RELATIVE" >&2; \
		rm -f $@; exit 1; fi

-include $(CORE_OBJS:.o=.d)

# The checked build, for the tests: every scope indexed, and every global
# lookup answered both by the symbol index and by the walk, which must agree.
# It finds the musl adapter through the installed layout, next to itself.
CHECKED_OBJS := $(patsubst %,$(BUILD)/checked/%.o,$(basename $(CORE_SRCS)))
CHECKED_LT := $(BUILD)/checked/ld-teach.so

$(BUILD)/checked/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -DLT_CHECK_SYMINDEX -c $< -o $@
$(BUILD)/checked/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -c $< -o $@
$(CHECKED_LT): $(CHECKED_OBJS) $(MUSL_ADAPTER)
	$(CC) $(CORE_LDFLAGS) -o $@ $(CHECKED_OBJS)
	@mkdir -p $(BUILD)/checked/ld-teach/musl
	ln -sf ../../../musl/libc.so $(BUILD)/checked/ld-teach/musl/libc.so

-include $(CHECKED_OBJS:.o=.d)

# ---------------------------------------------------------------------------
include rtld/musl/musl.mk
include loader/loader.mk
include test-bins/test-bins.mk
include tests/tests.mk

deps-check:
	@tests/ensure-deps.sh check

deps-demo:
	@tests/ensure-deps.sh demo

demo: deps-demo all test-bins
	@tests/demo.sh

deps-bench:
	@tests/ensure-deps.sh bench

# Measured, not tested: a table and a plot in build/bench/ (doc/performance.md).
bench: deps-bench all test-bins
	@tests/bench/bench.sh

# ld-teach.so finds its libc.so for musl programs at ld-teach/musl/ next to
# itself (or at build/musl/ in the source tree).
install: all
	install -d $(DESTDIR)$(PREFIX)/lib/ld-teach/musl
	install -m 755 ld-teach.so $(DESTDIR)$(PREFIX)/lib/ld-teach.so
	install -m 755 $(MUSL_ADAPTER) $(DESTDIR)$(PREFIX)/lib/ld-teach/musl/libc.so

clean:
	rm -rf $(BUILD) ld-teach.so ld-teach-exec

.PHONY: all check demo bench install clean deps-check deps-demo deps-bench
.DELETE_ON_ERROR:
