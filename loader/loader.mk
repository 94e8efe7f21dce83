# ld-teach-exec, the userspace execve.  Included by the top Makefile.
#
#   ./ld-teach-exec                 the command: freestanding, static
#   build/loader/libteach-exec.a    the library behind it (include/ld-teach/exec.h)
#   build/test-bins/exec/           its test programs (tests/integration/exec.sh)
#
# Everything before the point of no return is ordinary freestanding code.
# What runs after it is the stage blob: stage.c with the core's formatter and
# string helpers, linked alone into position-independent bytes that
# ld-teach-exec copies into a fresh mapping (doc/exec.md).

EXEC_B := $(BUILD)/loader
EXEC_CFLAGS := -std=gnu11 -O2 -g -fPIC -ffreestanding -nostdlib -fno-stack-protector \
	-fvisibility=hidden $(WARN) -Iinclude -Irtld -Iarch/x86_64 -Iloader -MMD -MP
# The stage must not use the vector registers, which it resets last thing.
EXEC_STAGE_CFLAGS := $(filter-out -fPIC,$(EXEC_CFLAGS)) -fPIE -mgeneral-regs-only \
	-fno-asynchronous-unwind-tables

EXEC_LIB_SRCS := loader/exec.c loader/file.c loader/script.c loader/elf.c loader/layout.c \
	loader/auxv.c loader/stack.c loader/proc.c loader/trace.c
# The core modules it reuses, compiled again with its own flags.
EXEC_CORE_SRCS := rtld/print.c rtld/str.c rtld/elf_check.c rtld/error.c
EXEC_STAGE_SRCS := loader/stage.c loader/trace.c rtld/print.c rtld/str.c \
	arch/x86_64/exec_stage.S

EXEC_LIB_OBJS := $(patsubst %,$(EXEC_B)/%.o,$(basename $(EXEC_LIB_SRCS) $(EXEC_CORE_SRCS))) \
	$(EXEC_B)/stage-blob.o
EXEC_CMD_OBJS := $(EXEC_B)/arch/x86_64/exec_start.o $(EXEC_B)/loader/main.o
EXEC_STAGE_OBJS := $(patsubst %,$(EXEC_B)/stage/%.o,$(basename $(EXEC_STAGE_SRCS)))

all: ld-teach-exec

