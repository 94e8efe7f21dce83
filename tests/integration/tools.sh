#!/bin/bash
# The tools people already use, with ld-teach: ldd's interface
# (LD_TRACE_LOADED_OBJECTS, --list, --verify, Debian's ldd script), the
# picture of the link (--graph, LD_GRAPH_OUTPUT, rendered by dot),
# valgrind's memcheck, and gdb with what `make install` puts in place.
source "$(dirname "$0")/../lib.sh"

FSB=$BIN/fs

# ldd's lines without their addresses, the loader's line as LOADER (glibc's
# ld.so, musl's, or ld-teach.so, reached however).
ldd_lines() {
	sed -E -e 's/ \(0x[0-9a-f]{16}\)$//' \
		-e "s#^\t(/lib64/ld-linux-x86-64\.so\.2|/lib/ld-musl-x86_64\.so\.1|$LT)( => $LT)?\$#\tLOADER#" \
		<<<"$1"
}

# $TMP/dia: the flavour's diamond (which needs libmu-a and libmu-b, both
# needing libmu-c), without libmu-c.
diamond_without_c() {
	rm -rf "$TMP/dia" && mkdir -p "$TMP/dia/lib" && cp "$FB/diamond" "$FB/diamond-lt" "$TMP/dia/" &&
		cp "$FB/lib/libmu-a.so" "$FB/lib/libmu-b.so" "$TMP/dia/lib/"
}

# What ldd's list of $TMP/dia/diamond must be: glibc's loader's, for glibc
# programs; for musl programs glibc's lines too (doc/design.md), with
# ld-teach's libc.so for musl, and the loader last.
diamond_list() {
	if [ "$FLAVOUR" = glibc ]; then
		run LD_TRACE_LOADED_OBJECTS=1 "$TMP/dia/diamond" && ldd_lines "$out"
		return
	fi
	printf '\t%s\n' linux-vdso.so.1 "libmu-a.so => $TMP/dia/lib/libmu-a.so" \
		"libmu-b.so => $TMP/dia/lib/libmu-b.so" "libc.so => $TOP/build/musl/libc.so" \
		"libmu-c.so => not found" "libmu-c.so => not found" LOADER
}

# --- ldd's list ----------------------------------------------------------------

# Both start modes; a missing library is listed once for each object that
# needs it, and the listing goes on; nothing runs; exit 0, as glibc's.
ftest_trace_loaded_objects_lists_every_library() {
	diamond_without_c || return 1
	local expected
	expected=$(diamond_list) || return 1
	grep -q 'libmu-c.so => not found' <<<"$expected" || { diag "bad reference: $expected"; return 1; }
	run LD_TRACE_LOADED_OBJECTS=1 "$LT" "$TMP/dia/diamond" && expect_rc 0 && expect_err_line "" &&
		out=$(ldd_lines "$out") && expect_out "$expected" || return 1
	run LD_TRACE_LOADED_OBJECTS=1 "$TMP/dia/diamond-lt" && expect_rc 0 && expect_err_line "" &&
		out=$(ldd_lines "$out") && expect_out "$expected"
}

# The same list, from the option; it fails when something is missing.
ftest_list_goes_on_and_fails_when_something_is_missing() {
	diamond_without_c || return 1
	local expected
	expected=$(diamond_list) || return 1
	run "$LT" --list "$TMP/dia/diamond" && expect_rc 127 && out=$(ldd_lines "$out") &&
		expect_out "$expected" &&
		run "$LT" --list "$FB/diamond" && expect_rc 0 && expect_contains out "libmu-c.so => $FB/lib/libmu-c.so"
}

# A program named by a relative path, its libraries found through its
# $ORIGIN: each flavour's loader's lines (the libraries' lines, for musl's,
# which prints no others alike).  glibc's puts the working directory before
# the directory of an object it loads by a relative path; musl's keeps the
# relative name.
ftest_list_of_a_program_named_by_a_relative_path() {
	local want libs='s/ \(0x[0-9a-f]+\)$//; /libmu-/!d'
	cd "$FB" && run "$SYSTEM_LD" --list ./diamond && expect_rc 0 && want=$(sed -E "$libs" <<<"$out") || return 1
	if [ "$FLAVOUR" = glibc ]; then
		expect_contains want "libmu-c.so => $(pwd -P)/./lib/libmu-c.so" || return 1
	else
		expect_contains want "libmu-c.so => ./lib/libmu-c.so" || return 1
	fi
	run "$LT" --list ./diamond && expect_rc 0 && out=$(sed -E "$libs" <<<"$out") && expect_out "$want"
}

