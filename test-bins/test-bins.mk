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
$(FS)/rt/librt.a: $(FS)/rt/rt.o $(FS)/rt/print.o $(FS)/rt/string.o
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
$(FS_LIBDIR)/libfs-execstack.so: test-bins/freestanding/libexecstack.c
	@mkdir -p $(dir $@)
	$(FS_SHARED) $< -Wl,-z,execstack 2>&1 | { grep -v 'requires executable stack' || true; }
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
	libfs-override.so libfs-execstack.so libfs-sym.so libfs-gap.so libfs-prot.so libfs-legacy.so) $(FS_WHERE_LIBS)
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
$(eval $(call fs_program,fs-preload,test-bins/freestanding/preload.c,$(FS_LIBS),-fPIE -pie -L$(FS_LIBDIR) -lfs-a))
# For secure-mode (set-user-id) tests: $ORIGIN is not trusted there.
FS_ABS_RPATH := -Wl,-rpath,$(CURDIR)/$(FS_LIBDIR)
$(eval $(call fs_program,fs-preload-abs,test-bins/freestanding/preload.c,$(FS_LIBS),-fPIE -pie -L$(FS_LIBDIR) -lfs-a $(FS_ABS_RPATH)))
$(eval $(call fs_program,fs-symbolic,test-bins/freestanding/symbolic.c,$(FS_LIBS),-fPIE -pie -L$(FS_LIBDIR) -lfs-sym))
$(eval $(call fs_program,fs-execstack,test-bins/freestanding/execstack.c,$(FS_LIBS),-fPIE -pie -L$(FS_LIBDIR) -lfs-execstack))
$(eval $(call fs_program,fs-protected,test-bins/freestanding/protected.c,$(FS_LIBS),-fPIE -pie -L$(FS_LIBDIR) -lfs-prot))
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

# ---------------------------------------------------------------------------
# musl programs, built with plain musl-gcc (PT_INTERP /lib/ld-musl-x86_64.so.1;
# the -lt twins name ld-teach.so).  Libraries go in musl/lib, found through
# $ORIGIN/lib.
MU := $(TB)/musl
MU_LIBDIR := $(MU)/lib
MUSL_CC := musl-gcc
MUSL_CFLAGS := -std=gnu11 -O2 -g $(WARN)
MU_SHARED = $(MUSL_CC) $(MUSL_CFLAGS) -fPIC -shared -Wl,-soname,$(notdir $@) -Wl,-rpath,'$$ORIGIN' -o $@

$(MU_LIBDIR)/libmu-c.so: test-bins/musl/libmu-c.c
	@mkdir -p $(dir $@)
	$(MU_SHARED) $<
$(MU_LIBDIR)/libmu-a.so: test-bins/musl/libmu-a.c $(MU_LIBDIR)/libmu-c.so
	$(MU_SHARED) $< -L$(MU_LIBDIR) -lmu-c
$(MU_LIBDIR)/libmu-b.so: test-bins/musl/libmu-b.c $(MU_LIBDIR)/libmu-c.so
	$(MU_SHARED) $< -L$(MU_LIBDIR) -lmu-c
$(MU_LIBDIR)/libmu-%.so: test-bins/musl/libmu-%.c
	@mkdir -p $(dir $@)
	$(MU_SHARED) $<
# Link-time stand-ins: libmu-gone.so is never installed; this libmu-c.so has
# a c_gone that the real one lacks.
$(MU)/stubs/libmu-gone.so: test-bins/musl/libmu-gone.c
	@mkdir -p $(dir $@)
	$(MU_SHARED) $<
$(MU)/stubs/c/libmu-c.so: test-bins/musl/libmu-gone.c
	@mkdir -p $(dir $@)
	$(MU_SHARED) $<

MU_LIBS := $(addprefix $(MU_LIBDIR)/,libmu-a.so libmu-b.so libmu-c.so libmu-data.so \
	libmu-tls.so libmu-preload.so libmu-lazy.so libmu-many.so libmu-lazy-ibt.so libmu-dl.so \
	libmu-g1.so libmu-g2.so libmu-deep.so libmu-x.so libmu-y.so libmu-nodel.so libmu-next1.so \
	libmu-next2.so libmu-vers.so libmu-bigtls.so libmu-bigdesc.so libmu-bigie.so \
	sub/libmu-root.so sub/libmu-leaf.so libmu-small.so)

$(MU_LIBDIR)/libmu-vers.so: test-bins/musl/libmu-vers.c test-bins/musl/libmu-vers.map
	@mkdir -p $(dir $@)
	$(MU_SHARED) $< -Wl,--version-script=test-bins/musl/libmu-vers.map
$(MU_LIBDIR)/libmu-bigdesc.so: test-bins/musl/libmu-bigdesc.c
	@mkdir -p $(dir $@)
	$(MU_SHARED) -mtls-dialect=gnu2 $<
$(MU_LIBDIR)/sub/libmu-leaf.so: test-bins/musl/libmu-leaf.c
	@mkdir -p $(dir $@)
	$(MU_SHARED) $<
$(MU_LIBDIR)/sub/libmu-root.so: test-bins/musl/libmu-root.c $(MU_LIBDIR)/sub/libmu-leaf.so
	$(MU_SHARED) $< -L$(MU_LIBDIR)/sub -lmu-leaf

