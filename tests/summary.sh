#!/bin/bash
# Sum the counts every suite left in build/test-results and print the line
# `N passed, N failed`.  Exits 1 if anything failed or no suite ran.
dir=${1:-build/test-results}
passed=0 failed=0 suites=0
for f in "$dir"/*.counts; do
	[ -e "$f" ] || continue
	read -r p fl <"$f"
	passed=$((passed + p))
	failed=$((failed + fl))
	suites=$((suites + 1))
done
echo "$passed passed, $failed failed"
[ "$suites" -gt 0 ] && [ "$failed" = 0 ]
