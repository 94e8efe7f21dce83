#!/bin/bash
# The global symbol index must give exactly the answers of the ordered
# scope walk.  The checked build (build/checked/ld-teach.so) indexes every
# global scope, answers every global lookup both ways, and stops with an
# error if the two ever differ.  It runs the test programs and random
# workloads with duplicate and weak definitions, versions, preloads,
# RTLD_LOCAL objects and DT_SYMBOLIC.
source "$(dirname "$0")/../lib.sh"

CHECKED=$TOP/build/checked/ld-teach.so
MB=$BIN/musl

# agree [VAR=VALUE...] PROGRAM ARGS...: under both builds and both binding
# modes, the same output and the same stderr (a refusal for corrupt symbol
# data names the same entry), and no disagreement found by the checked build.
agree() {
	local mode envs=()
	while [[ "$1" == *=* ]]; do
		envs+=("$1")
		shift
	done
	for mode in 1 ""; do
		run "${envs[@]}" LD_BIND_NOW=$mode "$LT" "$@" && remember &&
			run "${envs[@]}" LD_BIND_NOW=$mode "$CHECKED" "$@" && expect_same &&
			expect_not_contains err "disagrees" && same_stderr ||
			{ diag "LD_BIND_NOW='$mode' $*"; return 1; }
	done
}

# The last run's stderr is the remembered run's.
same_stderr() {
	[ "$err" == "$ref_err" ] && return 0
	diag "stderr differs from the reference run's; diff reference -> this:"
	diff <(printf '%s\n' "$ref_err") <(printf '%s\n' "$err") | head -10 | sed 's/^/#     /'
	return 1
}

test_checked_build_indexes_every_scope() {
	run LD_DEBUG=statistics "$CHECKED" "$MB/hello" && expect_rc 0 &&
		expect_contains err "global symbol index: " && expect_not_contains err "not built"
}

ftest_libc_programs_agree_with_the_walk() {
	local p
	for p in hello kitchen diamond interpose copyreloc copydata weak threads origin \
		lazyargs dlbasic dlflags dltls dlmeta; do
		(cd "$FB" && agree "./$p") || { diag "program: $p"; return 1; }
	done
	cd "$FB" && agree ./preload && run LD_PRELOAD="$FB/lib/libmu-preload.so" "$CHECKED" ./preload &&
		expect_contains out "a_value() = 1000"
}

test_test_programs_agree_with_the_walk() {
	local p
	for p in mymalloc reserved dlreopen; do
		(cd "$MB" && agree "./$p") || { diag "program: $p"; return 1; }
	done
	for p in fs-main fs-main-nopie fs-ver-old fs-symbolic; do
		(cd "$BIN/fs" && agree "./$p") || { diag "program: $p"; return 1; }
	done
	# A DT_GNU_HASH with a single bucket, which the index reads its own way:
	# libfs-sym.so's (fs-symbolic needs its last symbol), and libfs-a.so's
	# (fs-main needs a dozen of its names, each along the one chain).
	(cd "$BIN/fs" && agree LD_LIBRARY_PATH="$BIN/malformed/gnu-one-bucket/lib" ./fs-symbolic &&
		expect_out "sym_call() = 32" &&
		agree LD_LIBRARY_PATH="$BIN/malformed/gnu-one-bucket/lib" ./fs-main a b &&
		expect_out "$(cat "$TOP/test-bins/freestanding/main.expected")") ||
		{ diag "libfs-sym.so or libfs-a.so with one bucket"; return 1; }
}

# Names with one GNU hash (libmu-collide.so, and collide's copies of its
# data) are told apart by name: each is found, with its own value, as
# under the system loader, and the index finds what the walk finds.
ftest_names_with_one_gnu_hash_are_told_apart() {
	same_as_system_loader collide && expect_contains out "one GNU hash: yes, yes" &&
		agree ./collide
}

# What readelf counts in a list of objects' dynamic symbol tables: the
# definitions a lookup could return (global, weak or unique; defined; a
# value, or absolute, or TLS), and their distinct names, as "NAMES CANDIDATES".
definitions_in() {
	local f
	for f in "$@"; do
		readelf --dyn-syms -W "$f" | awk 'NR > 3 && $7 != "UND" && $5 ~ /^(GLOBAL|WEAK|UNIQUE)$/ &&
			$4 ~ /^(NOTYPE|OBJECT|FUNC|COMMON|TLS|IFUNC)$/ && ($2 !~ /^0+$/ || $7 == "ABS" || $4 == "TLS") {
				name = $8; sub(/@.*/, "", name); print name }'
	done | awk '{ n[$0]++; c++ } END { print length(n), c }'
}

