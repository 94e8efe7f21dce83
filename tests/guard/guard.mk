# The guarded build, for the tests: the core's objects, with the allocator
# of tests/guard/alloc.c, which gives every block pages of its own so that
# writing past one faults at once.  It finds the musl adapter and the glibc
# stand-in next to itself, as the checked build does.  Included by
# tests/tests.mk.

GUARDED_LT := $(BUILD)/guarded/ld-teach.so
GUARDED_ALLOC := $(BUILD)/guarded/alloc.o

$(GUARDED_ALLOC): tests/guard/alloc.c
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -c $< -o $@
$(GUARDED_LT): $(filter-out %/alloc.o,$(CORE_OBJS)) $(GUARDED_ALLOC) $(MUSL_ADAPTER) $(CORE_LDSCRIPT)
	$(CC) $(CORE_LDFLAGS) -o $@ $(filter %.o,$^)
	@mkdir -p $(BUILD)/guarded/ld-teach/musl $(BUILD)/guarded/ld-teach/glibc
	ln -sf ../../../musl/libc.so $(BUILD)/guarded/ld-teach/musl/libc.so
	ln -sf ../../../glibc/ld-linux-x86-64.so.2 $(BUILD)/guarded/ld-teach/glibc/ld-linux-x86-64.so.2

-include $(GUARDED_ALLOC:.o=.d)

CHECK_BUILD += $(GUARDED_LT)
