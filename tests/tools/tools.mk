# Host tools for the tests (libelf allowed here, never in the core).  Included by tests/tests.mk.

TOOLS := $(BUILD)/tools
ELFMANGLE := $(TOOLS)/elfmangle

$(ELFMANGLE): tests/tools/elfmangle.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g $(WARN) -o $@ $< -lelf

# ld-teach's reading of an ld.so.cache file, for tests/integration/ldcache.sh.
LDCACHE_LOOKUP := $(TOOLS)/ldcache-lookup

$(LDCACHE_LOOKUP): tests/tools/ldcache-lookup.c rtld/glibc/cache.c rtld/glibc/cache.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g $(WARN) -Irtld -o $@ tests/tools/ldcache-lookup.c rtld/glibc/cache.c

# ld-teach's prelink caches, read with its own parser and altered, for
# tests/integration/prelink.sh and doc/prelink.md.
PRELINK_EDIT := $(TOOLS)/prelink-edit

$(PRELINK_EDIT): tests/tools/prelink-edit.c rtld/prelink_file.c rtld/prelink.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g $(WARN) -Irtld -Iarch/x86_64 -Iinclude -o $@ tests/tools/prelink-edit.c \
		rtld/prelink_file.c -lelf

# A program run with one system call failing (a seccomp filter), for the
# failures no file or setting can cause.
FAILING_SYSCALL := $(TOOLS)/failing-syscall

$(FAILING_SYSCALL): tests/tools/failing-syscall.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g $(WARN) -o $@ $<

# A program run with an environment that names a variable twice.
EXACT_ENV := $(TOOLS)/exact-env

$(EXACT_ENV): tests/tools/exact-env.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g $(WARN) -o $@ $<

# ---------------------------------------------------------------------------
# Malformed (and a few valid but unusual) variants of the freestanding test
# programs and libraries, for tests/integration/malformed.sh.  Each
# mutation gets a directory: MUTATION/prog/ holds its programs, and
# MUTATION/lib/ its libraries, ready for LD_LIBRARY_PATH.
# `build/tools/elfmangle --list` says what each mutation does.
MALFORMED := $(TB)/malformed

malformed_out = $(MALFORMED)/$(1)/$(if $(filter lib/%,$(2)),$(2),prog/$(2))

# $(call mangle,MUTATION,FILE[,ARG]): FILE (relative to $(FS)) through MUTATION.
define mangle
$(call malformed_out,$(1),$(2)): $(FS)/$(2) $(ELFMANGLE)
	@mkdir -p $$(dir $$@)
	$(ELFMANGLE) $(1) $$< $$@ $(3)
MALFORMED_FILES += $(call malformed_out,$(1),$(2))
endef

# Defects any object can have: on a position-independent program, a
# fixed-address one, and a library.
MANGLE_ANY := truncate-phdrs truncate-segment phoff phentsize phnum-huge class32 machine type-rel \
	load-offset filesz-gt-memsz load-swap dynamic-outside wx memsz-huge strtab-outside \
	strsz-huge symtab-missing symbol-name reloc-symbol reloc-offset reloc-type pltrelsz-missing \
	pltgot-readonly gnu-bucket gnu-bloom gnu-chain
$(foreach m,$(MANGLE_ANY),$(foreach f,fs-main fs-main-nopie lib/libfs-d.so,\
	$(eval $(call mangle,$(m),$(f)))))

# A write across a segment's end (the programs have two relocations or more);
# a PLT stub's relocation index one past the table (lazy binding).
$(foreach m,reloc-straddle plt-index,$(foreach f,fs-main fs-main-nopie,$(eval $(call mangle,$(m),$(f)))))

# A GOT word across a segment's end, in a run of them (fs-main's GLOB_DATs
# of nowhere_data, nowhere_fn, a_add).
$(foreach f,fs-main fs-main-lt,$(eval $(call mangle,got-straddle,$(f))))

# Segments the loader reads, unreadable; the program's DT_DEBUG slot, not writable.
$(foreach m,unreadable-phdrs unreadable-dynamic unreadable-strtab,\
	$(foreach f,fs-main fs-main-nopie lib/libfs-d.so,$(eval $(call mangle,$(m),$(f)))))
