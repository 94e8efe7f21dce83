#!/bin/bash
# make mutate: mutation testing of the loader (doc/testing.md).
#
# build/tools/mutagen cuts every C source of rtld/, arch/ and loader/ into
# mutants.  Each mutant is built in a scratch copy of the tree,
# build/mutate/tree (kept between runs, so that only what a mutant touches
# is rebuilt), and given the fast suites that cover its file (suites_for,
# below).  It is killed when a suite fails or it runs out of time.  A
# mutant that does not build is not counted, nor one whose objects come out
# as the original's (without debug information): it is the same program.
#
#   MUTATE_SECONDS  time for the mutants, after the set-up (default 600):
#                   they are tried in an order shuffled by MUTATE_SEED
#                   until it runs out
#   MUTATE_SEED     the shuffle's seed (default 1)
#   MUTATE_FILES    an extended regular expression: only the source files
#                   whose path matches (default: all)
#   MUTATE_TIMEOUT  seconds per mutant, for its build and for its suites
#                   (default 300: each program a suite runs has 20 already)
#   MUTATE_RETRY    when set: try again only the survivors of the last run
#                   (found by file and mutation), as after new tests, every
#                   one of them (MUTATE_SECONDS does not apply); the counts
#                   cover the whole run
#   MUTATE_RESUME   when set: go on with the last run (same seed, same
#                   sources, the scratch tree as it was) after the mutants
#                   it tried; the counts cover both
#   MUTATE_JOBS     how many mutants are tried at once (default 1): each
#                   worker has its own scratch tree, build/mutate/shard-I,
#                   and takes every MUTATE_JOBS-th mutant of the same
#                   shuffled list; their verdicts are merged at the end
#                   (MUTATE_RETRY and MUTATE_RESUME work per worker)
#   MUTATE_BUILD    what the suites need built (set by the Makefile)
#
# Prints every survivor as FILE:LINE: MUTATION, and last the line
# "N mutants: K killed, S survived".  build/mutate/results.tsv holds every
# verdict, with the suite that killed the mutant.
set -u
cd "$(dirname "$0")/../.." || exit 1
TOP_OUT=$PWD/build/mutate
WORKERS=${MUTATE_JOBS:-1}
[[ "$WORKERS" =~ ^[1-9][0-9]*$ ]] || { echo "mutate: MUTATE_JOBS must be a number, not $WORKERS" >&2; exit 1; }
# A worker started by run_workers, below: "I/N".
SHARD=${MUTATE_SHARD:-1/1}
OUT=$TOP_OUT
[ "$SHARD" = 1/1 ] || OUT=$TOP_OUT/shard-${SHARD%/*}
TREE=$OUT/tree
BUDGET=${MUTATE_SECONDS:-600}
SEED=${MUTATE_SEED:-1}
FILES=${MUTATE_FILES:-.}
MUTANT_TIMEOUT=${MUTATE_TIMEOUT:-300}
BUILD_TARGETS=${MUTATE_BUILD:?"run it as make mutate"}
JOBS=$(nproc)

# The fast suites: the unit tests without valgrind, which is for memory
# errors, not for behaviour; and every integration suite, the fuzz
# campaign with fewer mutants; each process they run gets 20 seconds.
export FUZZ_EXECS=1000 TIMEOUT=20
# A mutant may write without end (a prelink cache's write loop that never
# finishes filled a disk): no file it, its build or its suites write may
# pass 1 GiB.  (The writer is killed, with SIGXFSZ: a failure like any.)
ulimit -f $((1 << 20))
ALL_SUITES="unit $(basename -s .sh tests/integration/*.sh | tr '\n' ' ')"
# Every suite starts programs through the core, so every suite covers a
# core file: in this order, cheapest and likeliest to fail first (a
# suite not named here comes last).  A mutant is killed by the first that
# fails, so a survivor costs them all.
ORDER="unit core lazy ld-debug musl execstack glibc-cpu isa ldcache exec symindex dl glibc audit
	prelink tools docs glibc-layout malformed"
CORE_SUITES=$(for s in $ORDER $ALL_SUITES; do echo "$s"; done | awk '!seen[$0]++' | tr '\n' ' ')

# The suites aimed at a file, to run before the others: those of the first
# pattern its path matches.  A * spans directories, so a file keeps its
# suites when it moves into a subdirectory.
aimed_at() {
	case $1 in
	rtld/print.c | rtld/str.c | rtld/elf_check.c | rtld/error.c) echo "exec" ;;  # in ld-teach-exec too
	rtld/glibc/host/*) echo "glibc-layout glibc-cpu glibc" ;;  # writes the layouts
	rtld/glibc/*cpu* | arch/*/cpu*) echo "glibc-cpu" ;;
	rtld/glibc/*cache*) echo "ldcache" ;;  # ld.so.cache
	rtld/glibc/*isa*) echo "isa" ;;  # the x86 ISA level check
	rtld/glibc/*) echo "glibc glibc-layout" ;;
	rtld/*audit*) echo "audit" ;;
	rtld/*prelink*) echo "prelink" ;;
	rtld/*look* | rtld/*graph* | rtld/*memcheck*) echo "tools" ;;  # ldd, --graph, memcheck
	rtld/*stack*) echo "execstack" ;;
	rtld/*lookup* | rtld/*symindex* | rtld/*hash* | rtld/*version* | rtld/*unique*)
		echo "symindex" ;;  # answers checked against the index
	rtld/*trace* | rtld/*report*) echo "ld-debug docs" ;;  # and the docs' LD_DEBUG samples
	esac
}

# The suites that cover a source file, in the order they run.
# ld-teach-exec (loader/ and its arch files) is run by the exec suite and
# the docs' samples of doc/exec.md only; the core by every suite.
suites_for() {
	case $1 in
	loader/* | arch/*/exec_*) echo "unit exec docs" ;;
	*) for s in $(aimed_at "$1") $CORE_SUITES; do echo "$s"; done | awk '!seen[$0]++' | tr '\n' ' ' ;;
	esac
}

