#!/bin/bash
# make bench: start-up cost of ld-teach.so against the system's loaders, in
# the same run: musl's (/lib/ld-musl-x86_64.so.1) for musl-built programs,
# glibc's (/lib64/ld-linux-x86-64.so.2) for gcc-built ones.  Both run in
# command mode (LOADER ./prog), except the PT_INTERP rows, whose programs
# the kernel starts with the loader named in them.
#
# For every workload and loader: instructions from callgrind
# (deterministic), system calls (strace), the median wall time over
# repeated runs, the two loaders' runs interleaved, and the median of their
# peak resident set sizes, with the ld-teach/reference ratio of each.  Then
# the targets of issues 7, 13 and 18, and a PNG plot of start-up
# instructions against the number of libraries.  Results go to build/bench/
# (results.txt, plot.dat, startup.png).  Wall times are noisy on a shared
# machine: instructions are the stable measure.  Measured, not tested:
# nothing here decides make check.
set -eu
cd "$(dirname "$0")/../.."
TOP=$PWD
B=$TOP/build/bench
LT=$TOP/ld-teach.so
MUSL=/lib/ld-musl-x86_64.so.1
GLIBC=/lib64/ld-linux-x86-64.so.2
RUNNER=$B/runner
mkdir -p "$B"

# --- workloads ----------------------------------------------------------------

# generate SHAPE N M [gcc]: a generated set of libraries (tests/bench/gen-libs.sh),
# built with musl-gcc (or gcc, for glibc), rebuilt only when the generator changes.
generate() {
	local shape=$1 n=$2 m=$3 cc=${4:-musl-gcc} dir=$B/$1-$2x$3 stamp
	if [ "$cc" = gcc ]; then dir=$B/glibc-$shape-${n}x$m; fi
	stamp=$(sha1sum tests/bench/gen-libs.sh | cut -d' ' -f1)
	if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
		echo "bench: generating $shape $n x $m with $cc (once)" >&2
		rm -rf "$dir"
		bash tests/bench/gen-libs.sh "$shape" "$n" "$m" "$dir" "$cc" >/dev/null
		echo "$stamp" >"$dir/.stamp"
	fi
}

for cc in musl-gcc gcc; do
	for shape in chain funcs; do
		generate $shape 100 200 $cc
		generate $shape 400 400 $cc
	done
done
generate star 100 200
musl-gcc -O2 -static -o "$RUNNER" tests/bench/runner.c
musl-gcc -O2 -o "$B/dlloop" tests/bench/dlloop.c
gcc -O2 -o "$B/glibc-dlloop" tests/bench/dlloop.c
# hello for glibc: the same source as musl's, built with gcc, in both modes.
gcc -O2 -o "$B/glibc-hello" test-bins/musl/hello.c
gcc -O2 -o "$B/glibc-hello-lt" test-bins/musl/hello.c -Wl,--dynamic-linker="$LT"
HELLO=$TOP/build/test-bins/musl/hello
PYTHON=/usr/bin/python3  # Debian's (a python3 earlier in PATH may be a shell script)

# --- measuring ----------------------------------------------------------------

# instructions ENV COMMAND...: total instructions, from callgrind.
instructions() {
	local envvar=$1
	shift
	env $envvar valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

# syscalls ENV COMMAND...: system calls the command makes after its execve,
# exit_group included (as strace lists them).
syscalls() {
	local envvar=$1 log=$B/strace.log
	shift
	env $envvar strace -f -qq -o "$log" "$@" >/dev/null 2>&1
	grep -v -e ' execve(' -e 'resumed>' "$log" | wc -l
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0) printf "%.3f", a / b; else printf "-" }'; }
ms() { awk -v t="$1" 'BEGIN { if (t + 0) printf "%.2f", t / 1000; else printf "-" }'; }

RESULTS=$B/results.txt
: >"$RESULTS"
declare -A INSTR INSTR_LT SYSCALLS WALL RSS

row() {
	printf "%-34s %13s %13s %6s  %5s %5s  %8s %8s %6s  %7s %7s %6s\n" "$@" | tee -a "$RESULTS"
}

# measure NAME ENV SECONDS "LT COMMAND" "REFERENCE COMMAND": one row.  (The
# commands are split at spaces.)  Wall time and RSS come from interleaved
# runs, at least 5 of each, more while SECONDS last.
measure() {
	local name=$1 envvar=$2 budget=$3 lt=$4 ref=$5 li ri ls rs lt_us lr ref_us rr
	li=$(instructions "$envvar" $lt)
	ri=$(instructions "$envvar" $ref)
	ls=$(syscalls "$envvar" $lt)
	rs=$(syscalls "$envvar" $ref)
	{ read -r lt_us lr && read -r ref_us rr; } < <(env $envvar "$RUNNER" 5 "$budget" -- $lt -- $ref ||
		printf '%s\n' "- -" "- -")  # (a run that failed: the runner said so)
	INSTR[$name]=$(ratio "$li" "$ri") SYSCALLS[$name]=$ls
	WALL[$name]=$(ratio "$lt_us" "$ref_us") RSS[$name]=$(ratio "$lr" "$rr")
	INSTR_LT[$name]=$li
	row "$name" "$li" "$ri" "${INSTR[$name]}" "$ls" "$rs" "$(ms "$lt_us")" "$(ms "$ref_us")" \
		"${WALL[$name]}" "$lr" "$rr" "${RSS[$name]}"
}