$(eval $(call mangle,readonly-dynamic,fs-main))
$(eval $(call mangle,readonly-dynamic,fs-main-nopie))

# What the kernel maps, PT_INTERP mode must check as command mode does: the
# same defects in programs the kernel starts (fs-main*-lt).  Program headers
# no PT_LOAD maps are fine in command mode (ld-teach keeps a copy), not when
# the kernel tells the program where they are.
$(foreach m,interp-vaddr phdr-vaddr,$(foreach f,fs-main fs-main-nopie fs-main-lt fs-main-nopie-lt,\
	$(eval $(call mangle,$(m),$(f)))))
$(foreach f,fs-main-lt fs-main-nopie-lt,$(eval $(call mangle,phoff-unmapped,$(f))))
# W^X and unreadable segments, refused whoever started the program: the
# kernel maps them as asked (rwxp, ---p) before ld-teach runs.
$(foreach m,wx unreadable-phdrs unreadable-dynamic unreadable-strtab,\
	$(foreach f,fs-main-lt fs-main-nopie-lt,$(eval $(call mangle,$(m),$(f)))))

# Addresses that cannot be: an entry point (outside the address space, or
# in a segment that is not code), a local symbol, a definition.
# An entry point in the PLT reaches the trampoline with no object pushed.
$(foreach m,entry-noncanonical entry-not-code entry-in-plt,$(foreach f,fs-main fs-main-nopie fs-main-lt fs-main-nopie-lt,\
	$(eval $(call mangle,$(m),$(f)))))
$(foreach f,fs-main fs-main-nopie lib/libfs-d.so,$(eval $(call mangle,local-undefined,$(f))))
$(eval $(call mangle,symbol-outside,lib/libfs-d.so))
# A TLS relocation whose symbol is no TLS symbol: its value is no offset in
# a TLS block (the program would reach into another object's).
$(eval $(call mangle,tls-symbol-not-tls,lib/libfs-a.so))
# A TLS symbol past its object's TLS block: the program would write there,
# into another module's block or the thread's control block (a fuzzed
# libmu-tls.so crashed a glibc program's thread exit so).
$(eval $(call mangle,tls-symbol-outside,lib/libfs-a.so))
$(eval $(call mangle,tls-symbol-abs-outside,lib/libfs-a.so))
$(eval $(call mangle,tls-addend-outside,lib/libfs-a.so))

# Names from files are printed with their control characters escaped: a
# version that cannot be found, a library that cannot be opened.
$(eval $(call mangle,newline-in-name,fs-needs-ver3,VER_3))
$(eval $(call mangle,newline-in-name,fs-main,libfs-a.so))

# Lazy binding: GOT[1] and GOT[2] must stay the loader's; the trampoline
# jumps only into code; a GOT entry (JUMP_SLOT, GLOB_DAT) has no addend.
# a_call_w_first, made an IFUNC, is run as its own resolver while a PLT
# slot is bound, and calls w_first through the PLT: a binding inside a binding.
$(eval $(call mangle,ifunc-calls-plt,lib/libfs-a.so,a_call_w_first))
$(foreach m,got-clobbered got2-clobbered jump-slot-to-data jump-slot-addend,\
	$(foreach f,fs-main fs-main-nopie lib/libfs-a.so,$(eval $(call mangle,$(m),$(f)))))
$(foreach f,fs-main lib/libfs-a.so,$(eval $(call mangle,glob-dat-addend,$(f))))

# Structures the loader reads where they lie must be aligned.
$(eval $(call mangle,phoff-misaligned,fs-main))
$(foreach f,fs-main lib/libfs-d.so,$(eval $(call mangle,symtab-misaligned,$(f))))

# Cut inside the ELF header itself.
$(eval $(call mangle,truncate,fs-main,40))
$(eval $(call mangle,truncate,lib/libfs-d.so,40))

