#!/bin/bash
# make bench, the prelink rows (doc/prelink.md): each workload's start with
# its prelink cache against the same start without one, in the same run:
# instructions from callgrind, the median wall time and peak RSS over
# interleaved runs, and the size of the cache file; then the targets of
# issue 17.  Run by bench.sh once the workloads and the runner exist.
#
# "Without" is a copy of the program, which has no cache: the start pays
# the look for one, as every start without a cache does.  A cache describes
# the environment it was made in, and valgrind's launcher sets
# LD_LIBRARY_PATH and LD_PRELOAD for the program it runs: so the cache
# measured under callgrind is made under callgrind, and made again without
# it for the wall times.
set -eu
cd "$(dirname "$0")/../.."
TOP=$PWD
B=$TOP/build/bench
LT=$TOP/ld-teach.so
RUNNER=$B/runner
RESULTS=$B/results.txt
export LD_TEACH_CACHE_DIR=$B/prelink-cache

# callgrind ENV COMMAND...: the command's instructions.
callgrind() {
	local envvar=$1
	shift
	env $envvar valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b ? a / b : 0 }'; }
ms() { awk -v t="$1" 'BEGIN { printf "%.2f", t / 1000 }'; }

row() {
	printf "%-34s %13s %13s %6s  %8s %8s %6s  %7s %7s  %9s\n" "$@" | tee -a "$RESULTS"
}

declare -A INSTR WALL

# prelinked NAME ENV START...: one row.  START is `ld-teach.so PROG` or a
# PROG that names ld-teach.so as its interpreter.
prelinked() {
	local name=$1 envvar=$2 prog copy without with size w_us w_kb c_us c_kb
	shift 2
	prog=${*: -1}
	copy=$prog.nocache
	cp -p "$prog" "$copy"
	rm -rf "$LD_TEACH_CACHE_DIR"
	without=$(callgrind "$envvar" "${@:1:$#-1}" "$copy")
	callgrind "$envvar" "$LT" --prelink "$prog" >/dev/null
	with=$(callgrind "$envvar" "$@")
	env $envvar "$LT" --prelink "$prog" >/dev/null
	size=$(stat -c %s "$LD_TEACH_CACHE_DIR"/*)
	{ read -r c_us c_kb && read -r w_us w_kb; } < <(env $envvar "$RUNNER" 5 2 -- "$@" -- \
		"${@:1:$#-1}" "$copy")
	rm -f "$copy"
	INSTR[$name]=$(ratio "$with" "$without") WALL[$name]=$(ratio "$c_us" "$w_us")
	row "$name" "$without" "$with" "${INSTR[$name]}" "$(ms "$w_us")" "$(ms "$c_us")" \
		"${WALL[$name]}" "$w_kb" "$c_kb" "$size"
}

{
	echo
	echo "prelink cache (doc/prelink.md): ld-teach without and with the program's cache:"
	row workload "no cache" "with cache" ratio "no cache" "cache" ratio "no cache" cache cache
	row "" instructions instructions "" ms ms "" "KB RSS" "KB RSS" bytes
} | tee -a "$RESULTS" >/dev/null
HELLO=$TOP/build/test-bins/musl/hello
prelinked "musl: hello" "" "$LT" "$HELLO"
prelinked "musl: hello (PT_INTERP)" "" "$HELLO-lt"
prelinked "musl: chain 100x200, BIND_NOW" LD_BIND_NOW=1 "$LT" "$B/chain-100x200/main100"
prelinked "musl: chain 400x400, BIND_NOW" LD_BIND_NOW=1 "$LT" "$B/chain-400x400/main400"
prelinked "musl: chain 400x400, lazy" "" "$LT" "$B/chain-400x400/main400"
if [ -e "$TOP/build/glibc/available" ] && [ -x "$B/glibc-hello" ]; then
	prelinked "glibc: hello" "" "$LT" "$B/glibc-hello"
	prelinked "glibc: chain 100x200, BIND_NOW" LD_BIND_NOW=1 "$LT" "$B/glibc-chain-100x200/main100"
	prelinked "glibc: chain 400x400, BIND_NOW" LD_BIND_NOW=1 "$LT" "$B/glibc-chain-400x400/main400"
fi
rm -rf "$LD_TEACH_CACHE_DIR"

target() {
	local verdict
	verdict=$(awk -v v="$2" -v l="$3" 'BEGIN { print (v != "" && v <= l) ? "met" : "MISSED" }')
	printf "target (issue 17): %-52s %10s (at most %s): %s\n" "$1" "$2" "$3" "$verdict" |
		tee -a "$RESULTS"
}
target "chain 400x400 BIND_NOW, instructions cache/none" "${INSTR[musl: chain 400x400, BIND_NOW]}" 0.25
target "chain 100x200 BIND_NOW, instructions cache/none" "${INSTR[musl: chain 100x200, BIND_NOW]}" 0.25
target "hello, instructions cache/none (never slower)" "${INSTR[musl: hello]}" 1.0
target "hello (PT_INTERP), instructions cache/none" "${INSTR[musl: hello (PT_INTERP)]}" 1.0
target "hello, median wall time cache/none" "${WALL[musl: hello]}" 1.0
target "hello (PT_INTERP), median wall time cache/none" "${WALL[musl: hello (PT_INTERP)]}" 1.0
