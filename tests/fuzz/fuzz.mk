# The ELF fuzzer (tests/fuzz/, doc/robustness.md).  Included by tests/tests.mk.
#
#   make fuzz                  a campaign of FUZZ_SECONDS (default 60) or
#                              FUZZ_EXECS executions, seeded with FUZZ_SEED
#
# elffuzz mutates the seeds below (programs, and libraries under a program
# that needs them) and runs each mutant under ld-teach: --list, --verify,
# command mode and kernel-started (PT_INTERP).  The programs are the -lt
# builds, whose PT_INTERP is ld-teach.so.  A second campaign runs the seeds
# as they are under generated environments and loader options (--inputs
# env), as long again.

FUZZ := $(BUILD)/fuzz
ELFFUZZ := $(FUZZ)/elffuzz
ELFFUZZ_SRCS := $(addprefix tests/fuzz/,elffuzz.c elfmap.c mutate.c envgen.c run.c)

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
# and a library with versions that dlopen brings (libmu-vers under dlflags);
# the glibc-built programs with glibc's libc.so.6 (the glibc adapter), TLS
# with threads and lazy binding.
FUZZ_FS := $(CURDIR)/$(FS)
FUZZ_MU := $(CURDIR)/$(MU)
FUZZ_GF := $(CURDIR)/$(GF)
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
	"lib $(FUZZ_MU)/lib/libmu-vers.so $(FUZZ_MU)/dlflags-lt $(FUZZ_MU)/lib" \
	"prog $(FUZZ_GF)/hello-lt $(FUZZ_GF)/lib" \
	"prog $(FUZZ_GF)/threads-lt $(FUZZ_GF)/lib" \
	"prog $(FUZZ_GF)/lazyargs-lt $(FUZZ_GF)/lib" \
	"lib $(FUZZ_GF)/lib/libmu-tls.so $(FUZZ_GF)/threads-lt $(FUZZ_GF)/lib"

# (test-bins' list is read before this file: the targets file brings fs-main-now.)
$(FUZZ)/targets: tests/fuzz/fuzz.mk $(FS)/fs-main-now $(FS)/fs-main-now-lt
	@mkdir -p $(dir $@)
	@printf '%s\n' $(FUZZ_TARGETS) >$@

CHECK_BUILD += $(ELFFUZZ) $(FUZZ)/targets

# ---------------------------------------------------------------------------
# In-process fuzzing of the pure modules: libFuzzer, under AddressSanitizer
# and UndefinedBehaviorSanitizer (clang-14).  inproc/elf.c: the ELF checker,
# the dynamic-section parser, version matching and the notes (build-id,
# glibc's x86 ISA marker); inproc/path.c: path
# expansion; inproc/prelink.c: the prelink cache's format; inproc/ldcache.c:
# glibc's ld.so.cache, parsed and searched.  Their corpora grow in
# build/fuzz/corpus/, from the test objects (elf), a few path elements
# (path), caches ld-teach records (prelink), and ld.so.caches in each
# format and the system's own (ldcache).
INPROC := $(FUZZ)/inproc
INPROC_CC := clang-14
INPROC_CFLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	$(WARN) -iquote rtld -iquote arch/x86_64 -Iinclude
INPROC_NAMES := elf path prelink ldcache
INPROC_SRCS_elf := rtld/elf_check.c rtld/dynamic.c rtld/version.c rtld/error.c rtld/print.c \
	rtld/trace.c rtld/note.c rtld/glibc/isa.c rtld/path.c tests/unit/seams.c
INPROC_SRCS_path := rtld/path.c
INPROC_SRCS_prelink := rtld/prelink_file.c
INPROC_SRCS_ldcache := rtld/glibc/cache.c

