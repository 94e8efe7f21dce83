#!/bin/bash
# compare.sh EXECS SEED: the same mutants under ld-teach, musl's loader and
# glibc's loader, mode by mode, and a Markdown table of what happened
# (doc/robustness.md).  Mutant N of a campaign depends on (SEED, N) alone,
# so each loader meets the very same files; in each mode it is given what
# that mode gives (--list and --verify where the loader has them; command
# mode; kernel-started runs only for ld-teach, the programs' PT_INTERP).
# Run from the top of the tree, after make fuzz's prerequisites are built.
set -u
execs=${1:-20000} seed=${2:-1}
fuzz=build/fuzz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# loader name, path, modes
loaders=(
	"ld-teach|./ld-teach.so|list verify run interp"
	"musl|/lib/ld-musl-x86_64.so.1|list run"
	"glibc|/lib64/ld-linux-x86-64.so.2|list verify run"
)

stat() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
percent() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f%%", b ? 100 * a / b : 0 }'; }

echo "| loader | mode | runs | refused | crashes inside the loader | hangs inside the loader | crashes in a libc | crashes in the program's code | unclean refusals |"
echo "|---|---|---|---|---|---|---|---|---|"
for entry in "${loaders[@]}"; do
	IFS='|' read -r name path modes <<<"$entry"
	for mode in $modes; do
		s=$work/$name-$mode
		"$fuzz/elffuzz" campaign --targets "$fuzz/targets" --loader "$path" --modes "$mode" \
			--execs "$execs" --seed "$seed" --out "$work/crashes" --stats "$s" >/dev/null 2>&1
		runs=$(stat "$s" execs)
		crashes=$(stat "$s" crash.loader)
		echo "| $name | $mode | $runs | $(stat "$s" "$mode.refused") | $crashes ($(percent "$crashes" "$runs")) |" \
			"$(stat "$s" hang.loader) | $(stat "$s" crash.libc) |" \
			"$(($(stat "$s" crash.program) + $(stat "$s" crash.nowhere))) | $(stat "$s" "$mode.unclean_refusal") |"
	done
done
