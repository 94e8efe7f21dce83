# Test programs, built into build/test-bins/.  Included by the top Makefile.
#
# Freestanding programs (no libc) exercise the core alone.  Every program is
# built twice: NAME names the system loader as PT_INTERP (run it as
# ./ld-teach.so NAME), NAME-lt names ld-teach.so (run it directly).

TB := $(BUILD)/test-bins
LT_INTERP := -Wl,--dynamic-linker=$(CURDIR)/ld-teach.so

FS := $(TB)/fs
FS_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -fno-stack-protector -nostdlib \
	$(WARN) -Itest-bins/rt -Irtld -Iarch/x86_64 -Iinclude
FS_LIB_CFLAGS := $(FS_CFLAGS) -fPIC
# The runtime is linked into every program and library, privately.
FS_RT_CFLAGS := $(FS_LIB_CFLAGS) -fvisibility=hidden

# The runtime: crt.o (_start and rt_start) for programs; rt.o plus the core's
# formatter and string helpers, compiled again here, for everything.
$(FS)/rt/crt0.o: test-bins/rt/crt.S
	@mkdir -p $(dir $@)
	$(CC) $(FS_CFLAGS) -c $< -o $@
$(FS)/rt/crt.o: $(FS)/rt/crt0.o $(FS)/rt/start.o
	$(LD) -r -o $@ $^
$(FS)/rt/%.o: test-bins/rt/%.c test-bins/rt/rt.h
	@mkdir -p $(dir $@)
	$(CC) $(FS_RT_CFLAGS) -c $< -o $@
$(FS)/rt/%.o: rtld/%.c
	@mkdir -p $(dir $@)
	$(CC) $(FS_RT_CFLAGS) -c $< -o $@
$(FS)/rt/librt.a: $(FS)/rt/rt.o $(FS)/rt/print.o $(FS)/rt/str.o
	rm -f $@ && ar rcs $@ $^

FS_LIBDIR := $(FS)/lib
FS_SHARED = $(CC) $(FS_LIB_CFLAGS) -shared -Wl,-soname,$(notdir $@) -Wl,-rpath,'$$ORIGIN' -o $@
FS_RT := $(FS)/rt/librt.a

$(FS_LIBDIR)/libfs-d.so: test-bins/freestanding/libd.c $(FS_RT)
	@mkdir -p $(dir $@)
	$(FS_SHARED) $< $(FS_RT) -Wl,-z,pack-relative-relocs
# libfs-d.so with DT_HASH alone, for the malformed variants of that table.
$(FS_LIBDIR)/sysv/libfs-d.so: test-bins/freestanding/libd.c $(FS_RT)
	@mkdir -p $(dir $@)
	$(FS_SHARED) $< $(FS_RT) -Wl,--hash-style=sysv
$(FS_LIBDIR)/libfs-a.so: test-bins/freestanding/liba.c $(FS_LIBDIR)/libfs-d.so $(FS_RT)
	$(FS_SHARED) $< -L$(FS_LIBDIR) -lfs-d $(FS_RT)
$(FS_LIBDIR)/libfs-b.so: test-bins/freestanding/libb.c test-bins/freestanding/pc32.S $(FS_LIBDIR)/libfs-d.so $(FS_RT)
	$(FS_SHARED) $(filter %.c %.S,$^) -L$(FS_LIBDIR) -lfs-d $(FS_RT)
$(FS_LIBDIR)/libfs-c.so: test-bins/freestanding/libc.c test-bins/freestanding/textrel.S $(FS_LIBDIR)/libfs-d.so $(FS_RT)
	$(FS_SHARED) -mtls-dialect=gnu2 $(filter %.c %.S,$^) -L$(FS_LIBDIR) -lfs-d $(FS_RT) \
		-Wl,-z,notext 2>&1 | { grep -v -e 'DT_TEXTREL' -e "read-only section" || true; }
$(FS_LIBDIR)/libfs-ver.so: test-bins/freestanding/libver.c test-bins/freestanding/libver.map $(FS_LIBDIR)/libfs-d.so $(FS_RT)
	$(FS_SHARED) $< -Wl,--version-script=test-bins/freestanding/libver.map -L$(FS_LIBDIR) -lfs-d $(FS_RT)

$(FS_LIBDIR)/libfs-override.so: test-bins/freestanding/liboverride.c
	@mkdir -p $(dir $@)
	$(FS_SHARED) $<
$(FS_LIBDIR)/libfs-sym.so: test-bins/freestanding/libsym.c
	@mkdir -p $(dir $@)
	$(FS_SHARED) $<
$(FS_LIBDIR)/libfs-clobber.so: test-bins/freestanding/libclobber.S
	@mkdir -p $(dir $@)
	$(FS_SHARED) $<
