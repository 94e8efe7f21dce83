#!/bin/bash
# The Criterion unit tests (tests/unit/, built as build/unit/unit-tests)
# under valgrind memcheck.  Prints one line per test, as run_suite does
# (a test Criterion skipped, with cr_skip_test or .disabled, is counted as
# skipped), then one more, "unit: memcheck clean", and leaves
# build/test-results/unit.counts.
#
# Criterion runs every test in a worker process of its own.  Valgrind
# reports the errors it finds there in that worker's log but does not turn
# them into a failing exit status, so the logs are read instead: every
# process must end with "ERROR SUMMARY: 0 errors".
cd "$(dirname "$0")/.." || exit 1
UNIT=build/unit
BIN=$UNIT/unit-tests
TAP=$UNIT/unit.tap
RESULTS=build/test-results
passed=0 failed=0 skipped=0

pass() { echo "ok - unit: $1"; passed=$((passed + 1)); }
fail() { echo "not ok - unit: $1"; failed=$((failed + 1)); }
skip() { echo "skip - unit: $1: $2"; skipped=$((skipped + 1)); }
diag() { sed 's/^/#   /'; }

# Why a test failed: the "[----]" lines Criterion printed before
# "[FAIL] NAME:" (the expression and the values), else the TAP block.
failure_details() {
	local name=$1 tap_block=$2 details
	details=$(awk -v fail="[FAIL] $name:" '
		/^\[----\]/ { buf = buf $0 "\n"; next }
		index($0, fail) == 1 { printf "%s", buf; exit }
		{ buf = "" }' "$UNIT/criterion.out")
	printf '%s\n' "${details:-$tap_block}" | diag
}

# Criterion's TAP: "ok - suite::name  (0.01s)"; a failure is followed by an
# indented block; a skipped test is "ok - suite::name  # SKIP reason".
report_tests() {
	local line name="" block="" failing=0
	while IFS= read -r line; do
		case $line in
		"ok - "*" # SKIP "*)
			[ "$failing" = 1 ] && failure_details "$name" "$block"
			name=${line#ok - } block="" failing=0
			skip "${name%% *}" "${name#* # SKIP }"
			;;
		"ok - "* | "not ok - "*)
			[ "$failing" = 1 ] && failure_details "$name" "$block"
			name=${line#*ok - }
			name=${name%  (*s)}
			block="" failing=0
			if [[ $line == ok* ]]; then pass "$name"; else fail "$name" && failing=1; fi
			;;
		"  "*)
			block+=${line#  }$'\n'
			;;
		esac
	done <"$TAP"
	[ "$failing" = 1 ] && failure_details "$name" "$block"
	return 0
}

# The test list the runner announced ("1..N") must all have results.
check_all_ran() {
	local planned
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$TAP" 2>/dev/null)
	local got=$((passed + failed + skipped))
	if [ -z "$planned" ] || [ "$got" != "$planned" ]; then
		fail "the runner reported every test (planned ${planned:-none}, got $got)"
		tail -20 "$UNIT/criterion.out" | diag
	fi
}

# What valgrind found in each process, the runner and every worker.
check_memcheck() {
	local logs=("$UNIT"/valgrind.*.log) dirty=() log
	if [ ! -e "${logs[0]}" ]; then
		fail "memcheck clean"
		echo "no valgrind log was written" | diag
		return
	fi
	for log in "${logs[@]}"; do
		grep -q 'ERROR SUMMARY: 0 errors' "$log" || dirty+=("$log")
	done
	if [ "${#dirty[@]}" = 0 ]; then
		pass "memcheck clean"
		return
	fi
	fail "memcheck clean"
	# Each error, from its first line to the blank line that ends it: not
	# valgrind's banner, nor the leak summary's totals.
	local first='Invalid|Conditional|Use of|Syscall|Mismatched|Source and|Argument|.* are definitely lost'
	for log in "${dirty[@]}"; do
		echo "$log:"
		grep -q 'ERROR SUMMARY' "$log" || echo "no ERROR SUMMARY: the process did not finish"
		sed -En "/^==[0-9]+== ($first)/,/^==[0-9]+== $/p" "$log" | head -60
	done | diag
}

echo "# suite: unit"
mkdir -p "$RESULTS"
rm -f "$UNIT"/valgrind.*.log "$TAP"
if [ ! -x "$BIN" ]; then
	fail "unit tests are built (make $BIN)"
else
	valgrind --trace-children=yes --leak-check=full --errors-for-leak-kinds=definite \
		--log-file="$UNIT/valgrind.%p.log" "$BIN" --tap="$TAP" >"$UNIT/criterion.out" 2>&1
	[ -e "$TAP" ] && report_tests
	check_all_ran
	check_memcheck
fi
echo "$passed $failed $skipped" >"$RESULTS/unit.counts"
echo "# unit: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
