#!/bin/bash
# LD_DEBUG and LD_SHOW_AUXV: every category says what it promises.
source "$(dirname "$0")/../lib.sh"

FSB=$BIN/fs
CATEGORIES="libs reloc files symbols bindings versions scopes statistics unused maps init tls all help"
PID='^ *[0-9]+:	'   # the line prefix: the pid, a colon, a tab

# Run fs-main (command mode, from its directory) with LD_DEBUG=$1.
debug_fs_main() {
	cd "$FSB" && run LD_DEBUG="$1" "$LT" ./fs-main "${@:2}" && expect_rc 0
}

# Does $err have a line (after the pid prefix) matching the regex?
has_line() {
	grep -qE "$PID$1" <<<"$err" && return 0
	diag "no trace line matching: $1"
	printf '%s\n' "$err" | head -15 | sed 's/^/#     /'
	return 1
}

test_help_lists_every_category() {
	run LD_DEBUG=help "$LT" "$FSB/fs-main" && expect_rc 0 || return 1
	local c
	for c in $CATEGORIES; do
		grep -qE "^  $c +[A-Za-z]" <<<"$err$out" || { diag "help does not list $c"; show_run; return 1; }
	done
	expect_not_contains out "constructors:"  # help exits without running the program
}

test_unknown_category_warns_and_goes_on() {
	debug_fs_main bogus,files && expect_contains err 'warning: unknown LD_DEBUG option "bogus"' &&
		expect_contains err "LD_DEBUG takes a list of these categories" && has_line "file=libfs-a.so \[0\]" &&
		expect_contains out "constructors: d a b c ver"
}

test_lines_carry_the_pid() {
	debug_fs_main files || return 1
	local bad
	bad=$(grep -vE "$PID" <<<"$err" | head -3)
	[ -z "$bad" ] || { diag "lines without a pid prefix:" "$bad"; return 1; }
}

test_libs_shows_every_path_tried_and_the_result() {
	debug_fs_main libs && has_line "find library=libfs-a.so \[0\]; searching" &&
		has_line " search path=\./lib		\(RUNPATH from file \./fs-main\)" &&
		has_line "  trying file=\./lib/libfs-a.so" && has_line "  found \./lib/libfs-a.so" &&
		has_line "calling init: .*libfs-d.so" || return 1
	cd "$FSB" && run LD_DEBUG=libs "$LT" ./fs-missing-lib && expect_rc 127 &&
		has_line "  trying file=\./lib/libfs-nowhere.so" && has_line "  not found: No such file or directory"
}

# A program without libc searches glibc's default directories; a musl
# program those of musl's path file (or musl's own default without one).
test_libs_shows_the_system_search_path() {
	local musl=/lib:/usr/local/lib:/usr/lib
	[ -e /etc/ld-musl-x86_64.path ] &&
		musl=$(tr '\n' ':' </etc/ld-musl-x86_64.path | sed 's/:*$//')
	cd "$FSB" && run LD_DEBUG=libs "$LT" ./fs-missing-lib && expect_rc 127 &&
		has_line " search path=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib:/usr/lib		\(system search path\)" &&
		cd "$BIN/musl" && run LD_DEBUG=libs "$LT" ./missing-lib && expect_rc 127 &&
		has_line " search path=$musl		\(system search path\)"
}