say() { echo "mutate: $*" >&2; }

# Every suite suites_for names for a source file must exist.
check_suites_exist() {
	local f s
	for f in $(find rtld arch loader -name '*.c'); do
		for s in $(suites_for "$f"); do
			[[ " $ALL_SUITES " == *" $s "* ]] ||
				{ say "suites_for names a suite that does not exist: $s ($f)"; exit 1; }
		done
	done
}

# The scratch tree: the sources of this one (tracked, and untracked but
# not ignored), copied where they differ, with a fresh time stamp so that
# make rebuilds what depends on them; its build/ stays.
sync_tree() {
	local f
	mkdir -p "$TREE"
	git ls-files -co --exclude-standard | while IFS= read -r f; do [ -f "$f" ] && echo "$f"; done |
		sort >"$OUT/sources"
	(cd "$TREE" && find . -path ./build -prune -o -type f -print | sed 's|^\./||' | sort) |
		comm -13 "$OUT/sources" - | (cd "$TREE" && xargs -r rm -f --)
	while IFS= read -r f; do
		cmp -s "$f" "$TREE/$f" && continue
		mkdir -p "$TREE/$(dirname "$f")" && cp --preserve=mode "$f" "$TREE/$f" || exit 1
	done <"$OUT/sources"
}

# build_tree [SECONDS]: make what the suites need; with a limit, exit
# status 124 when it runs out (a mutant of a generator that never ends).
build_tree() {
	timeout "${1:-0}" make -C "$TREE" -j"$JOBS" --no-print-directory $BUILD_TARGETS \
		>"$OUT/build.log" 2>&1
}