# The same library with a .plt.sec PLT (indirect branch tracking).
MU_IBT := -fcf-protection=full -Wl,-z,ibtplt
$(MU_LIBDIR)/libmu-lazy-ibt.so: test-bins/musl/libmu-lazy.c
	@mkdir -p $(dir $@)
	$(MU_SHARED) $(MU_IBT) $<
MU_LINK = $(MUSL_CC) $(MUSL_CFLAGS) -o $@ $(filter %.c,$^) -Wl,-rpath,'$$ORIGIN/lib'
# Search the stand-ins (named in the program's flags) before the real libraries.

# $(call musl_program,NAME,EXTRA-DEPS,FLAGS-AND-LIBS)
# Headers the test programs share.
MU_HEADERS := $(wildcard test-bins/musl/*.h)

define musl_program
$(MU)/$(1): test-bins/musl/$(1).c $(2) $(MU_HEADERS)
	@mkdir -p $$(dir $$@)
	$$(MU_LINK) $(3) -L$(MU_LIBDIR)
$(MU)/$(1)-lt: test-bins/musl/$(1).c $(2) $(MU_HEADERS)
	@mkdir -p $$(dir $$@)
	$$(MU_LINK) $(3) -L$(MU_LIBDIR) $$(LT_INTERP)
MUSL_PROGRAMS += $(MU)/$(1) $(MU)/$(1)-lt
endef

$(eval $(call musl_program,hello))
$(eval $(call musl_program,echo))
$(eval $(call musl_program,kitchen,,-pthread))
$(eval $(call musl_program,diamond,$(MU_LIBS),-lmu-a -lmu-b))
$(eval $(call musl_program,interpose,$(MU_LIBS),-lmu-a))
$(eval $(call musl_program,preload,$(MU_LIBS),-lmu-a))
$(eval $(call musl_program,copyreloc,$(MU_LIBS),-fno-pie -no-pie -lmu-data))
$(eval $(call musl_program,weak,$(MU_LIBS),-lmu-c))
$(eval $(call musl_program,threads,$(MU_LIBS),-pthread -lmu-tls))
$(eval $(call musl_program,origin,$(MU_LIBS),-lmu-a -lmu-b))
$(eval $(call musl_program,missing-lib,$(MU)/stubs/libmu-gone.so,-L$(MU)/stubs -lmu-gone))
$(eval $(call musl_program,missing-sym,$(MU)/stubs/c/libmu-c.so,-L$(MU)/stubs/c -lmu-c))

$(eval $(call musl_program,lazyargs,$(MU_LIBS),-lmu-lazy))
$(eval $(call musl_program,lazy-partial,$(MU_LIBS),-lmu-lazy))
$(eval $(call musl_program,lazystress,$(MU_LIBS),-pthread -lmu-many))
$(MU)/lazyargs-ibt-lt: test-bins/musl/lazyargs.c $(MU_LIBS)
	@mkdir -p $(dir $@)
	$(MU_LINK) $(MU_IBT) -L$(MU_LIBDIR) -lmu-lazy-ibt $(LT_INTERP)
MUSL_PROGRAMS += $(MU)/lazyargs-ibt-lt
$(eval $(call musl_program,dlbasic,$(MU_LIBS),-pthread))
DLFLAGS_EXPORT := -Wl,--export-dynamic-symbol=mu_whoami
$(eval $(call musl_program,dlflags,$(MU_LIBS),-lmu-next1 -lmu-next2 $(DLFLAGS_EXPORT)))
$(eval $(call musl_program,dltls,$(MU_LIBS),-pthread))
$(eval $(call musl_program,dlstress,$(MU_LIBS),-pthread))
$(eval $(call musl_program,dlfork,$(MU_LIBS),-pthread))
$(eval $(call musl_program,dlmeta,$(MU_LIBS)))
$(eval $(call musl_program,mymalloc))
$(eval $(call musl_program,copydata))

# Stand-ins with the names musl's libc.so answers for (see reserved.c).
MU_RESERVED := libm.so.6 libpthread.so.0 libdl.so.2 librt.so.1 libutil.so.1 libxnet.so \
	libresolv.so.2 libcrypt.so.1 ld-musl-x86_64.so.1
$(MU)/stubs/reserved/%: test-bins/musl/reserved-stub.c
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(MUSL_CFLAGS) -fPIC -shared -Wl,-soname,$* -o $@ $<
MU_RESERVED_STUBS := $(addprefix $(MU)/stubs/reserved/,$(MU_RESERVED))
MU_RESERVED_FLAGS := -Wl,--no-as-needed $(MU_RESERVED_STUBS)
$(eval $(call musl_program,reserved,$(MU_RESERVED_STUBS),$(MU_RESERVED_FLAGS)))

# PT_INTERP names ld-teach.so relative to the current directory, as the
# kernel allows: run from the top of the tree.
$(MU)/hello-relative-interp: test-bins/musl/hello.c
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(MUSL_CFLAGS) $< -o $@ -Wl,--dynamic-linker=ld-teach.so
MUSL_PROGRAMS += $(MU)/hello-relative-interp

$(MU)/hello-static: test-bins/musl/hello.c
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(MUSL_CFLAGS) -static $< -o $@
MUSL_PROGRAMS += $(MU)/hello-static

test-bins: $(FS_PROGRAMS) $(FS_LIBS) $(MUSL_PROGRAMS) $(MU_LIBS)
.PHONY: test-bins
