# ld-teach's libc.so for musl programs: Debian's musl libc.a (every member,
# PIC) plus the glue in libc/.  Included by the top Makefile.
#
# The flags reproduce the shape of Debian's own libc.so (see
# doc/design.md): no -Bsymbolic, whose binding would make libc ignore the
# program's copies of environ/stdout/optarg and a replacement malloc; a
# dynamic list instead, which keeps exactly those symbols preemptible.

MUSL_LIBC_A := /usr/lib/x86_64-linux-musl/libc.a
MUSL_ADAPTER := $(BUILD)/musl/libc.so

# libc.a's dlclose (which never unloads), dlinfo (one request) and
# __tls_get_addr (which never allocates) are strong; a copy with them
# weakened lets the glue's definitions win.  pthread_exit's
# __dl_thread_cleanup, strong in dlerror.lo, is renamed there: the glue's
# own frees the thread's dynamic TLS blocks, then calls it.
MUSL_LIBC_WEAKENED := $(BUILD)/musl/libc-weakened.a
$(MUSL_LIBC_WEAKENED): $(MUSL_LIBC_A) rtld/musl/musl.mk
	@mkdir -p $(dir $@)/dlerror
	objcopy --weaken-symbol=dlclose --weaken-symbol=dlinfo --weaken-symbol=__tls_get_addr $< $@
	cd $(dir $@)/dlerror && ar x $(abspath $<) dlerror.lo && \
		objcopy --redefine-sym __dl_thread_cleanup=__lt_musl_dl_thread_cleanup dlerror.lo && \
		ar r $(abspath $@) dlerror.lo
GLUE_CFLAGS := -std=gnu11 -O2 -g -fPIC -fno-stack-protector -fvisibility=hidden \
	-ffreestanding -fno-builtin -nostdinc -isystem /usr/include/x86_64-linux-musl \
	-Iinclude -Iarch/x86_64 $(WARN) $(FRAME_LIMIT) -MMD -MP

$(BUILD)/musl/glue.o: rtld/musl/libc/glue.c
	@mkdir -p $(dir $@)
	$(CC) $(GLUE_CFLAGS) -c $< -o $@

$(MUSL_ADAPTER): $(BUILD)/musl/glue.o rtld/musl/libc/dynamic.list rtld/bss-in-file.ld \
		$(MUSL_LIBC_WEAKENED)
	$(CC) -shared -nostdlib -o $@ \
		-Wl,--no-undefined -Wl,-z,text -Wl,-z,now -Wl,-z,relro -Wl,-z,noexecstack \
		-Wl,--hash-style=both -Wl,--gc-sections -Wl,--sort-section,alignment \
		-Wl,--sort-common -Wl,--exclude-libs=libgcc.a:libgcc_eh.a \
		-Wl,--dynamic-list=rtld/musl/libc/dynamic.list -Wl,-T,rtld/bss-in-file.ld \
		-Wl,--whole-archive $(MUSL_LIBC_WEAKENED) -Wl,--no-whole-archive \
		$(BUILD)/musl/glue.o -lgcc

all: $(MUSL_ADAPTER)

-include $(BUILD)/musl/glue.d