# No .rodata at all: GNU ld leaves its PT_LOAD empty.
$(FS_LIBDIR)/libfs-emptyro.so: test-bins/freestanding/libemptyro.c
	@mkdir -p $(dir $@)
	$(FS_SHARED) $< -fno-asynchronous-unwind-tables -Wl,--build-id=none
$(FS_LIBDIR)/libfs-execstack.so: test-bins/freestanding/libexecstack.c
	@mkdir -p $(dir $@)
	$(FS_SHARED) $< -Wl,-z,execstack -Wl,--no-warn-execstack
# libfs-sym.so again, its segments 2 MiB apart: gaps inside its reserved span.
$(FS_LIBDIR)/libfs-gap.so: test-bins/freestanding/libsym.c
	@mkdir -p $(dir $@)
	$(FS_SHARED) $< -Wl,-z,max-page-size=0x200000 -Wl,-z,separate-code
$(FS_LIBDIR)/libfs-legacy.so: test-bins/freestanding/liblegacy.c $(FS_RT)
	@mkdir -p $(dir $@)
	$(FS_SHARED) $< $(FS_RT) -Wl,-init,legacy_init -Wl,-fini,legacy_fini
$(FS_LIBDIR)/libfs-prot.so: test-bins/freestanding/libprot.c
	@mkdir -p $(dir $@)
	$(FS_SHARED) $<
$(FS_LIBDIR)/libfs-deep.so: test-bins/freestanding/libdeep.c
	@mkdir -p $(dir $@)
	$(FS_SHARED) $<
# (Its code in the source's order, the one-byte initializer last.)
$(FS_LIBDIR)/libfs-lastbyte.so: test-bins/freestanding/liblastbyte.c
	@mkdir -p $(dir $@)
	$(FS_SHARED) -fno-toplevel-reorder $<

# Libraries with no search path of their own.
FS_PLAIN_SHARED = $(CC) $(FS_LIB_CFLAGS) -shared -Wl,-soname,$(notdir $@) -o $@

# Link-time stand-ins, each in its own directory: same soname, other contents.
$(FS)/stubs/ver3/libfs-ver.so: test-bins/freestanding/libver3.c test-bins/freestanding/libver3.map
	@mkdir -p $(dir $@)
	$(FS_PLAIN_SHARED) $< -Wl,--version-script=test-bins/freestanding/libver3.map
$(FS)/stubs/hid/libfs-ver.so: test-bins/freestanding/libhid-stub.c
	@mkdir -p $(dir $@)
	$(FS_PLAIN_SHARED) $<
$(FS)/stubs/nowhere/libfs-nowhere.so: test-bins/freestanding/libnowhere.c
	@mkdir -p $(dir $@)
	$(FS_PLAIN_SHARED) $<
$(FS)/stubs/gone/libfs-d.so: test-bins/freestanding/libgone-stub.c
	@mkdir -p $(dir $@)
	$(FS_PLAIN_SHARED) $<

# The library search order: a copy of libfs-where.so in each of where/rpath,
# where/runpath and where/env, each naming its directory; libfs-hop.so,
# which needs it, in where/hop (no search path) and where/hop-runpath
# (DT_RUNPATH where/runpath).
FS_WHERE := $(FS)/where
$(FS_WHERE)/%/libfs-where.so: test-bins/freestanding/libwhere.c
	@mkdir -p $(dir $@)
	$(FS_PLAIN_SHARED) -DWHERE='"$*"' $<
$(FS_WHERE)/hop/libfs-hop.so: test-bins/freestanding/libhop.c $(FS_WHERE)/env/libfs-where.so
	@mkdir -p $(dir $@)
	$(FS_PLAIN_SHARED) $< -L$(FS_WHERE)/env -lfs-where
$(FS_WHERE)/hop-runpath/libfs-hop.so: test-bins/freestanding/libhop.c $(FS_WHERE)/env/libfs-where.so
	@mkdir -p $(dir $@)
	$(FS_PLAIN_SHARED) $< -L$(FS_WHERE)/env -lfs-where \
		-Wl,--enable-new-dtags -Wl,-rpath,'$$ORIGIN/../runpath'
FS_WHERE_LIBS := $(addprefix $(FS_WHERE)/,rpath/libfs-where.so runpath/libfs-where.so \
	env/libfs-where.so hop/libfs-hop.so hop-runpath/libfs-hop.so)

FS_LIBS := $(addprefix $(FS_LIBDIR)/,libfs-a.so libfs-b.so libfs-c.so libfs-ver.so libfs-d.so \
	libfs-override.so libfs-execstack.so libfs-sym.so libfs-clobber.so libfs-emptyro.so \
	libfs-gap.so libfs-prot.so libfs-legacy.so libfs-deep.so libfs-lastbyte.so) $(FS_WHERE_LIBS)
# __tls_get_addr comes from the loader at run time, as with glibc's ld.so.
FS_LINK = $(CC) $(FS_CFLAGS) -o $@ $(FS)/rt/crt.o $(filter %.c,$^) $(FS_RT) -Wl,-rpath,'$$ORIGIN/lib' \
	-Wl,--allow-shlib-undefined

