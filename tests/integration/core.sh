#!/bin/bash
# The core run-time linker, with programs that use no libc at all
# (test-bins/freestanding): both ways of starting, every relocation type,
# search paths, versions, preloads, secure mode, and load errors.
source "$(dirname "$0")/../lib.sh"

FSB=$BIN/fs
EXPECTED=$(cat "$TOP/test-bins/freestanding/main.expected")

# --- the full program, four ways -------------------------------------------

test_main_pie_command_mode() {
	cd "$FSB" && run "$LT" ./fs-main a b && expect_rc 0 && expect_out "$EXPECTED"
}

test_main_pie_interp_mode() {
	cd "$FSB" && run ./fs-main-lt a b && expect_rc 0 && expect_out "$EXPECTED"
}

test_main_fixed_address_command_mode() {
	cd "$FSB" && run "$LT" ./fs-main-nopie a b && expect_rc 0 && expect_out "$EXPECTED"
}

test_main_fixed_address_interp_mode() {
	cd "$FSB" && run ./fs-main-nopie-lt a b && expect_rc 0 && expect_out "$EXPECTED"
}

# The programs above must really contain what they claim to test.
test_test_programs_cover_every_relocation_type() {
	local relocs type
	relocs=$(cd "$FSB" && readelf -rW fs-main fs-main-nopie lib/*.so)
	for type in NONE 64 PC32 GLOB_DAT JUMP_SLOT RELATIVE COPY IRELATIVE DTPMOD64 DTPOFF64 \
		TPOFF64 TLSDESC; do
		[ "$type" = NONE ] && continue # no linker emits it; see the malformed suite
		if ! grep -q "R_X86_64_$type " <<<"$relocs"; then
			diag "no R_X86_64_$type relocation in the test programs"
			return 1
		fi
	done
	readelf -dW "$FSB/lib/libfs-d.so" | grep -q '(RELR)' || { diag "no DT_RELR"; return 1; }
	readelf -dW "$FSB/lib/libfs-c.so" | grep -q '(TEXTREL)' || { diag "no DT_TEXTREL"; return 1; }
	readelf -lW "$FSB/fs-main" | grep -q 'GNU_RELRO' || { diag "no PT_GNU_RELRO"; return 1; }
}

test_origin_rpath_from_another_directory() {
	cd / && run "$FSB/fs-main-lt" a b && expect_rc 0 && expect_out "$EXPECTED" &&
		run "$LT" "$FSB/fs-main" a b && expect_rc 0 && expect_out "$EXPECTED"
}

# A 16 KiB stack (ulimit -s 16) is enough in both modes, as it is for musl's
# loader: ld-teach keeps its path buffers off the stack, and its build
# refuses frames over 2 KiB.  (An empty environment keeps the stack's
# contents the same wherever the tests run.)
test_runs_on_a_16_kib_stack() {
	[ -e /lib/ld-musl-x86_64.so.1 ] || skip "no musl loader (/lib/ld-musl-x86_64.so.1), the reference"
	local -a small=(-i /bin/bash -c 'ulimit -s 16 && exec "$@"' small-stack)
	run "${small[@]}" /lib/ld-musl-x86_64.so.1 "$BIN/musl/hello" && expect_rc 0 ||
		{ diag "^ musl's loader, the reference"; return 1; }
	run "${small[@]}" "$LT" "$BIN/musl/hello" && expect_rc 0 &&
		run "${small[@]}" "$BIN/musl/hello-lt" && expect_rc 0 &&
		run "${small[@]}" "$LT" "$FSB/fs-main" a b && expect_rc 0 && expect_out "$EXPECTED" &&
		run "${small[@]}" "$FSB/fs-main-lt" a b && expect_rc 0 && expect_out "$EXPECTED"
}

# The same for glibc programs (glibc's loader the reference), and for a
# start with an audit module and one from a prelink cache, main's later
# additions to start-up.
test_runs_glibc_programs_audit_and_prelink_on_a_16_kib_stack() {
	need_glibc
	local -a small=(-i /bin/bash -c 'ulimit -s 16 && exec env "$@"' small-stack)
	local g=$BIN/glibc-flavour cache=$TMP/cache
	run "${small[@]}" /lib64/ld-linux-x86-64.so.2 "$g/hello" && expect_rc 0 ||
		{ diag "^ glibc's loader, the reference"; return 1; }
	run "${small[@]}" "$LT" "$g/hello" && expect_rc 0 && run "${small[@]}" "$g/hello-lt" && expect_rc 0 &&
		run "${small[@]}" LD_AUDIT="$g/lib/auditmod.so" "$g/hello-lt" && expect_rc 0 &&
		expect_contains err "objopen" || return 1
	run LD_TEACH_CACHE_DIR="$cache" "$LT" --prelink "$BIN/musl/kitchen" && expect_rc 0 &&
		run "${small[@]}" LD_TEACH_CACHE_DIR="$cache" LD_DEBUG=prelink "$LT" "$BIN/musl/kitchen" &&
		expect_rc 0 && expect_contains err "using cache"
}

# --- what the program sees of itself -----------------------------------------

auxv_expected() {
	printf 'argv[0]=%s\nargv[1]=one\nargv[2]=two\nAT_EXECFN=%s\n' "$1" "$2"
	printf '%s: ok\n' "AT_PHDR is ours" "AT_PHNUM is ours" "AT_ENTRY is ours" \
		"AT_BASE is the interpreter" "the vector ends in (AT_NULL, 0)" "stack aligned"
}

test_argv_and_auxv_command_mode() {
	cd "$FSB" && run "$LT" ./fs-auxv one two && expect_rc 0 &&
		expect_out "$(auxv_expected ./fs-auxv ./fs-auxv)"
}

test_argv_and_auxv_interp_mode() {
	cd "$FSB" && run ./fs-auxv-lt one two && expect_rc 0 &&
		expect_out "$(auxv_expected ./fs-auxv-lt ./fs-auxv-lt)"
}

test_argv0_option() {
	cd "$FSB" && run "$LT" --argv0 renamed ./fs-auxv one two && expect_rc 0 &&
		expect_out "$(auxv_expected renamed ./fs-auxv)" &&
		run "$LT" --argv0=again -- ./fs-auxv one two && expect_rc 0 &&
		expect_out "$(auxv_expected again ./fs-auxv)"
}

# Under the guarded build (lib.sh), an overrun or a use after free faults.
test_no_allocation_is_overrun() {
	local p
	for p in fs-main fs-main-nopie fs-irelative; do
		cd "$FSB" && same_when_guarded "./$p" a b || { diag "program: $p"; return 1; }
	done
}

# Out of memory at every allocation in turn, each start-up ends in a clean
# refusal that says so, or in a correct run, never in a crash.
test_out_of_memory_anywhere_is_refused_cleanly() {
	cd "$FSB" && out_of_memory_scan refused_for_memory ./fs-main a b
}

# --- command-line options ----------------------------------------------------

test_list_prints_ldd_format_and_runs_nothing() {
	cd "$FSB" && run "$LT" --list ./fs-main || return 1
	expect_rc 0 || return 1
	expect_not_contains out "constructors" || return 1
	local lib hex='0x[0-9a-f]{16}'
	for lib in libfs-a libfs-b libfs-c libfs-ver libfs-d; do
		grep -qE "^	$lib\.so => \./lib/$lib\.so \($hex\)$" <<<"$out" ||
			{ diag "no ldd line for $lib"; show_run; return 1; }
	done
	grep -qE "^	linux-vdso\.so\.1 \($hex\)$" <<<"$out" || { diag "no vdso line"; return 1; }
	tail -1 <<<"$out" | grep -qE "^	.*ld-teach\.so \($hex\)$" || { diag "ld-teach.so not last"; return 1; }
}

test_list_of_a_musl_program() {
	run "$LT" --list "$BIN/musl/hello" && expect_rc 0 &&
		grep -qE '^	libc\.so => /.*/libc\.so \(0x[0-9a-f]{16}\)$' <<<"$out" ||
		{ show_run; return 1; }
}

test_usage_errors_exit_1() {
	run "$LT" && expect_rc 1 && expect_contains err "Usage:" && expect_contains err "missing program" &&
		run "$LT" --bogus "$FSB/fs-main" && expect_rc 1 &&
		expect_contains err $'ld-teach.so: unrecognized option \'--bogus\'\nUsage:' &&
		run "$LT" --library-path && expect_rc 1 && expect_contains err "requires an argument" &&
		run "$LT" --library-path /x && expect_rc 1 && expect_contains err "missing program name" || return 1
	# An option whose name only begins with one that takes a value is no such option.
	local opt
	for opt in --library-paths --preloadx --auditx --argv0x; do
		run "$LT" "$opt" "$FSB/fs-main" && expect_rc 1 &&
			expect_contains err $'ld-teach.so: unrecognized option \''"$opt"$'\'\nUsage:' || return 1
	done
}

# The whole help, every option to its last line (it once stopped at the
# formatter's kilobyte, in the middle of --prelink).
test_help_and_version() {
	local opt
	run "$LT" --help && expect_rc 0 && expect_contains out "Usage:" || return 1
	for opt in --list --verify --graph --library-path --preload --audit --argv0 --inhibit-cache \
		--prelink --help --version LD_SHOW_AUXV LD_TEACH_CACHE_DIR; do
		expect_contains out "$opt" || return 1
	done
	[ "$(tail -n1 <<<"$out")" = "their directory (else \$XDG_CACHE_HOME/ld-teach, else ~/.cache/ld-teach)." ] ||
		{ diag "the help ends: $(tail -n1 <<<"$out")"; return 1; }
	run "$LT" --version && expect_rc 0 && expect_contains out "ld-teach.so"
}

# --- search paths and preloads -----------------------------------------------

test_library_path_environment() {
	cd "$FSB" && run "$LT" ./fs-missing-lib && expect_rc 127 &&
		run LD_LIBRARY_PATH=/nonexistent:$FSB/stubs/nowhere "$LT" ./fs-missing-lib && expect_rc 0 &&
		run LD_LIBRARY_PATH=$FSB/stubs/nowhere ./fs-missing-lib-lt && expect_rc 0
}

test_library_path_option_replaces_environment() {
	cd "$FSB" && run LD_LIBRARY_PATH=/nonexistent "$LT" --library-path "$FSB/stubs/nowhere" ./fs-missing-lib &&
		expect_rc 0 &&
		run LD_LIBRARY_PATH=$FSB/stubs/nowhere "$LT" --library-path /nonexistent ./fs-missing-lib &&
		expect_rc 127
}

# Each directory of fs/where/ holds a libfs-where.so that prints the
# directory's name.  finds COPY PROGRAM [VAR=VALUE...]: in both start modes,
# PROGRAM found the copy in where/COPY.
finds() {
	local copy=$1 prog=$2
	shift 2
	cd "$FSB" && run "$@" "$LT" "./$prog" && expect_rc 0 && expect_out "$copy" &&
		run "$@" "./$prog-lt" && expect_rc 0 && expect_out "$copy"
}
WHERE_ENV=LD_LIBRARY_PATH=$FSB/where/env

test_library_path_comes_before_runpath() {
	finds runpath fs-where-runpath && finds env fs-where-runpath "$WHERE_ENV"
}

test_rpath_comes_before_library_path() {
	finds rpath fs-where-rpath && finds rpath fs-where-rpath "$WHERE_ENV"
}

# ld writes one of the two tags only: these programs are crafted (test-bins.mk).
has_rpath_and_runpath() {
	local dyn
	dyn=$(readelf -dW "$FSB/$1") || return 1
	[[ $dyn == *"(RPATH)"* && $dyn == *"(RUNPATH)"* ]] && return 0
	diag "$1 lacks DT_RPATH or DT_RUNPATH"
	return 1
}

# Its DT_RPATH counts neither for the object itself nor, as a loader's, for
# its dependencies (libfs-hop.so, which has no search path of its own).
test_runpath_voids_the_rpath_of_its_object() {
	has_rpath_and_runpath fs-where-both && has_rpath_and_runpath fs-hop-both &&
		finds runpath fs-where-both && finds env fs-where-both "$WHERE_ENV" &&
		finds env fs-hop-both "$WHERE_ENV" &&
		cd "$FSB" && run "$LT" ./fs-hop-both && expect_rc 127
}

# libfs-hop.so's DT_RUNPATH: no RPATH of its loaders (fs-hop-runpath's) counts.
test_runpath_voids_the_rpath_of_the_loaders() {
	finds runpath fs-hop-runpath && finds env fs-hop-runpath "$WHERE_ENV"
}

# An empty element of a search path is the current directory, which is
# searched only so: not as part of the system path.
test_empty_path_element_is_the_current_directory() {
	cd "$FSB/stubs/nowhere" && run LD_LIBRARY_PATH=":/nonexistent" "$LT" "$FSB/fs-missing-lib" &&
		expect_rc 0 && run LD_LIBRARY_PATH=/nonexistent "$LT" "$FSB/fs-missing-lib" && expect_rc 127
}

# A candidate that exists but cannot be opened names its own error.
test_unopenable_candidate_is_the_reason_given() {
	mkdir -p "$TMP/loop" && ln -sf libfs-nowhere.so "$TMP/loop/libfs-nowhere.so" &&
		cd "$FSB" && run LD_LIBRARY_PATH="$TMP/loop" "$LT" ./fs-missing-lib && expect_rc 127 &&
		expect_err_line "ld-teach.so: ./fs-missing-lib: libfs-nowhere.so: cannot open shared object file: Too many levels of symbolic links"
}

# DT_INIT runs before the initializer array, DT_FINI after the finalizer array.
test_dt_init_and_dt_fini_run_around_the_arrays() {
	local expected=$'DT_INIT\ninit array\nsym_call() = 32\nfini array\nDT_FINI'
	cd "$FSB" && run LD_PRELOAD=libfs-legacy.so "$LT" ./fs-symbolic && expect_rc 0 &&
		expect_out "$expected" && run LD_PRELOAD=libfs-legacy.so ./fs-symbolic-lt && expect_rc 0 &&
		expect_out "$expected"
}

test_preload_overrides_a_library_function() {
	cd "$FSB" && run "$LT" ./fs-preload && expect_out "a_add(2, 3) = 5"$'\n'"dtor: a"$'\n'"dtor: d" &&
		run LD_PRELOAD=libfs-override.so ./fs-preload-lt && expect_contains out "a_add(2, 3) = 1005" &&
		run "$LT" --preload "$FSB/lib/libfs-override.so" ./fs-preload && expect_contains out "= 1005" &&
		run LD_PRELOAD="nothing-here.so:libfs-override.so" ./fs-preload-lt &&
		expect_contains out "= 1005" && expect_contains err "cannot be preloaded"
}

test_preload_comes_right_after_the_program_in_scope() {
	cd "$FSB" && run LD_PRELOAD="libfs-override.so libfs-d.so" "$LT" --list ./fs-preload && expect_rc 0 &&
		[ "$(grep -o 'libfs-[a-z]*\.so =>' <<<"$out" | tr '\n' ' ')" = "libfs-override.so => libfs-d.so => libfs-a.so => " ] ||
		{ diag "preloads must come first, in order"; show_run; return 1; }
}

# With stdin closed, the program and its libraries are opened as
# descriptor 0 in turn: a valid descriptor like any other, for the search
# too (LD_DEBUG=libs says the library opened as 0 was found).
test_files_opened_as_descriptor_0() {
	local how traced
	cd "$FSB" || return 1
	for how in "$LT ./fs-main" ./fs-main-lt; do
		run $how a b && expect_rc 0 && remember &&
			run sh -c 'exec "$@" <&-' sh $how a b && expect_same &&
			run LD_DEBUG=libs $how a b && traced=$(sed -E 's/^ *[0-9]+:/PID:/; s/0x[0-9a-f]+/0xN/g' <<<"$err") &&
			run sh -c 'exec "$@" <&-' sh env LD_DEBUG=libs $how a b && expect_same &&
			[ "$(sed -E 's/^ *[0-9]+:/PID:/; s/0x[0-9a-f]+/0xN/g' <<<"$err")" = "$traced" ] &&
			grep -q "  found .*/lib/libfs-a.so$" <<<"$traced" ||
			{ diag "$how: the search's trace differs with stdin closed"; show_run; return 1; }
	done
}

test_each_object_is_loaded_once() {
	ln -sf "$FSB/lib/libfs-a.so" "$TMP/alias-of-a.so"
	cd "$FSB" && run "$LT" --preload "$TMP/alias-of-a.so:$FSB/lib/libfs-d.so" --list ./fs-main &&
		expect_rc 0 || return 1
	local n
	n=$(grep -c 'libfs-a.so\|alias-of-a.so' <<<"$out")
	[ "$n" = 1 ] || { diag "libfs-a mapped $n times (by inode, soname or path it is one)"; show_run; return 1; }
	[ "$(grep -c 'libfs-d.so' <<<"$out")" = 1 ] || { diag "libfs-d mapped twice"; show_run; return 1; }
}

test_secure_mode_ignores_preload_and_library_path() {
	secure_copy "$FSB/fs-preload-abs-lt" "$TMP/fs-preload-abs-lt" || return 1
	run LD_PRELOAD=$FSB/lib/libfs-override.so "$TMP/fs-preload-abs-lt" && expect_rc 0 &&
		expect_contains out "a_add(2, 3) = 5" || return 1
	cp "$FSB/fs-missing-lib-lt" "$TMP/plain" && secure_copy "$FSB/fs-missing-lib-lt" "$TMP/fs-missing-lib-lt" ||
		return 1
	run LD_LIBRARY_PATH=$FSB/stubs/nowhere "$TMP/plain" && expect_rc 0 &&
		run LD_LIBRARY_PATH=$FSB/stubs/nowhere "$TMP/fs-missing-lib-lt" && expect_rc 127
}

# LD_TRACE_LOADED_OBJECTS would print where a set-user-id program's
# libraries lie: glibc's loader exits 5 instead, silently, and so does
# ld-teach, for every libc (a secure copy of a glibc program under glibc's
# loader is the reference).
test_secure_mode_exits_5_rather_than_trace() {
	secure_copy "$FSB/fs-missing-lib-lt" "$TMP/traced-lt" || return 1
	run LD_TRACE_LOADED_OBJECTS=1 "$TMP/traced-lt" && expect_rc 5 && expect_out "" && expect_err_line "" &&
		run LD_TRACE_LOADED_OBJECTS=1 "$FSB/fs-missing-lib-lt" && expect_rc 0 &&
		expect_contains out "libfs-nowhere.so => not found" || return 1
	need_glibc
	secure_copy "$BIN/glibc/hello" "$TMP/traced-glibc" &&
		run LD_TRACE_LOADED_OBJECTS=1 "$TMP/traced-glibc" && expect_rc 5 && expect_out ""
}

# glibc's unsafe variables leave the environment of a secure-mode program
# (the auxiliary vector moving down after it); the others stay.
UNSAFE_VARIABLES="GCONV_PATH GETCONF_DIR HOSTALIASES LD_AUDIT LD_DEBUG LD_DEBUG_OUTPUT
	LD_DYNAMIC_WEAK LD_HWCAP_MASK LD_LIBRARY_PATH LD_ORIGIN_PATH LD_PRELOAD LD_PROFILE
	LD_SHOW_AUXV LD_USE_LOAD_BIAS LOCALDOMAIN LOCPATH MALLOC_TRACE NIS_PATH NLSPATH
	RESOLV_HOST_CONF RES_OPTIONS TMPDIR TZDIR"
test_secure_mode_removes_unsafe_variables() {
	local name settings=(KEEP_ME=1 LD_BIND_NOW=)
	for name in $UNSAFE_VARIABLES; do
		settings+=("$name=/nowhere")
	done
	secure_copy "$FSB/fs-env-lt" "$TMP/fs-env-lt" || return 1
	run -i "${settings[@]}" "$TMP/fs-env-lt" && expect_rc 0 &&
		expect_contains out "the auxiliary vector follows the environment: ok" &&
		[ "$(grep '^env: ' <<<"$out" | sort | tr '\n' ' ')" = "env: KEEP_ME=1 env: LD_BIND_NOW= " ] ||
		{ diag "expected only KEEP_ME and LD_BIND_NOW to stay"; show_run; return 1; }
	run -i "${settings[@]}" "$FSB/fs-env-lt" && expect_rc 0 &&
		[ "$(grep -c '^env: ' <<<"$out")" = 25 ] ||
		{ diag "without secure mode, every variable stays"; show_run; return 1; }
}

# The same for a program of each libc, which reads its environment and its
# auxiliary vector (getauxval) itself, after the move: started by the
# kernel (a secure copy of the program), and in command mode (a secure copy
# of ld-teach.so, which finds its libc files through build/ beside it).
ftest_secure_mode_removes_unsafe_variables_for_the_libc() {
	local -a settings=(-i TMPDIR=/nowhere GCONV_PATH=/nowhere LT_ECHO=kept LT_ECHO_VAR=TMPDIR)
	local cmd
	secure_copy "$FB/echo-lt" "$TMP/echo-lt" && mkdir -p "$TMP/home" && ln -sfn "$TOP/build" "$TMP/home/build" &&
		secure_copy "$LT" "$TMP/home/ld-teach.so" || return 1
	for cmd in "$TMP/echo-lt" "$TMP/home/ld-teach.so $FB/echo"; do
		run "${settings[@]}" $cmd && expect_rc 0 && expect_contains out "LT_ECHO=kept" &&
			expect_contains out "TMPDIR=(unset)" && expect_contains out "AT_PHDR is ours: yes" &&
			expect_contains out "AT_PAGESZ=4096" || { diag "$cmd"; return 1; }
	done
	run "${settings[@]}" "$FB/echo-lt" && expect_rc 0 && expect_contains out "TMPDIR=/nowhere" &&
		run "${settings[@]}" "$LT" "$FB/echo" && expect_rc 0 && expect_contains out "TMPDIR=/nowhere"
}

# A library's .init_array slot of 0, or of -1 (the old terminator of
# .ctors lists), is passed over, as FreeBSD's loader passes them over: the
# constructors around them run, in order.  (glibc's and musl's loaders
# call every slot, and crash on these: ld-teach goes further.)
ftest_empty_init_array_slots_are_passed_over() {
	local cc=musl-gcc
	[ "$FLAVOUR" = glibc ] && cc=gcc
	cat >"$TMP/slots.c" <<'EOF2'
#include <stdio.h>
static void first(void) { puts("first constructor"); }
static void last(void) { puts("last constructor"); }
__attribute__((section(".init_array"), used))
static void (*const slots[])(void) = { first, (void (*)(void))0, (void (*)(void))-1, last };
EOF2
	printf 'int main(void) { return 0; }\n' >"$TMP/prog.c"
	run_build "$cc" -shared -fPIC -o "$TMP/libslots.so" "$TMP/slots.c" && expect_rc 0 &&
		run_build "$cc" -o "$TMP/prog" "$TMP/prog.c" -Wl,--no-as-needed -L"$TMP" -lslots -Wl,-rpath,"$TMP" &&
		expect_rc 0 || return 1
	run "$LT" "$TMP/prog" && expect_rc 0 && expect_no_signal &&
		[ "$out" = $'first constructor\nlast constructor' ] || { show_run; return 1; }
}

# $ORIGIN/lib of a set-user-id program outside the system directories is
# skipped, not searched as something else (such as the current directory).
test_secure_mode_skips_the_programs_own_origin() {
	mkdir -p "$TMP/lib" && cp "$FSB/stubs/nowhere/libfs-nowhere.so" "$TMP/lib/" &&
		cp "$FSB/fs-missing-lib-lt" "$TMP/plain" &&
		secure_copy "$FSB/fs-missing-lib-lt" "$TMP/fs-missing-lib-lt" || return 1
	cd "$FSB/stubs/nowhere" && run "$TMP/plain" && expect_rc 0 &&
		run "$TMP/fs-missing-lib-lt" && expect_rc 127
}

# --- rules only the loader applies, on objects crafted by elfmangle ----------

MANGLED=$BIN/malformed

# A relocation's type and symbol (or addend) for every relocation of FILE,
# one per line, in table order.
relocations() {
	readelf -rW "$1" | awk '/^ *[0-9a-f]+ +[0-9a-f]+ R_/ { print $3, ($5 == "" ? $4 : $5) }'
}

# libfs-prot.so refers to its own prot_data by GLOB_DAT and R_X86_64_64;
# made STV_PROTECTED, it must bind to itself although the program defines
# prot_data too (and wins while the library's is not protected).
test_protected_symbol_binds_its_own_definition() {
	local dir=$MANGLED/protected/lib relocs
	relocs=$(relocations "$dir/libfs-prot.so")
	readelf --dyn-syms -W "$dir/libfs-prot.so" | grep -qE ' PROTECTED +[0-9]+ prot_data$' &&
		grep -qx "R_X86_64_GLOB_DAT prot_data" <<<"$relocs" &&
		grep -qx "R_X86_64_64 prot_data" <<<"$relocs" ||
		{ diag "$dir/libfs-prot.so: no symbolic relocation against a protected prot_data"; return 1; }
	cd "$FSB" && run "$LT" ./fs-protected && expect_rc 0 && expect_out "got: 2, pointer: 2" &&
		run LD_LIBRARY_PATH="$dir" "$LT" ./fs-protected && expect_rc 0 &&
		expect_out "got: 1, pointer: 1" &&
		run LD_LIBRARY_PATH="$dir" ./fs-protected-lt && expect_rc 0 &&
		expect_out "got: 1, pointer: 1"
}

# fs-auxv with its program headers mapped twice and PT_PHDR, second in the
# table, naming the second mapping (elfmangle phdr-mapped-twice): AT_PHDR
# is where PT_PHDR says, in command mode as glibc's loader puts it (only its
# AT_PHDR line: it leaves AT_BASE 0 there), and for fs-auxv-lt as the kernel
# does; fs-auxv checks it (test-bins/freestanding/auxv.c).
test_program_headers_where_pt_phdr_says() {
	local dir=$MANGLED/phdr-mapped-twice/prog
	readelf -lW "$dir/fs-auxv" | awk '$1 == "PHDR" { phdr = $3 } $1 == "LOAD" && $2 ~ /^0x0+$/ { n++ }
		END { exit !(n == 2 && phdr !~ /^0x0+40$/) }' ||
		{ diag "$dir/fs-auxv: the headers are not mapped twice, PT_PHDR naming the second"; return 1; }
	cd "$dir" && run /lib64/ld-linux-x86-64.so.2 ./fs-auxv one two &&
		expect_contains out "AT_PHDR is ours: ok" || { diag "^ glibc's loader, the reference"; return 1; }
	run "$LT" ./fs-auxv one two && expect_rc 0 && expect_out "$(auxv_expected ./fs-auxv ./fs-auxv)" &&
		run ./fs-auxv-lt one two && expect_rc 0 &&
		expect_out "$(auxv_expected ./fs-auxv-lt ./fs-auxv-lt)"
}

# fs-irelative's IFUNC resolver reads a_add's address from the GOT.  Crafted,
# its DT_RELA has the IRELATIVE before that GLOB_DAT: the loader must still
# call the resolver after the object's other relocations.
test_irelative_waits_for_the_relocations_it_reads() {
	local prog=$MANGLED/irelative-first/prog/fs-irelative
	local expected=$'IFUNC called: ok\nIFUNC through its address: ok\ndtor: a\ndtor: d'
	[ "$(relocations "$prog" | head -2 | cut -d' ' -f1 | tr '\n' ' ')" = \
		"R_X86_64_IRELATIVE R_X86_64_GLOB_DAT " ] ||
		{ diag "$prog: DT_RELA does not start with IRELATIVE, then GLOB_DAT"; return 1; }
	cd "$FSB" && run "$LT" ./fs-irelative && expect_rc 0 && expect_out "$expected" &&
		run LD_LIBRARY_PATH="$FSB/lib" "$LT" "$prog" && expect_rc 0 && expect_out "$expected" &&
		run LD_LIBRARY_PATH="$FSB/lib" "$prog-lt" && expect_rc 0 && expect_out "$expected"
}

# --- versions ----------------------------------------------------------------

test_versioned_reference_binds_the_named_version() {
	cd "$FSB" && run "$LT" ./fs-ver-old && expect_rc 0 && expect_contains out "old version: ok" &&
		run ./fs-ver-old-lt && expect_rc 0 && expect_contains out "old version: ok"
}

test_missing_version_is_a_load_error() {
	cd "$FSB" && run "$LT" ./fs-needs-ver3 && expect_rc 127 &&
		expect_err_line "ld-teach.so: ./lib/libfs-ver.so: version \`VER_3' not found (required by ./fs-needs-ver3)"
}

# In a list, a version that fails is said on standard error, once, and
# the list still shows every library found, none of them "not found"
# (design.md, "ldd"; glibc's --list prints the same, but exits 0).
test_missing_version_in_a_list_is_no_missing_library() {
	cd "$FSB" && run "$LT" --list ./fs-needs-ver3 && expect_rc 127 &&
		expect_err_line "ld-teach.so: ./lib/libfs-ver.so: version \`VER_3' not found (required by ./fs-needs-ver3)" &&
		expect_contains out "libfs-ver.so => ./lib/libfs-ver.so (0x" &&
		expect_contains out "libfs-d.so => ./lib/libfs-d.so (0x" && expect_not_contains out "not found"
}

test_unversioned_reference_never_binds_a_hidden_version() {
	cd "$FSB" && run "$LT" ./fs-hidden-ref && expect_rc 127 &&
		expect_err_line "ld-teach.so: ./fs-hidden-ref: symbol lookup error: undefined symbol: hid_only"
}

# --- load errors: one line naming the object, exit 127, never a signal -------

test_missing_library() {
	cd "$FSB" && run "$LT" ./fs-missing-lib && expect_rc 127 &&
		expect_err_line "ld-teach.so: ./fs-missing-lib: libfs-nowhere.so: cannot open shared object file: No such file or directory" &&
		run ./fs-missing-lib-lt && expect_rc 127 &&
		expect_err_line "ld-teach.so: ./fs-missing-lib-lt: libfs-nowhere.so: cannot open shared object file: No such file or directory"
}

test_missing_symbol() {
	cd "$FSB" && run "$LT" ./fs-missing-sym && expect_rc 127 &&
		expect_err_line "ld-teach.so: ./fs-missing-sym: symbol lookup error: undefined symbol: d_gone"
}

test_not_an_elf_file() {
	run "$LT" /etc/passwd && expect_rc 127 && expect_err_line "ld-teach.so: /etc/passwd: invalid ELF header"
}

test_missing_program() {
	run "$LT" "$TMP/no-such-program" && expect_rc 127 &&
		expect_err_line "ld-teach.so: $TMP/no-such-program: cannot open: No such file or directory"
}

test_truncated_program() {
	local size
	for size in 0 10 63 64 100 200 1000 4096 8000; do
		head -c "$size" "$FSB/fs-main" >"$TMP/truncated"
		run "$LT" "$TMP/truncated"
		expect_rc 127 && expect_no_signal || return 1
		[[ "$err" == "ld-teach.so: $TMP/truncated: "* && "$err" != *$'\n'* ]] ||
			{ diag "size $size: expected one line naming the file"; show_run; return 1; }
	done
}

# GNU ld emits an empty PT_LOAD for a library without read-only data;
# glibc passes over it, and so does ld-teach, in both modes.
test_library_with_an_empty_segment_loads() {
	readelf -lW "$FSB/lib/libfs-emptyro.so" | grep -Eq '^ +LOAD +(0x[0-9a-f]+ +){3}0x0+ 0x0+ ' ||
		{ diag "the linker left no empty PT_LOAD in libfs-emptyro.so: nothing to test"; return 1; }
	local expected="a library with an empty PT_LOAD works: ok"
	cd "$FSB" && run "$LT" ./fs-emptyro && expect_rc 0 && expect_out "$expected" &&
		run ./fs-emptyro-lt && expect_rc 0 && expect_out "$expected"
}

# Command mode runs programs: one line each for ld-teach.so itself (glibc's
# words) and for shared libraries, its own libc.so for musl among them.
test_refuses_to_load_itself() {
	run "$LT" "$LT" && expect_rc 127 && expect_err_line "ld-teach.so: $LT: loader cannot load itself" &&
		run "$LT" "$TOP/build/checked/ld-teach.so" a && expect_rc 127 &&
		expect_err_line "ld-teach.so: $TOP/build/checked/ld-teach.so: loader cannot load itself"
}

test_refuses_to_run_a_shared_library() {
	local lib
	for lib in "$TOP/build/musl/libc.so" "$FSB/lib/libfs-a.so"; do
		run "$LT" "$lib" && expect_rc 127 &&
			expect_err_line "ld-teach.so: $lib: not a dynamic executable: it has no PT_INTERP (a shared library?)" ||
			return 1
	done
	run "$LT" --list "$FSB/lib/libfs-a.so" && expect_rc 0 && expect_contains out "libfs-d.so => "
}

# Code from a file that breaks the calling convention (a constructor and a
# destructor that return with every callee-saved register changed) must
# not take the loader's own state with it.
# libfs-clobber.so's constructor, destructor and IFUNC resolver return with
# every callee-saved register changed; the resolver runs at load
# (LD_BIND_NOW) or from the first call through the PLT.
test_code_that_clobbers_registers() {
	local now expected=$'the program runs after the constructor: ok\nthe IFUNC\'s resolver chose: ok'
	for now in "" 1; do
		cd "$FSB" && run LD_BIND_NOW=$now "$LT" ./fs-clobber && expect_rc 0 && expect_out "$expected" &&
			run LD_BIND_NOW=$now ./fs-clobber-lt && expect_rc 0 && expect_out "$expected" ||
			{ diag "LD_BIND_NOW='$now'"; return 1; }
	done
}

# An initializer one byte long (a ret) that is its executable segment's
# last byte is code, and runs, in both modes.  (The layout is the
# linker's: asked first.)
test_an_initializer_at_the_end_of_its_segment_runs() {
	local lib=$FSB/lib/libfs-lastbyte.so end at
	end=$(readelf -lW "$lib" | awk '$1 == "LOAD" && / E / { print $3, $6 }') &&
		at=$(nm "$lib" | awk '$3 == "last_byte_init" { print $1 }') || return 1
	[ $((16#${at} + 1)) = $((${end% *} + ${end#* })) ] ||
		skip "the linker did not put last_byte_init at the end of the executable segment"
	cd "$FSB" && run "$LT" ./fs-lastbyte && expect_rc 0 && expect_out "lastbyte_value() = 7" &&
		run ./fs-lastbyte-lt && expect_rc 0 && expect_out "lastbyte_value() = 7"
}

run_suite core