# run_suites SECONDS SUITE...: the first suite that fails (or "timeout"
# when the SECONDS all of them may take run out), or nothing; fails if a
# suite failed or time ran out.
run_suites() {
	local deadline=$((SECONDS + $1)) suite failed passed status
	shift
	for suite in "$@"; do
		[ "$SECONDS" -lt "$deadline" ] || { echo "timeout"; return 1; }
		if [ "$suite" = unit ]; then
			(cd "$TREE" && timeout $((deadline - SECONDS)) build/unit/unit-tests) \
				>"$OUT/suite.log" 2>&1
			status=$?
		else
			rm -f "$TREE/build/test-results/$suite.counts"
			timeout $((deadline - SECONDS)) bash "$TREE/tests/integration/$suite.sh" \
				>"$OUT/suite.log" 2>&1
			status=$?
			# (A suite exits 0 whatever its tests did: its counts say.)
			failed=1 passed=0
			read -r passed failed _ 2>/dev/null <"$TREE/build/test-results/$suite.counts"
			if [ "$status" != 124 ]; then
				[ "$failed" = 0 ] && [ "$passed" -gt 0 ] && status=0 || status=1
			fi
		fi
		[ "$status" = 0 ] && continue
		[ "$status" = 124 ] && echo "timeout" || echo "$suite"
		return 1
	done
}

# The file a mutant is in is named in $OUT/mutated until it is restored
# from $OUT/original: a run killed in between is restored when resumed.
MUTATED=""
restore() {
	[ -n "$MUTATED" ] && cp "$OUT/original" "$TREE/$MUTATED" && rm -f "$OUT/mutated"
	MUTATED=""
}
trap restore EXIT
trap 'exit 130' INT TERM

# The code of every object of the scratch tree as built from the sources
# unchanged, without its debug information (which holds columns, and so
# changes with any edit), in $OUT/objects/.
OBJECTS=$OUT/objects
snapshot_objects() {
	local o
	rm -rf "$OBJECTS"
	(cd "$TREE" && find build -name '*.o') | while IFS= read -r o; do
		mkdir -p "$OBJECTS/$(dirname "$o")" &&
			objcopy --strip-debug "$TREE/$o" "$OBJECTS/$o" || exit 1
	done
}

# Did the objects rebuilt from FILE come out as the snapshot has them?
# Then the mutant is the original program: no test could tell them apart.
same_code() {
	local o
	(cd "$TREE" && find build -newer "$1" -name '*.o') | while IFS= read -r o; do
		objcopy --strip-debug "$TREE/$o" "$OUT/stripped.o" &&
			cmp -s "$OUT/stripped.o" "$OBJECTS/$o" || exit 1
	done
}

# try FILE ID: build mutant ID of FILE and run its suites.  Sets verdict
# (killed, survived, unbuilt or same-code) and killer (the suite, or
# "timeout").
try() {
	local file=$1 id=$2
	MUTATED=$file
	cp "$TREE/$file" "$OUT/original" && echo "$file" >"$OUT/mutated"
	"$TREE/build/tools/mutagen" apply "$OUT/original" "$id" >"$TREE/$file" || exit 1
	killer=""
	build_tree "$MUTANT_TIMEOUT"
	local built=$?
	# Unbuilt also when nothing was rebuilt from it: a file no target uses.
	if [ "$built" = 124 ]; then
		verdict=killed killer="timeout (build)"
	elif [ "$built" != 0 ] || [ -z "$(find "$TREE/build" -newer "$TREE/$file" -name '*.o' | head -1)" ]; then
		verdict=unbuilt
	elif same_code "$file"; then
		verdict=same-code
	elif killer=$(run_suites "$MUTANT_TIMEOUT" $(suites_for "$file")); then
		verdict=survived
	else
		verdict=killed
	fi
	restore
}

# Every mutant as FILE, ID, LINE, WHAT (tab-separated).
all_mutants() {
	local f
	(cd "$TREE" && find rtld arch loader -name '*.c' | sort | grep -E -- "$FILES") |
		while IFS= read -r f; do
			"$TREE/build/tools/mutagen" list "$TREE/$f" | sed "s|^|$f	|"
		done
}