# $(call fs_program,NAME,SOURCE,EXTRA-DEPS,CFLAGS-AND-LIBS)
define fs_program
$(FS)/$(1): $(2) $(3) $(FS)/rt/crt.o $(FS_RT)
	@mkdir -p $$(dir $$@)
	$$(FS_LINK) $(4)
$(FS)/$(1)-lt: $(2) $(3) $(FS)/rt/crt.o $(FS_RT)
	@mkdir -p $$(dir $$@)
	$$(FS_LINK) $(4) $$(LT_INTERP)
FS_PROGRAMS += $(FS)/$(1) $(FS)/$(1)-lt
endef

FS_MAIN_LIBS := -L$(FS_LIBDIR) -lfs-a -lfs-b -lfs-c -lfs-ver -lfs-d
$(eval $(call fs_program,fs-main,test-bins/freestanding/main.c,$(FS_LIBS),-fPIE -pie $(FS_MAIN_LIBS)))
$(eval $(call fs_program,fs-main-nopie,test-bins/freestanding/main.c,$(FS_LIBS),-fno-pie -no-pie $(FS_MAIN_LIBS)))
$(eval $(call fs_program,fs-ver-old,test-bins/freestanding/ver-old.c,$(FS_LIBS),-fPIE -pie -L$(FS_LIBDIR) -lfs-ver))
$(eval $(call fs_program,fs-needs-ver3,test-bins/freestanding/needs-ver3.c,$(FS)/stubs/ver3/libfs-ver.so,-fPIE -pie -L$(FS)/stubs/ver3 -lfs-ver))
$(eval $(call fs_program,fs-hidden-ref,test-bins/freestanding/hidden-ref.c,$(FS)/stubs/hid/libfs-ver.so,-fPIE -pie -L$(FS)/stubs/hid -lfs-ver))
$(eval $(call fs_program,fs-missing-lib,test-bins/freestanding/missing-lib.c,$(FS)/stubs/nowhere/libfs-nowhere.so,-fPIE -pie -L$(FS)/stubs/nowhere -lfs-nowhere))
$(eval $(call fs_program,fs-missing-sym,test-bins/freestanding/missing-sym.c,$(FS)/stubs/gone/libfs-d.so,-fPIE -pie -L$(FS)/stubs/gone -lfs-d))

$(eval $(call fs_program,fs-auxv,test-bins/freestanding/auxv.c,,-fPIE -pie))
$(eval $(call fs_program,fs-env,test-bins/freestanding/env.c,,-fPIE -pie))
$(eval $(call fs_program,fs-preload,test-bins/freestanding/preload.c,$(FS_LIBS),-fPIE -pie -L$(FS_LIBDIR) -lfs-a))
# For secure-mode (set-user-id) tests: $ORIGIN is not trusted there.
FS_ABS_RPATH := -Wl,-rpath,$(CURDIR)/$(FS_LIBDIR)
$(eval $(call fs_program,fs-preload-abs,test-bins/freestanding/preload.c,$(FS_LIBS),-fPIE -pie -L$(FS_LIBDIR) -lfs-a $(FS_ABS_RPATH)))
$(eval $(call fs_program,fs-symbolic,test-bins/freestanding/symbolic.c,$(FS_LIBS),-fPIE -pie -L$(FS_LIBDIR) -lfs-sym))
$(eval $(call fs_program,fs-emptyro,test-bins/freestanding/emptyro.c,$(FS_LIBS),-fPIE -pie -L$(FS_LIBDIR) -lfs-emptyro))
$(eval $(call fs_program,fs-clobber,test-bins/freestanding/clobber.c,$(FS_LIBS),-fPIE -pie -L$(FS_LIBDIR) -lfs-clobber))
$(eval $(call fs_program,fs-execstack,test-bins/freestanding/execstack.c,$(FS_LIBS),-fPIE -pie -L$(FS_LIBDIR) -lfs-execstack))
$(eval $(call fs_program,fs-protected,test-bins/freestanding/protected.c,$(FS_LIBS),-fPIE -pie -L$(FS_LIBDIR) -lfs-prot))
$(eval $(call fs_program,fs-deep,test-bins/freestanding/deep.c,$(FS_LIBS),-fPIE -pie -L$(FS_LIBDIR) -lfs-deep))
$(eval $(call fs_program,fs-lastbyte,test-bins/freestanding/lastbyte.c,$(FS_LIBS),-fPIE -pie -L$(FS_LIBDIR) -lfs-lastbyte))
# A weak reference alone would leave libfs-a.so out of DT_NEEDED.
FS_NO_AS_NEEDED := -Wl,--no-as-needed
$(eval $(call fs_program,fs-irelative,test-bins/freestanding/irelative.c,$(FS_LIBS),\
	-fPIE -pie -L$(FS_LIBDIR) $(FS_NO_AS_NEEDED) -lfs-a))