# Defects of things only some objects have: DT_NEEDED, DT_VERSYM, PT_TLS,
# DT_INIT_ARRAY (libraries) and DT_PREINIT_ARRAY (programs).
$(eval $(call mangle,needed-offset,fs-main))
$(eval $(call mangle,needed-offset,lib/libfs-a.so))
$(eval $(call mangle,versym,fs-main))
$(eval $(call mangle,versym,lib/libfs-ver.so))
$(eval $(call mangle,tls-align,fs-main))
$(eval $(call mangle,tls-align,lib/libfs-a.so))
$(eval $(call mangle,init-arraysz,lib/libfs-d.so))
$(eval $(call mangle,preinit-arraysz,fs-main))
$(eval $(call mangle,sysv-bucket,lib/sysv/libfs-d.so))
$(eval $(call mangle,sysv-chain,lib/sysv/libfs-d.so))
$(eval $(call mangle,sysv-chain-pair,lib/sysv/libfs-d.so))

# Valid but unusual.  fs-main's reference to nowhere_data is weak and
# undefined: its GOT slot holds 0 in the file, which is also the right value,
# so R_X86_64_NONE there must change nothing.  libfs-sym.so with DF_SYMBOLIC
# binds its own sym_value (see test-bins/freestanding/libsym.c).
$(eval $(call mangle,reloc-none,fs-main,nowhere_data))
$(eval $(call mangle,symbolic,lib/libfs-sym.so))
# A PT_LOAD aligned far beyond a page: moot at a fixed address.
$(foreach f,fs-main fs-main-nopie fs-main-lt fs-main-nopie-lt,$(eval $(call mangle,align-huge,$(f))))
# A PLT slot inside PT_GNU_RELRO, read-only before any call: binding it
# lazily would write there.
$(eval $(call mangle,jump-slot-in-relro,fs-main))
$(eval $(call mangle,text-bss,lib/libfs-d.so))
$(eval $(call mangle,gnu-one-bucket,lib/libfs-sym.so))
$(eval $(call mangle,gnu-one-bucket,lib/libfs-a.so))
$(eval $(call mangle,interp-first,fs-main-lt))
$(eval $(call mangle,tls-align-zero,lib/libfs-b.so))

# Valid, and a rule only the loader can apply (tests/integration/core.sh):
# libfs-prot.so's symbolic relocations against its now protected prot_data;
# fs-irelative's IRELATIVE relocations ahead of those its resolver reads.
$(eval $(call mangle,protected,lib/libfs-prot.so,prot_data))
$(eval $(call mangle,irelative-first,fs-irelative))
$(eval $(call mangle,irelative-first,fs-irelative-lt))
# fs-auxv's headers mapped twice, PT_PHDR (second) naming the second mapping.
$(foreach f,fs-auxv fs-auxv-lt,$(eval $(call mangle,phdr-mapped-twice,$(f))))

# Programs with both DT_RPATH and DT_RUNPATH (see test-bins.mk).
FS_BOTH := $(foreach p,fs-where-both fs-hop-both,$(FS)/$(p) $(FS)/$(p)-lt)
$(FS_BOTH): $(FS)/%: $(FS)/unmangled/% $(ELFMANGLE)
	$(ELFMANGLE) runpath-from-soname $< $@

malformed-bins: $(MALFORMED_FILES)
.PHONY: malformed-bins

CHECK_BUILD += $(ELFMANGLE) $(LDCACHE_LOOKUP) $(PRELINK_EDIT) $(FAILING_SYSCALL) $(EXACT_ENV) \
	malformed-bins $(FS_BOTH)

# Random symbol workloads for tests/integration/symindex.sh, one directory
# per seed, each with the LD_PRELOAD list it is run with in `preload`.
WORKLOADS := $(foreach seed,$(shell seq 1 12),$(TB)/workloads/w$(seed)/preload)
$(TB)/workloads/w%/preload: tests/tools/gen-symbol-workload.sh
	@mkdir -p $(dir $@)
	tests/tools/gen-symbol-workload.sh $* $(CURDIR)/$(TB)/workloads/w$* >$@.tmp && mv $@.tmp $@

CHECK_BUILD += $(WORKLOADS)