# The whole list in the seed's order; a worker keeps its share of it.
# A mutant's place is a hash of the seed, its file and its mutation (not
# its line, nor its rank in the list): a seed picks the same mutants
# after the sources change elsewhere, so a sample can be tried again
# after new tests.
shuffled_mutants() {
	all_mutants | awk -F'\t' -v seed="$SEED" '
		BEGIN { for (c = 1; c < 256; c++) code[sprintf("%c", c)] = c }
		# Exact in double arithmetic: every value stays below 2^53.
		function place(s,   h, k) {
			for (k = 1; k <= length(s); k++)
				h = (h * 131 + code[substr(s, k, 1)]) % 2147483647
			for (k = 0; k < 3; k++)
				h = (h * 48271 + 1) % 2147483647
			return h
		}
		{ print place(seed "\t" $1 "\t" $4) "\t" $0 }' |
		LC_ALL=C sort -n | cut -f2- | awk -v i="${SHARD%/*}" -v n="${SHARD#*/}" 'NR % n == i % n'
}

# matching WANTED: the mutants of all_mutants that WANTED (FILE, LINE,
# MUTATION, tab-separated) names: by all three, or, when the line has
# moved since, by file and mutation if no other mutant of the file has
# the same text (seven `return -1;` of one file are told apart by line
# only).  A mutant whose code has changed matches nothing.
matching() {
	all_mutants | awk -F'\t' 'NR == FNR { exact[$0] = 1; text[$1 "\t" $3] = 1; next }
		{ line[FNR] = $0; n[$1 "\t" $4]++ }
		END {
			for (i = 1; i in line; i++) {
				split(line[i], m, "\t")
				if ((m[1] "\t" m[3] "\t" m[4]) in exact ||
				    ((m[1] "\t" m[4]) in text && n[m[1] "\t" m[4]] == 1))
					print line[i]
			}
		}' "$1" -
}

