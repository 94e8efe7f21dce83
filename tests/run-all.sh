#!/bin/bash
# Run every test suite; each leaves build/test-results/<suite>.counts.
# Ends with the line "N passed, N failed, N skipped" and fails if anything
# failed.
cd "$(dirname "$0")/.." || exit 1
rm -rf build/test-results
mkdir -p build/test-results
[ -x tests/run-unit.sh ] && tests/run-unit.sh
for suite in tests/integration/*.sh; do
	bash "$suite"
done
exec tests/summary.sh build/test-results
