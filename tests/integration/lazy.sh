#!/bin/bash
# Lazy PLT binding: arguments survive the trampoline, only called functions
# are bound, LD_BIND_NOW binds everything at load time, and many threads can
# make the first call at once; in both flavours of the libc programs.
source "$(dirname "$0")/../lib.sh"

MB=$BIN/musl

# lazyargs' checks of the general and SSE registers, which every x86-64 CPU has.
LAZYARGS_OUT=$(printf '%s\n' "8 doubles and 6 integers: ok" "variadic doubles: ok")

ftest_arguments_survive_lazy_binding_command_mode() {
	run LD_DEBUG=bindings "$LT" "$FB/lazyargs" && expect_rc 0 && expect_out "$LAZYARGS_OUT" &&
		expect_contains err "normal symbol \`mix' (lazily, on its first call)"
}

ftest_arguments_survive_lazy_binding_interp_mode() {
	run LD_DEBUG=bindings "$FB/lazyargs-lt" && expect_rc 0 && expect_out "$LAZYARGS_OUT" &&
		expect_contains err "normal symbol \`vsum' (lazily, on its first call)"
}

ftest_arguments_survive_with_ibt_plt() {
	readelf -SW "$FB/lazyargs-ibt-lt" | grep -q '\.plt\.sec' || { diag "no .plt.sec"; return 1; }
	run LD_DEBUG=bindings "$FB/lazyargs-ibt-lt" && expect_rc 0 && expect_out "$LAZYARGS_OUT" &&
		expect_contains err "(lazily, on its first call)"
}

# vector_arguments_survive CHECK FUNCTION TYPE: lazyargs' CHECK calls
# FUNCTION, with TYPE arguments, through the trampoline, and the result is
# right; in both modes.
vector_arguments_survive() {
	local check=$1 fn=$2 type=$3 prog
	for prog in "$LT $FB/lazyargs" "$FB/lazyargs-lt"; do
		run LD_DEBUG=bindings $prog "$check" && expect_rc 0 &&
			expect_out "$LAZYARGS_OUT"$'\n'"$type arguments: ok" &&
			expect_contains err "normal symbol \`$fn' (lazily, on its first call)" || return 1
	done
}

ftest_avx_arguments_survive_lazy_binding() {
	need_cpu avx AVX
	vector_arguments_survive avx add256 __m256d
}

# The trampoline saves and restores the AVX-512 state too (arch/x86_64/plt.S).
ftest_avx512_arguments_survive_lazy_binding() {
	need_cpu avx512f AVX-512
	vector_arguments_survive avx512 add512 __m512d
}

# The first call runs the IFUNC's resolver, foreign code that overwrites
# the caller's vector arguments: they are saved around it (lt_call_resolver).
ftest_arguments_survive_an_ifunc_resolver() {
	vector_arguments_survive ifunc imix IFUNC-resolved
}

# ... the whole of each, when the resolver clears the 256-bit registers:
# natively, and on a CPU whose highest CPUID leaf is 0xd, the XSAVE leaf
# itself, as qemu's Haswell has it (ld-teach then still saves with XSAVE).
ftest_avx_arguments_survive_an_ifunc_resolver() {
	need_cpu avx AVX
	vector_arguments_survive ifunc-avx iadd256 "IFUNC-resolved __m256d" || return 1
	need_qemu
	run "$QEMU" -cpu Haswell "$LT" "$FB/lazyargs" ifunc-avx && expect_rc 0 &&
		expect_out "$LAZYARGS_OUT"$'\n'"IFUNC-resolved __m256d arguments: ok"
}

ftest_same_results_as_the_system_loader() {
	run "$SYSTEM_LD" "$FB/lazyargs" && remember && run "$FB/lazyargs-lt" && expect_same
}

ftest_uncalled_function_is_never_bound() {
	run LD_DEBUG=bindings "$FB/lazy-partial-lt" && expect_rc 0 && expect_out "vsum: 3" &&
		expect_contains err "normal symbol \`vsum' (lazily, on its first call)" &&
		expect_not_contains err "\`mix'"
}

ftest_bind_now_binds_everything_at_load_time() {
	run LD_BIND_NOW=1 LD_DEBUG=bindings "$FB/lazy-partial-lt" && expect_rc 0 &&
		expect_contains err "normal symbol \`mix' (at load time)" &&
		expect_contains err "normal symbol \`vsum' (at load time)" &&
		expect_not_contains err "lazily" &&
		run LD_DEBUG=reloc "$FB/lazy-partial-lt" && expect_contains err "relocation processing: $FB/lazy-partial-lt (lazy)"
}

# Objects linked with -z now are never lazy: ld-teach's libc.so for musl is one.
test_bind_now_objects_are_bound_at_load_time() {
	run LD_DEBUG=reloc,bindings "$LT" "$MB/hello" && expect_rc 0 &&
		expect_contains err "relocation processing: $TOP/build/musl/libc.so"$'\n' &&
		expect_contains err "normal symbol \`malloc' (at load time)"
}

# IFUNC resolvers that call through the PLT nest one binding in another:
# twenty levels (fs-deep, libfs-deep.so) pass the sixteen ld-teach keeps,
# and the process stops, naming the library, in both start modes.  (glibc's
# loader has no bound: it runs them.)  Under LD_BIND_NOW the resolvers run
# at load and call PLT slots not yet bound: glibc's loader and ld-teach
# both leave that to the library, whose call jumps to nothing.
test_lazy_bindings_nested_too_deep_stop_the_process() {
	local fsb=$BIN/fs how
	for how in "$LT ./fs-deep" ./fs-deep-lt; do
		cd "$fsb" && run $how && expect_rc 127 &&
			[[ $err == "ld-teach.so: "*"/lib/libfs-deep.so: lazy binding nests too deep (IFUNC resolvers calling through the PLT)" && $err != *$'\n'* ]] ||
			{ diag "$how"; show_run; return 1; }
	done
}

ftest_many_threads_make_the_first_call_together() {
	local i
	for i in $(seq 1 20); do
		run "$FB/lazystress-lt"
		expect_rc 0 && expect_out "$(printf '%s\n' "wrong results: 0" "IFUNC resolver calls: 1" \
			"function table still consistent: yes")" || { diag "run $i"; return 1; }
	done
	run "$LT" "$FB/lazystress" && expect_rc 0 && expect_contains out "IFUNC resolver calls: 1"
}

# A stand-in library satisfied the link; the real libmu-c.so lacks c_gone.
ftest_unresolvable_call_fails_at_call_time() {
	cd "$FB" && run ./missing-sym-lt && expect_rc 127 && expect_out "ctor: libmu-c"$'\n'"before the call" &&
		expect_err_line "ld-teach.so: ./missing-sym-lt: symbol lookup error: undefined symbol: c_gone" &&
		run LD_BIND_NOW=1 ./missing-sym-lt && expect_rc 127 && expect_out ""  # fails before constructors
}

run_suite lazy
