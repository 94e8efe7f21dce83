# Host-built helpers of the glibc suites.  Included by tests/tests.mk, after
# rtld/glibc/glibc.mk has said whether the layout exists.
#
# cpu-dump: rtld/glibc/cpu.c and arch/x86_64/cpu.c compiled for the host,
# printing what ld-teach would fill in for glibc, and how many times each
# CPUID leaf ran (tests/integration/glibc-cpu.sh).
# cpu-seen: a glibc program printing what its loader told glibc about the
# CPU; cpu-seen-lt names ld-teach.so as its PT_INTERP (the same suite, under
# CPUs that qemu-x86_64 emulates).

GLIBC_CPU_DUMP := $(BUILD)/tests/glibc/cpu-dump
GLIBC_CPU_DUMP_SRCS := tests/glibc/cpu-dump.c rtld/glibc/cpu.c arch/x86_64/cpu.c

ifeq ($(GLIBC_LAYOUT_AVAILABLE),yes)
$(GLIBC_CPU_DUMP): $(GLIBC_CPU_DUMP_SRCS) rtld/glibc/cpu.h arch/x86_64/arch.h rtld/page.h $(GLIBC_AVAILABLE)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O1 -g $(WARN) -DLT_CPUID_TRACE -Irtld/glibc -Iarch/x86_64 -Irtld -I$(GLIBC_DIR) \
		-o $@ $(GLIBC_CPU_DUMP_SRCS)

CHECK_BUILD += $(GLIBC_CPU_DUMP)

GLIBC_CPU_SEEN := $(BUILD)/tests/glibc/cpu-seen
$(GLIBC_CPU_SEEN) $(GLIBC_CPU_SEEN)-lt: tests/glibc/cpu-seen.c $(GLIBC_AVAILABLE)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O1 -g $(WARN) -I$(GLIBC_DIR) -o $@ $< $(if $(filter %-lt,$@),$(LT_INTERP))

CHECK_BUILD += $(GLIBC_CPU_SEEN) $(GLIBC_CPU_SEEN)-lt
endif