# The index holds every candidate definition of the global scope once: its
# counts (LD_DEBUG=statistics, the checked build) are readelf's over the
# scope's objects, duplicates and all (fs-main's libraries define names
# twice; diamond's too).
test_the_index_counts_every_name_and_candidate() {
	local dir prog scope want have
	for prog in "$BIN/fs/fs-main" "$MB/diamond"; do
		dir=${prog%/*}
		cd "$dir" && run LD_DEBUG=statistics,scopes "$CHECKED" "./${prog##*/}" a b || return 1
		scope=$(grep -m1 -o 'scope 0: .*' <<<"$err" | sed 's/^scope 0: //')
		want=$(definitions_in $scope) &&
			have=$(sed -n 's/.*global symbol index: \([0-9]*\) names, \([0-9]*\) candidate definitions.*/\1 \2/p' <<<"$err") || return 1
		[ -n "$scope" ] && [ "$have" = "$want" ] ||
			{ diag "$prog: the index has '$have' (names, candidates), readelf counts '$want' in: $scope"; return 1; }
	done
}

# Out of memory while the index is built must drop it (the walk answers),
# never keep it without a candidate.  copyreloc's COPY relocations look up
# mu_counter past the program's own copy; with libmu-data.so preloaded,
# mu_counter is the first name the index gives a second candidate, so one
# failing allocation in turn is the list node it needs.  Twenty-one more
# preloads, none needing another or doing anything when it starts, bring
# the scope to the index's 24 objects.  (A preload that cannot be had for
# want of memory is skipped with a warning, as glibc skips one that fails.)
test_out_of_memory_building_the_index_loses_no_candidate() {
	local lib preload=$MB/lib/libmu-data.so
	for lib in libmu-{deep,g1,lazy,many,next2,nodel,ro-x,ro-y,rta,rtb,rtc,sca,scb,scc} \
		libmu-{uniq1,uniq2,vers,aud,greet} sub/libmu-{leaf,root}; do
		preload+=":$MB/lib/$lib.so"
	done
	cd "$MB" && run LD_PRELOAD="$preload" LD_DEBUG=statistics "$GUARDED" ./copyreloc &&
		expect_contains err "global symbol index: " && expect_not_contains err "not built" ||
		{ diag "the index was not built for copyreloc and its preloads"; return 1; }
	out_of_memory_scan refused_for_memory LD_PRELOAD="$preload" ./copyreloc
}

# Libraries whose hash tables are corrupt where a lookup may never look
# (elfmangle's lenient mutations): the index, which reads every chain, must
# refuse them, or run the program, as the walk does.  fs-main's scope is
# too small for ld-teach.so to build an index (the walk alone meets the
# corruption), while the checked build's index meets it first: a DT_HASH
# chain looping through two symbols (sysv-chain-pair) is named at the
# same entry only if both give up after the same number of steps.
test_corrupt_hash_tables_are_met_as_the_walk_meets_them() {
	local m file
	for m in $("$TOP/build/tools/elfmangle" --list | awk -F'\t' '$2 == "lenient" { print $1 }'); do
		for file in $(find "$BIN/malformed/$m/lib" -type f); do
			(cd "$BIN/fs" && agree LD_LIBRARY_PATH="${file%/*}" ./fs-main) ||
				{ diag "library: $file"; return 1; }
		done
	done
}

# The workloads of tests/tools/gen-symbol-workload.sh, built by make into
# build/test-bins/workloads/wSEED (tests/tools/tools.mk).
test_random_workloads_agree_with_the_walk() {
	local w n=0
	for w in "$BIN"/workloads/w*/; do
		n=$((n + 1))
		(cd "$w" && agree LD_PRELOAD="$(cat preload)" ./main &&
			[ "$(grep -c '=' <<<"$out")" -gt 20 ]) || { diag "workload: $w"; return 1; }
	done
	[ "$n" -gt 0 ] || { diag "no workloads in $BIN/workloads (make check builds them)"; return 1; }
}

run_suite symindex