# Each prints which libfs-where.so it found, by search paths given as
# $$ORIGIN/where/DIR: the FS_*PATH variables take the directories.
FS_WHERE_PROGRAM = -fPIE -pie -DASK=where -L$(FS_WHERE)/env -lfs-where
FS_HOP_PROGRAM = -fPIE -pie -DASK=hop_where -L$(FS_WHERE)/hop -lfs-hop -Wl,-rpath-link,$(FS_WHERE)/env
FS_RUNPATH = -Wl,--enable-new-dtags $(foreach d,$(1),-Wl,-rpath,'$$$$ORIGIN/where/$(d)')
FS_RPATH = -Wl,--disable-new-dtags $(foreach d,$(1),-Wl,-rpath,'$$$$ORIGIN/where/$(d)')
# ld writes DT_RPATH or DT_RUNPATH, never both: these name the RUNPATH as a
# DT_SONAME, which tests/tools/tools.mk retags (fs-where-both, fs-hop-both).
FS_BOTH_PATHS = $(call FS_RPATH,$(1)) -Wl,-soname,'$$$$ORIGIN/where/$(2)'
$(eval $(call fs_program,fs-where-runpath,test-bins/freestanding/where.c,$(FS_LIBS),\
	$(FS_WHERE_PROGRAM) $(call FS_RUNPATH,runpath)))
$(eval $(call fs_program,fs-where-rpath,test-bins/freestanding/where.c,$(FS_LIBS),\
	$(FS_WHERE_PROGRAM) $(call FS_RPATH,rpath)))
$(eval $(call fs_program,unmangled/fs-where-both,test-bins/freestanding/where.c,$(FS_LIBS),\
	$(FS_WHERE_PROGRAM) $(call FS_BOTH_PATHS,rpath,runpath)))
$(eval $(call fs_program,unmangled/fs-hop-both,test-bins/freestanding/where.c,$(FS_LIBS),\
	$(FS_HOP_PROGRAM) $(call FS_BOTH_PATHS,rpath,hop)))
$(eval $(call fs_program,fs-hop-runpath,test-bins/freestanding/where.c,$(FS_LIBS),\
	$(FS_HOP_PROGRAM) $(call FS_RPATH,rpath hop-runpath)))
# Assembled from a .s without .note.GNU-stack: GNU ld makes it ask for an executable stack.
FS_ASM := test-bins/freestanding/asm-answer.s
$(eval $(call fs_program,fs-asm-stack,test-bins/freestanding/asm-stack.c,$(FS_ASM),-fPIE -pie $(FS_ASM) -Wl$(comma)--no-warn-execstack))

# ---------------------------------------------------------------------------
# libc programs, from test-bins/musl/, in two flavours built by the same rules:
#   musl-built, with plain musl-gcc, in musl/ (PT_INTERP /lib/ld-musl-x86_64.so.1)
#   glibc-built, with plain gcc, in glibc-flavour/ (PT_INTERP
#   /lib64/ld-linux-x86-64.so.2)
# The -lt twins name ld-teach.so.  Libraries go in each flavour's lib/,
# found through $ORIGIN/lib.  Programs about ld-teach's libc.so for musl
# itself are built in the musl flavour only.
MU := $(TB)/musl
MU_LIBDIR := $(MU)/lib
GF := $(TB)/glibc-flavour
MUSL_CC := musl-gcc
MUSL_CFLAGS := -std=gnu11 -O2 -g $(WARN)
# FLAVOUR_CC: the compiler of the flavour whose directory the target is in.
MU_SHARED = $(FLAVOUR_CC) $(MUSL_CFLAGS) -fPIC -shared -Wl,-soname,$(notdir $@) -Wl,-rpath,'$$ORIGIN' -o $@
# Libraries with no search path of their own.
MU_SHARED_NO_PATH = $(FLAVOUR_CC) $(MUSL_CFLAGS) -fPIC -shared -Wl,-soname,$(notdir $@) -o $@
# The same library with a .plt.sec PLT (indirect branch tracking).
MU_IBT := -fcf-protection=full -Wl,-z,ibtplt

# $(call libc_flavour,DIR,COMPILER): the libraries of the flavour in DIR.
# Link-time stand-ins: libmu-gone.so is never installed; stubs/c/libmu-c.so
# has a c_gone that the real one lacks.  stubs/bigger/libmu-data.so, a
# run-time one, has a larger mu_words than copyreloc was linked with.
# The 32 libraries libmu-wide.so needs.
WIDE_LIBS := $(foreach n,$(shell seq 32),lib/wide/libmu-w$(n).so)
define libc_flavour
$(1)/%: FLAVOUR_CC := $(2)
$(1)/lib/libmu-a.so: test-bins/musl/libmu-a.c $(1)/lib/libmu-c.so
	@mkdir -p $$(@D)
	$$(MU_SHARED) $$< -L$$(@D) -lmu-c