# rows REF LOADER PREFIX: the workloads both libcs have, for one of them.
rows() {
	local libc=$1 ref=$2 p=$3 dl=$4
	local C100=$B/${p}chain-100x200 C400=$B/${p}chain-400x400
	local F100=$B/${p}funcs-100x200 F400=$B/${p}funcs-400x400
	measure "$libc: chain 100x200, BIND_NOW" LD_BIND_NOW=1 2 "$LT $C100/main100" "$ref $C100/main100"
	measure "$libc: funcs 100x200, BIND_NOW" LD_BIND_NOW=1 2 "$LT $F100/main100" "$ref $F100/main100"
	measure "$libc: chain 400x400, BIND_NOW" LD_BIND_NOW=1 2 "$LT $C400/main400" "$ref $C400/main400"
	measure "$libc: funcs 400x400, BIND_NOW" LD_BIND_NOW=1 2 "$LT $F400/main400" "$ref $F400/main400"
	measure "$libc: chain 400x400, lazy" "" 2 "$LT $C400/main400" "$ref $C400/main400"
	measure "$libc: dlopen/dlsym/dlclose x100" "" 2 "$LT $B/$dl 100 $C100/libl1.so f_1_0" \
		"$ref $B/$dl 100 $C100/libl1.so f_1_0"
}

{
	printf "%-34s %13s %13s %6s  %5s %5s  %8s %8s %6s  %7s %7s %6s\n" workload ld-teach \
		reference ratio ld-t ref ld-teach reference ratio ld-teach ref ratio
	printf "%-34s %13s %13s %6s  %5s %5s  %8s %8s %6s  %7s %7s %6s\n" "" instructions \
		instructions "" sys sys ms ms "" "KB RSS" "KB RSS" ""
} | tee -a "$RESULTS"
echo "musl programs, against $MUSL:" | tee -a "$RESULTS"
measure "musl: hello" "" 6 "$LT $HELLO" "$MUSL $HELLO"
measure "musl: hello (PT_INTERP)" "" 6 "$HELLO-lt" "$HELLO"
rows musl "$MUSL" "" dlloop
measure "musl: star 100x200, BIND_NOW" LD_BIND_NOW=1 2 "$LT $B/star-100x200/main100" \
	"$MUSL $B/star-100x200/main100"
measure "musl: 20000 lazy calls (star)" "" 2 "$LT $B/star-100x200/main100" \
	"$MUSL $B/star-100x200/main100"
echo "(musl's loader binds everything at start-up: its lazy rows run as BIND_NOW.)" |
	tee -a "$RESULTS"
echo "glibc programs, built with gcc, against $GLIBC:" | tee -a "$RESULTS"
measure "glibc: hello" "" 6 "$LT $B/glibc-hello" "$GLIBC $B/glibc-hello"
measure "glibc: hello (PT_INTERP)" "" 6 "$B/glibc-hello-lt" "$B/glibc-hello"
rows glibc "$GLIBC" glibc- glibc-dlloop
measure "glibc: python3 -c pass" "" 4 "$LT $PYTHON -c pass" "$GLIBC $PYTHON -c pass"

# --- the targets --------------------------------------------------------------

# target ISSUE WHAT VALUE LIMIT: met when VALUE <= LIMIT.
target() {
	local verdict
	verdict=$(awk -v v="$3" -v l="$4" 'BEGIN { print (v + 0 && v <= l) ? "met" : "MISSED" }')
	printf "target (issue %2s): %-52s %10s (at most %s): %s\n" "$1" "$2" "$3" "$4" "$verdict" |
		tee -a "$RESULTS"
}
echo | tee -a "$RESULTS"
target 7 "musl hello, instructions ld-teach/musl" "${INSTR[musl: hello]}" 1.0
target 7 "musl chain 400x400 lazy, ld-teach instructions" \
	"${INSTR_LT[musl: chain 400x400, lazy]}" 64000000
target 7 "musl hello, peak RSS ld-teach/musl" "${RSS[musl: hello]}" 1.10
target 13 "glibc hello, instructions ld-teach/glibc" "${INSTR[glibc: hello]}" 0.6
target 13 "glibc chain 100x200 BIND_NOW, instructions" "${INSTR[glibc: chain 100x200, BIND_NOW]}" 0.15
target 13 "glibc chain 400x400 BIND_NOW, instructions" "${INSTR[glibc: chain 400x400, BIND_NOW]}" 0.05
target 13 "glibc chain 400x400 lazy, instructions" "${INSTR[glibc: chain 400x400, lazy]}" 0.5
target 13 "glibc hello, median wall time" "${WALL[glibc: hello]}" 1.0
target 13 "glibc hello, peak RSS" "${RSS[glibc: hello]}" 1.1
target 18 "musl hello (PT_INTERP), system calls" "${SYSCALLS[musl: hello (PT_INTERP)]}" 16
target 18 "musl hello (PT_INTERP), median wall time" "${WALL[musl: hello (PT_INTERP)]}" 1.1
target 18 "glibc hello (PT_INTERP), median wall time" "${WALL[glibc: hello (PT_INTERP)]}" 1.1
for shape in chain funcs; do
	target 18 "musl $shape 400x400 BIND_NOW, peak RSS" "${RSS[musl: $shape 400x400, BIND_NOW]}" 1.15
done
for shape in chain funcs star; do
	target 18 "musl $shape 100x200 BIND_NOW, instructions" \
		"${INSTR[musl: $shape 100x200, BIND_NOW]}" 0.13
done
for shape in chain funcs; do
	target 18 "musl $shape 400x400 BIND_NOW, instructions" \
		"${INSTR[musl: $shape 400x400, BIND_NOW]}" 0.05
done

# --- the plot -----------------------------------------------------------------

C400=$B/chain-400x400
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
