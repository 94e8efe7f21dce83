#!/bin/bash
# Malformed ELF files, made from the valid test programs and libraries by
# build/tools/elfmangle (rules in tests/tools/tools.mk), given to ld-teach
# as the program (in command mode, or started by the kernel for the -lt
# programs, whose PT_INTERP is ld-teach.so) and as a library the program
# needs.  Each one must be refused cleanly: exit status 127, one line on
# stderr that starts with "ld-teach.so: ", names the file and says what is
# wrong, and never a signal.  A few (the "lenient" kind) are corrupt only where lookups may
# never look: refused cleanly if a lookup meets the corruption, else run
# correctly.  Then two valid but unusual edits that must keep working.
# Random mutations are the fuzz suite's (tests/integration/fuzz.sh).
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
	interp-vaddr) echo "PT_INTERP lies outside the loaded segments" ;;
	phdr-vaddr) echo "PT_PHDR does not describe the program headers" ;;
	phoff-unmapped) echo "the program headers the kernel gave .* are not the file's" ;;
	entry-noncanonical) echo "entry point 0x800000000000 lies in none of its executable segments" ;;
	entry-not-code) echo "entry point 0x[0-9a-f]+ lies in none of its executable segments" ;;
	entry-in-plt) echo "the PLT trampoline was entered for 0x[0-9a-f]+, which is no loaded object" ;;
	plt-index) echo "PLT stub passed relocation index ([0-9]+) of \\1" ;;
	local-undefined) echo "symbol [0-9]+ is local but undefined" ;;
	symbol-outside) echo "symbol \`[a-z_]+' lies outside the object's segments" ;;
	tls-symbol-not-tls) echo "TLS relocation against \`[a-z_]+' of .+, which is not a TLS symbol" ;;
	tls-addend-outside) echo "TLS relocation at 0x[0-9a-f]+ \(addend [0-9]+\) reaches outside .+'s TLS block of 0x[0-9a-f]+ bytes" ;;
	tls-symbol-outside | tls-symbol-abs-outside) echo "TLS symbol \`[a-z_]+' \(offset 0x[0-9a-f]+, [0-9]+ bytes\) lies outside the object's TLS block of 0x[0-9a-f]+ bytes" ;;
	newline-in-name) echo 'VER\\x0a3|lib\\x0as-a\.so' ;;
	got-clobbered | got2-clobbered) echo "a relocation overwrites GOT\[1\] or GOT\[2\]" ;;
	jump-slot-addend | glob-dat-addend) echo "(JUMP_SLOT|GLOB_DAT) relocation at offset 0x[0-9a-f]+ has an addend" ;;
	jump-slot-to-data) echo "PLT slot [0-9]+ is bound to 0x[0-9a-f]+, which is no object's code" ;;
	phoff-misaligned) echo "program headers are misaligned" ;;
	symtab-misaligned) echo "the symbol table is misaligned" ;;
	unreadable-*) echo "the PT_LOAD at 0x[0-9a-f]+, which holds .+, is not readable" ;;
	readonly-dynamic) echo "the PT_LOAD at 0x[0-9a-f]+, which holds DT_DEBUG, is not writable" ;;
	strtab-outside | strsz-huge) echo "string table" ;;
	symtab-missing) echo "symbol table|SYMTAB" ;;
	symbol-name) echo "symbol name|name outside the string table" ;;
	reloc-symbol) echo "refers to symbol" ;;
	reloc-offset | reloc-straddle | got-straddle) echo "writes outside" ;;
	reloc-type) echo "relocation type 250" ;;
	pltrelsz-missing) echo "PLTRELSZ|JMPREL" ;;
	pltgot-readonly) echo "PLTGOT" ;;
	needed-offset) echo "string offset" ;;
	gnu-bucket | gnu-bloom | gnu-chain) echo "DT_GNU_HASH" ;;
	sysv-bucket | sysv-chain | sysv-chain-pair) echo "DT_HASH" ;;
	versym) echo "version" ;;
	init-arraysz | preinit-arraysz) echo "initializer or finalizer array" ;;
	init-array-outside) echo "initializer or finalizer at 0x[0-9a-f]+ is not in an executable segment" ;;
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
# its programs, in command mode (the -lt ones started by the kernel); its
# libraries (in lib/ or a directory below), under both a command-mode and a
# PT_INTERP-mode program.
try_mutation() {
	local check=$1 m=$2 reason file prog n=0 failed=0
	reason=$(reason_of "$m")
	for file in "$MALFORMED/$m"/prog/*; do
		[ -e "$file" ] || continue
		n=$((n + 1))
		if [[ $file == *-lt ]]; then
			run LD_LIBRARY_PATH="$VALID_LIBS" "$file" a b
		else
			run LD_LIBRARY_PATH="$VALID_LIBS" "$LT" "$file" a b
		fi
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

# Under the symbol index (the checked build indexes every scope), the
# lean GOT path leaves a definition outside its object's segments to the
# general one, which refuses it, as without the index.
test_symbol_outside_is_refused_through_the_index() {
	local file=$MALFORMED/symbol-outside/lib/libfs-d.so
	run LD_DEBUG=statistics LD_LIBRARY_PATH="$VALID_LIBS" "$TOP/build/checked/ld-teach.so" "$FSB/fs-main" a b
	expect_contains err "global symbol index: " && expect_not_contains err "index: not built" || return 1
	run LD_LIBRARY_PATH="${file%/*}" "$TOP/build/checked/ld-teach.so" "$FSB/fs-main" a b
	expect_refusal "$file" "$(reason_of symbol-outside)"
}

# --verify says whether ld-teach can load a program: one it would refuse is
# not loadable (exit status 1), whatever the cause.
test_verify_refuses_unreadable_segments() {
	local file failed=0
	for file in "$MALFORMED"/unreadable-*/prog/* "$MALFORMED"/readonly-dynamic/prog/*; do
		run LD_LIBRARY_PATH="$VALID_LIBS" "$LT" --verify "$file"
		expect_rc 1 || { diag "^ --verify $file"; failed=1; }
	done
	return "$failed"
}

# A PLT slot inside PT_GNU_RELRO is read-only by the time of its first
# call: its object is bound at load instead, not lazily.  (The moved slot
# then damages the program, which is its own business.)
test_jump_slot_in_relro_binds_at_load() {
	local prog=$MALFORMED/jump-slot-in-relro/prog/fs-main
	run LD_DEBUG=reloc LD_LIBRARY_PATH="$VALID_LIBS" "$LT" "$prog" a b
	expect_contains err "relocation processing: $prog" &&
		expect_not_contains err "relocation processing: $prog (lazy)"
}

# An IFUNC resolver run while a PLT slot is bound, calling through the PLT
# itself, binds another slot inside the first binding: no deadlock on the
# bind lock.  (Then the "resolver", a plain function, returns 100: no code.)
test_binding_inside_a_binding_does_not_hang() {
	TIMEOUT=20 run LD_LIBRARY_PATH="$MALFORMED/ifunc-calls-plt/lib" "$LT" "$FSB/fs-main" a b
	expect_rc 127 && expect_contains err "PLT slot" &&
		expect_contains err "is bound to 0x64, which is no object's code"
}

# While an audit module watches bindings, GOT[2] holds the audit trampoline
# instead: a relocation that overwrites it is refused all the same.  (The
# module writes lines of its own; audit.sh runs valid programs so.)
test_got_clobbered_under_an_audit_module() {
	local m lib
	for m in got-clobbered got2-clobbered; do
		lib=$MALFORMED/$m/lib/libfs-a.so
		run LD_AUDIT="$BIN/musl/lib/auditbind.so" LD_LIBRARY_PATH="${lib%/*}" "$LT" "$FSB/fs-main" a b &&
			expect_rc 127 && expect_contains err "ld-teach.so: $lib: a relocation overwrites GOT[1] or GOT[2], which lazy binding needs" ||
			{ diag "$m"; return 1; }
	done
}

# A program's constructor outside its code (elfmangle init-array-outside),
# in both modes: ld-teach runs a musl program's and checks it first;
# glibc's __libc_start_main runs the program's itself, from the link map,
# and ld-teach checks them before handing over (found by elffuzz: the libc
# jumped into ld-teach's text).
ftest_refuses_a_constructor_outside_the_code() {
	local p
	for p in hello hello-lt; do
		"$ELFMANGLE" init-array-outside "$FB/$p" "$TMP/$p" >/dev/null || return 1
	done
	run "$LT" "$TMP/hello" && expect_refusal "$TMP/hello" "$(reason_of init-array-outside)" &&
		run "$TMP/hello-lt" && expect_refusal "$TMP/hello-lt" "$(reason_of init-array-outside)"
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
# program's (2), and still finds sym_outside (30), which only the program has.
test_df_symbolic_binds_the_library_first() {
	local dir=$MALFORMED/symbolic/lib
	readelf -dW "$dir/libfs-sym.so" | grep -qE '\(FLAGS\) +SYMBOLIC' ||
		{ diag "$dir/libfs-sym.so has no DF_SYMBOLIC"; return 1; }
	run "$LT" "$FSB/fs-symbolic" && expect_rc 0 && expect_out "sym_call() = 32" &&
		run LD_LIBRARY_PATH="$dir" "$LT" "$FSB/fs-symbolic" && expect_rc 0 &&
		expect_out "sym_call() = 31" &&
		run LD_LIBRARY_PATH="$dir" "$FSB/fs-symbolic-lt" && expect_rc 0 &&
		expect_out "sym_call() = 31"
}

# A PT_LOAD aligned at 2 GiB: a fixed-address program keeps its addresses
# (the alignment is moot there; ld-teach once "aligned" the kernel's or its
# own fixed mapping and crashed), a position-independent one is placed on
# such a boundary; each runs, in both modes.
test_huge_alignment_runs() {
	local dir=$MALFORMED/align-huge/prog p
	for p in fs-main fs-main-nopie; do
		run LD_LIBRARY_PATH="$VALID_LIBS" "$LT" "$dir/$p" a b && expect_rc 0 && expect_out "$EXPECTED" &&
			run LD_LIBRARY_PATH="$VALID_LIBS" "$dir/$p-lt" a b && expect_rc 0 &&
			expect_out "$EXPECTED" || { diag "$p"; return 1; }
	done
}

run_suite malformed
