#!/bin/bash
# build/glibc/layout.h and layout-check.h: glibc's loader layouts, generated
# by rtld/glibc/host/gen-layout.c from libc6-dbg's DWARF (doc/glibc-facts.md).
# Values are checked against what gdb reads from the same debug files and
# against the running libc, never against numbers written here.
source "$(dirname "$0")/../lib.sh"

GL=$TOP/build/glibc
LAYOUT=$GL/layout.h
GEN=$GL/gen-layout
LIBC=/lib/x86_64-linux-gnu/libc.so.6
LDSO=/lib64/ld-linux-x86-64.so.2

build_id() {
	readelf -n "$1" | sed -n 's/^ *Build ID: *//p'
}

debug_file() {
	local id
	id=$(build_id "$1")
	echo "/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug"
}

# The value of a macro in layout.h.
macro() {
	sed -n "s/^#define $1 \([^ ]*\).*/\1/p" "$LAYOUT"
}

expect_macro() {
	local name=$1 want=$2 have
	have=$(macro "$name")
	[ "$have" = "$want" ] && return 0
	diag "$name is '${have:-undefined}', expected '$want'"
	return 1
}

# Without libc6-dbg nothing is generated, and nothing here can be checked:
# these tests are defined only when what they check exists.
if [ -e "$(debug_file $LIBC)" ] && [ -e "$(debug_file $LDSO)" ]; then

test_headers_exist_when_libc6_dbg_is_installed() {
	local f
	for f in layout.h layout-check.h available; do
		[ -f "$GL/$f" ] || { diag "libc6-dbg is installed but $GL/$f does not exist"; return 1; }
	done
}

fi

if [ -f "$LAYOUT" ]; then

# The version banner is the one libc.so.6 prints when run, whole; the
# release is the one getconf names.
test_version_is_the_installed_libc_s() {
	local banner
	run "$LIBC" && expect_rc 0 && banner=$(head -1 <<<"$out") || return 1
	grep -qxF "#define GLIBC_VERSION_STRING \"$banner\"" "$LAYOUT" ||
		{ diag "layout.h: $(grep GLIBC_VERSION_STRING "$LAYOUT")" "libc.so.6 says: $banner"; return 1; }
	expect_macro GLIBC_RELEASE "\"$(getconf GNU_LIBC_VERSION | sed 's/^glibc //')\""
}

