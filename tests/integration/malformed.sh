#!/bin/bash
# Malformed ELF files, made from the valid test programs and libraries by
# build/tools/elfmangle (rules in tests/tools/tools.mk), given to ld-teach
# as the program and as a library the program needs.  Each one must be
# refused cleanly: exit status 127, one line on stderr that starts with
# "ld-teach.so: ", names the file and says what is wrong, and never a
# signal.  A few (the "lenient" kind) are corrupt only where lookups may
# never look: refused cleanly if a lookup meets the corruption, else run
# correctly.  Then random truncations and byte corruptions, and two valid but
# unusual edits that must keep working.
source "$(dirname "$0")/../lib.sh"

FSB=$BIN/fs
MALFORMED=$BIN/malformed
ELFMANGLE=$TOP/build/tools/elfmangle
EXPECTED=$(cat "$TOP/test-bins/freestanding/main.expected")
# Program variants run with the valid libraries; library variants are
# found through LD_LIBRARY_PATH, which comes before the programs' RUNPATH.
VALID_LIBS=$FSB/lib

# What each refusal must say, as an extended regular expression.
reason_of() {
	case $1 in
	truncate) echo "file too short" ;;
	truncate-phdrs | phoff) echo "program headers lie outside the file" ;;
	truncate-segment | load-offset) echo "load command lies outside the file" ;;
	phentsize) echo "phentsize" ;;
	phnum-huge) echo "too many program headers" ;;
	class32) echo "ELFCLASS32" ;;
	machine) echo "machine is not x86-64" ;;
	type-rel) echo "only ET_DYN and ET_EXEC" ;;
	filesz-gt-memsz) echo "file size larger than its memory size" ;;
	load-swap) echo "overlap or are not sorted" ;;
	dynamic-outside) echo "PT_DYNAMIC lies outside" ;;
	wx) echo "writable and executable" ;;
	tls-align) echo "PT_TLS" ;;
	memsz-huge) echo "segment|out of range|memory" ;;
	strtab-outside | strsz-huge) echo "string table" ;;
	symtab-missing) echo "symbol table|SYMTAB" ;;
	symbol-name) echo "symbol name|name outside the string table" ;;
	reloc-symbol) echo "refers to symbol" ;;
	reloc-offset) echo "writes outside" ;;
	reloc-type) echo "relocation type 250" ;;
	pltrelsz-missing) echo "PLTRELSZ|JMPREL" ;;
	pltgot-readonly) echo "PLTGOT" ;;
	needed-offset) echo "string offset" ;;
	gnu-bucket | gnu-bloom | gnu-chain) echo "DT_GNU_HASH" ;;
	sysv-bucket | sysv-chain) echo "DT_HASH" ;;
	versym) echo "version" ;;
	init-arraysz | preinit-arraysz) echo "initializer or finalizer array" ;;
	*) echo "no reason known for mutation $1" ;;
	esac
}

# The last run, briefly: every line a diagnostic.
show_briefly() {
	local line
	diag "exit status: $rc"
	while IFS= read -r line; do diag "stderr: $line"; done < <(head -5 <<<"$err")
	while IFS= read -r line; do diag "stdout: $line"; done < <(head -3 <<<"$out")
}

# The last run refused `file` cleanly, and said `reason`.
expect_refusal() {
	local file=$1 reason=$2
	if [ "$rc" -gt 128 ] || [ "$rc" = 124 ]; then
		diag "killed by a signal or timed out"
	elif [ "$rc" != 127 ]; then
		diag "not refused"
	elif [[ "$err" == *$'\n'* || "$err" != "ld-teach.so: "* || "$err" != *"$file"* ]]; then
		diag "not one line on stderr starting \"ld-teach.so: \" and naming the file"
	elif ! grep -qE -- "$reason" <<<"$err"; then
		diag "the message does not say what is wrong (expected: $reason)"
	else
		return 0
	fi
	show_briefly
	return 1
}

# The last run of a lenient mutation's variant: refused cleanly, or run correctly.
expect_refusal_or_run() {
	local file=$1 reason=$2
	if [ "$rc" = 0 ]; then
		[ "$out" = "$EXPECTED" ] && return 0
		diag "ran, but its output is wrong"
		show_briefly
		return 1
	fi
	expect_refusal "$file" "$reason"
}

# try_mutation CHECK MUTATION: every variant of the mutation, each judged
# by CHECK (expect_refusal, or for the lenient kind expect_refusal_or_run):
# its programs, in command mode; its libraries (in lib/ or a directory
# below), under both a command-mode and a PT_INTERP-mode program.
try_mutation() {
	local check=$1 m=$2 reason file prog n=0 failed=0
	reason=$(reason_of "$m")
	for file in "$MALFORMED/$m"/prog/*; do
		[ -e "$file" ] || continue
		n=$((n + 1))
		run LD_LIBRARY_PATH="$VALID_LIBS" "$LT" "$file" a b
		"$check" "$file" "$reason" || { diag "^ the program $file"; failed=1; }
	done
	for file in $(find "$MALFORMED/$m/lib" -type f 2>/dev/null); do
		n=$((n + 1))
		for prog in "$LT $FSB/fs-main" "$FSB/fs-main-lt"; do
			run LD_LIBRARY_PATH="${file%/*}" $prog a b
			"$check" "$file" "$reason" ||
				{ diag "^ the library $file, under ${prog##*/}"; failed=1; }
		done
	done
	[ "$n" -gt 0 ] || { diag "no variant of $m in $MALFORMED/$m (make malformed-bins)"; return 1; }
	return "$failed"
}