$(1)/lib/libmu-b.so: test-bins/musl/libmu-b.c $(1)/lib/libmu-c.so
	@mkdir -p $$(@D)
	$$(MU_SHARED) $$< -L$$(@D) -lmu-c
$(1)/lib/libmu-ro-y.so: test-bins/musl/libmu-ro-y.c $(1)/lib/libmu-ro-x.so
	@mkdir -p $$(@D)
	$$(MU_SHARED) $$< -L$$(@D) -lmu-ro-x
$(1)/lib/libmu-vers.so: test-bins/musl/libmu-vers.c test-bins/musl/libmu-vers.map
	@mkdir -p $$(@D)
	$$(MU_SHARED) $$< -Wl,--version-script=test-bins/musl/libmu-vers.map
$(1)/lib/libmu-bigdesc.so: test-bins/musl/libmu-bigdesc.c
	@mkdir -p $$(@D)
	$$(MU_SHARED) -mtls-dialect=gnu2 $$<
$(1)/lib/libmu-lazy-ibt.so: test-bins/musl/libmu-lazy.c
	@mkdir -p $$(@D)
	$$(MU_SHARED) $$(MU_IBT) $$<
$(1)/lib/sub/libmu-leaf.so: test-bins/musl/libmu-leaf.c
	@mkdir -p $$(@D)
	$$(MU_SHARED) $$<
$(1)/lib/sub/libmu-root.so: test-bins/musl/libmu-root.c $(1)/lib/sub/libmu-leaf.so
	@mkdir -p $$(@D)
	$$(MU_SHARED) $$< -L$$(@D) -lmu-leaf
$(1)/lib/libmu-execstack.so: test-bins/musl/libmu-execstack.c
	@mkdir -p $$(@D)
	$$(MU_SHARED) $$< -Wl,-z,execstack -Wl,--no-warn-execstack
$(1)/lib/rp/libmu-rpb.so $(1)/lib/rp/libmu-rpc.so: $(1)/lib/rp/libmu-%.so: test-bins/musl/libmu-%.c
	@mkdir -p $$(@D)
	$$(MU_SHARED_NO_PATH) $$<
$(1)/lib/libmu-rpa.so: test-bins/musl/libmu-rpa.c $(1)/lib/rp/libmu-rpb.so $(1)/lib/rp/libmu-rpc.so
	@mkdir -p $$(@D)
	$$(MU_SHARED_NO_PATH) $$< -Wl,--disable-new-dtags -Wl,-rpath,'$$$$ORIGIN/rp' -L$$(@D)/rp -lmu-rpb
$(1)/lib/libmu-ctorg.so: test-bins/musl/libmu-ctorg.c $(addprefix $(1)/,$(WIDE_LIBS))
	@mkdir -p $$(@D)
	$$(MU_SHARED) $$< -Wl,-rpath,'$$$$ORIGIN/wide' -L$$(@D)/wide -Wl,--no-as-needed \
		$(patsubst lib/wide/lib%.so,-l%,$(wordlist 1,19,$(WIDE_LIBS)))
$(1)/lib/libmu-ctorm.so: test-bins/musl/libmu-ctorm.c $(addprefix $(1)/,$(WIDE_LIBS))
	@mkdir -p $$(@D)
	$$(MU_SHARED) $$< -Wl,-rpath,'$$$$ORIGIN/wide' -L$$(@D)/wide -Wl,--no-as-needed \
		$(patsubst lib/wide/lib%.so,-l%,$(wordlist 20,32,$(WIDE_LIBS)))
$(1)/lib/wide/libmu-w%.so: test-bins/musl/libmu-w.c
	@mkdir -p $$(@D)
	$$(MU_SHARED) -DWIDE_N=$$* $$<
$(1)/lib/libmu-wide.so: test-bins/musl/libmu-wide.c $(addprefix $(1)/,$(WIDE_LIBS))
	@mkdir -p $$(@D)
	$$(MU_SHARED) $$< -Wl,-rpath,'$$$$ORIGIN/wide' -L$$(@D)/wide \
		$(patsubst lib/wide/lib%.so,-l%,$(WIDE_LIBS))
$(1)/lib/libmu-%.so: test-bins/musl/libmu-%.c
	@mkdir -p $$(@D)
	$$(MU_SHARED) $$<
# The audit module (include/ld-teach/audit.h declares the interface for musl),
# and a copy of libmu-auddl.so that the module refuses to let anyone load.
$(1)/lib/audit%.so: test-bins/musl/audit%.c include/ld-teach/audit.h
	@mkdir -p $$(@D)
	$$(MU_SHARED) -Iinclude $$<
