#!/bin/bash
# x86-64 ISA levels an object says it needs (GNU_PROPERTY_X86_ISA_1_NEEDED,
# set by the linker's -z x86-64-vN): glibc's loader refuses the program, a
# library it needs, or one dlopen brings, when the CPU lacks the level;
# ld-teach must agree with it for glibc programs, in both start modes, on
# this machine and under CPUs qemu-x86_64 emulates (TCG has no AVX-512, so
# no emulated CPU is x86-64-v4; a Nehalem is x86-64-v2).  musl's loader
# makes no such check, and ld-teach follows it for musl programs.
source "$(dirname "$0")/../lib.sh"

LDSO=/lib64/ld-linux-x86-64.so.2
MUSL_LDSO=/lib/ld-musl-x86_64.so.1
WHY="CPU ISA level is lower than required"
V2_CPU=Nehalem
UNKNOWN_VENDOR=max,vendor=UnknownVendr  # glibc then records no CPUID leaf 1

# Build once, in $TMP: libraries marked v2 and v4, programs needing them
# (found by an absolute RUNPATH, so both loaders name them alike), a
# program marked v4 itself, with and without a v4 library, and a program
# that dlopens its argument; each also as NAME-lt, whose PT_INTERP is
# ld-teach.so.  CC is the flavour's compiler.
build() {
	local cc=$1 dir=$2
	[ -e "$dir/done" ] && return 0
	mkdir -p "$dir" || return 1
	cat >"$dir/lib.c" <<'EOF'
int answer(void) { return 42; }
EOF
	cat >"$dir/uses.c" <<'EOF'
#include <stdio.h>
int answer(void);
int main(void) { printf("answer %d\n", answer()); return 0; }
EOF
	cat >"$dir/opens.c" <<'EOF'
#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv)
{
	void *h = dlopen(argv[1], RTLD_NOW);
	int (*answer)(void) = h ? (int (*)(void))dlsym(h, "answer") : 0;
	if (answer)
		printf("answer %d\n", answer());
	else
		printf("dlopen: %s\n", dlerror());
	return !answer;
}
EOF
	local v lt
	for v in 2 4; do
		"$cc" -shared -fPIC -Wl,-z,x86-64-v$v -o "$dir/libv$v.so" "$dir/lib.c" || return 1
		for lt in "" -lt; do
			"$cc" -o "$dir/uses-v$v$lt" "$dir/uses.c" -L"$dir" -lv$v -Wl,-rpath,"$dir" \
				${lt:+-Wl,--dynamic-linker="$LT"} || return 1
		done
	done
	for lt in "" -lt; do
		"$cc" -Wl,-z,x86-64-v4 -o "$dir/self-v4$lt" "$dir/uses.c" "$dir/lib.c" \
			${lt:+-Wl,--dynamic-linker="$LT"} &&
			"$cc" -Wl,-z,x86-64-v4 -o "$dir/both-v4$lt" "$dir/uses.c" -L"$dir" -lv4 \
				-Wl,-rpath,"$dir" ${lt:+-Wl,--dynamic-linker="$LT"} &&
			"$cc" -o "$dir/opens$lt" "$dir/opens.c" -ldl ${lt:+-Wl,--dynamic-linker="$LT"} ||
			return 1
	done
	# The ISA level after another property (the x86 features, forced on):
	# the walk must step over the first.
	"$cc" -shared -fPIC -Wl,-z,ibt,-z,shstk,-z,x86-64-v4 -o "$dir/libv4cet.so" "$dir/lib.c" ||
		return 1
	readelf -n "$dir/libv4.so" | grep -q "x86 ISA needed: x86-64-v4" ||
		{ diag "the linker wrote no x86 ISA level into libv4.so"; return 1; }
	readelf -n "$dir/libv4cet.so" | grep -A1 "x86 feature: IBT, SHSTK" | grep -q "x86 ISA needed: x86-64-v4" ||
		{ diag "the linker wrote no x86 features before the ISA level into libv4cet.so"; return 1; }
	touch "$dir/done"
}

