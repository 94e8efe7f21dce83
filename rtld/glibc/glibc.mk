# glibc's loader data model, generated from libc6-dbg's DWARF: the host tool
# gen-layout writes $(GLIBC_LAYOUT_H) and $(GLIBC_LAYOUT_CHECK_H) for the
# installed libc.so.6 and ld.so (doc/glibc-facts.md).  Included by the top
# Makefile.
#
# Without libc6-dbg (or libdw-dev) the build goes on without them:
# GLIBC_LAYOUT_AVAILABLE is empty, no header exists, `make` says so in one
# line, and glibc programs are unsupported.  With them, GLIBC_LAYOUT_AVAILABLE
# is "yes" and $(GLIBC_AVAILABLE) is made once both headers are current;
# code that needs the layout depends on that stamp.

GLIBC_DIR := $(BUILD)/glibc
GEN_LAYOUT := $(GLIBC_DIR)/gen-layout
GLIBC_LAYOUT_H := $(GLIBC_DIR)/layout.h
GLIBC_LAYOUT_CHECK_H := $(GLIBC_DIR)/layout-check.h
GLIBC_AVAILABLE := $(GLIBC_DIR)/available
GLIBC_LIBC := /lib/x86_64-linux-gnu/libc.so.6
GLIBC_LD := /lib64/ld-linux-x86-64.so.2
GLIBC_DEBUG_DIR := /usr/lib/debug

# The debug file libc6-dbg installs for an object is named by its build-id.
glibc_debug_file = $(shell readelf -n $(1) 2>/dev/null | \
	sed -n 's|^ *Build ID: *\(..\)\(.*\)|$(GLIBC_DEBUG_DIR)/.build-id/\1/\2.debug|p')
GLIBC_LIBC_DEBUG := $(call glibc_debug_file,$(GLIBC_LIBC))
GLIBC_LD_DEBUG := $(call glibc_debug_file,$(GLIBC_LD))

GLIBC_MISSING := $(if $(wildcard /usr/include/elfutils/libdw.h),,libdw-dev) \
	$(if $(wildcard /usr/include/gelf.h),,libelf-dev) \
	$(if $(and $(GLIBC_LIBC_DEBUG),$(GLIBC_LD_DEBUG),$(wildcard $(GLIBC_LIBC_DEBUG)),$(wildcard $(GLIBC_LD_DEBUG))),,libc6-dbg)
GLIBC_MISSING := $(strip $(GLIBC_MISSING))

ifeq ($(GLIBC_MISSING),)
GLIBC_LAYOUT_AVAILABLE := yes

$(GEN_LAYOUT): rtld/glibc/host/gen-layout.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -g $(WARN) -o $@ $< -ldw -lelf

# A package update can bring files older than the headers, so the inputs'
# names (which carry the build-ids) are a prerequisite too: this file is
# rewritten only when they change.
GLIBC_INPUTS := $(GLIBC_LIBC) $(GLIBC_LIBC_DEBUG) $(GLIBC_LD) $(GLIBC_LD_DEBUG)
$(GLIBC_DIR)/inputs: glibc-inputs-changed
	@mkdir -p $(@D)
	@echo '$(GLIBC_INPUTS)' | cmp -s - $@ || echo '$(GLIBC_INPUTS)' >$@
.PHONY: glibc-inputs-changed

$(GLIBC_LAYOUT_H) $(GLIBC_LAYOUT_CHECK_H) &: $(GEN_LAYOUT) $(GLIBC_DIR)/inputs $(GLIBC_INPUTS)
	$(GEN_LAYOUT) --libc $(GLIBC_LIBC) --ld $(GLIBC_LD) --debug-dir $(GLIBC_DEBUG_DIR) \
		--out $(GLIBC_LAYOUT_H) --check-out $(GLIBC_LAYOUT_CHECK_H)

$(GLIBC_AVAILABLE): $(GLIBC_LAYOUT_H) $(GLIBC_LAYOUT_CHECK_H)
	@echo '$(GLIBC_INPUTS)' >$@

# The core's glibc files compile to nothing without layout.h: build them
# after it, and again when it changes.
$(filter $(BUILD)/core/rtld/glibc/% $(BUILD)/checked/rtld/glibc/%,$(CORE_OBJS) $(CHECKED_OBJS)): \
	$(GLIBC_AVAILABLE)

glibc-layout: $(GLIBC_AVAILABLE)
else
GLIBC_LAYOUT_AVAILABLE :=

glibc-layout:
	@rm -f $(GLIBC_LAYOUT_H) $(GLIBC_LAYOUT_CHECK_H) $(GLIBC_AVAILABLE)
	@echo "ld-teach: glibc programs will be unsupported: they need $(GLIBC_MISSING) for the installed glibc (apt-get install $(GLIBC_MISSING))"
endif

all: glibc-layout
.PHONY: glibc-layout