# The same with another musl path file, and with none, in a mount namespace
# (root only), as musl reads it: lines and colons both separate, and empty
# entries are dropped (an empty entry of a list would be the current
# directory, which musl does not search); the file is read to its end, or
# to a NUL; an empty file, or one that cannot be read (a directory), leaves
# no system directory.
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	system_path_with() {
		printf "$1" >"$TMP/musl.path"
		cd "$BIN/musl" && run unshare -m sh -c "$2 && exec env LD_DEBUG=libs \"\$0\" ./missing-lib" \
			"$LT" && expect_rc 127
	}

	test_libs_system_search_path_follows_the_musl_path_file() {
		local bind="mount --bind $TMP/musl.path /etc/ld-musl-x86_64.path" long
		long=$(printf '/filler%04d\\n' $(seq 150))
		system_path_with ':/x\n\n/y:\n\n' "$bind" &&
			has_line " search path=/x:/y		\(system search path\)" &&
			system_path_with '/x\n/y\0/z\n' "$bind" &&
			has_line " search path=/x:/y		\(system search path\)" &&
			system_path_with "$long/y" "$bind" &&
			has_line " search path=/filler0001:.*:/filler0150:/y		\(system search path\)" &&
			system_path_with '' "$bind" &&
			! grep -q "system search path" <<<"$err" &&
			system_path_with '' "mount -t tmpfs none /etc && mkdir /etc/ld-musl-x86_64.path" &&
			! grep -q "system search path" <<<"$err" &&
			system_path_with '' "mount -t tmpfs none /etc" &&
			has_line " search path=/lib:/usr/local/lib:/usr/lib		\(system search path\)"
	}

	# An empty entry in the path file is no search of the current directory.
	test_an_empty_musl_path_entry_is_not_the_current_directory() {
		cp "$BIN/musl/lib/libmu-c.so" "$TMP/libmu-gone.so" &&
			printf '/x\n\n/y\n' >"$TMP/musl.path" || return 1
		cd "$TMP" && run unshare -m sh -c "mount --bind $TMP/musl.path /etc/ld-musl-x86_64.path &&
			exec \"\$0\" \"\$1\"" "$LT" "$BIN/musl/missing-lib" &&
			expect_rc 127 && expect_contains err "libmu-gone.so: cannot open shared object file"
	}
fi

test_files_shows_loading_base_entry_init_and_fini() {
	debug_fs_main files && has_line "file=libfs-a.so \[0\];  needed by \./fs-main \[0\]" &&
		has_line "file=libfs-a.so \[0\];  generating link map" &&
		has_line "  dynamic: 0x[0-9a-f]{16}  base: 0x[0-9a-f]{16}   size: 0x[0-9a-f]{16}" &&
		has_line "    entry: 0x[0-9a-f]{16}  phdr: 0x[0-9a-f]{16}  phnum:    {15}[0-9]" &&
		has_line "calling init: .*libfs-a.so" && has_line "calling fini: .*libfs-a.so" &&
		has_line "transferring control: \./fs-main at 0x[0-9a-f]+"
}

# Each object's relocation, after an empty line, and, as glibc's loader
# shows them under reloc too, the constructor calls and the jump.
test_reloc_shows_each_object() {
	debug_fs_main reloc && has_line "relocation processing: .*libfs-d.so \(lazy\)" &&
		has_line "relocation processing: \./fs-main \(lazy\)" &&
		has_line "relocation processing: .*libfs-c.so" &&
		has_line "calling init: .*libfs-a.so" && has_line "transferring control: \./fs-main at " ||
		return 1
	local unspaced
	unspaced=$(sed -E "s/$PID//" <<<"$err" | grep -B1 '^relocation processing: ' | grep -vE '^(relocation|--|$)')
	[ -z "$unspaced" ] || { diag "relocation lines with no empty line before them:" "$unspaced"; return 1; }
}

test_symbols_shows_every_object_searched() {
	debug_fs_main symbols || return 1
	# a_add is defined in libfs-a: the program is searched first, then libfs-a.
	grep -E "${PID}symbol=a_add;  lookup in file=" <<<"$err" | head -2 >"$TMP/lookups"
	[ "$(sed -E 's/.*file=([^ ]*).*/\1/' "$TMP/lookups" | tr '\n' ' ')" = "./fs-main ./lib/libfs-a.so " ] ||
		{ diag "a_add was not looked up in the program, then libfs-a"; cat "$TMP/lookups"; return 1; }
}