$(1)/lib/auditbind.so: test-bins/musl/auditmod.c include/ld-teach/audit.h
	@mkdir -p $$(@D)
	$$(MU_SHARED) -Iinclude -DBINDINGS_ONLY $$<
$(1)/lib/libmu-auddrop.so: test-bins/musl/libmu-auddl.c
	@mkdir -p $$(@D)
	$$(MU_SHARED) $$<
$(1)/stubs/libmu-gone.so $(1)/stubs/c/libmu-c.so: test-bins/musl/libmu-gone.c
	@mkdir -p $$(@D)
	$$(MU_SHARED) $$<
$(1)/stubs/bigger/libmu-data.so: test-bins/musl/libmu-data.c
	@mkdir -p $$(@D)
	$$(MU_SHARED) -DMU_WORDS=4 $$<
# dlcases: flags in the file (DF_1_NODELETE, DF_1_NOOPEN), shared
# dependencies, and copies under each dynamic string token's directory.
$(1)/lib/libmu-znodel.so: test-bins/musl/libmu-znodel.c
	@mkdir -p $$(@D)
	$$(MU_SHARED) -Wl,-z,nodelete $$<
$(1)/lib/libmu-noopen.so $(1)/lib/libmu-noopen2.so: test-bins/musl/libmu-noopen.c
	@mkdir -p $$(@D)
	$$(MU_SHARED) -Wl,-z,nodlopen $$<
$(1)/lib/libmu-needsnoopen.so: test-bins/musl/libmu-needsnoopen.c $(1)/lib/libmu-noopen2.so
	$$(MU_SHARED) $$< -L$$(@D) -lmu-noopen2
$(1)/lib/libmu-uniqfail.so: test-bins/musl/libmu-uniqfail.c $(1)/lib/libmu-uniq1.so
	$$(MU_SHARED) $$< -L$$(@D) -Wl,--no-as-needed -lmu-uniq1
$(1)/lib/libmu-sca.so $(1)/lib/libmu-scb.so: $(1)/lib/libmu-%.so: test-bins/musl/libmu-%.c $(1)/lib/libmu-scc.so
	$$(MU_SHARED) $$< -L$$(@D) -Wl,--no-as-needed -lmu-scc
$(1)/lib/libmu-dtlsdesc.so: test-bins/musl/libmu-dtls.c
	@mkdir -p $$(@D)
	$$(MU_SHARED) -mtls-dialect=gnu2 $$<
$(1)/lib/sub/libmu-dstopen.so: test-bins/musl/libmu-dstopen.c
	@mkdir -p $$(@D)
	$$(MU_SHARED) $$<
$(1)/dst/lib/x86_64-linux-gnu/libmu-dst.so $(1)/dst/x86_64/libmu-dst.so: test-bins/musl/libmu-dst.c
	@mkdir -p $$(@D)
	$$(MU_SHARED) -DDST_WHERE='"$$(patsubst $(1)/dst/%/libmu-dst.so,%,$$@)"' $$<
# dlcases aliases: other names of a library's file, a symbolic link and a hard link.
$(1)/lib/alias/soft-%.so: $(1)/lib/%.so
	@mkdir -p $$(@D)
	ln -sf ../$$(notdir $$<) $$@
$(1)/lib/alias/hard-%.so: $(1)/lib/%.so
	@mkdir -p $$(@D)
	ln -f $$< $$@
endef
$(eval $(call libc_flavour,$(MU),$(MUSL_CC)))
$(eval $(call libc_flavour,$(GF),$(CC)))

# The libraries of every flavour, relative to its directory.
LIBC_LIBS := $(addprefix lib/,libmu-a.so libmu-b.so libmu-c.so libmu-data.so \
	libmu-tls.so libmu-preload.so libmu-lazy.so libmu-many.so libmu-lazy-ibt.so libmu-dl.so \
	libmu-g1.so libmu-g2.so libmu-deep.so libmu-x.so libmu-y.so libmu-nodel.so libmu-next1.so \
	libmu-next2.so libmu-vers.so libmu-bigtls.so libmu-bigdesc.so libmu-bigie.so \
	sub/libmu-root.so sub/libmu-leaf.so libmu-small.so libmu-ro-x.so libmu-ro-y.so \
	libmu-znodel.so libmu-rta.so libmu-rtb.so libmu-rtc.so libmu-fini2.so libmu-fini3.so \
	libmu-fini4.so libmu-fini5.so libmu-uniq1.so libmu-uniq2.so libmu-uniqfail.so libmu-uniqmany.so libmu-wide.so libmu-widecall.so libmu-rpa.so libmu-ctorg.so libmu-ctorm.so \
	libmu-sca.so libmu-scb.so libmu-scc.so sub/libmu-dstopen.so libmu-noopen.so libmu-noopen2.so libmu-needsnoopen.so \
	libmu-dtls.so libmu-dtlsdesc.so libmu-execstack.so libmu-aud.so libmu-auddl.so \
	libmu-auddrop.so libmu-collide.so auditmod.so auditbind.so auditsample.so)