# The survivors doc/testing.md lists as equivalent (its entries
# "- `FILE:LINE`, `MUTATION`" under "### Equivalent survivors"), as
# FILE, LINE, MUTATION.
listed_equivalent() {
	awk '/^### / { inside = ($0 == "### Equivalent survivors") }
		inside && /^- `[^`:]+:[0-9]+`, `.*`/ {
			sub(/^- `/, ""); where = $0; sub(/`.*/, "", where)
			what = $0; sub(/^[^`]*`, `/, "", what); sub(/`.*/, "", what)
			sub(/:/, "\t", where); print where "\t" what
		}' doc/testing.md
}

# The last run's survivors, as they are numbered now; the verdicts of its
# other mutants stay in results.tsv.  A survivor whose code has changed
# since is no mutant any more: said, and not counted.
retry_survivors() {
	[ -f "$OUT/results.tsv" ] || { say "no last run to retry"; exit 1; }
	awk -F'\t' 'NR > 1 && $4 == "survived" { print $1 "\t" $2 "\t" $7 }' "$OUT/results.tsv" >"$OUT/retry"
	matching "$OUT/retry" >"$OUT/mutants"
	local gone=$(($(wc -l <"$OUT/retry") - $(wc -l <"$OUT/mutants")))
	[ "$gone" = 0 ] || say "$gone of the last run's survivors are no mutants any more (their code changed)"
	awk -F'\t' 'NR == 1 || $4 != "survived"' "$OUT/results.tsv" >"$OUT/kept" &&
		mv "$OUT/kept" "$OUT/results.tsv"
	# Every one is tried, whatever MUTATE_SECONDS says: a survivor the
	# budget left out would have left the count, and the rate with it.
	BUDGET=$((1 << 40))
}

# The counts of $OUT/results.tsv, and the last line.
summarize() {
	count() { awk -F'\t' -v v="$1" 'NR > 1 && $4 == v' "$OUT/results.tsv" | wc -l; }
	local killed survived
	killed=$(count killed) survived=$(count survived)
	say "not counted: $(count unbuilt) that did not build, $(count same-code) that built to the" \
		"original's code, $(count equivalent) listed as equivalent in doc/testing.md (not tried);" \
		"every verdict: $OUT/results.tsv"
	echo "$((killed + survived)) mutants: $killed killed, $survived survived"
}

# MUTATE_JOBS workers at once, each this script with its MUTATE_SHARD;
# then their verdicts in one results.tsv, its survivors and its counts.
run_workers() {
	local i pid pids=() failed=0
	mkdir -p "$OUT"
	for ((i = 1; i <= WORKERS; i++)); do
		MUTATE_SHARD=$i/$WORKERS bash "$PWD/tests/tools/mutate.sh" >"$OUT/shard-$i.out" \
			2> >(sed -u "s/^mutate: /mutate [$i]: /" >&2) &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do
		wait "$pid" || failed=1
	done
	[ "$failed" = 0 ] || { say "a worker failed (its output: $OUT/shard-*.out)"; exit 1; }
	printf 'file\tline\tid\tverdict\tsuite\tseconds\tmutation\n' >"$OUT/results.tsv"
	for ((i = 1; i <= WORKERS; i++)); do
		tail -n +2 "$OUT/shard-$i/results.tsv" >>"$OUT/results.tsv"
	done
	awk -F'\t' 'NR > 1 && $4 == "survived" { print $1 ":" $2 ": " $7 }' "$OUT/results.tsv"
	summarize
}

check_suites_exist
if [ "$WORKERS" -gt 1 ] && [ "$SHARD" = 1/1 ]; then
	run_workers
	exit 0
fi
mkdir -p "$OUT"
if [ -n "${MUTATE_RESUME:-}" ]; then
	# The scratch tree stays as the run began (a test added since counts
	# for no mutant of this run): only a mutant a kill left in it goes.
	say "resuming in the scratch tree $TREE"
	[ -f "$OUT/mutated" ] && MUTATED=$(cat "$OUT/mutated") && restore
else
	say "building the scratch tree $TREE"
	sync_tree
fi
if ! build_tree; then
	tail -20 "$OUT/build.log" >&2
	say "the scratch tree does not build"
	exit 1
fi
if [ -z "${MUTATE_RESUME:-}" ]; then
	say "the suites, without a mutant: $ALL_SUITES"
	if failed=$(run_suites 3600 $ALL_SUITES); then :; else
		say "suite $failed fails without any mutant (log: $OUT/suite.log); fix that first"
		exit 1
	fi
fi
snapshot_objects
tried=0
if [ -n "${MUTATE_RESUME:-}" ]; then
	# The same list (seed and sources), past the mutants results.tsv has.
	[ -f "$OUT/results.tsv" ] && shuffled_mutants | cmp -s - "$OUT/mutants" ||
		{ say "nothing to resume: no run of these mutants with seed $SEED"; exit 1; }
	tried=$(($(wc -l <"$OUT/results.tsv") - 1))
elif [ -n "${MUTATE_RETRY:-}" ]; then
	retry_survivors
else
	shuffled_mutants >"$OUT/mutants"
	printf 'file\tline\tid\tverdict\tsuite\tseconds\tmutation\n' >"$OUT/results.tsv"
fi
if [ -n "${MUTATE_RETRY:-}" ]; then
	say "trying the last run's $(wc -l <"$OUT/mutants") survivors again, every one (seed $SEED)"
else
	say "$(wc -l <"$OUT/mutants") mutants, $tried tried already; trying more for ${BUDGET}s (seed $SEED)"
fi

listed_equivalent >"$OUT/listed"
matching "$OUT/listed" | cut -f1,2 >"$OUT/equivalent"
start=$SECONDS
while IFS=$'\t' read -r file id line what; do
	[ $((SECONDS - start)) -ge "$BUDGET" ] && break
	began=$SECONDS
	if grep -qxF -- "$file	$id" "$OUT/equivalent"; then
		verdict=equivalent killer=""
	else
		try "$file" "$id"
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$file" "$line" "$id" "$verdict" "$killer" \
		$((SECONDS - began)) "$what" >>"$OUT/results.tsv"
	[ "$verdict" = survived ] && echo "$file:$line: $what"
done < <(tail -n +$((tried + 1)) "$OUT/mutants")
summarize
