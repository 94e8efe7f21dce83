#!/bin/bash
# inproc.sh HARNESS CORPUS LIMIT SEED ARTIFACTS: run one libFuzzer harness
# (tests/fuzz/inproc/) over its corpus, for LIMIT (-runs=N or
# -max_total_time=S), and say in one line what it did: its runs and runs
# per second, or where it crashed (the sanitizer's summary, with the input
# left in ARTIFACTS).  Exits with libFuzzer's status: 0 only when clean.
harness=$1 corpus=$2 limit=$3 seed=$4 artifacts=$5
name=${harness##*/}
mkdir -p "$artifacts"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s.%N)
"$harness" "$limit" -seed="$seed" -max_len=65536 -print_final_stats=1 \
	-artifact_prefix="$artifacts/$name-" "$corpus" >"$log" 2>&1
rc=$?
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
if [ "$rc" = 0 ]; then
	echo "inproc $name: $runs runs in $secs s ($(awk -v r="$runs" -v s="$secs" 'BEGIN { printf "%.0f", r / s }') per second), nothing found"
else
	echo "inproc $name: FOUND after ${runs:-?} runs: $(grep -m1 '^SUMMARY' "$log" || tail -1 "$log")"
	grep -m1 'Test unit written to' "$log" | sed 's/^/  /'
fi
exit "$rc"
