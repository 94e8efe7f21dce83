#!/bin/bash
# rtld/glibc/cpu.c against glibc's own loader on this machine: struct
# cpu_features byte for byte, _dl_hwcap, _dl_hwcap2, _dl_platform, and the
# ISA level of the glibc-hwcaps search; and each CPUID leaf run once.
# ld-teach's side is build/tests/glibc/cpu-dump (tests/glibc/); glibc's is
# read with gdb from a program stopped at main under the real ld.so.
source "$(dirname "$0")/../lib.sh"

LAYOUT=$TOP/build/glibc/layout.h
DUMP=$TOP/build/tests/glibc/cpu-dump
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

test_cpu_features_equal_glibcs_byte_for_byte() {
	ours || return 1
	local our_hex i differ=0
	our_hex=$(sed -n 's/^cpu_features //p' <<<"$out")
	glibc_values || return 1
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

test_hwcap_hwcap2_and_platform_equal_glibcs() {
	ours || return 1
	local our_values
	our_values=$(grep -E '^(hwcap|hwcap2|platform) ' <<<"$out")
	glibc_values || return 1
	[ "$our_values" = "$real_values" ] && return 0
	diag "ld-teach: $(tr '\n' ' ' <<<"$our_values")" "glibc:    $(tr '\n' ' ' <<<"$real_values")"
	return 1
}

# ld.so --help lists the glibc-hwcaps subdirectories it searches.
test_isa_level_is_the_one_glibc_searches_for() {
	ours || return 1
	local ours_level glibc_level
	ours_level=$(sed -n 's/^isa_level //p' <<<"$out")
	run "$LDSO" --help && expect_rc 0 || return 1
	glibc_level=$(sed -n 's/^ *x86-64-v\([234]\) (supported.*/\1/p' <<<"$out" | sort -n | tail -1)
	[ "$ours_level" = "${glibc_level:-0}" ] && return 0
	diag "ld-teach's ISA level is $ours_level, glibc searches x86-64-v${glibc_level:-(none)}"
	return 1
}

# Both users, glibc's cpu_features and the trampoline's xsave set-up, ask
# for what they need; each leaf and subleaf must run once.
test_each_cpuid_leaf_runs_once() {
	ours || return 1
	local leaves repeated
	leaves=$(grep -c '^cpuid ' <<<"$out")
	repeated=$(awk '$1 == "cpuid" && $4 != 1' <<<"$out")
	[ -z "$repeated" ] || { diag "run more than once (leaf subleaf times): $(tr '\n' ';' <<<"$repeated")"; return 1; }
	expect_contains out "cpuid 0 0 1" && expect_contains out "cpuid 0x1 0 1" &&
		expect_contains out "cpuid 0xd 0 1" || return 1
	[ "$leaves" -ge 8 ] || { diag "only $leaves leaves ran"; return 1; }
}

# Without layout.h the core's cpu.c is compiled all the same, to nothing.
if [ -n "$why_not" ] && ! declare -F skip >/dev/null; then
	# This lib.sh cannot count a skip: the comparisons are left undefined.
	echo "# glibc-cpu: comparisons with glibc not run: $why_not"
	unset -f test_cpu_features_equal_glibcs_byte_for_byte test_hwcap_hwcap2_and_platform_equal_glibcs \
		test_isa_level_is_the_one_glibc_searches_for test_each_cpuid_leaf_runs_once
fi

run_suite glibc-cpu
