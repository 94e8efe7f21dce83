#!/bin/bash
# Lazy PLT binding: arguments survive the trampoline, only called functions
# are bound, LD_BIND_NOW binds everything at load time, and many threads can
# make the first call at once.
source "$(dirname "$0")/../lib.sh"

MB=$BIN/musl

# What the CPU offers decides two lines of lazyargs' output.
lazyargs_expected() {
	local avx="ok" avx512="ok"
	grep -qw avx /proc/cpuinfo || avx="not available on this CPU"
	grep -qw avx512f /proc/cpuinfo || avx512="not available on this CPU"
	printf '%s\n' "8 doubles and 6 integers: ok" "variadic doubles: ok" \
		"__m256d arguments: $avx" "__m512d arguments: $avx512"
}

test_arguments_survive_lazy_binding_command_mode() {
	run LD_DEBUG=bindings "$LT" "$MB/lazyargs" && expect_rc 0 && expect_out "$(lazyargs_expected)" &&
		expect_contains err "normal symbol \`mix' (lazily, on its first call)" &&
		expect_contains err "normal symbol \`add512' (lazily, on its first call)"
}

test_arguments_survive_lazy_binding_interp_mode() {
	run LD_DEBUG=bindings "$MB/lazyargs-lt" && expect_rc 0 && expect_out "$(lazyargs_expected)" &&
		expect_contains err "normal symbol \`vsum' (lazily, on its first call)"
}

test_arguments_survive_with_ibt_plt() {
	readelf -SW "$MB/lazyargs-ibt-lt" | grep -q '\.plt\.sec' || { diag "no .plt.sec"; return 1; }
	run LD_DEBUG=bindings "$MB/lazyargs-ibt-lt" && expect_rc 0 && expect_out "$(lazyargs_expected)" &&
		expect_contains err "(lazily, on its first call)"
}

test_same_results_as_musl() {
	run /lib/ld-musl-x86_64.so.1 "$MB/lazyargs" && remember && run "$MB/lazyargs-lt" && expect_same
}

test_uncalled_function_is_never_bound() {
	run LD_DEBUG=bindings "$MB/lazy-partial-lt" && expect_rc 0 && expect_out "vsum: 3" &&
		expect_contains err "normal symbol \`vsum' (lazily, on its first call)" &&
		expect_not_contains err "\`mix'"
}

test_bind_now_binds_everything_at_load_time() {
	run LD_BIND_NOW=1 LD_DEBUG=bindings "$MB/lazy-partial-lt" && expect_rc 0 &&
		expect_contains err "normal symbol \`mix' (at load time)" &&
		expect_contains err "normal symbol \`vsum' (at load time)" &&
		expect_not_contains err "lazily" &&
		run LD_DEBUG=reloc "$MB/lazy-partial-lt" && expect_contains err "relocation processing: $MB/lazy-partial-lt (lazy)"
}

# Objects linked with -z now are never lazy.
test_bind_now_objects_are_bound_at_load_time() {
	run LD_DEBUG=reloc,bindings "$LT" "$MB/hello" && expect_rc 0 &&
		expect_contains err "relocation processing: $TOP/build/musl/libc.so"$'\n' &&
		expect_contains err "normal symbol \`malloc' (at load time)"
}

test_many_threads_make_the_first_call_together() {
	local i
	for i in $(seq 1 20); do
		run "$MB/lazystress-lt"
		expect_rc 0 && expect_out "$(printf '%s\n' "wrong results: 0" "IFUNC resolver calls: 1" \
			"function table still consistent: yes")" || { diag "run $i"; return 1; }
	done
	run "$LT" "$MB/lazystress" && expect_rc 0 && expect_contains out "IFUNC resolver calls: 1"
}

# A stand-in library satisfied the link; the real libmu-c.so lacks c_gone.
test_unresolvable_call_fails_at_call_time() {
	cd "$MB" && run ./missing-sym-lt && expect_rc 127 && expect_out "ctor: libmu-c"$'\n'"before the call" &&
		expect_err_line "ld-teach.so: ./missing-sym-lt: symbol lookup error: undefined symbol: c_gone" &&
		run LD_BIND_NOW=1 ./missing-sym-lt && expect_rc 127 && expect_out ""  # fails before constructors
}

run_suite lazy
