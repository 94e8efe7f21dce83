#!/bin/bash
# rtld/glibc/cpu.c against glibc's own loader on this machine: struct
# cpu_features byte for byte, _dl_hwcap, _dl_hwcap2, _dl_platform, and the
# ISA level of the glibc-hwcaps search; and each CPUID leaf run once.
# ld-teach's side is build/tests/glibc/cpu-dump (tests/glibc/); glibc's is
# read with gdb from a program stopped at main under the real ld.so.
# Then the same under CPUs that qemu-x86_64 emulates (its CPUID is the
# model's): build/tests/glibc/cpu-seen, a glibc program printing what its
# loader told glibc, run by glibc's loader and by ld-teach in both start
# modes, and cpu-dump's ISA level against glibc's.
source "$(dirname "$0")/../lib.sh"

LAYOUT=$TOP/build/glibc/layout.h
DUMP=$TOP/build/tests/glibc/cpu-dump
SEEN=$TOP/build/tests/glibc/cpu-seen
LDSO=/lib64/ld-linux-x86-64.so.2

why_not=""
[ -f "$LAYOUT" ] || why_not="no build/glibc/layout.h (libc6-dbg is not installed)"
command -v gdb >/dev/null || why_not="gdb is not installed"

runnable() {
	[ -z "$why_not" ] || skip "$why_not"
}

# CPUID leaf 1 names the CPU it ran on (EBX bits 24-31, the APIC id): both
# sides run on the first CPU this suite may use.
CPU=$(taskset -pc $$ | sed 's/.*: *//; s/[-,].*//')

# ld-teach's answers in $out, or a skip when they cannot be compared.
ours() {
	runnable
	run taskset -c "$CPU" "$DUMP" && expect_rc 0
}

# Sets $real_hex (the struct's bytes) and $real_values (gdb's other answers).
glibc_values() {
	printf 'int main(void) { return 0; }\n' >"$TMP/prog.c"
	gcc -o "$TMP/prog" "$TMP/prog.c" || return 1
	run taskset -c "$CPU" gdb -batch -nx -ex 'break main' -ex run \
		-ex 'set $cf = (char *) &_rtld_global_ro._dl_x86_cpu_features' \
		-ex 'set $end = $cf + sizeof(_rtld_global_ro._dl_x86_cpu_features)' \
		-ex "dump binary memory $TMP/real.bin \$cf \$end" \
		-ex 'printf "hwcap %#lx\n", _rtld_global_ro._dl_hwcap' \
		-ex 'printf "hwcap2 %#lx\n", _rtld_global_ro._dl_hwcap2' \
		-ex 'printf "platform %s\n", _rtld_global_ro._dl_platform' \
		"$TMP/prog"
	expect_rc 0 && [ -s "$TMP/real.bin" ] || { diag "gdb dumped no cpu_features"; return 1; }
	real_hex=$(od -An -tx1 -v "$TMP/real.bin" | tr -d ' \n')
	real_values=$(grep -E '^(hwcap|hwcap2|platform) ' <<<"$out")
}

# The member of struct cpu_features at byte OFFSET, by layout.h.
field_at() {
	local offset=$1 name off size
	while read -r name off size; do
		if [ "$offset" -ge "$off" ] && [ "$offset" -lt $((off + size)) ]; then
			if [ "$name" = features ]; then
				echo "features[$(((offset - off) / 32))] byte $(((offset - off) % 32))"
			else
				echo "$name"
			fi
			return
		fi
	done < <(sed -n 's/^#define GLIBC_OFF_cpu_features__\([a-z0-9_]*\) \([0-9]*\)$/\1 \2/p' "$LAYOUT" |
		while read -r name off; do
			echo "$name $off $(sed -n "s/^#define GLIBC_SIZEOF_cpu_features__$name \([0-9]*\)$/\1/p" "$LAYOUT")"
		done)
}