$(EXEC_B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(EXEC_CFLAGS) -c $< -o $@
$(EXEC_B)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(EXEC_CFLAGS) -c $< -o $@
$(EXEC_B)/stage/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(EXEC_STAGE_CFLAGS) -c $< -o $@
$(EXEC_B)/stage/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(EXEC_STAGE_CFLAGS) -c $< -o $@

# The blob, linked at two addresses: position independence is proved by the
# two images being identical, byte for byte.
EXEC_STAGE_BASES := 0x0 0x40000000
$(EXEC_B)/stage-%.elf: $(EXEC_STAGE_OBJS) loader/stage.lds.S loader/stage-layout.h
	$(CC) -E -P -x c -Iloader -DSTAGE_LINK_BASE=$* loader/stage.lds.S -o $(EXEC_B)/stage-$*.lds
	$(LD) -static -nostdlib -T $(EXEC_B)/stage-$*.lds -o $@ $(EXEC_STAGE_OBJS)
$(EXEC_B)/stage-%.bin: $(EXEC_B)/stage-%.elf
	objcopy -O binary -j .tramp -j .text $< $@
$(EXEC_B)/stage.bin: $(patsubst %,$(EXEC_B)/stage-%.bin,$(EXEC_STAGE_BASES))
	@cmp -s $^ || { echo "ld-teach-exec: the stage blob depends on its load address;" \
		"something in $(EXEC_STAGE_SRCS) holds an absolute address" >&2; exit 1; }
	cp $< $@
$(EXEC_B)/stage-blob.o: loader/stage-blob.S $(EXEC_B)/stage.bin
	@mkdir -p $(dir $@)
	$(CC) $(EXEC_CFLAGS) -DSTAGE_BLOB='"$(EXEC_B)/stage.bin"' -c $< -o $@

# The library exports teach_execve and friends only: its hidden symbols
# (the core's helpers among them) become local.
$(EXEC_B)/libteach-exec.a: $(EXEC_LIB_OBJS)
	$(LD) -r -o $(EXEC_B)/teach-exec.o $^
	objcopy --localize-hidden $(EXEC_B)/teach-exec.o
	rm -f $@ && ar rcs $@ $(EXEC_B)/teach-exec.o

# Static and without libc: the link fails if anything outside is needed.
ld-teach-exec: $(EXEC_CMD_OBJS) $(EXEC_LIB_OBJS)
	$(CC) -static -nostdlib -no-pie -Wl,-z,noexecstack -o $@ $^

# The top Makefile's clean and install know ld-teach.so only.
clean: exec-clean
exec-clean:
	rm -f ld-teach-exec
install: exec-install
exec-install: ld-teach-exec
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 ld-teach-exec $(DESTDIR)$(PREFIX)/bin/ld-teach-exec
.PHONY: exec-clean exec-install

-include $(EXEC_LIB_OBJS:.o=.d) $(EXEC_CMD_OBJS:.o=.d) $(EXEC_STAGE_OBJS:.o=.d)
.SECONDARY: $(EXEC_STAGE_OBJS) $(patsubst %,$(EXEC_B)/stage-%.elf,$(EXEC_STAGE_BASES)) \
	$(patsubst %,$(EXEC_B)/stage-%.bin,$(EXEC_STAGE_BASES))

# ---------------------------------------------------------------------------
# Test programs for tests/integration/exec.sh, built into build/test-bins/exec/.
# facts (test-bins/exec/facts.c) is built once for each kind of program
# ld-teach-exec starts: glibc and musl; static, static-PIE and dynamic.
EXB := $(BUILD)/test-bins/exec
EXEC_TB_CFLAGS := -std=gnu11 -O2 -g $(WARN)
EXEC_MUSL_LIB := /usr/lib/x86_64-linux-musl
# Flags with commas, which $(call) arguments cannot hold.
EXEC_ALIGN_2M := -Wl,-z,max-page-size=0x200000
EXEC_NO_INTERP := -Wl,--dynamic-linker=/nonexistent/ld-teach-test.so.1
EXEC_EXECSTACK := -Wl,-z,execstack

# $(call exec_facts,NAME,COMPILER AND FLAGS)
define exec_facts
$(EXB)/facts-$(1): test-bins/exec/facts.c
	@mkdir -p $$(dir $$@)
	$(2) $$< -o $$@
EXEC_TEST_BINS += $(EXB)/facts-$(1)
endef
$(eval $(call exec_facts,glibc-pie,$(CC) $(EXEC_TB_CFLAGS) -fPIE -pie))
$(eval $(call exec_facts,glibc-nopie,$(CC) $(EXEC_TB_CFLAGS) -fno-pie -no-pie))
$(eval $(call exec_facts,glibc-static,$(CC) $(EXEC_TB_CFLAGS) -fno-pie -no-pie -static))
$(eval $(call exec_facts,glibc-static-pie,$(CC) $(EXEC_TB_CFLAGS) -fPIE -static-pie))
$(eval $(call exec_facts,glibc-align2m,$(CC) $(EXEC_TB_CFLAGS) -fPIE -pie $(EXEC_ALIGN_2M)))
$(eval $(call exec_facts,musl,musl-gcc $(EXEC_TB_CFLAGS) -fPIE -pie))
$(eval $(call exec_facts,musl-static,musl-gcc $(EXEC_TB_CFLAGS) -static))
$(eval $(call exec_facts,missing-interp,$(CC) $(EXEC_TB_CFLAGS) -fPIE -pie $(EXEC_NO_INTERP)))
$(eval $(call exec_facts,execstack,musl-gcc $(EXEC_TB_CFLAGS) -static $(EXEC_EXECSTACK)))

# musl-gcc's specs cannot link a static PIE: it needs rcrt1.o, which relocates
# the program itself, and the link options gcc's -static-pie would pass.
$(EXB)/facts-musl-static-pie: test-bins/exec/facts.c
	@mkdir -p $(dir $@)
	musl-gcc $(EXEC_TB_CFLAGS) -fPIE -nostartfiles -static -Wl,-pie -Wl,--no-dynamic-linker \
		-Wl,-z,text $(EXEC_MUSL_LIB)/rcrt1.o $(EXEC_MUSL_LIB)/crti.o \
		$$($(CC) -print-file-name=crtbeginS.o) $< $$($(CC) -print-file-name=crtendS.o) \
		$(EXEC_MUSL_LIB)/crtn.o -o $@
EXEC_TEST_BINS += $(EXB)/facts-musl-static-pie

# A #! script with facts as its interpreter and one argument, blanks and all.
$(EXB)/facts-script: $(EXB)/facts-musl-static
	printf '#!%s   one  two  \n' $(CURDIR)/$< >$@
	chmod +x $@
$(EXB)/hello.sh: test-bins/exec/hello.sh
	@mkdir -p $(dir $@)
	install -m 755 $< $@
$(EXB)/noslack: test-bins/exec/noslack.S
	@mkdir -p $(dir $@)
	$(CC) -nostdlib -static -no-pie -Wl,-z,separate-code $< -o $@
$(EXB)/overstack: test-bins/exec/overstack.S
	@mkdir -p $(dir $@)
	$(CC) -nostdlib -static -no-pie -Wl,-Ttext-segment=0x7ff000000000 $< -o $@
$(EXB)/nowhere: test-bins/exec/overstack.S
	@mkdir -p $(dir $@)
	$(CC) -nostdlib -static-pie -DNOWHERE $< -o $@
$(EXB)/bigbss: test-bins/exec/bigbss.c
	@mkdir -p $(dir $@)
	musl-gcc $(EXEC_TB_CFLAGS) -static $< -o $@
$(EXB)/api-caller: test-bins/exec/api-caller.c include/ld-teach/exec.h $(EXEC_B)/libteach-exec.a
	@mkdir -p $(dir $@)
	$(CC) $(EXEC_TB_CFLAGS) -Iinclude $< $(EXEC_B)/libteach-exec.a -lm -pthread -o $@
# The same with musl, whose libc registers no rseq area and has no __rseq_size.
$(EXB)/api-caller-musl: test-bins/exec/api-caller.c include/ld-teach/exec.h $(EXEC_B)/libteach-exec.a
	@mkdir -p $(dir $@)
	musl-gcc $(EXEC_TB_CFLAGS) -Iinclude $< $(EXEC_B)/libteach-exec.a -lm -pthread -o $@

EXEC_TEST_BINS += $(addprefix $(EXB)/,facts-script hello.sh noslack overstack nowhere bigbss api-caller api-caller-musl)
# The program whose PT_INTERP is ld-teach.so comes from test-bins.mk.
CHECK_BUILD += ld-teach-exec $(EXEC_TEST_BINS) $(BUILD)/test-bins/fs/fs-auxv-lt