test_build_ids_are_those_of_the_installed_files() {
	local which file id bytes
	for which in LIBC:$LIBC LD:$LDSO; do
		file=${which#*:} which=${which%%:*}
		id=$(build_id "$file")
		bytes=$(sed 's/\(..\)/0x\1, /g; s/, $//' <<<"$id")
		expect_macro "GLIBC_${which}_BUILD_ID" "\"$id\"" || return 1
		[ "$(grep "^#define GLIBC_${which}_BUILD_ID_BYTES " "$LAYOUT")" = \
			"#define GLIBC_${which}_BUILD_ID_BYTES { $bytes }" ] ||
			{ diag "GLIBC_${which}_BUILD_ID_BYTES is not $id"; return 1; }
		expect_macro "GLIBC_${which}_BUILD_ID_LEN" $((${#id} / 2)) || return 1
	done
}

# Each line: a macro, then the gdb expression that must have its value.
GDB_CHECKS=$(
	cat <<'EOF'
GLIBC_SIZEOF_rtld_global sizeof(struct rtld_global)
GLIBC_SIZEOF_rtld_global_ro sizeof(struct rtld_global_ro)
GLIBC_SIZEOF_link_map sizeof(struct link_map)
GLIBC_SIZEOF_pthread sizeof(struct pthread)
GLIBC_ALIGNOF_pthread _Alignof(struct pthread)
GLIBC_SIZEOF_tcbhead_t sizeof(tcbhead_t)
GLIBC_OFF_rtld_global___dl_stack_used (long)&((struct rtld_global*)0)->_dl_stack_used
GLIBC_OFF_rtld_global___dl_tls_generation (long)&((struct rtld_global*)0)->_dl_tls_generation
GLIBC_OFF_pthread_mutex____kind (long)&((struct rtld_global*)0)->_dl_load_lock.mutex.__data.__kind - (long)&((struct rtld_global*)0)->_dl_load_lock
GLIBC_OFF_rtld_global_ro___dl_x86_cpu_features__non_temporal_threshold (long)&((struct rtld_global_ro*)0)->_dl_x86_cpu_features.non_temporal_threshold
GLIBC_OFF_rtld_global_ro___dl_find_object (long)&((struct rtld_global_ro*)0)->_dl_find_object
GLIBC_OFF_pthread__rseq_area__cpu_id (long)&((struct pthread*)0)->rseq_area.cpu_id
GLIBC_OFF_pthread__header__stack_guard (long)&((struct pthread*)0)->header.stack_guard
GLIBC_OFF_link_map__l_tls_modid (long)&((struct link_map*)0)->l_tls_modid
GLIBC_OFF_link_map__l_map_start (long)&((struct link_map*)0)->l_map_start
GLIBC_LEN_link_map__l_info sizeof(((struct link_map*)0)->l_info) / sizeof(((struct link_map*)0)->l_info[0])
GLIBC_ENUM_lt_loaded lt_loaded
EOF
)

gdb_values() {
	local args=() macro expr
	while read -r macro expr; do
		args+=(-ex "p/d $expr")
	done <<<"$GDB_CHECKS"
	run gdb -batch -nx "${args[@]}" "$(debug_file $LDSO)"
}

test_offsets_agree_with_gdb() {
	local macro expr value i=0 failed=0
	local -a values
	gdb_values && expect_rc 0 || return 1
	mapfile -t values < <(sed -n 's/^\$[0-9]* = //p' <<<"$out")
	while read -r macro expr; do
		value=${values[i]:-no value from gdb}
		i=$((i + 1))
		expect_macro "$macro" "$value" || { diag "  (gdb: $expr)"; failed=1; }
	done <<<"$GDB_CHECKS"
	return $failed
}

# gdb gives a bit-field's place as "byte: bit" in ptype /o.
test_bitfields_agree_with_gdb() {
	local field byte bit failed=0
	run gdb -batch -nx -ex 'ptype /o struct link_map' "$(debug_file $LDSO)" && expect_rc 0 || return 1
	for field in l_type l_relocated l_init_called l_contiguous l_ld_readonly l_find_object_processed \
		l_property; do
		read -r byte bit < <(sed -n "s|^/\* *\([0-9]*\): *\([0-9]*\) .* $field : [0-9]*;\$|\1 \2|p" <<<"$out")
		[ -n "$byte" ] || { diag "gdb shows no bit-field $field"; failed=1; continue; }
		expect_macro "GLIBC_BITOFF_link_map__$field" $((byte * 8 + bit)) || failed=1
	done
	return $failed
}

test_headers_compile_freestanding_with_each_macro_once() {
	local dups
	dups=$(cat "$LAYOUT" "$GL/layout-check.h" | awk '/^#define/ {print $2}' | sort | uniq -d)
	[ -z "$dups" ] || { diag "defined more than once: $dups"; return 1; }
	printf '#include "layout.h"\n#include "layout-check.h"\nint f(void) { return GLIBC_SIZEOF_pthread; }\n' \
		>"$TMP/use.c"
	run gcc -std=gnu11 -ffreestanding -nostdlib -Wall -Wextra -Werror -I"$GL" -c "$TMP/use.c" -o "$TMP/use.o" &&
		expect_rc 0
}

# layout-check.h against the _thread_db_* descriptors of the libc this very
# test program runs with.
test_layout_check_agrees_with_the_running_libc() {
	cat >"$TMP/check.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include "layout-check.h"
static const unsigned int *lookup(const char *symbol, void *ctx)
{
	(void)ctx;
	return dlsym(RTLD_DEFAULT, symbol);
}
int main(void)
{
	const char *bad = glibc_thread_db_mismatch(lookup, 0);
	puts(bad ? bad : "ok");
	return bad != 0;
}
EOF
	run gcc -std=gnu11 -Wall -Wextra -Werror -I"$GL" "$TMP/check.c" -o "$TMP/check" && expect_rc 0 &&
		run "$TMP/check" && expect_rc 0 && expect_out ok
}

# ld.so's intel_02_known (Intel's CPUID leaf-2 cache descriptors) as gdb
# reads it: the struct from the debug file, the bytes from ld.so's own
# .rodata.  $gdb_count entries; $gdb_entries, one a line:
# "byte assoc linesize rel_name size".
gdb_intel_02_known() {
	run gdb -batch -nx -ex 'set print elements unlimited' -ex 'set print repeats unlimited' \
		-ex 'p/u sizeof(intel_02_known) / sizeof(intel_02_known[0])' -ex 'p/u intel_02_known' "$LDSO" &&
		expect_rc 0 || return 1
	gdb_count=$(sed -n 's/^\$1 = //p' <<<"$out")
	gdb_entries=$(sed -n 's/^\$2 = //p' <<<"$out" | grep -o '{[^{}]*}' |
		sed -n 's/^{idx = \([0-9]*\), assoc = \([0-9]*\), linesize = \([0-9]*\), rel_name = \([0-9]*\), size = \([0-9]*\)}$/\1 \2 \3 \4 \5/p')
	[ "${gdb_count:-0}" -gt 0 ] && [ "$(grep -c . <<<"$gdb_entries")" = "$gdb_count" ] && return 0
	diag "gdb printed ${gdb_count:-no} entries, $(grep -c . <<<"$gdb_entries") of them as {idx, assoc, linesize, rel_name, size}"
	show_run
	return 1
}

test_intel_cache_descriptors_are_ld_so_s_as_gdb_reads_them() {
	gdb_intel_02_known || return 1
	cat >"$TMP/intel02.c" <<'EOF'
#include <stdio.h>
#include "layout.h"
#define PRINT(byte, assoc, linesize, rel_name, size) \
	printf("%lld %lld %lld %lld %lld\n", (long long)(byte), (long long)(assoc), (long long)(linesize), \
	       (long long)(rel_name), (long long)(size));
int main(void)
{
	GLIBC_INTEL_02_KNOWN(PRINT)
	return 0;
}
EOF
	run gcc -std=gnu11 -Wall -Wextra -Werror -I"$GL" "$TMP/intel02.c" -o "$TMP/intel02" && expect_rc 0 &&
		run "$TMP/intel02" && expect_rc 0 && expect_out "$gdb_entries"
}

# Each tunable's name, type code, bounds and security level, as gdb reads ld.so's
# tunable_list and as layout.h's GLIBC_TUNABLE_LIST has them.
test_tunable_types_and_bounds_are_ld_so_s_as_gdb_reads_them() {
	local n i commands=()
	run gdb -batch -nx -ex 'p/u sizeof(tunable_list) / sizeof(tunable_list[0])' "$LDSO" && expect_rc 0 &&
		n=$(sed -n 's/^\$1 = //p' <<<"$out") && [ "${n:-0}" -gt 0 ] || { diag "gdb gave no count"; return 1; }
	for ((i = 0; i < n; i++)); do
		commands+=(-ex "printf \"%s %d %ld %ld %d\\n\", tunable_list[$i].name, tunable_list[$i].type.type_code, tunable_list[$i].type.min, tunable_list[$i].type.max, tunable_list[$i].security_level")
	done
	run gdb -batch -nx "${commands[@]}" "$LDSO" && expect_rc 0 || return 1
	local theirs=$out
	cat >"$TMP/tunables.c" <<'EOF'
#include <stdio.h>
#include "layout.h"
#define PRINT(id, name, type, min, max, security) \
	printf("%s %d %lld %lld %d\n", name, (int)(type), min, max, (int)(security));
int main(void)
{
	GLIBC_TUNABLE_LIST(PRINT)
	return 0;
}
EOF
	run gcc -std=gnu11 -Wall -Wextra -Werror -I"$GL" "$TMP/tunables.c" -o "$TMP/tunables" && expect_rc 0 &&
		run "$TMP/tunables" && expect_rc 0 && expect_out "$theirs" &&
		expect_contains out "glibc.rtld.nns 2 1 16 0"
}

# A copy of ld.so's debug file in which the name $1 is spelt $2 (of the
# same length), its DWARF decompressed so that the strings can be edited.
debug_file_renaming() {
	objcopy --decompress-debug-sections "$(debug_file $LDSO)" "$TMP/renamed.debug" &&
		python3 -c 'import sys
path, old, new = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
data = open(path, "rb").read()
assert old in data and len(old) == len(new)
open(path, "wb").write(data.replace(old, new))' "$TMP/renamed.debug" "$1" "$2"
}

test_tool_refuses_an_ld_so_without_intel_cache_descriptors() {
	debug_file_renaming intel_02_known intel_02_knowX || return 1
	run "$GEN" --ld-debug "$TMP/renamed.debug" --out "$TMP/intel-l.h" --check-out "$TMP/intel-c.h" && expect_rc 1 &&
		expect_err_line "gen-layout: $TMP/renamed.debug: intel_02_known not found, so Intel's CPUID leaf-2 cache descriptors are unknown" &&
		[ ! -e "$TMP/intel-l.h" ] && [ ! -e "$TMP/intel-c.h" ]
}

test_tool_refuses_intel_cache_descriptors_of_another_type() {
	debug_file_renaming intel_02_cache_info intel_02_cache_infX || return 1
	run "$GEN" --ld-debug "$TMP/renamed.debug" --out "$TMP/intel-l.h" --check-out "$TMP/intel-c.h" && expect_rc 1 &&
		expect_err_line "gen-layout: $TMP/renamed.debug: intel_02_known is not an array of struct intel_02_cache_info" &&
		[ ! -e "$TMP/intel-l.h" ] && [ ! -e "$TMP/intel-c.h" ]
}

test_tool_refuses_the_debug_file_of_another_library() {
	local dbg
	dbg=$(debug_file /lib/x86_64-linux-gnu/libdl.so.2)
	run "$GEN" --ld /lib/x86_64-linux-gnu/libdl.so.2 --out "$TMP/l.h" --check-out "$TMP/c.h" &&
		expect_rc 1 &&
		expect_err_line "gen-layout: $dbg: struct rtld_global not found (is this ld.so's debug file?)" &&
		[ ! -e "$TMP/l.h" ] && [ ! -e "$TMP/c.h" ]
}

test_tool_refuses_a_debug_file_of_another_build() {
	run "$GEN" --ld-debug "$(debug_file $LIBC)" --out "$TMP/l.h" --check-out "$TMP/c.h" &&
		expect_rc 1 &&
		expect_err_line "gen-layout: $(debug_file $LIBC): build-id $(build_id $LIBC), but $LDSO has build-id $(build_id $LDSO)"
}

test_tool_names_libc6_dbg_when_the_debug_files_are_missing() {
	local id
	id=$(build_id $LDSO)
	mkdir -p "$TMP/no-debug"
	run "$GEN" --debug-dir "$TMP/no-debug" --out "$TMP/l.h" --check-out "$TMP/c.h" && expect_rc 1 &&
		expect_err_line "gen-layout: no debug information for $LDSO (build-id $id):\
 $TMP/no-debug/.build-id/${id:0:2}/${id:2}.debug does not exist;\
 libc6-dbg is not installed, or not the version of libc6: apt-get install libc6-dbg"
}

fi

# As a machine without libc6-dbg sees it: the build goes on, says so in one
# line, and leaves no header.
test_build_without_libc6_dbg_makes_no_header() {
	mkdir -p "$TMP/no-debug" "$TMP/build/glibc"
	touch "$TMP/build/glibc/layout.h"
	run_build -u MAKEFLAGS -u MAKELEVEL make -s --no-print-directory -C "$TOP" BUILD="$TMP/build" \
		GLIBC_DEBUG_DIR="$TMP/no-debug" glibc-layout &&
		expect_rc 0 &&
		expect_out "ld-teach: glibc programs will be unsupported: they need libc6-dbg for the installed glibc (apt-get install libc6-dbg)" &&
		{ [ ! -e "$TMP/build/glibc/layout.h" ] || { diag "a stale layout.h was left"; return 1; }; }
}

# Without the layouts the build leaves the glibc adapter out: ld-teach still
# runs programs without libc (and musl's), and refuses glibc programs with
# one line.  Built from a copy of the sources, so that nothing here changes.
test_ld_teach_without_the_layouts_refuses_glibc_programs() {
	local src=$TMP/src
	mkdir -p "$src" "$TMP/no-debug" &&
		cp -r "$TOP"/{Makefile,rtld,arch,include,loader,test-bins,tests} "$src/" || return 1
	run_build -u MAKEFLAGS -u MAKELEVEL make -s --no-print-directory -C "$src" \
		GLIBC_DEBUG_DIR="$TMP/no-debug" ld-teach.so && expect_rc 0 || return 1
	[ ! -e "$src/build/core/rtld/glibc/adapter.o" ] || { diag "the glibc adapter was built"; return 1; }
	run "$src/ld-teach.so" "$BIN/fs/fs-auxv" && expect_rc 0 &&
		run "$src/ld-teach.so" /bin/true && expect_rc 127 &&
		expect_err_line "ld-teach.so: /bin/true: a glibc program, but this ld-teach was built without glibc's layouts: install libc6-dbg for the installed glibc and rebuild (make)"
}

run_suite glibc-layout