glibc_built() {
	need_glibc
	D=$TMP/glibc
	build gcc "$D"
}

# same_verdict SYSTEM_LOADER PROG ARGS...: under $EMU (empty: natively),
# PROG started by the system loader in command mode and by ld-teach in
# command mode, then PROG and PROG-lt started by the kernel: the same
# stdout and exit status; when the system loader refuses, with one line
# "OBJECT: REASON", ld-teach's line is "ld-teach.so: OBJECT: REASON" for
# the program, "ld-teach.so: PROGRAM: OBJECT: REASON" for a library it needs.
# Sets $refused to the last refusal's line from glibc (or "").
same_verdict() {
	local sys=$1 prog=$2
	shift 2
	run $EMU "$sys" "$prog" "$@" && remember && run $EMU "$LT" "$prog" "$@" &&
		same_or_refused_alike "$prog" "$prog" || { diag "command mode"; return 1; }
	run $EMU "$prog" "$@" && remember && run $EMU "$prog-lt" "$@" &&
		same_or_refused_alike "$prog" "$prog-lt" || { diag "started by the kernel"; return 1; }
}

# The system loader's run is remembered (and its stderr in $sys_err);
# ld-teach's is the last.  PROG: as the system loader names the program;
# OURS: as ld-teach does.
same_or_refused_alike() {
	local prog=$1 ours=$2 object
	expect_same || return 1
	refused=""
	[ "$ref_rc" = 127 ] || return 0
	refused=$sys_err
	object=${sys_err%: $WHY}
	[ "$object" != "$sys_err" ] || { diag "the system loader refused otherwise: $sys_err"; return 1; }
	if [ "$object" = "$prog" ]; then
		expect_err_line "ld-teach.so: $ours: $WHY"
	else
		expect_err_line "ld-teach.so: $ours: $object: $WHY"
	fi
}

# run, keeping stderr for same_or_refused_alike (remember keeps stdout and status).
remember() {
	ref_out=$out ref_rc=$rc sys_err=$err
}

# The glibc-built programs, on the emulated v2 CPU.
on_v2_cpu() {
	need_qemu
	glibc_built || return 1
	EMU="$QEMU -cpu $V2_CPU"
}

# refused_naming PROG OBJECT: both loaders refuse PROG, and glibc's names OBJECT.
refused_naming() {
	same_verdict "$LDSO" "$1" && [[ $refused == "$2: $WHY" ]] && return 0
	diag "glibc's loader did not refuse $1 naming $2: ${refused:-it ran}"
	return 1
}

test_natively_a_library_a_program_and_dlopen_as_glibc() {
	glibc_built || return 1
	EMU=""
	same_verdict "$LDSO" "$D/uses-v4" && same_verdict "$LDSO" "$D/self-v4" &&
		same_verdict "$LDSO" "$D/uses-v2" && same_verdict "$LDSO" "$D/opens" "$D/libv4.so"
}

test_emulated_v2_cpu_refuses_a_v4_library() {
	on_v2_cpu || return 1
	refused_naming "$D/uses-v4" "$D/libv4.so"
}

test_emulated_v2_cpu_refuses_a_v4_program() {
	on_v2_cpu || return 1
	refused_naming "$D/self-v4" "$D/self-v4"
}

# Libraries are checked before the program, as their constructors run first.
test_emulated_v2_cpu_names_the_library_before_the_program() {
	on_v2_cpu || return 1
	refused_naming "$D/both-v4" "$D/libv4.so"
}

test_emulated_v2_cpu_runs_what_needs_v2() {
	on_v2_cpu || return 1
	same_verdict "$LDSO" "$D/uses-v2" && expect_rc 0 && expect_out "answer 42" &&
		same_verdict "$LDSO" "$D/opens" "$D/libv2.so" && expect_rc 0
}

test_emulated_v2_cpu_dlopen_fails_with_glibcs_dlerror() {
	on_v2_cpu || return 1
	same_verdict "$LDSO" "$D/opens" "$D/libv4.so" && expect_rc 1 &&
		expect_out "dlopen: $D/libv4.so: $WHY"
}