define inproc_harness
$(INPROC)/$(1): tests/fuzz/inproc/$(1).c $(INPROC_SRCS_$(1)) $(wildcard rtld/*.h rtld/glibc/*.h)
	@mkdir -p $$(dir $$@)
	$(INPROC_CC) $(INPROC_CFLAGS) -o $$@ $$< $(INPROC_SRCS_$(1))
endef
$(foreach h,$(INPROC_NAMES),$(eval $(call inproc_harness,$(h))))

# Seeds: the test programs and libraries (a glibc-built one has a GNU
# property note, with its ISA level); path elements with every token,
# each after its flag and size bytes (see inproc/path.c), and a musl path
# file; prelink caches of
# two musl programs, after the byte that has the harness make the checksum
# right; ld.so.caches in the three formats, and the system's.
FUZZ_ELF_SEEDS := $(FS)/fs-main $(FS)/fs-main-nopie $(addprefix $(FS_LIBDIR)/,libfs-a.so \
	libfs-c.so libfs-d.so libfs-ver.so) $(MU)/hello $(MU)/threads $(MU_LIBDIR)/libmu-vers.so \
	$(GF)/kitchen
$(FUZZ)/corpus/elf/.seeded: $(FUZZ_ELF_SEEDS)
	@mkdir -p $(dir $@)
	cp $^ $(dir $@)
	@touch $@
$(FUZZ)/corpus/path/.seeded: tests/fuzz/fuzz.mk
	@mkdir -p $(dir $@)
	@printf '\003\100/usr/lib\000x86_64\000$$ORIGIN/../$$LIB' >$(dir $@)/origin
	@printf '\007\020/o\000p\000$${PLATFORM}/$${ORIGIN}$$LIBX' >$(dir $@)/braces
	@printf '\001\377/bin\000\000lib:$$ORIGIN' >$(dir $@)/secure
	@printf '\010\002:/a\n\n/b::\n/usr/lib\000/after' >$(dir $@)/path-file
	@touch $@
FUZZ_PRELINK_SEEDS := $(MU)/hello $(MU)/kitchen
$(FUZZ)/corpus/prelink/.seeded: $(FUZZ_PRELINK_SEEDS) ld-teach.so $(MUSL_ADAPTER)
	@rm -rf $(FUZZ)/prelink-src && mkdir -p $(dir $@)
	@for p in $(FUZZ_PRELINK_SEEDS); do \
		LD_TEACH_CACHE_DIR=$(FUZZ)/prelink-src ./ld-teach.so --prelink $$p >/dev/null || exit 1; done
	@for f in $(FUZZ)/prelink-src/*; do { printf '\001'; cat $$f; } >$(dir $@)/$${f##*/}; done
	@touch $@
$(FUZZ)/ldcache-seeds: tests/fuzz/inproc/ldcache_seeds.c tests/unit/ldcache_writer.c \
		tests/unit/ldcache_writer.h
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O1 -g $(WARN) -Itests/unit -o $@ $< tests/unit/ldcache_writer.c
$(FUZZ)/corpus/ldcache/.seeded: $(FUZZ)/ldcache-seeds $(wildcard /etc/ld.so.cache)
	@mkdir -p $(dir $@)
	$(FUZZ)/ldcache-seeds $(dir $@)
	@if [ -f /etc/ld.so.cache ]; then cp /etc/ld.so.cache $(dir $@)/system.cache; fi
	@touch $@

INPROC_BUILD := $(addprefix $(INPROC)/,$(INPROC_NAMES)) \
	$(patsubst %,$(FUZZ)/corpus/%/.seeded,$(INPROC_NAMES))
# (clang-14 is optional for make check: without it the fuzz suite skips these.)
ifneq ($(shell command -v $(INPROC_CC)),)
CHECK_BUILD += $(INPROC_BUILD)
endif

# ---------------------------------------------------------------------------
FUZZ_SEED ?= 1
FUZZ_SECONDS ?= 60
FUZZ_INPROC_SECONDS ?= 20
FUZZ_LENGTH = $(if $(FUZZ_EXECS),--execs $(FUZZ_EXECS),--seconds $(FUZZ_SECONDS))
FUZZ_INPROC_LENGTH = $(if $(FUZZ_EXECS),-runs=$(FUZZ_EXECS),-max_total_time=$(FUZZ_INPROC_SECONDS))

deps-fuzz:
	@tests/ensure-deps.sh fuzz

fuzz: deps-fuzz all test-bins $(ELFFUZZ) $(FUZZ)/targets $(INPROC_BUILD)
	@for h in $(INPROC_NAMES); do tests/fuzz/inproc.sh $(INPROC)/$$h $(FUZZ)/corpus/$$h \
		$(FUZZ_INPROC_LENGTH) $(FUZZ_SEED) $(FUZZ)/crashes || exit 1; done
	$(ELFFUZZ) campaign --targets $(FUZZ)/targets --loader ld-teach.so $(FUZZ_LENGTH) \
		--seed $(FUZZ_SEED) --out $(FUZZ)/crashes
	$(ELFFUZZ) campaign --targets $(FUZZ)/targets --loader ld-teach.so $(FUZZ_LENGTH) \
		--seed $(FUZZ_SEED) --out $(FUZZ)/crashes --inputs env

.PHONY: fuzz deps-fuzz