test_bindings_shows_objects_symbol_version_and_when() {
	debug_fs_main bindings &&
		has_line "binding file \./fs-main \[0\] to \./lib/libfs-ver.so \[0\]: normal symbol \`ver_fn' \[VER_2\] \(lazily, on its first call\)" &&
		has_line "binding file \./fs-main \[0\] to \./lib/libfs-a.so \[0\]: normal symbol \`a_counter' \(at load time\)" &&
		# R_X86_64_64, which takes the general path, not the GOT's lean one
		has_line "binding file \./lib/libfs-a.so \[0\] to \./fs-main \[0\]: normal symbol \`a_counter' \(at load time\)"
}

test_versions_shows_requirements_checked() {
	debug_fs_main versions &&
		has_line "checking for version \`VER_2' in file .*libfs-ver.so \[0\] required by file \./fs-main \[0\]"
}

test_scopes_shows_each_lookup_scope() {
	debug_fs_main scopes && has_line "object=\./fs-main \[0\]" &&
		has_line " scope 0: \./fs-main \./lib/libfs-a.so \./lib/libfs-b.so \./lib/libfs-c.so \./lib/libfs-ver.so \./lib/libfs-d.so .*ld-teach.so$" &&
		has_line " scope 0 \(DT_SYMBOLIC: itself first\): .*ld-teach.so$"
}

test_statistics_counts_and_times() {
	cd "$FSB" && run LD_DEBUG=statistics "$LT" ./fs-main-nopie && expect_rc 0 &&
		has_line "runtime linker statistics:" && has_line " +total start-up time: [0-9]+\.[0-9]{3} ms" &&
		has_line " +relocation: [0-9]+\.[0-9]{3} ms \([0-9]+%\)" &&
		has_line " +R_X86_64_COPY: 3$" && has_line " +R_X86_64_IRELATIVE: 1$" &&
		has_line " +symbol lookups: [1-9][0-9]*$" && has_line " +Bloom filter rejections: [1-9][0-9]*$" &&
		has_line " +relocations from cache: [1-9][0-9]*$" &&
		has_line " +objects: 8 \(the program, 5 libraries, ld-teach.so, the vDSO\)" &&
		has_line " +PLT slots bound lazily: [1-9][0-9]* of [1-9][0-9]*$" || return 1
	# The peak of the loader's memory is at least what is in use at its end.
	local in_use peak
	read -r in_use peak < <(sed -n 's/.* loader memory in use: \([0-9]*\) bytes (peak \([0-9]*\))$/\1 \2/p' <<<"$err")
	[ -n "$peak" ] && [ "$in_use" -gt 0 ] && [ "$peak" -ge "$in_use" ] ||
		{ diag "loader memory in use: ${in_use:-?} bytes, peak ${peak:-?}"; return 1; }
}

# A trace line longer than ld-teach's 1,024-byte buffer is written whole,
# in one write(2) (ld-debug.md says so), as glibc's loader writes it: no
# other thread's line can come into it.
test_a_long_trace_line_is_written_whole() {
	need_strace
	local long=$TMP/$(head -c 1500 /dev/zero | tr '\0' d) lines
	cd "$FSB" && run LD_DEBUG=libs LD_LIBRARY_PATH="$long" "$LT" ./fs-missing-lib && expect_rc 127 ||
		return 1
	lines=$(grep -F "trying file=$TMP/ddd" <<<"$err")
	[ -n "$lines" ] && ! grep -qvE "${PID} +trying file=$long/[^/]+\.so$" <<<"$lines" ||
		{ diag "lines trying files in the long directory:" "${lines:0:200}..."; return 1; }
	run strace -s 100 -e trace=write -o "$TMP/writes" env LD_DEBUG=libs LD_LIBRARY_PATH="$long" "$LT" ./fs-missing-lib &&
		grep -qE "^write\(2, \".*trying file=$TMP/ddd.*= 15[0-9][0-9]$" "$TMP/writes" ||
		{ diag "no line trying a file in the long directory was written in one write(2):" \
			"$(grep -c . "$TMP/writes") writes, the largest $(sed -n 's/.*= //p' "$TMP/writes" | sort -n | tail -1) bytes"; return 1; }
}

