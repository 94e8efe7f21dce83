#!/bin/bash
# Sum the counts every suite left in build/test-results (each file holds
# "passed failed skipped") and print the line `N passed, N failed, N skipped`.
# Exits 1 if anything failed or no suite ran.
dir=${1:-build/test-results}
passed=0 failed=0 skipped=0 suites=0
for f in "$dir"/*.counts; do
	[ -e "$f" ] || continue
	read -r p fl sk <"$f"
	passed=$((passed + p))
	failed=$((failed + fl))
	skipped=$((skipped + sk))
	suites=$((suites + 1))
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$suites" -gt 0 ] && [ "$failed" = 0 ]
