#!/bin/bash
# make bench, the prelink rows (doc/prelink.md): start-up with the
# program's prelink cache against the same start without it, in the same
# run: instructions from callgrind, and the size of each cache file; then
# the targets of issue 17.  Run by bench.sh once the workloads exist.
#
# A cache describes the environment it was made in, and valgrind's
# launcher sets LD_LIBRARY_PATH and LD_PRELOAD for the program it runs: so
# the cache measured under callgrind is made under callgrind too.
set -eu
cd "$(dirname "$0")/../.."
TOP=$PWD
B=$TOP/build/bench
LT=$TOP/ld-teach.so
RESULTS=$B/results.txt
export LD_TEACH_CACHE_DIR=$B/prelink-cache
rm -rf "$LD_TEACH_CACHE_DIR"

# callgrind ENV COMMAND...: the command's instructions.
callgrind() {
	local envvar=$1
	shift
	env $envvar valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b ? a / b : 0 }'; }

declare -A RATIO
row() {
	printf "%-34s %13s %13s %6s  %9s\n" "$@" | tee -a "$RESULTS"
}

# prelinked NAME ENV PROGRAM...: instructions without the cache and with it
# (made first, in the same environment), and the cache's size.
prelinked() {
	local name=$1 envvar=$2 without with size
	shift 2
	rm -rf "$LD_TEACH_CACHE_DIR"
	without=$(callgrind "$envvar LD_TEACH_PRELINK=0" "$LT" "$@")
	callgrind "$envvar" "$LT" --prelink "$@" >/dev/null
	with=$(callgrind "$envvar" "$LT" "$@")
	size=$(stat -c %s "$LD_TEACH_CACHE_DIR"/*)
	RATIO[$name]=$(ratio "$with" "$without")
	row "$name" "$without" "$with" "${RATIO[$name]}" "$size"
}

{
	echo
	echo "prelink cache (doc/prelink.md): ld-teach without and with the program's cache:"
	printf "%-34s %13s %13s %6s  %9s\n" workload "no cache" "with cache" ratio "cache"
	printf "%-34s %13s %13s %6s  %9s\n" "" instructions instructions "" bytes
} | tee -a "$RESULTS"
prelinked "musl: hello" "" "$TOP/build/test-bins/musl/hello"
prelinked "musl: chain 100x200, BIND_NOW" LD_BIND_NOW=1 "$B/chain-100x200/main100"
prelinked "musl: chain 400x400, BIND_NOW" LD_BIND_NOW=1 "$B/chain-400x400/main400"
prelinked "musl: chain 400x400, lazy" "" "$B/chain-400x400/main400"
if [ -e "$TOP/build/glibc/available" ] && [ -x "$B/glibc-hello" ]; then
	prelinked "glibc: hello" "" "$B/glibc-hello"
	prelinked "glibc: chain 100x200, BIND_NOW" LD_BIND_NOW=1 "$B/glibc-chain-100x200/main100"
fi
rm -rf "$LD_TEACH_CACHE_DIR"

target() {
	local verdict
	verdict=$(awk -v v="$2" -v l="$3" 'BEGIN { print (v != "" && v <= l) ? "met" : "MISSED" }')
	printf "target (issue 17): %-52s %10s (at most %s): %s\n" "$1" "$2" "$3" "$verdict" |
		tee -a "$RESULTS"
}
target "chain 400x400 BIND_NOW, instructions cache/none" "${RATIO[musl: chain 400x400, BIND_NOW]}" 0.25
target "chain 100x200 BIND_NOW, instructions cache/none" "${RATIO[musl: chain 100x200, BIND_NOW]}" 0.25
target "hello, instructions cache/none (never slower)" "${RATIO[musl: hello]}" 1.0
