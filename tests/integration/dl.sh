#!/bin/bash
# dlopen, dlsym, dlclose, dynamic TLS, concurrency, and debugger support,
# through ld-teach's libc.so for musl programs.
source "$(dirname "$0")/../lib.sh"

MB=$BIN/musl

# Every check line a program prints must end in ": ok"; and there must be some.
all_checks_ok() {
	local checks failed
	checks=$(grep -c ': ok$' <<<"$out")
	failed=$(grep -E ': [A-Z]+$' <<<"$out" | grep -v ': ok$')
	[ "$checks" -gt 0 ] && [ -z "$failed" ] && return 0
	diag "failed checks:" "$failed"
	show_run
	return 1
}

# Both ways of starting: ./ld-teach.so prog, and prog-lt directly.
both_modes() {
	local prog=$1
	shift
	cd "$MB" && run "$LT" "./$prog" "$@" && expect_rc 0 && all_checks_ok &&
		run "./$prog-lt" "$@" && expect_rc 0 && all_checks_ok
}

test_open_use_from_threads_and_close() {
	both_modes dlbasic || return 1
	# The constructor runs at dlopen, the destructor at the last dlclose, then the mappings go.
	expect_contains out $'libmu-dl: constructor\ndlopen: ok' &&
		expect_contains out $'still mapped after one of two dlcloses: ok\nlibmu-dl: destructor\nunmapped after the last dlclose: ok'
}

# build/guarded/ld-teach.so ends every allocation of the loader at an
# inaccessible page, and unmaps it when freed: an overrun or a use after
# free faults there, where the real allocator would hide it.
test_no_allocation_is_overrun_or_used_after_free() {
	local guarded=$TOP/build/guarded/ld-teach.so p
	for p in dlbasic dlflags dltls dlmeta threads; do
		cd "$MB" && run "$guarded" "./$p" && expect_rc 0 && remember && run "$LT" "./$p" &&
			expect_same || { diag "program: $p"; return 1; }
	done
}

# LT_GUARD_FAIL_AT=N fails the guarded build's Nth allocation: dlbasic then
# sees dlopen or dlsym fail, or start-up refused with a reason, but never
# a crash, a hang or an error without a reason.  Five correct runs in a row
# (past the last allocation) end the scan.
test_out_of_memory_in_dlopen_and_dlclose_is_survived() {
	local guarded=$TOP/build/guarded/ld-teach.so n=0 correct=0
	cd "$MB" || return 1
	while [ "$correct" -lt 5 ] && [ "$n" -lt 5000 ]; do
		n=$((n + 1))
		run LT_GUARD_FAIL_AT=$n "$guarded" ./dlbasic
		if [ "$rc" = 0 ] && all_checks_ok >/dev/null; then
			correct=$((correct + 1))
			continue
		fi
		correct=0
		expect_no_signal && ! grep -qx "ld-teach.so: " <<<"$err$out" ||
			{ diag "allocation $n failed"; show_run; return 1; }
	done
}

test_flags_global_local_nodelete_deepbind_next_versions() {
	both_modes dlflags
}

test_dynamic_tls_beyond_the_surplus() {
	both_modes dltls && expect_contains out "initial-exec TLS too large for the surplus is refused: ok"
}

test_tls_error_says_what_was_needed_and_left() {
	cat >"$TMP/ie.c" <<'EOF'
#include <dlfcn.h>
#include <stdio.h>
int main(void) { if (!dlopen("libmu-bigie.so", RTLD_NOW)) puts(dlerror()); return 0; }
EOF
	musl-gcc -o "$TMP/ie" "$TMP/ie.c" -Wl,-rpath,"$MB/lib" || return 1
	run "$LT" "$TMP/ie" && expect_rc 0 &&
		expect_out "$MB/lib/libmu-bigie.so: cannot allocate static TLS: needs 4096 bytes (aligned to 16), 1664 bytes of the surplus are left"
}

# Eight threads open, call and close libraries with TLS thousands of times,
# while others make lazily bound first calls into a library that is itself
# opened and closed (glibc 2.36 can crash there: its bug 30425).
test_many_threads_open_call_and_close() {
	cd "$MB" && run ./dlstress-lt 2000 && expect_rc 0 && expect_out "wrong answers: 0" &&
		run "$LT" ./dlstress 500 && expect_rc 0 && expect_out "wrong answers: 0"
}

test_fork_while_another_thread_is_in_dlopen() {
	cd "$MB" && run ./dlfork-lt && expect_rc 0 && expect_out "children that could dlopen after fork: 50 of 50"
}

test_r_debug_and_phdr_counters_follow_dlopen_and_dlclose() {
	both_modes dlmeta
}

test_files_trace_says_why_an_object_stays() {
	cd "$MB" && run LD_DEBUG=files ./dlflags-lt && expect_rc 0 &&
		expect_contains err "lib/libmu-x.so [0];  not unloaded: bound to by $MB/lib/libmu-y.so, which stays" &&
		expect_contains err "lib/libmu-nodel.so [0];  not unloaded: NODELETE" &&
		expect_contains err "lib/libmu-y.so [0];  unloading: nothing keeps it any more" &&
		run LD_DEBUG=files ./dlbasic-lt && expect_contains err "libmu-dl.so [0];  not unloaded: 1 dlopen handle still open"
}

# gdb, with ld-teach.so as the program's interpreter.
gdb_batch() {
	run gdb -q -batch -ex 'set breakpoint pending on' "$@"
}

test_gdb_breaks_in_a_library_and_lists_every_object() {
	command -v gdb >/dev/null || { diag "gdb is not installed"; return 1; }
	cd "$MB" && gdb_batch -ex 'break a_value' -ex run -ex bt -ex 'info sharedlibrary' ./diamond-lt || return 1
	expect_contains out "Breakpoint 1, a_value () at test-bins/musl/libmu-a.c" &&
		grep -qE '^#1 .* in main \(\) at test-bins/musl/diamond.c' <<<"$out" || { show_run; return 1; }
	local lib
	for lib in lib/libmu-a.so lib/libmu-b.so lib/libmu-c.so build/musl/libc.so ld-teach.so; do
		grep -qE "Yes .*/$lib\$" <<<"$out" || { diag "gdb does not list $lib"; show_run; return 1; }
	done
}

test_gdb_sees_a_dlopened_library() {
	command -v gdb >/dev/null || { diag "gdb is not installed"; return 1; }
	cd "$MB" && gdb_batch -ex 'break dl_add' -ex run -ex bt -ex 'info sharedlibrary' \
		-ex 'info symbol dl_get_ie' ./dlbasic-lt || return 1
	expect_contains out "hit Breakpoint 1, dl_add (x=2, y=3) at test-bins/musl/libmu-dl.c" &&
		expect_contains out "in thread_ok (" &&
		grep -qE "Yes .*/lib/libmu-dl.so\$" <<<"$out" &&
		expect_contains out "dl_get_ie in section .text of $MB/lib/libmu-dl.so"
}

run_suite dl
