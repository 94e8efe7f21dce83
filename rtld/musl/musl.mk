# ld-teach's libc.so for musl programs: Debian's musl libc.a (every member,
# PIC) plus the glue in this directory.  Included by the top Makefile.
#
# The flags reproduce the shape of Debian's own libc.so (see
# doc/design.md): no -Bsymbolic, whose binding would make libc ignore the
# program's copies of environ/stdout/optarg and a replacement malloc; a
# dynamic list instead, which keeps exactly those symbols preemptible.

MUSL_LIBC_A := /usr/lib/x86_64-linux-musl/libc.a
MUSL_ADAPTER := $(BUILD)/musl/libc.so
GLUE_CFLAGS := -std=gnu11 -O2 -g -fPIC -fno-stack-protector -fvisibility=hidden \
	-ffreestanding -fno-builtin -nostdinc -isystem /usr/include/x86_64-linux-musl \
	-Iinclude -Iarch/x86_64 $(WARN) -MMD -MP

$(BUILD)/musl/glue.o: rtld/musl/glue.c
	@mkdir -p $(dir $@)
	$(CC) $(GLUE_CFLAGS) -c $< -o $@

$(MUSL_ADAPTER): $(BUILD)/musl/glue.o rtld/musl/dynamic.list $(MUSL_LIBC_A)
	$(CC) -shared -nostdlib -o $@ \
		-Wl,--no-undefined -Wl,-z,text -Wl,-z,now -Wl,-z,relro -Wl,-z,noexecstack \
		-Wl,--hash-style=both -Wl,--gc-sections -Wl,--sort-section,alignment \
		-Wl,--sort-common -Wl,--exclude-libs=libgcc.a:libgcc_eh.a \
		-Wl,--dynamic-list=rtld/musl/dynamic.list \
		-Wl,--whole-archive $(MUSL_LIBC_A) -Wl,--no-whole-archive \
		$(BUILD)/musl/glue.o -lgcc

all: $(MUSL_ADAPTER)

-include $(BUILD)/musl/glue.d