# Under the guarded build (lib.sh), ldd's list and the graph of a program
# missing a library are ld-teach.so's, but for the loader's own paths (and
# the list's addresses).
ftest_list_and_graph_under_the_guarded_build() {
	local how unguard="s# \(0x[0-9a-f]+\)\$##; s#$TOP/build/guarded/ld-teach/(musl|glibc)/#$TOP/build/\1/#; s#$GUARDED#$LT#"
	diamond_without_c && cd "$TMP/dia" || return 1
	for how in --list --graph; do
		run "$LT" "$how" ./diamond && out=$(sed -E "$unguard" <<<"$out") && remember &&
			run "$GUARDED" "$how" ./diamond && out=$(sed -E "$unguard" <<<"$out") && expect_same ||
			{ diag "$how"; return 1; }
	done
}

# The glibc programs of a Debian system, as glibc's loader lists them.
test_list_of_system_programs_matches_glibc() {
	need_glibc
	local prog want
	for prog in /bin/ls /usr/bin/python3 /usr/bin/git; do
		run LD_TRACE_LOADED_OBJECTS=1 "$prog" && want=$(ldd_lines "$out") || return 1
		run LD_TRACE_LOADED_OBJECTS=1 "$LT" "$prog" && expect_rc 0 && out=$(ldd_lines "$out") &&
			expect_out "$want" || { diag "$prog"; return 1; }
		run "$LT" --list "$prog" && expect_rc 0 && out=$(ldd_lines "$out") && expect_out "$want" ||
			{ diag "$prog --list"; return 1; }
	done
}

# A library that is there but broken stops the list, as in glibc.
ftest_list_stops_at_a_broken_library() {
	diamond_without_c && echo junk >"$TMP/dia/lib/libmu-c.so" || return 1
	run LD_TRACE_LOADED_OBJECTS=1 "$TMP/dia/diamond-lt" && expect_rc 127 &&
		expect_contains err "libmu-c.so: file too short" && [ "$(wc -l <<<"$err")" = 1 ] || return 1
	[ "$FLAVOUR" = musl ] || { run LD_TRACE_LOADED_OBJECTS=1 "$TMP/dia/diamond" && expect_rc 127; }
}