# One test per mutation, named after it.
mutations_of_kind() {
	"$ELFMANGLE" --list | awk -F'\t' -v kind="$1" '$2 == kind { print $1 }'
}

if [ -x "$ELFMANGLE" ]; then
	for m in $(mutations_of_kind reject); do
		eval "test_refuses_${m//-/_}() { try_mutation expect_refusal $m; }"
	done
	for m in $(mutations_of_kind lenient); do
		eval "test_survives_${m//-/_}() { try_mutation expect_refusal_or_run $m; }"
	done
else
	test_elfmangle_is_built() {
		diag "$ELFMANGLE is missing: make build/tools/elfmangle malformed-bins"
		return 1
	}
fi

# The setup the variants run in works with the unmodified files.
test_originals_run_in_the_same_setup() {
	run LD_LIBRARY_PATH="$VALID_LIBS" "$LT" "$FSB/fs-main" a b && expect_rc 0 && expect_out "$EXPECTED" &&
		run LD_LIBRARY_PATH="$VALID_LIBS" "$FSB/fs-main-lt" a b && expect_rc 0 && expect_out "$EXPECTED"
}

# --- fuzzing: random truncations and byte corruptions, fixed seeds ----------

FUZZ_SEEDS_BYTE=${FUZZ_SEEDS_BYTE:-400}      # per file
FUZZ_SEEDS_TRUNCATE=${FUZZ_SEEDS_TRUNCATE:-100}   # per file
FUZZ_PROGRAMS="fs-main fs-main-nopie"
FUZZ_LIBRARIES="libfs-d.so libfs-a.so"

