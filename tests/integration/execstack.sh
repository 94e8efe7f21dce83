#!/bin/bash
# Executable stacks, glibc's policy since 2.41 (doc/design.md): a program
# or start-up library that asks gets one, in both start modes; a library
# dlopen brings that asks is refused unless the stack is executable
# already; GLIBC_TUNABLES=glibc.rtld.execstack=0 refuses every request,
# and 2 makes the stack executable from the start.  The test programs run
# code on their stacks, so a stack that is not executable kills them.
source "$(dirname "$0")/../lib.sh"

FSB=$BIN/fs
GLIBC_LD=/lib64/ld-linux-x86-64.so.2
REFUSED="cannot enable executable stack as it asks (PT_GNU_STACK): GLIBC_TUNABLES=glibc.rtld.execstack=0 forbids it"
NOT_FROM_DLOPEN="cannot enable executable stack as shared object requires: the stack is not executable, and a library dlopen brings cannot make it so (GLIBC_TUNABLES=glibc.rtld.execstack=2 makes it executable from the start)"

# The test programs must ask for what they claim to.
test_test_programs_ask_for_an_executable_stack() {
	local f
	for f in "$FSB/fs-asm-stack" "$FSB/lib/libfs-execstack.so" "$BIN/musl/lib/libmu-execstack.so"; do
		readelf -lW "$f" | grep -qE 'GNU_STACK .* RWE ' || { diag "$f does not ask"; return 1; }
	done
	readelf -lW "$FSB/fs-execstack" | grep -qE 'GNU_STACK .* RW ' ||
		{ diag "fs-execstack must not ask itself"; return 1; }
}

# A library loaded at start-up asks: the whole main stack becomes executable.
test_a_start_up_library_gets_an_executable_stack() {
	local expected=$'stack: rwxp\ncode on the stack runs: ok\nthe library runs: ok'
	cd "$FSB" && run "$LT" ./fs-execstack && expect_rc 0 && expect_out "$expected" &&
		run ./fs-execstack-lt && expect_rc 0 && expect_out "$expected"
}

# Assembled from a .s file without .note.GNU-stack, as glibc runs it.
test_a_program_assembled_without_the_note_runs() {
	local expected=$'stack: rwxp\ncode on the stack runs: ok\nthe assembled function runs: ok'
	cd "$FSB" && run "$LT" ./fs-asm-stack && expect_rc 0 && expect_out "$expected" &&
		run ./fs-asm-stack-lt && expect_rc 0 && expect_out "$expected"
}

# Without a request, the stack stays as it was: not executable.
test_no_request_no_executable_stack() {
	cd "$FSB" && run "$LT" ./fs-auxv && expect_rc 0 &&
		run env LD_DEBUG=maps "$LT" ./fs-auxv && grep -qE ' rw- .*\[stack\]$' <<<"$err" ||
		{ show_run; return 1; }
}

test_the_trace_says_why() {
	cd "$FSB" && run LD_DEBUG=files,maps "$LT" ./fs-execstack && expect_rc 0 &&
		expect_contains err "stack: made executable, as ./lib/libfs-execstack.so asks (PT_GNU_STACK)" &&
		grep -qE ' rwx +0x0  \[stack\] \(executable: \./lib/libfs-execstack\.so asks \(PT_GNU_STACK\)\)$' <<<"$err" ||
		{ show_run; return 1; }
	run LD_DEBUG=files GLIBC_TUNABLES=glibc.rtld.execstack=2 "$LT" ./fs-auxv && expect_rc 0 &&
		expect_contains err "stack: made executable from the start: glibc.rtld.execstack=2"
}

# glibc.rtld.execstack=0: the program, or a start-up library, asking is refused.
test_setting_0_refuses_every_request() {
	cd "$FSB" || return 1
	run GLIBC_TUNABLES=glibc.rtld.execstack=0 "$LT" ./fs-asm-stack && expect_rc 127 &&
		expect_err_line "ld-teach.so: ./fs-asm-stack: $REFUSED" &&
		run GLIBC_TUNABLES=glibc.rtld.execstack=0 ./fs-asm-stack-lt && expect_rc 127 &&
		expect_err_line "ld-teach.so: ./fs-asm-stack-lt: $REFUSED" &&
		run GLIBC_TUNABLES=glibc.rtld.execstack=0 "$LT" ./fs-execstack && expect_rc 127 &&
		expect_err_line "ld-teach.so: ./lib/libfs-execstack.so: $REFUSED" &&
		run GLIBC_TUNABLES=glibc.rtld.execstack=0 "$LT" --verify ./fs-asm-stack && expect_rc 127 || return 1
	# Other tunables around it, and other values, leave the default.
	run GLIBC_TUNABLES=glibc.malloc.check=0:glibc.rtld.execstack=0:glibc.rtld.nns=2 "$LT" ./fs-execstack &&
		expect_rc 127 && run GLIBC_TUNABLES=glibc.rtld.execstack=7 "$LT" ./fs-execstack && expect_rc 0
}

