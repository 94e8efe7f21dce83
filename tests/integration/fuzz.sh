#!/bin/bash
# Short, deterministic fuzzing campaigns (doc/robustness.md): elffuzz
# mutates the test programs and libraries (fixed seed, fixed number of
# executions) and runs each mutant under ld-teach with --list, --verify, in
# command mode and started by the kernel; then runs the programs as they
# are under generated environments and loader options.  Not one run may
# crash or hang inside ld-teach, nor be refused with anything but one line.
# Then the in-process fuzzers (libFuzzer, AddressSanitizer,
# UndefinedBehaviorSanitizer) run a fixed number of inputs through the ELF
# checker, the dynamic-section parser, version matching, path expansion,
# the prelink cache's format and glibc's ld.so.cache.  `make fuzz` runs
# longer campaigns.
source "$(dirname "$0")/../lib.sh"

FUZZ=$TOP/build/fuzz
CHECK_EXECS=${FUZZ_EXECS:-15000}      # about 30 s on an idle machine (make mutate asks for fewer)
CHECK_ENV_EXECS=${FUZZ_EXECS:-6000}
CHECK_SEED=1

# The counts of the last campaign (its --stats file), by key.
stat() { awk -v k="$1" '$1 == k { print $2 }' "$TMP/stats"; }

# campaign INPUTS EXECS: elffuzz's campaign of that many executions of
# mutants (elf) or environments (env), which must find nothing inside
# ld-teach, and must have done what it says: every mode run, inputs
# refused, and programs run to their end.
campaign() {
	local inputs=$1 execs=$2 mode
	TIMEOUT=600 run "$FUZZ/elffuzz" campaign --targets "$FUZZ/targets" --loader "$LT" \
		--inputs "$inputs" --execs "$execs" --seed "$CHECK_SEED" --timeout 10 \
		--out "$TMP/crashes" --stats "$TMP/stats"
	printf '%s\n' "$out" | sed -n '1,8p' | sed 's/^/# /'
	if [ "$rc" != 0 ]; then
		diag "the campaign found crashes, hangs or unclean refusals of ld-teach's:"
		grep -A1 -- "<- the loader's" <<<"$out" | while IFS= read -r line; do diag "$line"; done
		diag "inputs and replay commands: $TMP/crashes (kept: rerun the suite to regenerate)"
		return 1
	fi
	for mode in list verify run interp; do
		[ "$(($(stat "$mode.ran") + $(stat "$mode.refused")))" -gt 0 ] ||
			{ diag "no $mode execution ran or was refused"; return 1; }
	done
	[ "$(stat execs)" = "$execs" ] || { diag "ran $(stat execs) of $execs"; return 1; }
}

test_short_campaign_finds_nothing_inside_ld_teach() {
	campaign elf "$CHECK_EXECS"
}

# Environments and options: about 10 s.  The seeds are valid programs, so a
# crash outside ld-teach's code counts too when the system loader of the
# program's libc, given the same environment, runs the program (elffuzz.c).
test_short_campaign_of_environments_finds_nothing_ld_teach_caused() {
	campaign env "$CHECK_ENV_EXECS"
}

# Each in-process fuzzer, a fixed number of inputs from a copy of its corpus.
inproc() {
	local name=$1 runs=$2
	command -v clang-14 >/dev/null || skip "no clang-14 (libFuzzer and the sanitizers): tests/ensure-deps.sh fuzz"
	rm -rf "$TMP/corpus" && cp -r "$FUZZ/corpus/$name" "$TMP/corpus" || return 1
	TIMEOUT=300 run "$TOP/tests/fuzz/inproc.sh" "$FUZZ/inproc/$name" "$TMP/corpus" \
		-runs="$runs" "$CHECK_SEED" "$TMP/crashes"
	echo "# $out"
	expect_rc 0
}

test_in_process_fuzzer_elf_check_dynamic_versions() {
	inproc elf 100000
}

test_in_process_fuzzer_path_expansion() {
	inproc path 300000
}

test_in_process_fuzzer_prelink_cache_format() {
	inproc prelink 300000
}

# (The system's ld.so.cache, searched for every name it lists, is slow
# going: a few thousand inputs a second.)
test_in_process_fuzzer_ld_so_cache() {
	inproc ldcache 10000
}

run_suite fuzz
