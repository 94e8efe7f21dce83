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

# The adapter's core side reads the generated layouts.
GLIBC_CORE_SRCS := $(wildcard rtld/glibc/*.c)
$(foreach d,core checked,$(patsubst %.c,$(BUILD)/$(d)/%.o,$(GLIBC_CORE_SRCS))): $(GLIBC_AVAILABLE)
$(BUILD)/core/rtld/glibc/%.o $(BUILD)/checked/rtld/glibc/%.o: CORE_CFLAGS += -I$(GLIBC_DIR)

# The adapter's libc side: the stand-in for ld-linux-x86-64.so.2 (libc/ldso.c),
# with glibc's soname and version nodes, freestanding like the core.
GLIBC_LDSO := $(GLIBC_DIR)/ld-linux-x86-64.so.2
GLIBC_LDSO_CFLAGS := -std=gnu11 -O2 -g -fPIC -ffreestanding -nostdlib -fno-stack-protector \
	-fvisibility=hidden $(WARN) $(FRAME_LIMIT) -I$(GLIBC_DIR) -Irtld/glibc -Irtld -MMD -MP
$(GLIBC_DIR)/ldso.o: rtld/glibc/libc/ldso.c $(GLIBC_AVAILABLE)
	@mkdir -p $(@D)
	$(CC) $(GLIBC_LDSO_CFLAGS) -c $< -o $@
$(GLIBC_LDSO): $(GLIBC_DIR)/ldso.o rtld/glibc/libc/ldso.map rtld/bss-in-file.ld rtld/rodata-first.ld
	$(CC) -shared -nostdlib -o $@ -Wl,-soname,ld-linux-x86-64.so.2 \
		-Wl,--version-script=rtld/glibc/libc/ldso.map -Wl,-Bsymbolic -Wl,--no-undefined \
		-Wl,-z,now -Wl,-z,relro -Wl,-z,noexecstack -Wl,--hash-style=gnu \
		-Wl,-T,rtld/bss-in-file.ld -Wl,-T,rtld/rodata-first.ld $<
-include $(GLIBC_DIR)/ldso.d

glibc-layout: $(GLIBC_AVAILABLE) $(GLIBC_LDSO)
else
GLIBC_LAYOUT_AVAILABLE :=
GLIBC_LDSO :=

# Without the layouts, ld-teach refuses glibc programs (fallback/adapter.c).
CORE_EXCLUDE += rtld/glibc/%.c
CORE_EXTRA += rtld/glibc/fallback/adapter.c

glibc-layout:
	@rm -f $(GLIBC_LAYOUT_H) $(GLIBC_LAYOUT_CHECK_H) $(GLIBC_AVAILABLE)
	@echo "ld-teach: glibc programs will be unsupported: they need $(GLIBC_MISSING) for the installed glibc (apt-get install $(GLIBC_MISSING))"
endif

all: glibc-layout
.PHONY: glibc-layout