MU_LIBS := $(addprefix $(MU)/,$(LIBC_LIBS)) $(MU_LIBDIR)/libmu-greet.so
GF_LIBS := $(addprefix $(GF)/,$(LIBC_LIBS))

# libz.so.1 at link time only: at run time only glibc's directories have one.
$(MU)/stubs/z/libz.so.1: test-bins/musl/libz-stub.c
	@mkdir -p $(dir $@)
	$(MU_SHARED) $<
# Link every library named, as musl-gcc does (gcc may default to --as-needed).
MU_LINK_NO_PATH = $(FLAVOUR_CC) $(MUSL_CFLAGS) -o $@ $(filter %.c,$^) -Wl,--no-as-needed
MU_LINK = $(MU_LINK_NO_PATH) -Wl,-rpath,'$$ORIGIN/lib'
# Search the stand-ins (named in the program's flags) before the real libraries.

# $(call flavour_program,DIR,NAME,EXTRA-DEPS,FLAGS-AND-LIBS): DIR/NAME and
# DIR/NAME-lt from test-bins/musl/NAME.c.  EXTRA-DEPS are relative to DIR;
# FLAGS-AND-LIBS name DIR as $(@D).
# Headers the test programs share.
MU_HEADERS := $(wildcard test-bins/musl/*.h) test-bins/rt/stackcode.h

define flavour_program
$(1)/$(2): test-bins/musl/$(2).c $(addprefix $(1)/,$(3)) $(MU_HEADERS)
	@mkdir -p $$(@D)
	$$(MU_LINK) $(4) -L$$(@D)/lib
$(1)/$(2)-lt: test-bins/musl/$(2).c $(addprefix $(1)/,$(3)) $(MU_HEADERS)
	@mkdir -p $$(@D)
	$$(MU_LINK) $(4) -L$$(@D)/lib $$(LT_INTERP)
LIBC_PROGRAMS += $(1)/$(2) $(1)/$(2)-lt
endef
# In both flavours; in the musl flavour only.
libc_program = $(foreach d,$(MU) $(GF),$(eval $(call flavour_program,$(d),$(1),$(2),$(3))))
musl_program = $(eval $(call flavour_program,$(MU),$(1),$(2),$(3)))

$(call libc_program,hello)
$(call libc_program,echo)
$(call libc_program,untouched)
$(call libc_program,kitchen,,-pthread)
$(call libc_program,diamond,$(LIBC_LIBS),-lmu-a -lmu-b)
$(call libc_program,interpose,$(LIBC_LIBS),-lmu-a)
$(call libc_program,preload,$(LIBC_LIBS),-lmu-a)
$(call libc_program,copyreloc,$(LIBC_LIBS) stubs/bigger/libmu-data.so,-fno-pie -no-pie -lmu-data)
$(call libc_program,weak,$(LIBC_LIBS),-lmu-c)
$(call libc_program,threads,$(LIBC_LIBS),-pthread -lmu-tls)
$(call libc_program,origin,$(LIBC_LIBS),-lmu-a -lmu-b)
$(call libc_program,missing-lib,stubs/libmu-gone.so,-L$$(@D)/stubs -lmu-gone)
$(call libc_program,missing-sym,stubs/c/libmu-c.so,-L$$(@D)/stubs/c -lmu-c)
$(call libc_program,relorder,$(LIBC_LIBS),-lmu-ro-x -lmu-ro-y)
$(call musl_program,needs-glibc-lib,stubs/z/libz.so.1,-L$$(@D)/stubs/z -l:libz.so.1)
# A program without libc using a musl library: the process gets musl's adapter.
FS_MUSL_RPATH = -Wl,-rpath,'$$ORIGIN/../musl/lib'
$(eval $(call fs_program,fs-uses-musl,test-bins/freestanding/uses-musl.c,$(MU_LIBDIR)/libmu-greet.so,-fPIE -pie -L$(MU_LIBDIR) -lmu-greet $$(FS_MUSL_RPATH)))

$(call libc_program,lazyargs,$(LIBC_LIBS),-lmu-lazy)
$(call libc_program,lazy-partial,$(LIBC_LIBS),-lmu-lazy)
$(call libc_program,lazystress,$(LIBC_LIBS),-pthread -lmu-many)
LAZYARGS_IBT := $(MU)/lazyargs-ibt-lt $(GF)/lazyargs-ibt-lt
$(LAZYARGS_IBT): %/lazyargs-ibt-lt: test-bins/musl/lazyargs.c %/lib/libmu-lazy-ibt.so
	@mkdir -p $(@D)
	$(MU_LINK) $(MU_IBT) -L$(@D)/lib -lmu-lazy-ibt $(LT_INTERP)
LIBC_PROGRAMS += $(LAZYARGS_IBT)
$(call libc_program,dlbasic,$(LIBC_LIBS),-pthread)
DLFLAGS_EXPORT := -Wl,--export-dynamic-symbol=mu_whoami
$(call libc_program,dlflags,$(LIBC_LIBS),-lmu-next1 -lmu-next2 $(DLFLAGS_EXPORT))
$(call libc_program,dltls,$(LIBC_LIBS),-pthread)
$(call libc_program,dlstress,$(LIBC_LIBS),-pthread)
$(call libc_program,dlfork,$(LIBC_LIBS),-pthread)
$(call libc_program,dlmeta,$(LIBC_LIBS))
$(call libc_program,dlerrthreads,,-pthread)
$(call libc_program,dldiffer,$(LIBC_LIBS))
$(call libc_program,dlexecstack,$(LIBC_LIBS),-pthread)
$(call libc_program,dlnames,$(LIBC_LIBS))
DLCASES_ALIASES := $(foreach l,c data g1,lib/alias/soft-libmu-$(l).so lib/alias/hard-libmu-$(l).so)
DLCASES_DEPS := $(LIBC_LIBS) $(DLCASES_ALIASES) dst/lib/x86_64-linux-gnu/libmu-dst.so dst/x86_64/libmu-dst.so hello \
	copyreloc
$(call libc_program,dlcases,$(DLCASES_DEPS),-pthread -lmu-noopen)
$(call libc_program,dlleak,$(LIBC_LIBS))
$(call libc_program,dlglobal,$(LIBC_LIBS))
$(call libc_program,dltlsmany,$(LIBC_LIBS))
$(call libc_program,dlthreadexit,$(LIBC_LIBS),-pthread)
$(call musl_program,mymalloc)
$(call musl_program,stacksize,,-pthread -Wl$(comma)-z$(comma)stack-size=0x200000)
$(call libc_program,audited,$(LIBC_LIBS),-lmu-aud)
# For secure-mode tests: an absolute RUNPATH alone, which a set-user-id
# program trusts (musl's loader drops a whole list with $ORIGIN in it).
AUDITED_ABS := $(foreach d,$(MU) $(GF),$(d)/audited-abs $(d)/audited-abs-lt)
$(filter %-abs,$(AUDITED_ABS)): %/audited-abs: test-bins/musl/audited.c %/lib/libmu-aud.so
	$(MU_LINK_NO_PATH) -L$(@D)/lib -lmu-aud -Wl,-rpath,$(CURDIR)/$(@D)/lib
$(filter %-lt,$(AUDITED_ABS)): %/audited-abs-lt: test-bins/musl/audited.c %/lib/libmu-aud.so
	$(MU_LINK_NO_PATH) -L$(@D)/lib -lmu-aud -Wl,-rpath,$(CURDIR)/$(@D)/lib $(LT_INTERP)
LIBC_PROGRAMS += $(AUDITED_ABS)
$(call libc_program,copydata)
$(call libc_program,tlsimage)
$(call libc_program,collide,$(LIBC_LIBS),-lmu-collide)
$(call musl_program,dlreopen,$(LIBC_LIBS))
$(call libc_program,maplimit,$(LIBC_LIBS))
$(call musl_program,tracepipe)

# Stand-ins with the names musl's libc.so answers for (see reserved.c).
MU_RESERVED := libm.so.6 libpthread.so.0 libdl.so.2 librt.so.1 libutil.so.1 libxnet.so \
	libresolv.so.2 libcrypt.so.1 ld-musl-x86_64.so.1
$(MU)/stubs/reserved/%: test-bins/musl/reserved-stub.c
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(MUSL_CFLAGS) -fPIC -shared -Wl,-soname,$* -o $@ $<
MU_RESERVED_STUBS := $(addprefix $(MU)/stubs/reserved/,$(MU_RESERVED))
MU_RESERVED_FLAGS := $(MU_RESERVED_STUBS)
$(call musl_program,reserved,$(MU_RESERVED_STUBS:$(MU)/%=%),$(MU_RESERVED_FLAGS))

# PT_INTERP names ld-teach.so relative to the current directory, as the
# kernel allows: run from the top of the tree.
$(MU)/hello-relative-interp: test-bins/musl/hello.c
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(MUSL_CFLAGS) $< -o $@ -Wl,--dynamic-linker=ld-teach.so
LIBC_PROGRAMS += $(MU)/hello-relative-interp

$(MU)/hello-static: test-bins/musl/hello.c
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(MUSL_CFLAGS) -static $< -o $@
LIBC_PROGRAMS += $(MU)/hello-static

include test-bins/glibc.mk

test-bins: $(FS_PROGRAMS) $(FS_LIBS) $(LIBC_PROGRAMS) $(MU_LIBS) $(GF_LIBS) $(GLIBC_PROGRAMS) $(GL_LIBS)
.PHONY: test-bins