# The same when the ISA level is the note's second property.
test_emulated_v2_cpu_finds_the_level_after_another_property() {
	on_v2_cpu || return 1
	same_verdict "$LDSO" "$D/opens" "$D/libv4cet.so" && expect_rc 1 &&
		expect_out "dlopen: $D/libv4cet.so: $WHY"
}

# An unknown vendor: glibc describes no ISA level at all, and refuses
# libc.so.6, which says it needs the baseline.
test_unknown_vendor_refuses_libc() {
	need_qemu
	glibc_built || return 1
	EMU="$QEMU -cpu $UNKNOWN_VENDOR"
	same_verdict "$LDSO" "$D/uses-v2" && [[ $refused == *"/libc.so.6: $WHY" ]] ||
		{ diag "glibc's loader did not refuse libc.so.6 under -cpu $UNKNOWN_VENDOR"; return 1; }
}

# ldd's list comes before the check: both loaders list what they would refuse.
test_emulated_v2_cpu_ldd_lists_what_it_would_refuse() {
	on_v2_cpu || return 1
	local loader
	for loader in "$LDSO" "$LT"; do
		run $EMU -E LD_TRACE_LOADED_OBJECTS=1 "$loader" "$D/uses-v4" && expect_rc 0 &&
			expect_contains out "libv4.so => $D/libv4.so (0x" || { diag "under $loader"; return 1; }
	done
}

# An audit module that needs v4 is ignored, with a warning, as glibc's
# loader ignores it (its dlmopen fails); the program runs.
test_emulated_v2_cpu_ignores_a_v4_audit_module() {
	need_qemu
	glibc_built || return 1
	local why
	printf 'unsigned la_version(unsigned v) { return v; }\n' >"$TMP/audit.c" &&
		gcc -shared -fPIC -Wl,-z,x86-64-v4 -o "$TMP/audit-v4.so" "$TMP/audit.c" -Wl,--no-as-needed -lc || return 1
	EMU="$QEMU -cpu $V2_CPU"
	LD_AUDIT=$TMP/audit-v4.so same_verdict "$LDSO" "$D/uses-v2" && expect_rc 0 &&
		expect_out "answer 42" || return 1
	for why in "$sys_err" "$err"; do
		[[ $why == *"object '$TMP/audit-v4.so' cannot be loaded as audit interface: "*"$WHY; ignored." ]] ||
			{ diag "not the warning expected: $why"; return 1; }
	done
}

# A v4 library whose property note glibc's loader passes over, or finds
# malformed, runs on the v2 CPU under both loaders (elfmangle's edits).
test_emulated_v2_cpu_notes_glibc_ignores() {
	need_qemu
	glibc_built || return 1
	local m
	EMU="$QEMU -cpu $V2_CPU"
	for m in property-align-4 property-descsz-12 property-datasz-8; do
		mkdir -p "$TMP/$m" && "$TOP/build/tools/elfmangle" "$m" "$D/libv4.so" "$TMP/$m/libv4.so" ||
			return 1
		LD_LIBRARY_PATH=$TMP/$m same_verdict "$LDSO" "$D/uses-v4" && expect_rc 0 &&
			expect_out "answer 42" || { diag "libv4.so edited by elfmangle $m"; return 1; }
	done
}

# musl's loader reads no ISA level: the program runs, under ld-teach too.
test_musl_programs_are_not_checked() {
	need_qemu
	command -v musl-gcc >/dev/null || skip "musl-gcc is not installed"
	[ -x "$MUSL_LDSO" ] || skip "musl's loader is not installed"
	D=$TMP/musl
	build musl-gcc "$D" || return 1
	EMU="$QEMU -cpu $V2_CPU"
	same_verdict "$MUSL_LDSO" "$D/uses-v4" && expect_rc 0 && expect_out "answer 42" &&
		same_verdict "$MUSL_LDSO" "$D/opens" "$D/libv4.so" && expect_rc 0
}

run_suite isa
