#!/bin/bash
# The docs show real output: every sample in them is run and compared
# (tests/tools/doc-samples.py says how, and what "modulo" means).
source "$(dirname "$0")/../lib.sh"

DOCS="doc/ld-debug.md doc/walkthrough.md doc/exec.md doc/prelink.md"
CHECKER="$TOP/tests/tools/doc-samples.py"

test_every_output_block_names_its_command() {
	run python3 "$CHECKER" list $DOCS && expect_rc 0
}

# One test per sample, named after its file and line; a glibc program's
# sample needs ld-teach built for glibc programs.
while read -r sample needs; do
	name=$(tr -c 'A-Za-z0-9\n' _ <<<"$sample")
	guard=:
	[ "$needs" = glibc ] && guard=need_glibc
	eval "test_sample_$name() { $guard; (cd \"\$TOP\" && python3 \"\$CHECKER\" check $sample); }"
done < <(cd "$TOP" && python3 "$CHECKER" list $DOCS 2>/dev/null)

run_suite docs