# As GLIBC_TUNABLES as a whole, the setting is ignored in a set-user-id program.
test_setting_ignored_in_secure_mode() {
	secure_copy "$FSB/fs-asm-stack-lt" "$TMP/asm-stack-lt"
	run GLIBC_TUNABLES=glibc.rtld.execstack=0 "$TMP/asm-stack-lt" && expect_rc 0 &&
		expect_contains out "code on the stack runs: ok"
}

# dlopen of a library that asks: refused, both start modes, every libc.
# (Started as ./dlexecstack, a glibc program's $ORIGIN is the working
# directory and "/.", a musl program's "."; doc/design.md, $ORIGIN.)
ftest_dlopen_of_a_library_that_asks_is_refused() {
	local origin=.
	[ "$FLAVOUR" = musl ] || origin="$(cd "$FB" && pwd -P)/."
	cd "$FB" && run ./dlexecstack-lt && expect_rc 1 &&
		expect_out "dlopen: $FB/lib/libmu-execstack.so: $NOT_FROM_DLOPEN" &&
		run "$LT" ./dlexecstack && expect_rc 1 &&
		expect_out "dlopen: $origin/lib/libmu-execstack.so: $NOT_FROM_DLOPEN"
}

# ... unless the stack is executable already: a start-up object asked, or the setting is 2.
ftest_dlopen_is_allowed_once_the_stack_is_executable() {
	local expected=$'dlopen: ok, 7\ncode on the main stack: 42'
	cd "$FB" && run LD_PRELOAD=libmu-execstack.so ./dlexecstack-lt && expect_rc 0 &&
		expect_out "$expected" &&
		run GLIBC_TUNABLES=glibc.rtld.execstack=2 "$LT" ./dlexecstack && expect_rc 0 &&
		expect_out "$expected"
}

# glibc's libc gives its threads executable stacks when the main stack is (musl's never does).
test_glibc_threads_get_executable_stacks() {
	need_glibc
	cd "$BIN/glibc-flavour" && run GLIBC_TUNABLES=glibc.rtld.execstack=2 ./dlexecstack-lt thread &&
		expect_rc 0 && expect_contains out "code on a thread's stack: 42"
}

# __nptl_change_stack_perm, the loader's function glibc's libc calls to
# make a new thread's stack executable, does what glibc's loader's does
# (test-bins/glibc/stackperm.c): the stack becomes executable, its guard
# page stays inaccessible.
test_a_thread_stack_made_executable_keeps_its_guard_page() {
	need_glibc
	cd "$BIN/glibc" && run "$GLIBC_LD" ./stackperm && expect_rc 0 &&
		expect_contains out "stack, lowest byte: rwxp" && remember &&
		run "$LT" ./stackperm && expect_same && run ./stackperm-lt && expect_same
}

# ... and when the kernel refuses, returns its errno and changes nothing,
# which libc passes on (pthread_create fails with it).  The refusal: a
# seccomp filter failing mprotect with exactly PROT_READ|PROT_WRITE|PROT_EXEC
# (7), which a thread's stack asks for and no other call of these starts.
test_a_thread_stack_the_kernel_will_not_make_executable_is_an_error() {
	need_glibc
	need_seccomp
	local no_rwx=("$FAILING_SYSCALL" mprotect,2=7 1)  # EPERM
	cd "$BIN/glibc" && run "${no_rwx[@]}" "$GLIBC_LD" ./stackperm && expect_rc 0 &&
		expect_contains out "__nptl_change_stack_perm: Operation not permitted" &&
		expect_contains out "stack, lowest byte: rw-p" && remember &&
		run "${no_rwx[@]}" "$LT" ./stackperm && expect_same &&
		run "${no_rwx[@]}" ./stackperm-lt && expect_same
}

# The setting covers musl programs too: a preload that asks is refused (and skipped, as preloads are).
test_setting_0_covers_musl_programs() {
	cd "$BIN/musl" && run GLIBC_TUNABLES=glibc.rtld.execstack=0 LD_PRELOAD=libmu-execstack.so ./dlexecstack-lt &&
		expect_rc 1 && expect_contains err "libmu-execstack.so: $REFUSED" &&
		expect_contains out "$NOT_FROM_DLOPEN"
}

run_suite execstack
