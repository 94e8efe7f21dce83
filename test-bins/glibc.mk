# glibc programs, built with plain gcc and g++: NAME names glibc's loader as
# PT_INTERP (run it as ./ld-teach.so NAME), NAME-lt names ld-teach.so.
# Libraries go in glibc/lib, found through $ORIGIN/lib.  Included by
# test-bins.mk.

GL := $(TB)/glibc
GL_LIBDIR := $(GL)/lib
GL_CFLAGS := -std=gnu11 -O2 -g $(WARN)
GL_CXXFLAGS := -std=gnu++17 -O2 -g $(WARN)
GL_SHARED = -fPIC -shared -Wl,-soname,$(@F) -Wl,-rpath,'$$ORIGIN' -o $@

$(GL_LIBDIR)/libgl-order-d.so: test-bins/glibc/libgl-order-d.c
	@mkdir -p $(@D)
	$(CC) $(GL_CFLAGS) $(GL_SHARED) $<
$(GL_LIBDIR)/libgl-order-%.so: test-bins/glibc/libgl-order-%.c $(GL_LIBDIR)/libgl-order-d.so
	$(CC) $(GL_CFLAGS) $(GL_SHARED) $< -L$(GL_LIBDIR) -lgl-order-d
$(GL_LIBDIR)/libgl-tls.so: test-bins/glibc/libgl-tls.c
	@mkdir -p $(@D)
	$(CC) $(GL_CFLAGS) $(GL_SHARED) $<
$(GL_LIBDIR)/libgl-thrower.so: test-bins/glibc/libgl-thrower.cc
	@mkdir -p $(@D)
	$(CXX) $(GL_CXXFLAGS) $(GL_SHARED) $<

$(GL_LIBDIR)/libgl-inline1.so $(GL_LIBDIR)/libgl-inline2.so: test-bins/glibc/libgl-inline.cc
	@mkdir -p $(@D)
	$(CXX) $(GL_CXXFLAGS) $(GL_SHARED) $<

GL_LIBS := $(addprefix $(GL_LIBDIR)/,libgl-order-a.so libgl-order-b.so libgl-order-c.so \
	libgl-order-v.so libgl-order-d.so libgl-tls.so libgl-thrower.so libgl-inline1.so \
	libgl-inline2.so)

# $(call glibc_program,NAME,SOURCE,COMPILER AND FLAGS,LIBS)
define glibc_program
$(GL)/$(1): $(2) $(GL_LIBS)
	@mkdir -p $$(@D)
	$(3) -o $$@ $$< -Wl,-rpath,'$$$$ORIGIN/lib' -L$(GL_LIBDIR) $(4)
$(GL)/$(1)-lt: $(2) $(GL_LIBS)
	@mkdir -p $$(@D)
	$(3) -o $$@ $$< -Wl,-rpath,'$$$$ORIGIN/lib' -L$(GL_LIBDIR) $(4) $$(LT_INTERP)
GLIBC_PROGRAMS += $(GL)/$(1) $(GL)/$(1)-lt
endef

GL_CC := $(CC) $(GL_CFLAGS)
$(eval $(call glibc_program,hello,test-bins/glibc/hello.c,$(GL_CC),-lm))
$(eval $(call glibc_program,hello-nopie,test-bins/glibc/hello.c,$(GL_CC) -fno-pie -no-pie,-lm))
$(eval $(call glibc_program,hello-now,test-bins/glibc/hello.c,$(GL_CC) -Wl$(comma)-z$(comma)now,-lm))
$(eval $(call glibc_program,tls,test-bins/glibc/tls.c,$(GL_CC) -pthread,-lgl-tls))
$(eval $(call glibc_program,forkdl,test-bins/glibc/forkdl.c,$(GL_CC) -pthread,))
$(eval $(call glibc_program,atforkdl,test-bins/glibc/atforkdl.c,$(GL_CC),))
$(eval $(call glibc_program,atforkdl-dlsym,test-bins/glibc/atforkdl.c,$(GL_CC) -DBY_DLSYM,))
$(eval $(call glibc_program,cancel,test-bins/glibc/cancel.c,$(GL_CC) -pthread,))
$(eval $(call glibc_program,order,test-bins/glibc/order.c,$(GL_CC),-lgl-order-a -lgl-order-b -lgl-order-c -lgl-order-v))
$(eval $(call glibc_program,vdso,test-bins/glibc/vdso.c,$(GL_CC),))
$(eval $(call glibc_program,roglobal,test-bins/glibc/roglobal.c,$(GL_CC),))
$(eval $(call glibc_program,tunables,test-bins/glibc/tunables.c,$(GL_CC),))
$(eval $(call glibc_program,cxx,test-bins/glibc/cxx.cc,$(CXX) $(GL_CXXFLAGS) -pthread,-lgl-thrower))
$(eval $(call glibc_program,inline,test-bins/glibc/inline.c,$(GL_CC),))
$(eval $(call glibc_program,rseq,test-bins/glibc/rseq.c,$(GL_CC),))
$(eval $(call glibc_program,guards,test-bins/glibc/guards.c,$(GL_CC),))
$(eval $(call glibc_program,uncaught,test-bins/glibc/uncaught.c,$(GL_CC),))
$(eval $(call glibc_program,stackperm,test-bins/glibc/stackperm.c,$(GL_CC) -pthread,))
NEWTHREAD_MAP := test-bins/glibc/newthread.map
$(eval $(call glibc_program,newthread,test-bins/glibc/newthread.c,$(GL_CC) -pthread -Wl$(comma)--version-script=$(NEWTHREAD_MAP),))
$(GL)/newthread $(GL)/newthread-lt: $(NEWTHREAD_MAP)

# linkmaps reads link_map fields at the offsets of glibc's layout;
# tunable-strings asks for tunables by glibc's ids.
ifeq ($(GLIBC_LAYOUT_AVAILABLE),yes)
$(eval $(call glibc_program,linkmaps,test-bins/glibc/linkmaps.c,$(GL_CC) -I$(GLIBC_DIR),-ldl))
$(GL)/linkmaps $(GL)/linkmaps-lt: $(GLIBC_LAYOUT_H)
$(eval $(call glibc_program,tunable-strings,test-bins/glibc/tunable-strings.c,$(GL_CC) -I$(GLIBC_DIR),))
$(GL)/tunable-strings $(GL)/tunable-strings-lt: $(GLIBC_LAYOUT_H)
endif

# A glibc program whose library is built for musl (one libc per process).
$(GL)/needs-musl-lib: test-bins/freestanding/uses-musl.c $(MU_LIBDIR)/libmu-greet.so
	@mkdir -p $(@D)
	$(GL_CC) -o $@ $< -L$(MU_LIBDIR) -lmu-greet -Wl,-rpath,'$$ORIGIN/../musl/lib' \
		-Wl,--allow-shlib-undefined
GLIBC_PROGRAMS += $(GL)/needs-musl-lib