# longname DIR CC: in DIR, libln.so defining a function whose name is 1,200
# characters long, and ./ln (and ./ln-lt, started by the kernel) calling it;
# then libln.so again without it.  Sets $longname.
longname() {
	longname=f_$(head -c 1200 /dev/zero | tr '\0' n)_end
	mkdir -p "$1" && cd "$1" || return 1
	echo "int $longname(void) { return 0; }" >ln-lib.c
	printf '%s\n' "int $longname(void);" "int main(void) { return $longname(); }" >ln.c
	run_build "$2" -shared -fPIC -o libln.so ln-lib.c && expect_rc 0 &&
		run_build "$2" -o ln ln.c -L. -lln -Wl,-rpath,"$1" && expect_rc 0 &&
		run_build "$2" -o ln-lt ln.c -L. -lln -Wl,-rpath,"$1" -Wl,--dynamic-linker="$LT" &&
		expect_rc 0 || { show_run; return 1; }
}

# A symbol's name of 1,200 characters is traced whole, in both start
# modes; for a glibc program, each line is glibc's loader's.
ftest_a_long_symbol_name_is_traced_whole() {
	local cc=musl-gcc lines ref prog
	[ "$FLAVOUR" = glibc ] && cc=gcc
	longname "$TMP/long" "$cc" || return 1
	for prog in "$LT ./ln" ./ln-lt; do
		run LD_DEBUG=symbols,bindings $prog && expect_rc 0 || { show_run; return 1; }
		lines=$(grep -F "$longname" <<<"$err" | sed -E "s/$PID//")
		grep -qE "^symbol=$longname;  lookup in file=" <<<"$lines" &&
			grep -qE "^binding file [^ ]+ \[0\] to [^ ]+libln.so \[0\]: normal symbol \`$longname'" <<<"$lines" ||
			{ diag "$prog: the trace lines of the long name:" "${lines:0:300}"; return 1; }
		[ "$FLAVOUR" = glibc ] || continue
		run LD_DEBUG=symbols "$SYSTEM_LD" "${prog#"$LT "}" &&
			ref=$(grep -F "$longname" <<<"$err" | sed -E "s/$PID//") &&
			run LD_DEBUG=symbols $prog && lines=$(grep -F "$longname" <<<"$err" | sed -E "s/$PID//") &&
			[ -n "$ref" ] && [ "$lines" = "$ref" ] ||
			{ diag "$prog: LD_DEBUG=symbols differs from glibc's loader"; return 1; }
	done
}

# Missing, the same name makes an error line longer than ld-teach's
# 512-byte error buffer: it keeps the object at its start and the end of
# the name at its end, and says how much it left out between them
# (robustness.md).  glibc's loader prints the whole line.
ftest_a_long_error_line_keeps_both_ends() {
	local cc=musl-gcc line
	[ "$FLAVOUR" = glibc ] && cc=gcc
	longname "$TMP/long" "$cc" && echo 'int other(void) { return 1; }' >ln-lib.c &&
		run_build "$cc" -shared -fPIC -o libln.so ln-lib.c && expect_rc 0 || return 1
	for prog in "$LT ./ln" ./ln-lt; do
		run LD_BIND_NOW=1 $prog && expect_rc 127 || { show_run; return 1; }
		line=$(grep -v '^$' <<<"$err")
		[ "$(wc -l <<<"$line")" = 1 ] && [[ "$line" == "ld-teach.so: ./ln"*": "*"undefined symbol: f_nnn"* ]] &&
			[[ "$line" =~ \[\.\.\.\ [0-9]+\ characters\ left\ out\ \.\.\.\]n+_end$ ]] ||
			{ diag "$prog: ${line:0:120}...${line: -100}"; return 1; }
	done
}

