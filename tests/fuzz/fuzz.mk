# The ELF fuzzer (tests/fuzz/, doc/robustness.md).  Included by tests/tests.mk.
#
#   make fuzz                  a campaign of FUZZ_SECONDS (default 60) or
#                              FUZZ_EXECS executions, seeded with FUZZ_SEED
#
# elffuzz mutates the seeds below (programs, and libraries under a program
# that needs them) and runs each mutant under ld-teach: --list, --verify,
# command mode and kernel-started (PT_INTERP).  The programs are the -lt
# builds, whose PT_INTERP is ld-teach.so.

FUZZ := $(BUILD)/fuzz
ELFFUZZ := $(FUZZ)/elffuzz
ELFFUZZ_SRCS := $(addprefix tests/fuzz/,elffuzz.c elfmap.c mutate.c run.c)

$(ELFFUZZ): $(ELFFUZZ_SRCS) tests/fuzz/fuzz.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g $(WARN) -o $@ $(ELFFUZZ_SRCS) -lelf

# A seed bound now (the test programs bind lazily).
FUZZ_BIND_NOW := -Wl,-z,now
$(eval $(call fs_program,fs-main-now,test-bins/freestanding/main.c,$(FS_LIBS),-fPIE -pie $(FUZZ_BIND_NOW) $(FS_MAIN_LIBS)))

# The seeds, what each brings: fs-main (PIE, every relocation type, TLS of
# every model, IFUNC, versions, lazy), fs-main-nopie (fixed address),
# fs-main-now (BIND_NOW); libfs-d (RELR), libfs-c (TLS descriptors,
# TEXTREL), libfs-ver (versions); the musl programs with TLS (threads),
# lazy binding (lazyargs), COPY relocations at a fixed address (copyreloc),
# and a library with versions that dlopen brings (libmu-vers under dlflags).
FUZZ_FS := $(CURDIR)/$(FS)
FUZZ_MU := $(CURDIR)/$(MU)
FUZZ_TARGETS := \
	"prog $(FUZZ_FS)/fs-main-lt $(FUZZ_FS)/lib" \
	"prog $(FUZZ_FS)/fs-main-nopie-lt $(FUZZ_FS)/lib" \
	"prog $(FUZZ_FS)/fs-main-now-lt $(FUZZ_FS)/lib" \
	"prog $(FUZZ_MU)/hello-lt $(FUZZ_MU)/lib" \
	"prog $(FUZZ_MU)/threads-lt $(FUZZ_MU)/lib" \
	"prog $(FUZZ_MU)/lazyargs-lt $(FUZZ_MU)/lib" \
	"prog $(FUZZ_MU)/copyreloc-lt $(FUZZ_MU)/lib" \
	"lib $(FUZZ_FS)/lib/libfs-a.so $(FUZZ_FS)/fs-main-lt $(FUZZ_FS)/lib" \
	"lib $(FUZZ_FS)/lib/libfs-c.so $(FUZZ_FS)/fs-main-lt $(FUZZ_FS)/lib" \
	"lib $(FUZZ_FS)/lib/libfs-d.so $(FUZZ_FS)/fs-main-now-lt $(FUZZ_FS)/lib" \
	"lib $(FUZZ_FS)/lib/libfs-ver.so $(FUZZ_FS)/fs-main-lt $(FUZZ_FS)/lib" \
	"lib $(FUZZ_MU)/lib/libmu-tls.so $(FUZZ_MU)/threads-lt $(FUZZ_MU)/lib" \
	"lib $(FUZZ_MU)/lib/libmu-lazy.so $(FUZZ_MU)/lazyargs-lt $(FUZZ_MU)/lib" \
	"lib $(FUZZ_MU)/lib/libmu-data.so $(FUZZ_MU)/copyreloc-lt $(FUZZ_MU)/lib" \
	"lib $(FUZZ_MU)/lib/libmu-vers.so $(FUZZ_MU)/dlflags-lt $(FUZZ_MU)/lib"

# (test-bins' list is read before this file: the targets file brings fs-main-now.)
$(FUZZ)/targets: tests/fuzz/fuzz.mk $(FS)/fs-main-now $(FS)/fs-main-now-lt
	@mkdir -p $(dir $@)
	@printf '%s\n' $(FUZZ_TARGETS) >$@

FUZZ_SEED ?= 1
FUZZ_SECONDS ?= 60
FUZZ_LENGTH = $(if $(FUZZ_EXECS),--execs $(FUZZ_EXECS),--seconds $(FUZZ_SECONDS))

fuzz: all test-bins $(ELFFUZZ) $(FUZZ)/targets
	$(ELFFUZZ) campaign --targets $(FUZZ)/targets --loader ld-teach.so $(FUZZ_LENGTH) \
		--seed $(FUZZ_SEED) --out $(FUZZ)/crashes

.PHONY: fuzz
CHECK_BUILD += $(ELFFUZZ) $(FUZZ)/targets
