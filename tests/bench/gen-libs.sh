#!/bin/bash
# gen-libs.sh chain|star|funcs N M DIR [CC]
#
# Writes and builds, with CC (musl-gcc, or gcc for glibc), N libraries of
# M functions and M/10 data objects each, and one program per
# power-of-two-ish size that loads the first k of them (for the plot), in
# DIR:
#   chain: libN needs libN-1 ... needs lib1; each function of lib i calls
#          the same-numbered function of lib i-1 (when its argument says
#          so: main's calls with 0 go no deeper, so the program's own run
#          stays small beside the loader's work) and reads a data object of
#          lib i-1 through the GOT;
#   star:  the program needs every library; libraries need nothing but
#          still call into lib i-1, found in the global scope;
#   funcs: functions only (no data objects): each function calls the
#          same-numbered function of lib i-1; libN needs libN-1 ... as in
#          chain, and the program needs libk ... lib1, in that order (the
#          global scope is the chain's), and calls function 0 of each.
# main_k calls every function of lib k (chain), of every library (star),
# or function 0 of every library (funcs).
set -eu
shape=$1 n=$2 m=$3 dir=$4 cc=${5:-musl-gcc}
mkdir -p "$dir"
CC="$cc -O1 -fPIC -w"

gen_lib() {
	awk -v i="$1" -v m="$m" -v shape="$shape" 'BEGIN {
		d = int(m / 10); if (d < 1) d = 1
		if (shape == "funcs") d = 0
		for (j = 0; j < d; j++) printf "int d_%d_%d = %d;\n", i, j, i * 1000 + j
		for (j = 0; j < m; j++) {
			if (i > 1) {
				printf "extern int f_%d_%d(int);\n", i - 1, j
				if (j < d) printf "extern int d_%d_%d;\n", i - 1, j
				printf "int f_%d_%d(int x) { return x ? f_%d_%d(x - 1) + %s : %d; }\n", i, j, i - 1, j, (j < d) ? sprintf("d_%d_%d", i - 1, j) : "1", j
			} else {
				printf "int f_%d_%d(int x) { return x + %d; }\n", i, j, j
			}
		}
	}' >"$dir/l$1.c"
}

gen_main() {
	local k=$1 libs
	awk -v k="$k" -v m="$m" -v shape="$shape" 'BEGIN {
		print "#include <stdio.h>"
		lo = (shape == "chain") ? k : 1
		if (shape == "funcs") m = 1
		for (i = lo; i <= k; i++) for (j = 0; j < m; j++) printf "int f_%d_%d(int);\n", i, j
		print "int main(void) {"
		print "  long sum = 0;"
		for (i = lo; i <= k; i++) for (j = 0; j < m; j++) printf "  sum += f_%d_%d(0);\n", i, j
		print "  printf(\"%ld\\n\", sum);"
		print "  return 0;"
		print "}"
	}' >"$dir/main$k.c"
	case $shape in
	chain) libs="-ll$k" ;;
	star) libs=$(seq -f "-ll%g" 1 "$k" | tr '\n' ' ') ;;
	funcs) libs=$(seq -f "-ll%g" "$k" -1 1 | tr '\n' ' ') ;;
	esac
	$cc -O1 -w -o "$dir/main$k" "$dir/main$k.c" -L"$dir" $libs -Wl,-rpath,"$dir" -Wl,--allow-shlib-undefined
}

for i in $(seq 1 "$n"); do
	gen_lib "$i"
done
# Compile on every core; link in order (each library needs the one before).
seq 1 "$n" | xargs -P "$(nproc)" -I{} sh -c "$CC -c -o $dir/l{}.o $dir/l{}.c"
for i in $(seq 1 "$n"); do
	deps=""
	[ "$shape" != star ] && [ "$i" -gt 1 ] && deps="-ll$((i - 1))"
	$CC -shared -o "$dir/libl$i.so" "$dir/l$i.o" -Wl,-soname,libl$i.so \
		-Wl,-rpath,'$ORIGIN' -L"$dir" $deps
done
for k in 25 50 100 200 400; do
	[ "$k" -le "$n" ] && gen_main "$k"
done
[ -e "$dir/main$n" ] || gen_main "$n"
touch "$dir/.done"