# The loader's line: the program's PT_INTERP, then " => " and ld-teach.so
# only when they differ.  A program the kernel started through ld-teach.so,
# and a library listed as the program (no PT_INTERP), show ld-teach.so alone.
ftest_the_loader_line_names_another_interpreter_only() {
	local interp addr=' \(0x[0-9a-f]{16}\)$'
	interp=$(readelf -lW "$FB/hello" | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
	[ -n "$interp" ] || { diag "$FB/hello has no PT_INTERP"; return 1; }
	run LD_TRACE_LOADED_OBJECTS=1 "$LT" "$FB/hello" && expect_rc 0 &&
		tail -1 <<<"$out" | grep -qE "^	$interp => $LT$addr" &&
		run LD_TRACE_LOADED_OBJECTS=1 "$FB/hello-lt" && expect_rc 0 &&
		tail -1 <<<"$out" | grep -qE "^	$LT$addr" &&
		run "$LT" --list "$FB/lib/libmu-a.so" && expect_rc 0 &&
		tail -1 <<<"$out" | grep -qE "^	$LT$addr" || { show_run; return 1; }
}

# --- --verify --------------------------------------------------------------------

# 0 exactly when ld-teach would load the program: the programs it loads
# (missing-sym fails later, at its first call of the missing function) and
# those it does not, run both ways.
ftest_verify_answers_whether_the_program_loads() {
	diamond_without_c || return 1
	local prog
	for prog in "$FB/diamond" "$FB/hello" "$FB/missing-sym"; do
		run "$LT" --verify "$prog" && expect_rc 0 && expect_err_line "" || return 1
		run "$LT" "$prog" && [ -n "$out" ] || { diag "$prog did not start"; show_run; return 1; }
	done
	run "$LT" --verify "$TMP/dia/diamond" && expect_rc 127 &&
		expect_err_line "ld-teach.so: $TMP/dia/lib/libmu-a.so: libmu-c.so: cannot open shared object file: No such file or directory" &&
		run "$LT" "$TMP/dia/diamond" && expect_rc 127 || return 1
	# Bound at load time, its missing function is a load failure.
	run LD_BIND_NOW=1 "$LT" --verify "$FB/missing-sym" && expect_rc 127 &&
		expect_err_line "ld-teach.so: $FB/missing-sym: symbol lookup error: undefined symbol: c_gone"
}

test_verify_glibc_exit_codes() {
	run "$LT" --verify "$FSB/fs-main" && expect_rc 0 &&
		run "$LT" --verify "$BIN/musl/hello-static" && expect_rc 1 &&
		run "$LT" --verify /etc/passwd && expect_rc 1 && expect_err_line "" &&
		run "$LT" --verify "$TMP/nonexistent" && expect_rc 1 &&
		run "$LT" --verify "$FSB/lib/libfs-a.so" && expect_rc 2 &&
		run "$LT" --verify "$FSB/fs-missing-lib" && expect_rc 127 &&
		expect_contains err "libfs-nowhere.so: cannot open shared object file"
}

test_verify_system_programs() {
	need_glibc
	local prog
	for prog in /bin/ls /usr/bin/python3 /usr/bin/gcc /lib/x86_64-linux-gnu/libc.so.6; do
		run "$LT" --verify "$prog" && expect_rc 0 || { diag "$prog"; return 1; }
	done
	run "$LT" --verify /lib/x86_64-linux-gnu/libz.so.1 && expect_rc 2
}

# Debian's ldd, told to use ld-teach.so (its RTLDLIST, doc/ld-debug.md).
test_debian_ldd_script() {
	need_glibc
	sed "s|^RTLDLIST=.*|RTLDLIST=\"$LT\"|" /usr/bin/ldd >"$TMP/ldd" && chmod +x "$TMP/ldd" || return 1
	grep -q "^RTLDLIST=\"$LT\"" "$TMP/ldd" || { diag "ldd has no RTLDLIST line"; return 1; }
	local want
	run ldd /bin/ls && want=$(ldd_lines "$out") &&
		run "$TMP/ldd" /bin/ls && expect_rc 0 && out=$(ldd_lines "$out") && expect_out "$want" &&
		run "$TMP/ldd" "$BIN/musl/hello" && expect_rc 0 &&
		expect_contains out "libc.so => $TOP/build/musl/libc.so" &&
		run "$TMP/ldd" /etc/passwd && expect_rc 1 && expect_contains err "not a dynamic executable"
}

# --- the picture of the link -----------------------------------------------------

need_dot() {
	command -v dot >/dev/null || skip "no dot (graphviz)"
}

# The label of node NAME's object: "o<n> [label=\"NAME..."
node_label() {
	grep -E "^	o[0-9]+ \[label=\"$1\\\\n" <<<"$out" | head -1
}

node_id() {
	node_label "$1" | sed -E 's/^	(o[0-9]+) .*/\1/'
}

# Every DT_NEEDED entry is an edge, every object a node that dot draws; its
# constructor places are those LD_DEBUG=init gives.
test_graph_of_a_program() {
	need_dot
	cd "$FSB" && run "$LT" --graph ./fs-main && expect_rc 0 && expect_err_line "" || return 1
	local graph=$out lib id n=0 order
	dot -Tsvg <<<"$graph" >"$TMP/g.svg" || { diag "dot refused the graph"; return 1; }
	grep -q '<svg' "$TMP/g.svg" || return 1
	for lib in libfs-a libfs-b libfs-c libfs-ver; do
		out=$graph
		[ -n "$(node_label "$lib.so")" ] || { diag "no node for $lib"; return 1; }
		grep -qE "^	o0 -> $(node_id "$lib.so");$" <<<"$graph" || { diag "no edge to $lib"; return 1; }
		grep -qE "^	$(node_id "$lib.so") -> $(node_id libfs-d.so);$" <<<"$graph" ||
			{ diag "no edge $lib -> libfs-d"; return 1; }
	done
	[ "$(grep -c -- ' -> ' <<<"$graph")" = 9 ] || { diag "not 9 edges"; return 1; }
	run env LD_DEBUG=init "$LT" ./fs-main || return 1
	order=$(sed -nE 's/^ *[0-9]+:\t  ([0-9]+)\. ([^ ]+).*/\1 \2/p' <<<"$err")
	[ -n "$order" ] || { diag "no LD_DEBUG=init order"; return 1; }
	while read -r n lib; do
		out=$graph
		node_label "$(basename "$lib")" | grep -q "init #$n\"" ||
			grep -q "^	o0 \[label=\"$lib\\\\n.*init #$n\"" <<<"$graph" ||
			{ diag "$lib is not init #$n"; diag "$graph"; return 1; }
	done <<<"$order"
}

# Preloads are dashed edges; a library not found is one red node, with an
# edge from each object that needs it; the graph is drawn, and says so.
ftest_graph_marks_preloads_and_missing_libraries() {
	need_dot
	diamond_without_c && cp "$FB/lib/libmu-preload.so" "$TMP/dia/lib/" || return 1
	cd "$TMP/dia" && run LD_PRELOAD=libmu-preload.so "$LT" --graph ./diamond && expect_rc 127 || return 1
	expect_contains err "libmu-c.so: cannot open shared object file" || return 1
	local graph=$out missing a b pre
	dot -Tsvg <<<"$graph" >/dev/null || { diag "dot refused the graph"; return 1; }
	missing=$(sed -nE 's/^	(p[0-9]+) \[label="libmu-c.so\\nnot found", color=red.*/\1/p' <<<"$graph")
	a=$(node_id libmu-a.so) b=$(node_id libmu-b.so) pre=$(node_id libmu-preload.so)
	[ -n "$missing" ] && [ -n "$a" ] && [ -n "$b" ] && [ -n "$pre" ] || { diag "$graph"; return 1; }
	[ "$(grep -c 'libmu-c.so' <<<"$graph")" = 1 ] || { diag "libmu-c drawn more than once"; return 1; }
	grep -q "^	$a -> $missing \[color=red\];" <<<"$graph" &&
		grep -q "^	$b -> $missing \[color=red\];" <<<"$graph" &&
		grep -q "^	o0 -> $pre \[style=dashed, label=\"preload\"\];" <<<"$graph" &&
		grep -q "preloaded" <<<"$(node_label libmu-preload.so)" || { diag "$graph"; return 1; }
}

# A library that is there but broken: everything else is drawn, and the
# library in red with the reason; a program that is not one: itself in red.
test_graph_of_a_broken_program() {
	need_dot
	mkdir -p "$TMP/broken/lib" && cp "$FSB/fs-main" "$TMP/broken/" && cp "$FSB"/lib/*.so "$TMP/broken/lib/" &&
		echo junk >"$TMP/broken/lib/libfs-c.so" || return 1
	cd "$TMP/broken" && run "$LT" --graph ./fs-main && expect_rc 127 &&
		expect_err_line "ld-teach.so: ./fs-main: ./lib/libfs-c.so: file too short" || return 1
	local graph=$out lib
	dot -Tsvg <<<"$graph" >/dev/null || { diag "dot refused the graph"; return 1; }
	for lib in libfs-a libfs-b libfs-ver libfs-d; do
		[ -n "$(node_label "$lib.so")" ] || { diag "no node for $lib"; return 1; }
	done
	grep -qE '^	p0 \[label="libfs-c.so\\n./lib/libfs-c.so:\\nfile too short", color=red' <<<"$graph" &&
		grep -q '^	o0 -> p0 \[color=red\];' <<<"$graph" || { diag "$graph"; return 1; }
	run "$LT" --graph /etc/passwd && expect_rc 127 && expect_err_line "ld-teach.so: /etc/passwd: invalid ELF header" &&
		grep -q '^	p0 \[label="/etc/passwd\\ninvalid ELF header", color=red' <<<"$out" &&
		dot -Tsvg <<<"$out" >/dev/null
}

# A problem found in a loaded object hangs from it as a note.
test_graph_notes_a_missing_version() {
	cd "$FSB" && run "$LT" --graph ./fs-needs-ver3 && expect_rc 127 || return 1
	local ver
	ver=$(node_id libfs-ver.so)
	[ -n "$ver" ] && grep -q "^	o0 -> p0 \[color=red, style=dotted, arrowhead=none\];" <<<"$out" &&
		grep -q '^	p0 \[shape=note.*version `VER_3'"'"' not found' <<<"$out" &&
		grep -q '^	o0 \[label=.*color=red, penwidth=2\];' <<<"$out" || { show_run; return 1; }
}

# At exit, LD_GRAPH_OUTPUT draws what dlopen brought, from whoever asked.
ftest_graph_at_exit_shows_dlopened_objects() {
	need_dot
	cd "$FB" && run LD_GRAPH_OUTPUT="$TMP/link-$FLAVOUR" ./dlflags-lt && expect_rc 0 || return 1
	local files=("$TMP/link-$FLAVOUR".*)
	[ "${#files[@]}" = 1 ] && [ -s "${files[0]}" ] || { diag "no graph written"; return 1; }
	out=$(cat "${files[0]}")
	local nodel
	nodel=$(node_id libmu-nodel.so)
	[ -n "$nodel" ] && grep -q "dlopen'ed" <<<"$(node_label libmu-nodel.so)" &&
		grep -q "^	o0 -> $nodel \[style=dashed, label=\"dlopen\"\];" <<<"$out" &&
		dot -Tsvg "${files[0]}" >/dev/null || { diag "$out"; return 1; }
}

# The graph file is made afresh (two graphs in one file would not be one
# drawing), and never opened through a symbolic link (design.md).
ftest_graph_file_is_made_afresh_and_no_link_is_followed() {
	local g=$TMP/g-$FLAVOUR files
	cd "$FB" && run sh -c 'printf "stale\n" >"$0.$$" && exec env LD_GRAPH_OUTPUT="$0" "$1" ./hello' \
		"$g" "$LT" && expect_rc 0 || { show_run; return 1; }
	files=("$g".*)
	[ "${#files[@]}" = 1 ] && [ "$(head -c 7 "${files[0]}")" = digraph ] &&
		! grep -q stale "${files[0]}" || { diag "${files[0]} holds: $(head -c 60 "${files[0]}")"; return 1; }
	run sh -c 'ln -s "$0.victim" "$0.$$" && exec env LD_GRAPH_OUTPUT="$0" "$1" ./hello' "$g-link" "$LT" &&
		expect_rc 0 && expect_contains out "hello, world" && [ ! -e "$g-link.victim" ] ||
		{ diag "the link at the graph's name was followed"; show_run; return 1; }
}

# --- memcheck ---------------------------------------------------------------------

# The errors in valgrind log $1 whose innermost frame, past valgrind's own
# replacements, is ld-teach's: its sources, ld-teach.so, or the stand-in.
loader_errors() {
	awk -v top="$TOP" '
		/^==[0-9]+== [A-Z]/ { what = $0; looking = 1; next }
		looking && /^==[0-9]+==    (at|by) / {
			if (index($0, "vgpreload_")) next
			looking = 0
			if (index($0, "(" top "/rtld/") || index($0, "(" top "/arch/") ||
			    index($0, "ld-teach.so)") || index($0, "ld-linux-x86-64.so.2)"))
				print what " " $0
		}' "$1"
}

# No user flags: valgrind as anyone runs it, in both start modes.  Names
# in heap blocks of their own size (dlnames) used to draw "conditional jump
# depends on uninitialised value" from the word-at-a-time compare.  glibc
# programs must be clean; musl programs draw valgrind's reports about
# musl's own allocator, as under musl's own loader (doc/design.md), none
# from ld-teach.
ftest_memcheck_reports_nothing_from_ld_teach() {
	command -v valgrind >/dev/null || { diag "valgrind is not installed"; return 1; }
	local prog log n=0
	cd "$FB" || return 1
	for prog in dlnames dlbasic; do
		for log in "$TMP/vg-$FLAVOUR-$prog-cmd" "$TMP/vg-$FLAVOUR-$prog-interp"; do
			if [[ $log == *-cmd ]]; then
				run valgrind --log-file="$log" --fullpath-after= "$LT" "./$prog"
			else
				run valgrind --log-file="$log" --fullpath-after= "./$prog-lt"
			fi
			expect_rc 0 && expect_no_signal || { diag "$prog"; return 1; }
			[ -z "$(loader_errors "$log")" ] || { diag "$(loader_errors "$log")"; cat "$log"; return 1; }
			grep -q "ERROR SUMMARY" "$log" || { diag "no valgrind summary in $log"; return 1; }
			[ "$FLAVOUR" = musl ] || grep -q "ERROR SUMMARY: 0 errors" "$log" ||
				{ diag "$prog: errors"; head -40 "$log"; return 1; }
			n=$((n + 1))
		done
	done
	[ "$n" = 4 ]
}

# --- make install, and gdb ---------------------------------------------------------

# $TMP/prefix: `make install` there, once.
installed() {
	[ -e "$TMP/prefix/lib/ld-teach.so" ] && return 0
	make -s -C "$TOP" install PREFIX="$TMP/prefix" >"$TMP/install.log" 2>&1 ||
		{ diag "make install failed:" "$(tail -5 "$TMP/install.log")"; return 1; }
}

# The debug file of FILE: lib/debug/.build-id/xx/rest.debug, from FILE's build-id.
debug_file_of() {
	local id
	id=$(readelf -n "$1" | sed -n 's/^ *Build ID: //p')
	[ -n "$id" ] && echo "$TMP/prefix/lib/debug/.build-id/${id:0:2}/${id:2}.debug"
}

# Installed stripped, each with its debug information where gdb looks by build-id.
test_install_strips_and_keeps_debug_information_aside() {
	installed || return 1
	local f debug objects=(lib/ld-teach.so lib/ld-teach/musl/libc.so)
	[ -e "$TOP/build/glibc/available" ] && objects+=(lib/ld-teach/glibc/ld-linux-x86-64.so.2)
	for f in "${objects[@]}"; do
		f=$TMP/prefix/$f
		debug=$(debug_file_of "$f") || { diag "$f has no build-id"; return 1; }
		# (The stand-in keeps one symbol, strlen, for valgrind.)
		readelf -SW "$f" | grep -q ' \.debug_' || [ -n "$(nm "$f" 2>/dev/null | grep -v ' strlen$')" ] &&
			{ diag "$f is not stripped"; return 1; }
		[ -f "$debug" ] && readelf -SW "$debug" | grep -q ' \.debug_info ' ||
			{ diag "no debug information for $f at $debug"; return 1; }
	done
	# The installed loader runs programs, and finds its libc.so for musl next to itself.
	run "$TMP/prefix/lib/ld-teach.so" "$BIN/musl/hello" && expect_rc 0 && expect_out "hello, world" &&
		run LD_DEBUG=files "$TMP/prefix/lib/ld-teach.so" "$BIN/musl/hello" &&
		expect_contains err "$TMP/prefix/lib/ld-teach/musl/libc.so"
}

# `break add` stops in the program's add only; with debug-file-directory
# naming the installed debug information, the loader's functions have
# their source lines, and without it, none.
ftest_gdb_finds_the_installed_debug_information() {
	installed || return 1
	local cc=musl-gcc prog=$TMP/adder-$FLAVOUR
	[ "$FLAVOUR" = glibc ] && cc=gcc
	printf '%s
' '#include <stdio.h>' '__attribute__((noinline)) int add(int a, int b) { return a + b; }' \
		'int main(void) { printf("%d\n", add(2, 3)); return 0; }' >"$TMP/adder.c"
	$cc -g -O0 -o "$prog" "$TMP/adder.c" -Wl,--dynamic-linker="$TMP/prefix/lib/ld-teach.so" || return 1
	run "$prog" && expect_out 5 || return 1
	local gdb=(gdb -batch -nx -ex 'set debuginfod enabled off' -ex 'break add' -ex run
		-ex 'info breakpoints' -ex 'info line lt_load_library')
	run "${gdb[@]}" -ex kill "$prog" &&
		expect_contains err 'Function "lt_load_library" not defined.' || return 1
	run "${gdb[@]:0:3}" -ex "set debug-file-directory $TMP/prefix/lib/debug" "${gdb[@]:3}" -ex kill "$prog"
	expect_contains out "Breakpoint 1, add (a=2, b=3) at $TMP/adder.c:2" &&
		expect_contains out 'of "rtld/load.c" starts at address' &&
		grep -qE "^1 +breakpoint +keep y +0x[0-9a-f]+ in add at $TMP/adder.c:2\$" <<<"$out" ||
		{ diag "add is not one breakpoint in the program"; show_run; return 1; }
}

# The stand-in, stripped, still has the strlen valgrind insists on.
test_valgrind_runs_glibc_programs_with_the_installed_loader() {
	need_glibc
	installed || return 1
	run valgrind -q --error-exitcode=99 "$TMP/prefix/lib/ld-teach.so" "$BIN/glibc-flavour/hello" &&
		expect_rc 0 && expect_out "hello, world"
}

run_suite tools
