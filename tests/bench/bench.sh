#!/bin/bash
# make bench: start-up cost of ld-teach.so against musl's loader
# (/lib/ld-musl-x86_64.so.1), both in command mode, in the same run.
#
# For every workload and loader: instructions from callgrind (deterministic),
# the median wall time over repeated runs, and the median of their peak
# resident set sizes, with the ld-teach/musl ratio of each.  Then the targets of issue 7, and a
# PNG plot of start-up instructions against the number of libraries.
# Results go to build/bench/ (results.txt, plot.dat, startup.png).
# Measured, not tested: nothing here decides make check.
set -eu
cd "$(dirname "$0")/../.."
TOP=$PWD
B=$TOP/build/bench
LT=$TOP/ld-teach.so
MUSL=/lib/ld-musl-x86_64.so.1
RUNNER=$B/runner
mkdir -p "$B"

# --- workloads ----------------------------------------------------------------

# A generated set of libraries, rebuilt only when the generator changes.
generate() {
	local shape=$1 n=$2 m=$3 dir=$B/$1-$2x$3 stamp
	stamp=$(sha1sum tests/bench/gen-libs.sh | cut -d' ' -f1)
	if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
		echo "bench: generating $shape $n x $m (once)" >&2
		rm -rf "$dir"
		bash tests/bench/gen-libs.sh "$shape" "$n" "$m" "$dir" >/dev/null
		echo "$stamp" >"$dir/.stamp"
	fi
}

generate chain 100 200
generate star 100 200
generate chain 400 400
musl-gcc -O2 -static -o "$RUNNER" tests/bench/runner.c
musl-gcc -O2 -o "$B/dlloop" tests/bench/dlloop.c
HELLO=$TOP/build/test-bins/musl/hello
C100=$B/chain-100x200 S100=$B/star-100x200 C400=$B/chain-400x400

# --- measuring ----------------------------------------------------------------

# instructions ENV LOADER PROG ARGS...: total instructions, from callgrind.
instructions() {
	local envvar=$1
	shift
	env $envvar valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

# timing ENV LOADER PROG ARGS...: "median-microseconds median-peak-rss-kilobytes".
timing() {
	local envvar=$1
	shift
	env $envvar "$RUNNER" 5 2 -- "$@"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b ? a / b : 0 }'; }

RESULTS=$B/results.txt
: >"$RESULTS"
declare -A RATIO

# measure NAME ENV PROG ARGS...: one row of the table, both loaders.
measure() {
	local name=$1 envvar=$2
	shift 2
	local li mi lt mt
	li=$(instructions "$envvar" "$LT" "$@")
	mi=$(instructions "$envvar" "$MUSL" "$@")
	read -r lt lr < <(timing "$envvar" "$LT" "$@")
	read -r mt mr < <(timing "$envvar" "$MUSL" "$@")
	RATIO[$name]=$(ratio "$li" "$mi")
	RSSRATIO[$name]=$(ratio "$lr" "$mr")
	printf "%-28s %13s %13s %7s   %9s %9s %7s   %7s %7s %7s\n" "$name" "$li" "$mi" \
		"${RATIO[$name]}" "$(awk -v t="$lt" 'BEGIN { printf "%.2f", t / 1000 }')" \
		"$(awk -v t="$mt" 'BEGIN { printf "%.2f", t / 1000 }')" "$(ratio "$lt" "$mt")" \
		"$lr" "$mr" "${RSSRATIO[$name]}" | tee -a "$RESULTS"
}
declare -A RSSRATIO

{
	printf "%-28s %13s %13s %7s   %9s %9s %7s   %7s %7s %7s\n" workload "ld-teach" musl ratio \
		"ld-teach" musl ratio "ld-teach" musl ratio
	printf "%-28s %13s %13s %7s   %9s %9s %7s   %7s %7s %7s\n" "" instructions instructions "" \
		"ms" "ms" "" "KB RSS" "KB RSS" ""
} | tee -a "$RESULTS"
measure "hello" "" "$HELLO"
measure "chain 100x200, BIND_NOW" "LD_BIND_NOW=1" "$C100/main100"
measure "star 100x200, BIND_NOW" "LD_BIND_NOW=1" "$S100/main100"
measure "chain 400x400, BIND_NOW" "LD_BIND_NOW=1" "$C400/main400"
measure "chain 400x400, lazy" "" "$C400/main400"
measure "20000 lazy calls (star)" "" "$S100/main100"
measure "dlopen/dlsym/dlclose x100" "" "$B/dlloop" 100 "$C100/libl1.so" f_1_0
echo "(musl's loader binds everything at start-up: its lazy rows run as BIND_NOW.)" |
	tee -a "$RESULTS"

# --- the targets --------------------------------------------------------------

target() {
	local what=$1 value=$2 limit=$3
	local verdict
	verdict=$(awk -v v="$value" -v l="$limit" 'BEGIN { print (v <= l) ? "met" : "MISSED" }')
	printf "target: %-42s %10s (at most %s): %s\n" "$what" "$value" "$limit" "$verdict" |
		tee -a "$RESULTS"
}
echo | tee -a "$RESULTS"
target "hello, instructions ld-teach/musl" "${RATIO[hello]}" 1.0
target "chain 100x200 BIND_NOW, ld-teach/musl" "${RATIO[chain 100x200, BIND_NOW]}" 0.15
target "chain 400x400 BIND_NOW, ld-teach/musl" "${RATIO[chain 400x400, BIND_NOW]}" 0.05
LAZY=$(instructions "" "$LT" "$C400/main400")
target "chain 400x400 lazy, ld-teach instructions" "$LAZY" 64000000
target "hello, peak RSS ld-teach/musl" "${RSSRATIO[hello]}" 1.10

# --- the plot -----------------------------------------------------------------

DAT=$B/plot.dat
echo "# libraries  ld-teach-bind-now  ld-teach-lazy  musl" >"$DAT"
for k in 25 50 100 200 400; do
	echo "$k $(instructions LD_BIND_NOW=1 "$LT" "$C400/main$k") $(instructions "" "$LT" \
		"$C400/main$k") $(instructions "" "$MUSL" "$C400/main$k")" >>"$DAT"
done
gnuplot <<EOF
set terminal pngcairo size 900,560 font "sans,11" noenhanced
set output "$B/startup.png"
set xrange [20:480]
set format y "%.0s%c"
set title "Start-up instructions: a chain of libraries, 400 functions each (callgrind)"
set xlabel "libraries"
set ylabel "instructions"
set logscale xy
set xtics (25, 50, 100, 200, 400)
set key top left
set grid
plot "$DAT" using 1:4 with linespoints lw 2 title "musl ld-musl-x86_64.so.1", \
     "$DAT" using 1:2 with linespoints lw 2 title "ld-teach.so, LD_BIND_NOW", \
     "$DAT" using 1:3 with linespoints lw 2 title "ld-teach.so, lazy"
EOF
echo
echo "bench: table in $RESULTS, plot in $B/startup.png"

# The prelink cache's rows and targets (issue 17).
bash tests/bench/prelink.sh