# Where a process died: re-run it under gdb (a make check dependency) and
# find the mapping that holds the faulting instruction.  "loader" when that
# is ld-teach.so; "object" when it is code of the objects ld-teach loaded
# and accepted, or no mapping at all (ld-teach checks the initializers and
# resolvers it calls, so a jump to nowhere comes from the objects' own
# code); "unknown" when gdb saw no crash, which counts against ld-teach.  $1 is VAR=VALUE for the environment, the rest
# the command.
crash_site() {
	local out pc line start end file=""
	out=$(env "$1" timeout 60 gdb -nx -q -batch -ex run -ex 'printf "pc=0x%lx\n", $pc' \
		-ex 'info proc mappings' --args "${@:2}" 2>&1 </dev/null)
	pc=$(sed -n 's/^pc=0x\([0-9a-f]*\)$/\1/p' <<<"$out")
	[ -n "$pc" ] || { echo unknown; return; }
	while read -r start end line; do
		[[ $start == 0x* && $end == 0x* ]] || continue
		if (($((start)) <= 16#$pc && 16#$pc < $((end)))); then
			file=${line##* }
		fi
	done <<<"$out"
	[[ $file == */ld-teach.so ]] && echo loader || echo object
}

# Run one fuzzed file (a program, or a library under fs-main) and judge:
# a clean refusal or a run is fine; a hang, an unclean refusal or a crash
# of ld-teach is not.  Says why in a diagnostic line.
fuzz_case() {
	local kind=$1 src=$2 seed=$3 what file setting
	local -a cmd
	if [[ $src == lib* ]]; then
		mkdir -p "$TMP/fuzzlib"
		file=$TMP/fuzzlib/$src
		what=$("$ELFMANGLE" "$kind" "$FSB/lib/$src" "$file" "$seed") || return 1
		setting=LD_LIBRARY_PATH=$TMP/fuzzlib
		cmd=("$LT" "$FSB/fs-main" a b)
	else
		file=$TMP/$src
		what=$("$ELFMANGLE" "$kind" "$FSB/$src" "$file" "$seed") || return 1
		setting=LD_LIBRARY_PATH=$VALID_LIBS
		cmd=("$LT" "$file" a b)
	fi
	local repro="elfmangle $kind $src OUT $seed: $what"
	TIMEOUT=10 run "$setting" "${cmd[@]}"
	if [ "$rc" = 124 ]; then
		diag "hang: $repro"
		return 1
	elif [ "$rc" = 127 ]; then
		[[ "$err" == "ld-teach.so: "* && "$err" != *$'\n'* ]] && return 0
		diag "unclean refusal: $repro" "stderr: $(head -3 <<<"$err" | tr '\n' '|')"
		return 1
	elif [ "$rc" -gt 128 ]; then
		local site
		site=$(crash_site "$setting" "${cmd[@]}")
		if [ "$site" = object ]; then
			diag "accepted, then the object's own code crashed (signal $((rc - 128))): $repro"
			return 0
		fi
		diag "ld-teach crashed (signal $((rc - 128)), at: $site): $repro"
		return 1
	fi
	return 0
}

fuzz_all() {
	local kind=$1 seeds=$2 src seed failed=0
	for src in $FUZZ_PROGRAMS $FUZZ_LIBRARIES; do
		for seed in $(seq 1 "$seeds"); do
			fuzz_case "$kind" "$src" "$seed" || failed=$((failed + 1))
		done
	done
	[ "$failed" = 0 ] || { diag "$failed fuzzed files were not handled cleanly"; return 1; }
}

test_fuzz_random_truncations() {
	[ -x "$ELFMANGLE" ] || { diag "$ELFMANGLE is missing"; return 1; }
	fuzz_all fuzz-truncate "$FUZZ_SEEDS_TRUNCATE"
}

test_fuzz_random_byte_corruptions() {
	[ -x "$ELFMANGLE" ] || { diag "$ELFMANGLE is missing"; return 1; }
	fuzz_all fuzz-byte "$FUZZ_SEEDS_BYTE"
}

# --- valid but unusual: must keep working ------------------------------------

# fs-main's GLOB_DAT for the weak, undefined nowhere_data made R_X86_64_NONE:
# the slot keeps its 0 from the file, which is the right value anyway.
test_reloc_none_changes_nothing() {
	local prog=$MALFORMED/reloc-none/prog/fs-main
	readelf -rW "$prog" | grep -qE 'R_X86_64_NONE +0+ nowhere_data' ||
		{ diag "$prog has no R_X86_64_NONE against nowhere_data"; return 1; }
	run LD_LIBRARY_PATH="$VALID_LIBS" "$LT" "$prog" a b && expect_rc 0 && expect_out "$EXPECTED"
}

# libfs-d.so's executable segment ends with 16 bytes of .bss: cleared, and
# the page left executable and not writable (fs-main checks every mapping).
test_bss_in_the_executable_segment() {
	local dir=$MALFORMED/text-bss/lib
	readelf -lW "$dir/libfs-d.so" | awk '$1 == "LOAD" && $(NF - 1) == "E" && $5 != $6 { found = 1 }
		END { exit !found }' || { diag "$dir/libfs-d.so has no .bss in its executable segment"; return 1; }
	run LD_LIBRARY_PATH="$dir" "$LT" "$FSB/fs-main" a b && expect_rc 0 && expect_out "$EXPECTED" &&
		run LD_LIBRARY_PATH="$dir" "$FSB/fs-main-lt" a b && expect_rc 0 && expect_out "$EXPECTED"
}

# libfs-b.so's PT_TLS with p_align 0: no alignment, as with 1.
test_tls_without_alignment() {
	local dir=$MALFORMED/tls-align-zero/lib
	readelf -lW "$dir/libfs-b.so" | grep -qE '^ +TLS .* 0$' || { diag "$dir/libfs-b.so: p_align is not 0"; return 1; }
	run LD_LIBRARY_PATH="$dir" "$LT" "$FSB/fs-main" a b && expect_rc 0 && expect_out "$EXPECTED" &&
		run LD_LIBRARY_PATH="$dir" "$FSB/fs-main-lt" a b && expect_rc 0 && expect_out "$EXPECTED"
}

# The kernel starts fs-main-lt with its PT_PHDR second: ld-teach must still
# find it, to know where the program was loaded.
test_program_headers_in_another_order() {
	local prog=$MALFORMED/interp-first/prog/fs-main-lt
	readelf -lW "$prog" | awk '$1 ~ /^(PHDR|INTERP|LOAD)$/ { printf "%s ", $1 }' |
		grep -q '^INTERP PHDR LOAD' || { diag "$prog: PT_PHDR is not second"; return 1; }
	run LD_LIBRARY_PATH="$VALID_LIBS" "$prog" a b && expect_rc 0 && expect_out "$EXPECTED"
}

# libfs-sym.so with DF_SYMBOLIC binds its own sym_value (1) before the
# program's (2).
test_df_symbolic_binds_the_library_first() {
	local dir=$MALFORMED/symbolic/lib
	readelf -dW "$dir/libfs-sym.so" | grep -qE '\(FLAGS\) +SYMBOLIC' ||
		{ diag "$dir/libfs-sym.so has no DF_SYMBOLIC"; return 1; }
	run "$LT" "$FSB/fs-symbolic" && expect_rc 0 && expect_out "sym_call() = 2" &&
		run LD_LIBRARY_PATH="$dir" "$LT" "$FSB/fs-symbolic" && expect_rc 0 &&
		expect_out "sym_call() = 1" &&
		run LD_LIBRARY_PATH="$dir" "$FSB/fs-symbolic-lt" && expect_rc 0 &&
		expect_out "sym_call() = 1"
}

run_suite malformed