# tracepipe (test-bins/musl/tracepipe.c) sends the trace of a dlopen into a
# pipe of one page, FILL bytes of filler ahead, with LD_LIBRARY_PATH one
# directory whose search path line is made a page and a byte long (4,097
# bytes).  Sets $pipe_ref, what comes out when no write waits, $pipe_llp,
# and $pipe_ahead, how many bytes come ahead of the long line.
pipe_reference() {
	pipe_llp=$TMP/$(head -c 3000 /dev/zero | tr '\0' d)
	local len
	for _ in 1 2; do
		cd "$BIN/musl" && run LD_DEBUG=libs LD_LIBRARY_PATH="$pipe_llp" "$LT" ./tracepipe 0 0 &&
			expect_rc 0 || return 1
		read -r pipe_ahead len < <(LC_ALL=C awk '/ search path=.*\(LD_LIBRARY_PATH\)$/ {
			print ahead, length($0) + 1; exit } { ahead += length($0) + 1 }' <<<"$out")
		[ -n "$len" ] || { diag "no LD_LIBRARY_PATH search path line"; show_run; return 1; }
		[ "$len" -lt 4097 ] && pipe_llp+=$(head -c $((4097 - len)) /dev/zero | tr '\0' d)
	done
	[ "$len" = 4097 ] || { diag "the search path line is $len bytes long, not 4097"; return 1; }
	pipe_ref=$out
}

# tracepipe FILL with a 1 ms timer whose signals interrupt the loader's
# writes while the pipe is full: the trace must come out as without them,
# no line lost or cut (pids aside).  glibc's loader is no oracle here: it
# writes each line with one writev whatever that returns, and loses it.
same_trace_through_interrupted_writes() {
	cd "$BIN/musl" && run LD_DEBUG=libs LD_LIBRARY_PATH="$pipe_llp" "$LT" ./tracepipe "$1" 1 &&
		expect_rc 0 || return 1
	diff <(sed -E "s/$PID//" <<<"$pipe_ref") <(sed -E "s/$PID//" <<<"$out") >"$TMP/trace.diff" && return 0
	diag "the trace differs from the one no signal interrupted; diff uninterrupted -> interrupted:"
	cut -c1-100 "$TMP/trace.diff" | head -20 | sed 's/^/#     /'
	return 1
}

# The pipe is full when the long line comes: its write waits, and each
# signal ends it with nothing written (EINTR); it must be made again.
test_a_trace_write_interrupted_before_writing_is_made_again() {
	pipe_reference && same_trace_through_interrupted_writes $((4096 - pipe_ahead))
}

# The pipe has room for one byte when the long line comes: its write
# takes that byte, waits, and a signal ends it with a count of 1 (a
# pipe takes a write of over a page in parts); the rest must follow.
test_a_trace_write_cut_short_by_a_signal_is_finished() {
	pipe_reference && same_trace_through_interrupted_writes $((4095 - pipe_ahead))
}

# A duration LD_DEBUG=statistics reports, in microseconds.
reported_us() {
	sed -n "s/.* $1: \([0-9]*\)\.\([0-9]\{3\}\) ms.*/\1\2/p" <<<"$err" | sed 's/^0*\([0-9]\)/\1/'
}

# The times are real durations: a preload that is a FIFO holds the start in
# open() until a writer comes, 1.5 seconds after the test starts it (then
# it is skipped, being no ELF file), and the total says over a second (a
# clock that kept only the nanoseconds of the second would wrap, and report
# half a second or nonsense).  The three phases add up to the total, less
# what each one's rounding down to the microsecond drops.  (The writer
# gives up after 10 seconds, should ld-teach never open the FIFO.)
test_statistics_time_a_start_of_over_a_second() {
	mkfifo "$TMP/slow.so" || return 1
	timeout 10 sh -c 'sleep 1.5 && exec 3>"$1"' sh "$TMP/slow.so" &
	cd "$FSB" && run LD_DEBUG=statistics LD_PRELOAD="$TMP/slow.so" "$LT" ./fs-main
	wait
	expect_rc 0 && expect_contains err "object '$TMP/slow.so' from LD_PRELOAD cannot be preloaded" ||
		return 1
	local total loading relocation libc
	total=$(reported_us "total start-up time") loading=$(reported_us "loading objects")
	relocation=$(reported_us relocation) libc=$(reported_us "libc start-up")
	[ -n "$total" ] && [ "$total" -ge 1000000 ] && [ "$total" -lt 600000000 ] ||
		{ diag "total start-up time: ${total:-not reported} µs"; show_run; return 1; }
	[ -n "$loading" ] && [ -n "$relocation" ] && [ -n "$libc" ] &&
		[ $((total - loading - relocation - libc)) -ge 0 ] &&
		[ $((total - loading - relocation - libc)) -le 2 ] ||
		{ diag "phases: $loading + $relocation + $libc µs, total $total µs"; show_run; return 1; }
}

# fs-preload binds a_add to libfs-override.so, its first dependency, and
# nothing to libfs-sym.so, its second, nor to libfs-a.so, its third.
test_unused_names_dependencies_nothing_binds_to() {
	cd "$FSB" && run LD_DEBUG=unused LD_PRELOAD="libfs-override.so libfs-sym.so" "$LT" ./fs-preload &&
		expect_rc 0 && expect_contains out "a_add(2, 3) = 1005" &&
		has_line "unused dependency: \./lib/libfs-sym.so \(needed by \./fs-preload\): nothing binds to it" &&
		has_line "unused dependency: \./lib/libfs-a.so \(needed by \./fs-preload\): nothing binds to it" &&
		expect_not_contains err "unused dependency: ./lib/libfs-override.so" &&
		debug_fs_main unused && expect_not_contains err "unused dependency"
}

test_maps_shows_the_address_space() {
	debug_fs_main maps && has_line "address space once loading is done:" &&
		has_line " +START +END PRT +OFFSET  OBJECT" &&
		has_line " +0x[0-9a-f]+ +0x[0-9a-f]+ r-x +0x[0-9a-f]+  $FSB/fs-main$" &&
		has_line " +0x[0-9a-f]+ +0x[0-9a-f]+ rw- +0x0  \./fs-main \(\.bss\)$" &&
		has_line " +0x[0-9a-f]+ +0x[0-9a-f]+ r-x .*\[vdso\]$" &&
		has_line " +0x[0-9a-f]+ +0x[0-9a-f]+ rw- .*\[stack\]$" &&
		cd "$FSB" && run LD_DEBUG=maps LD_PRELOAD=libfs-gap.so "$LT" ./fs-main && expect_rc 0 &&
		has_line " +0x[0-9a-f]+ +0x[0-9a-f]+ --- +0x0  \./lib/libfs-gap.so \(gap between segments\)$"
}

# A fixed-address program's span is mapped and nothing past it: the last
# of fs-main-nopie's mappings ends with its last segment's page.
test_maps_of_a_fixed_address_program_end_with_its_last_segment() {
	cd "$FSB" && run LD_DEBUG=maps "$LT" ./fs-main-nopie a b && expect_rc 0 || return 1
	local vaddr memsz end=0 last=0 e
	while read -r vaddr memsz; do
		end=$(((vaddr + memsz + 4095) / 4096 * 4096))
	done < <(readelf -lW fs-main-nopie | awk '$1 == "LOAD" { print $3, $6 }')
	for e in $(grep -E 'fs-main-nopie( \(\.bss\))?$' <<<"$err" | awk '{ print $3 }'); do
		[ "$((e))" -gt "$last" ] && last=$((e))
	done
	[ "$last" = "$end" ] || { diag "the program's mappings end at $last, its span at $end"; return 1; }
}

test_init_shows_order_and_why() {
	debug_fs_main init &&
		has_line "constructor order for \./fs-main: dependencies before dependents \(depth-first: preloads, then DT_NEEDED, in order\):$" &&
		has_line "  1\. .*libfs-d.so \(no dependencies\)" &&
		has_line "  2\. .*libfs-a.so after .*libfs-d.so" &&
		has_line "  6\. \./fs-main after .*libfs-a.so, .*libfs-b.so" &&
		has_line "destructor order: the reverse of the order constructors started"
}

test_tls_shows_modules_offsets_and_surplus() {
	debug_fs_main tls && has_line "tls: module 1 \./fs-main: size 4 \(image 4\) align 4 at TP-0x4" &&
		has_line "tls: module 2 .*libfs-a.so: size 80 \(image 12\) align 64 at TP-0x80" &&
		has_line "tls: static TLS [0-9]+ bytes in 4 modules; surplus [0-9]+ bytes left"
}

test_all_enables_every_category() {
	debug_fs_main all && has_line "find library=" && has_line "relocation processing" &&
		has_line "symbol=" && has_line "binding file" && has_line "checking for version" &&
		has_line "object=" && has_line "runtime linker statistics" && has_line "address space" &&
		has_line "constructor order" && has_line "tls: module"
}

test_output_to_a_file() {
	cd "$FSB" && run LD_DEBUG=files LD_DEBUG_OUTPUT="$TMP/trace" "$LT" ./fs-main && expect_rc 0 &&
		expect_not_contains err "generating link map" || return 1
	local f
	f=$(ls "$TMP"/trace.* 2>/dev/null | head -1)
	[ -n "$f" ] && grep -q "generating link map" "$f" || { diag "no $TMP/trace.<pid> with the trace"; return 1; }
	[[ "$f" =~ \.[0-9]+$ ]] || { diag "file name must end in the pid: $f"; return 1; }
}

# The object a dlopen names is "dynamically loaded by" its caller, as
# glibc's loader says (its dependencies are "needed by" it), and each
# dlopen and dlclose that leaves it open, and its unloading, say so in
# glibc's words: dlbasic opens libmu-dl.so twice and closes it twice.
dl_lines() {
	sed -nE "s/$PID((opening|closing) file=.*|file=.*;  destroying link map)$/\1/p" <<<"$err"
}

ftest_a_dlopened_object_is_dynamically_loaded_by_its_caller() {
	local lib=$FB/lib/libmu-dl.so ours
	cd "$FB" && run LD_DEBUG=files ./dlbasic-lt && expect_rc 0 &&
		has_line "file=libmu-dl.so \[0\];  dynamically loaded by \./dlbasic-lt \[0\]" || return 1
	ours=$(dl_lines)
	[ "$ours" = "opening file=$lib [0]; direct_opencount=1
opening file=$lib [0]; direct_opencount=2
closing file=$lib; direct_opencount=1
file=$lib [0];  destroying link map" ] || { diag "the dlopen and dlclose lines:" "$ours"; return 1; }
	[ "$FLAVOUR" = glibc ] || return 0
	run LD_DEBUG=files ./dlbasic && expect_rc 0 &&
		has_line "file=libmu-dl.so \[0\];  dynamically loaded by \./dlbasic \[0\]" &&
		[ "$(dl_lines)" = "$ours" ] || { diag "glibc's loader's:" "$(dl_lines)"; return 1; }
}

# trace_to BASE LOADER...: ./hello (of the flavour) with LD_DEBUG=files and
# LD_DEBUG_OUTPUT=BASE, after making BASE.PID (its pid known, as exec keeps
# it) as $PREPARE says, with BASE.PID as $1.
trace_to() {
	local base=$1
	shift
	cd "$FB" && run PREPARE="$PREPARE" sh -c 'eval "$PREPARE" && exec env LD_DEBUG=files \
		LD_DEBUG_OUTPUT="$0" "$@" ./hello' "$base" "$@" && expect_rc 0 || { show_run; return 1; }
}

# The trace file is appended to, and a symbolic link at its name is not
# followed, as glibc's loader opens it (O_APPEND, O_NOFOLLOW): a link
# planted where someone traces to must not redirect the output.  glibc's
# loader then traces to standard output, unannounced; ld-teach to
# standard error, with a warning that says why.
ftest_output_file_is_appended_to_and_no_link_is_followed() {
	local loader f
	for loader in "$LT" "$SYSTEM_LD"; do
		[ "$loader" = /lib/ld-musl-x86_64.so.1 ] && continue  # (musl's has no LD_DEBUG)
		rm -f "$TMP"/app.* "$TMP"/lnk.*
		PREPARE='printf "earlier\n" >"$0.$$"' trace_to "$TMP/app" "$loader" || return 1
		f=$(ls "$TMP"/app.*)
		[ "$(head -1 "$f")" = earlier ] && [ "$(wc -l <"$f")" -gt 2 ] ||
			{ diag "$loader: $f does not hold the earlier line, then the trace"; return 1; }
		PREPARE='ln -s "$0.victim" "$0.$$"' trace_to "$TMP/lnk" "$loader" || return 1
		[ ! -e "$TMP/lnk.victim" ] && grep -qE "$PID" <<<"$out$err" ||
			{ diag "$loader: the link at the trace's name was followed"; show_run; return 1; }
		[ "$loader" = "$LT" ] || continue
		grep -qE "^ld-teach.so: warning: cannot open $TMP/lnk\.[0-9]+ for LD_DEBUG_OUTPUT \(Too many levels of symbolic links\): tracing to standard error$" <<<"$err" &&
			[ "$(grep -cE "$PID" <<<"$err")" -gt 2 ] || { show_run; return 1; }
	done
}

# A name longer than any path buffer of 512 bytes is used whole.
test_output_file_of_a_long_name() {
	local dir=$TMP/$(head -c 250 /dev/zero | tr '\0' a)/$(head -c 250 /dev/zero | tr '\0' b)
	mkdir -p "$dir" && cd "$FSB" && run LD_DEBUG=files LD_DEBUG_OUTPUT="$dir/trace" "$LT" ./fs-main &&
		expect_rc 0 && expect_not_contains err "generating link map" &&
		grep -q "generating link map" "$dir"/trace.[0-9]* || { show_run; ls "$dir" | sed 's/^/#   /'; return 1; }
}

ftest_show_auxv_prints_glibc_format() {
	cd "$FB" && run LD_SHOW_AUXV=1 "$LT" ./hello && expect_rc 0 && expect_contains out "hello, world" &&
		grep -qx 'AT_PAGESZ:            4096' <<<"$out" && grep -qE '^AT_PHDR:              0x[0-9a-f]+$' <<<"$out" &&
		grep -qx 'AT_EXECFN:            ./hello' <<<"$out" && grep -qE '^AT_BASE:              0x[0-9a-f]+$' <<<"$out" &&
		grep -qx 'AT_PLATFORM:          x86_64' <<<"$out" || { show_run; return 1; }
}

# In set-user-id and set-group-id programs all of these are ignored, as in glibc.
test_secure_mode_ignores_debug_variables() {
	secure_copy "$FSB/fs-preload-abs-lt" "$TMP/suid" || return 1
	run LD_DEBUG=all LD_SHOW_AUXV=1 LD_DEBUG_OUTPUT="$TMP/secure-trace" "$TMP/suid" && expect_rc 0 &&
		expect_out "a_add(2, 3) = 5"$'\n'"dtor: a"$'\n'"dtor: d" && expect_err_line "" &&
		! ls "$TMP"/secure-trace.* >/dev/null 2>&1
}

run_suite ld-debug