# same_features OURS REAL: the two cpu_features in hex are the same, or
# what differs is shown (at most 20 bytes).
same_features() {
	local our_hex=$1 real_hex=$2 i differ=0
	[ "$our_hex" = "$real_hex" ] && return 0
	[ "${#our_hex}" = "${#real_hex}" ] || { diag "sizes differ: ${#our_hex} and ${#real_hex} hex digits"; return 1; }
	for ((i = 0; i < ${#our_hex} / 2; i++)); do
		[ "${our_hex:2*i:2}" = "${real_hex:2*i:2}" ] && continue
		diag "byte $i ($(field_at $i)): ld-teach 0x${our_hex:2*i:2}, glibc 0x${real_hex:2*i:2}"
		differ=$((differ + 1))
		[ $differ -lt 20 ] || break
	done
	return 1
}

test_cpu_features_equal_glibcs_byte_for_byte() {
	ours || return 1
	local our_hex
	our_hex=$(sed -n 's/^cpu_features //p' <<<"$out")
	glibc_values || return 1
	same_features "$our_hex" "$real_hex"
}

test_hwcap_hwcap2_and_platform_equal_glibcs() {
	ours || return 1
	local our_values
	our_values=$(grep -E '^(hwcap|hwcap2|platform) ' <<<"$out")
	glibc_values || return 1
	[ "$our_values" = "$real_values" ] && return 0
	diag "ld-teach: $(tr '\n' ' ' <<<"$our_values")" "glibc:    $(tr '\n' ' ' <<<"$real_values")"
	return 1
}

# same_isa_level [qemu-x86_64 -cpu CPU]: ld-teach's ISA level, in cpu-dump's
# $out, is the highest glibc-hwcaps subdirectory ld.so --help says it
# searches (0: none).
same_isa_level() {
	local ours_level glibc_level
	ours_level=$(sed -n 's/^isa_level //p' <<<"$out")
	run "$@" "$LDSO" --help && expect_rc 0 || return 1
	glibc_level=$(sed -n 's/^ *x86-64-v\([234]\) (supported.*/\1/p' <<<"$out" | sort -n | tail -1)
	[ "$ours_level" = "${glibc_level:-0}" ] && return 0
	diag "ld-teach's ISA level is $ours_level, glibc searches x86-64-v${glibc_level:-(none)}"
	return 1
}

test_isa_level_is_the_one_glibc_searches_for() {
	ours || return 1
	same_isa_level
}

# Each leaf and subleaf in cpu-dump's $out ran once.
each_leaf_once() {
	local repeated
	repeated=$(awk '$1 == "cpuid" && $4 != 1' <<<"$out")
	[ -z "$repeated" ] && return 0
	diag "run more than once (leaf subleaf times): $(tr '\n' ';' <<<"$repeated")"
	return 1
}

# Both users, glibc's cpu_features and the trampoline's xsave set-up, ask
# for what they need; each leaf and subleaf must run once.
test_each_cpuid_leaf_runs_once() {
	ours || return 1
	local leaves
	leaves=$(grep -c '^cpuid ' <<<"$out")
	each_leaf_once || return 1
	expect_contains out "cpuid 0 0 1" && expect_contains out "cpuid 0x1 0 1" &&
		expect_contains out "cpuid 0xd 0 1" || return 1
	[ "$leaves" -ge 8 ] || { diag "only $leaves leaves ran"; return 1; }
}

# --- under emulated CPUs ---

# qemu-x86_64 -cpu configurations, each taking branches of rtld/glibc/cpu.c
# that a machine's own CPU does not.  Family/model/stepping overrides reach
# the Intel model lists; -FEATURE takes one feature away; the leaf 2
# descriptors of Intel models are qemu's legacy ones, an AMD model's caches
# under vendor=GenuineIntel give others; legacy-cache=on gives an AMD model
# older cache leaves; level= and xlevel= take standard and extended leaves
# away.  Out of reach: what TCG cannot emulate and drops from CPUID
# (AVX-512, TSX, FMA4, XSAVEC, FSRM, leaf 0x80000007's bits), so of the
# TSX rules only those that make RTM_ALWAYS_ABORT usable show; and HTT,
# which qemu-x86_64's one thread per package never sets, so no sharing
# counts.
EMULATED_CPUS=(
	Conroe Penryn                        # Core 2: no listed model, no AVX
	Nehalem,family=15,model=6            # Intel, not family 6: no model rules
	Nehalem                              # a listed Core i7 model
	Nehalem,model=28                     # Atom: Slow_BSF
	Nehalem,model=77                     # Silvermont
	Denverton Snowridge                  # Goldmont (Silvermont's list), Tremont
	SandyBridge                          # AVX, unlisted: the later-Core default
	SandyBridge,-xsave                   # AVX without XSAVE: not usable
	Haswell                              # AVX2 and the rest: platform haswell
	Haswell,-avx2                        # no haswell platform, ISA level 2
	Haswell,-movbe                       # likewise, by another of the list
	Skylake-Client                       # model 0x5e: RTM_ALWAYS_ABORT
	Skylake-Client,model=142,stepping=12 # 0x8e up to stepping 0xc
	Skylake-Client,model=158,stepping=13 # 0x9e past it
	Skylake-Server Cascadelake-Server    # 0x55, stepping 4 and 6
	max,vendor=GenuineIntel              # every feature TCG has
	Skylake-Client,l3-cache=off          # no L3: L2 stands in
	EPYC,vendor=GenuineIntel             # leaf 2 descriptor 0xff: leaf 4 for L1I
	EPYC-Milan,vendor=GenuineIntel       # ... and for L3
	Skylake-Client,level=6               # no leaf 7 (qemu answers leaf 6 for it)
	Skylake-Client,level=3               # no leaves 4, 7, 0xb, 0xd
	Skylake-Client,level=1               # leaf 1 only: no leaf 2 either
	Skylake-Client,xlevel=0x80000001     # no extended cache leaves
	Opteron_G1 Opteron_G2 Opteron_G3     # AMD families 0xf and 0x10
	Opteron_G5                           # family 0x15
	Opteron_G5,model=96                  # Excavator
	EPYC EPYC-Rome EPYC-Milan            # Zen: the L3 of a core complex
	EPYC,legacy-cache=on                 # other associativity codes
	EPYC,l3-cache=off                    # no L3: L2 stands in
	EPYC,xlevel=0x80000006               # no leaf 0x80000008
	EPYC,xlevel=0x80000004               # no AMD cache leaves
	Dhyana                               # Hygon, taken for AMD
	max                                  # AMD family 6, every feature TCG has
	Haswell,vendor=CentaurHauls,model=15 # Zhaoxin family 6 without AVX
	Haswell,vendor=CentaurHauls,model=25
	"Haswell,vendor=  Shanghai  ,family=7,model=27" # family 7 without AVX
	"Haswell,vendor=  Shanghai  ,family=7,model=59" # ... with SSE4.2 fast
	Haswell,vendor=CentaurHauls,family=7,model=91   # ... with AVX
)
# Not here: an unknown vendor.  glibc's loader then records no leaf 1, and
# refuses libc.so.6, whose x86-64 ISA level marker is not met, so no glibc
# program runs to be compared (isa.sh checks that ld-teach refuses it too).

runnable_emulated() {
	runnable
	need_qemu
}

# same_seen CPU: cpu-seen's lines in $out and $real, or what differs.
same_seen() {
	[ "$out" == "$real" ] && return 0
	diag "under -cpu '$1':"
	same_features "$(sed -n 's/^cpu_features //p' <<<"$out")" "$(sed -n 's/^cpu_features //p' <<<"$real")"
	diff <(grep -v ^cpu_features <<<"$real") <(grep -v ^cpu_features <<<"$out") |
		sed -n 's/^</glibc:   /p; s/^>/ld-teach:/p' | while read -r line; do diag "$line"; done
	return 1
}

# same_as_glibc_under_emulated_cpus WAY: cpu-seen started by glibc's loader
# and by ld-teach (WAY CPU runs it) prints the same under each CPU.
same_as_glibc_under_emulated_cpus() {
	runnable_emulated
	local i cpu real failed=0
	for i in "${!EMULATED_CPUS[@]}"; do
		cpu=${EMULATED_CPUS[i]}
		glibc_seen "$i" || { diag "under -cpu '$cpu'"; return 1; }
		"$1" "$cpu" && expect_rc 0 && same_seen "$cpu" || failed=1
	done
	return $failed
}

# glibc_seen I: $real, cpu-seen's lines when glibc's loader runs it under
# EMULATED_CPUS[I]; kept for the other start mode's test.
glibc_seen() {
	local kept=$TMP/glibc-seen.$1
	if [ ! -e "$kept" ]; then
		run "$QEMU" -cpu "${EMULATED_CPUS[$1]}" "$LDSO" "$SEEN" && expect_rc 0 || return 1
		printf '%s' "$out" >"$kept"
	fi
	real=$(cat "$kept")
}

in_command_mode() {
	run "$QEMU" -cpu "$1" "$LT" "$SEEN"
}

started_by_the_kernel() {
	run "$QEMU" -cpu "$1" "$SEEN-lt"
}

test_emulated_cpus_what_glibc_is_told_command_mode() {
	same_as_glibc_under_emulated_cpus in_command_mode
}

test_emulated_cpus_what_glibc_is_told_pt_interp() {
	same_as_glibc_under_emulated_cpus started_by_the_kernel
}

# Every model number of Intel's family 6 up to 0xbf, on a CPU without AVX
# (Nehalem's) and on one with it (Haswell's): the model lists of glibc's
# tuning (Atom; Silvermont, Goldmont and their kin; Tremont; the Core i7
# generations; the TSX rules) as glibc applies them, in command mode (the
# CPU code is the same in both).
test_every_intel_family_6_model_is_tuned_as_glibc_tunes_it() {
	runnable_emulated
	local base model cpu failed=0
	for base in Nehalem Haswell; do
		for model in $(seq 0 191); do
			cpu=$base,model=$model
			run "$QEMU" -cpu "$cpu" "$LDSO" "$SEEN" && expect_rc 0 || return 1
			real=$out
			in_command_mode "$cpu" && expect_rc 0 && same_seen "$cpu" || failed=1
		done
	done
	return $failed
}

test_emulated_cpus_isa_level_and_each_cpuid_leaf_once() {
	runnable_emulated
	local cpu failed=0
	for cpu in "${EMULATED_CPUS[@]}"; do
		run "$QEMU" -cpu "$cpu" "$DUMP" && expect_rc 0 && each_leaf_once &&
			same_isa_level "$QEMU" -cpu "$cpu" || { diag "under -cpu '$cpu'"; failed=1; }
	done
	return $failed
}

# Without layout.h the core's cpu.c is compiled all the same, to nothing.
if [ -n "$why_not" ] && ! declare -F skip >/dev/null; then
	# This lib.sh cannot count a skip: the comparisons are left undefined.
	echo "# glibc-cpu: comparisons with glibc not run: $why_not"
	unset -f test_cpu_features_equal_glibcs_byte_for_byte test_hwcap_hwcap2_and_platform_equal_glibcs \
		test_isa_level_is_the_one_glibc_searches_for test_each_cpuid_leaf_runs_once \
		test_emulated_cpus_what_glibc_is_told_command_mode test_emulated_cpus_what_glibc_is_told_pt_interp \
		test_emulated_cpus_isa_level_and_each_cpuid_leaf_once \
		test_every_intel_family_6_model_is_tuned_as_glibc_tunes_it
fi

run_suite glibc-cpu
