# ld-teach: a dynamic run-time linker to learn from and debug with.
#
#   make            build ./ld-teach.so (and everything else under build/)
#   make check      build and run every test suite; ends with "N passed, N failed, N skipped"
#   make demo       run a real program through ld-teach with tracing on
#   make bench      measure start-up cost against the system loaders
#   make install PREFIX=/usr/local
#
# Missing Debian packages are installed with apt-get when run as root;
# otherwise the build says which ones are missing.

CC := gcc
CXX := g++
LD := ld
comma := ,
BUILD := build
PREFIX ?= /usr/local
WARN := -Wall -Wextra -Werror
# No frame over 2 KiB in anything of the loader's that runs on the program's
# stack (the core, the libc-side objects): that stack may be as small as
# 16 KiB (ulimit -s 16), so path buffers are kept elsewhere.
FRAME_LIMIT := -Wframe-larger-than=2048
.DEFAULT_GOAL := all

# ---------------------------------------------------------------------------
# The libc adapters: each fragment builds its adapter's libc-side object,
# and may set CORE_EXCLUDE and CORE_EXTRA (which core-side sources to leave
# out, or to add) when the build cannot make that adapter whole.
include rtld/musl/musl.mk
include rtld/glibc/glibc.mk

# ---------------------------------------------------------------------------
# The rtld core: freestanding, no libc at run time: rtld/*.c, and the core
# side of every adapter, rtld/<libc>/*.c.  It uses general registers only,
# so the lazy-binding trampoline need not save the vector ones.
# arch/x86_64/exec_* belong to ld-teach-exec (loader/), not to the core.
CORE_SRCS := $(sort $(filter-out $(CORE_EXCLUDE),$(wildcard rtld/*.c rtld/*/*.c)) $(CORE_EXTRA)) \
	$(sort $(filter-out arch/x86_64/exec_%,$(wildcard arch/x86_64/*.c arch/x86_64/*.S)))
CORE_OBJS := $(patsubst %,$(BUILD)/core/%.o,$(basename $(CORE_SRCS)))
CORE_CFLAGS := -std=gnu11 -O2 -g -fPIC -ffreestanding -nostdlib -fno-stack-protector -mgeneral-regs-only \
	-fvisibility=hidden -fno-plt $(WARN) $(FRAME_LIMIT) -Iinclude -Irtld -Iarch/x86_64 -MMD -MP
# Read-only data next to the headers (the script says why); every link of the core depends on it.
CORE_LDSCRIPT := rtld/rodata-first.ld
CORE_LDFLAGS := -shared -nostdlib -Wl,-e,_lt_start -Wl,-soname,ld-teach.so \
	-Wl,-Bsymbolic -Wl,-z,now -Wl,-z,relro -Wl,-z,noexecstack \
	-Wl,-z,pack-relative-relocs -Wl,--hash-style=gnu -Wl,--no-undefined -Wl,--build-id -Wl,-T,$(CORE_LDSCRIPT)

all: ld-teach.so

# The core's flags, as a file that changes when they do: an object built
# with other flags (the vector registers allowed, say) is built again.
CORE_FLAGS_STAMP := $(BUILD)/core-flags
$(CORE_FLAGS_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(CORE_CFLAGS)' | cmp -s - $@ || echo '$(CORE_CFLAGS)' >$@

$(BUILD)/core/%.o: %.c $(CORE_FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -c $< -o $@

$(BUILD)/core/%.o: %.S $(CORE_FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -c $< -o $@

# The freestanding proof: the core objects, linked alone with --no-undefined
# and no libraries at all, must need nothing from outside.  That includes the
# memcpy/memset calls the compiler emits on its own.
$(BUILD)/core/freestanding.ok: $(CORE_OBJS)
	$(LD) -shared --no-undefined -o $(BUILD)/core/freestanding-check.so $(CORE_OBJS)
	@touch $@

# Where each ld-teach.so is built to live, and which layout holds its
# adapters there (0: ld-teach/<libc>/ beside it, installed; 1: build/<libc>/,
# the source tree): reached by that path, it opens its adapter's file with
# no looking around (lt_beside_self in rtld/search.c).
home_flags = -DLT_HOME='"$(1)"' -DLT_HOME_LAYOUT=$(2)
$(BUILD)/core/rtld/search.o: CORE_CFLAGS += $(call home_flags,$(CURDIR)/ld-teach.so,1)

# ld-teach.so relocates itself before it can look anything up, so it must
# need relative relocations only.  $(1): the objects.
define link_core
	$(CC) $(CORE_LDFLAGS) -o $@ $(1)
	@if readelf -rW $@ | grep -E '^[0-9a-f]+ ' | grep -v R_X86_64_RELATIVE; then \
		echo "ld-teach.so: needs relocations other than R_X86_64_RELATIVE" >&2; \
		rm -f $@; exit 1; fi
endef
ld-teach.so: $(CORE_OBJS) $(BUILD)/core/freestanding.ok $(CORE_LDSCRIPT)
	$(call link_core,$(CORE_OBJS))

-include $(CORE_OBJS:.o=.d)

# The checked build, for the tests: every scope indexed, and every global
# lookup answered both by the symbol index and by the walk, which must agree;
# every answer taken from a prelink cache is looked up too, and must agree.
# It finds the musl adapter through the installed layout, next to itself.
CHECKED_OBJS := $(patsubst %,$(BUILD)/checked/%.o,$(basename $(CORE_SRCS)))
CHECKED_LT := $(BUILD)/checked/ld-teach.so

$(BUILD)/checked/%.o: %.c $(CORE_FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -DLT_CHECK_SYMINDEX -DLT_CHECK_PRELINK -c $< -o $@
$(BUILD)/checked/rtld/search.o: CORE_CFLAGS += $(call home_flags,$(CURDIR)/$(CHECKED_LT),0)
$(BUILD)/checked/%.o: %.S $(CORE_FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -c $< -o $@
$(CHECKED_LT): $(CHECKED_OBJS) $(MUSL_ADAPTER) $(CORE_LDSCRIPT)
	$(CC) $(CORE_LDFLAGS) -o $@ $(CHECKED_OBJS)
	@mkdir -p $(BUILD)/checked/ld-teach/musl $(BUILD)/checked/ld-teach/glibc
	ln -sf ../../../musl/libc.so $(BUILD)/checked/ld-teach/musl/libc.so
	ln -sf ../../../glibc/ld-linux-x86-64.so.2 $(BUILD)/checked/ld-teach/glibc/ld-linux-x86-64.so.2

-include $(CHECKED_OBJS:.o=.d)

# ---------------------------------------------------------------------------
include loader/loader.mk
include test-bins/test-bins.mk
include tests/tests.mk

deps-check:
	@tests/ensure-deps.sh check

deps-demo:
	@tests/ensure-deps.sh demo

# The packages first, then the build (so that -j does not start it before
# apt-get is done), as check does.
demo: deps-demo
	@$(MAKE) --no-print-directory all test-bins
	@tests/demo.sh

deps-bench:
	@tests/ensure-deps.sh bench

# Measured, not tested: a table and a plot in build/bench/ (doc/performance.md).
bench: deps-bench
	@$(MAKE) --no-print-directory all test-bins
	@tests/bench/bench.sh

# Each object is installed stripped (no debug information, no symbols but
# those it exports and KEEP); its debug information goes to
# lib/debug/.build-id/xx/rest.debug, named by its build-id, where gdb finds
# it (with debug-file-directory PREFIX/lib/debug; /usr/lib/debug, gdb's
# default, when PREFIX is /usr).
DEBUG_DIR = $(DESTDIR)$(PREFIX)/lib/debug/.build-id

# $(call install_stripped,FILE,DEST[,KEEP])
define install_stripped
	id=$$(readelf -n $(1) | sed -n 's/^ *Build ID: //p'); \
	[ -n "$$id" ] || { echo "$(1): no build-id, so no place for its debug information" >&2; exit 1; }; \
	debug=$(DEBUG_DIR)/$$(printf %.2s "$$id")/$${id#??}.debug; \
	install -d "$${debug%/*}" && objcopy --only-keep-debug $(1) "$$debug" && chmod 644 "$$debug" && \
	objcopy --strip-unneeded $(addprefix --keep-symbol=,$(3)) $(1) $(2) && chmod 755 $(2)
endef

# ld-teach.so finds its libc.so for musl programs at ld-teach/musl/ next to
# itself (or at build/musl/ in the source tree), and the glibc stand-in at
# ld-teach/glibc/.  The installed ld-teach.so is linked again, to know its
# home; PREFIX may change between runs, so always.  The stand-in keeps its
# strlen: valgrind replaces the one in the object named
# ld-linux-x86-64.so.2, and refuses to start without it.
# include/ld-teach/audit.h declares the rtld-audit interface for modules
# built for musl, whose <link.h> lacks it.
INSTALL_LT := $(BUILD)/install/ld-teach.so
$(BUILD)/install/search.o: rtld/search.c FORCE
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) $(call home_flags,$(PREFIX)/lib/ld-teach.so,0) -c $< -o $@
$(INSTALL_LT): $(filter-out $(BUILD)/core/rtld/search.o,$(CORE_OBJS)) $(BUILD)/install/search.o \
		$(CORE_LDSCRIPT)
	$(call link_core,$(filter %.o,$^))
install: all $(INSTALL_LT)
	install -d $(DESTDIR)$(PREFIX)/lib/ld-teach/musl
	$(call install_stripped,$(INSTALL_LT),$(DESTDIR)$(PREFIX)/lib/ld-teach.so)
	$(call install_stripped,$(MUSL_ADAPTER),$(DESTDIR)$(PREFIX)/lib/ld-teach/musl/libc.so)
	$(if $(GLIBC_LDSO),install -d $(DESTDIR)$(PREFIX)/lib/ld-teach/glibc)
	$(if $(GLIBC_LDSO),$(call install_stripped,$(GLIBC_LDSO),$(DESTDIR)$(PREFIX)/lib/ld-teach/glibc/ld-linux-x86-64.so.2,strlen))
	install -D -m 644 include/ld-teach/audit.h $(DESTDIR)$(PREFIX)/include/ld-teach/audit.h

clean:
	rm -rf $(BUILD) ld-teach.so ld-teach-exec

.PHONY: all check demo bench install clean deps-check deps-demo deps-bench FORCE
.DELETE_ON_ERROR:
