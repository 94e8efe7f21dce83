#!/bin/bash
# The libc programs (test-bins/musl/), in both flavours, and ld-teach's own
# libc.so for musl programs (the adapter): compared with each flavour's
# system loader wherever it behaves the same, in both ways of starting, and
# checked against stated expectations where ld-teach goes further.
source "$(dirname "$0")/../lib.sh"

MB=$BIN/musl
MUSL_LD=/lib/ld-musl-x86_64.so.1
ADAPTER=$TOP/build/musl/libc.so

# The program under musl's loader and under ld-teach, both ways of starting:
#   command mode:  musl-ld ./prog ARGS   vs  ld-teach.so ./prog ARGS
#   PT_INTERP:     ./prog ARGS           vs  ./prog-lt ARGS
same_as_musl() {
	FB=$MB SYSTEM_LD=$MUSL_LD same_as_system_loader "$@"
}

ftest_hello() { same_as_system_loader hello; }
ftest_kitchen_sink_program() {
	same_as_system_loader kitchen one two && run LT_KITCHEN=here "$LT" "$FB/kitchen" x &&
		expect_contains out "LT_KITCHEN=here" && expect_contains out "squares from threads: 54"
}
# The order itself, stated: dependencies first, the program last; destructors in
# reverse, after the atexit handlers.  Where dependencies do not depend on each
# other, musl starts them in load order, glibc in the reverse.
ftest_diamond_constructors_and_destructors() {
	same_as_system_loader diamond || return 1
	local a=libmu-a b=libmu-b
	[ "$FLAVOUR" = musl ] || { a=libmu-b b=libmu-a; }
	expect_out "$(printf '%s\n' "ctor: libmu-c" "ctor: $a" "ctor: $b" "ctor: diamond" \
		"main: a=13 b=23" "atexit handler" "dtor: diamond" "dtor: $b" "dtor: $a" \
		"dtor: libmu-c")"
}
ftest_program_interposes_on_a_library() {
	same_as_system_loader interpose && expect_contains out "libmu-a asked mu_whoami and got: the program"
}
ftest_copy_relocation_from_fixed_address_program() {
	readelf -rW "$FB/copyreloc" | grep -q 'R_X86_64_COPY.*mu_counter' ||
		{ diag "copyreloc has no COPY relocation"; return 1; }
	same_as_system_loader copyreloc &&
		expect_contains out "program sees 52, library sees 52, same object: yes" &&
		expect_contains out "mu_bump has one address for the program and the library: yes"
}
# The library's copied object has grown since the program was linked: the
# program's size is copied, and ld-teach warns (glibc's loader warns too).
ftest_copy_relocation_of_an_object_that_grew() {
	cd "$FB" && run ./copyreloc && remember &&
		run LD_LIBRARY_PATH=stubs/bigger "$LT" ./copyreloc && expect_same &&
		expect_err_line "ld-teach.so: warning: ./copyreloc: \`mu_words' is 32 bytes in stubs/bigger/libmu-data.so but 24 in the program: copying 24 (relink the program)"
}

ftest_libc_data_copied_into_the_program() {
	same_as_system_loader copydata -a one -b two three &&
		expect_contains out "setenv is visible through the program's environ: yes"
}
ftest_weak_undefined_symbols() {
	same_as_system_loader weak && expect_contains out "mu_nowhere: null" && expect_contains out "c_value: defined (3)"
}
ftest_threads_with_tls_in_program_and_library() {
	same_as_system_loader threads && expect_contains out "threads with correct private TLS: 8 of 8"
}
ftest_preload_overrides_a_library_function() {
	cd "$FB" || return 1
	same_as_system "$SYSTEM_LD" ./preload && expect_contains out "a_value() = 13" || return 1
	run LD_PRELOAD="$FB/lib/libmu-preload.so" "$SYSTEM_LD" ./preload && remember &&
		run LD_PRELOAD="$FB/lib/libmu-preload.so" "$LT" ./preload && expect_same &&
		run LD_PRELOAD="$FB/lib/libmu-preload.so" ./preload-lt && expect_same &&
		expect_contains out "a_value() = 1000"
}
# A program whose file cannot be read, only run (mode 111; root without its
# capabilities to pass over file modes): ld-teach takes the kernel's
# mapping, as glibc's and musl's loaders do, and says so; the program runs
# as under the system loader.  It used to refuse ("cannot open the
# program's file to check it").
ftest_an_execute_only_program_runs_as_under_the_system_loader() {
	need_root
	local drop=(setpriv --bounding-set=-dac_override,-dac_read_search)
	cp "$FB/hello" "$TMP/xo" && cp "$FB/hello-lt" "$TMP/xo-lt" && chmod 111 "$TMP/xo" "$TMP/xo-lt" &&
		mkdir -p "$TMP/lib" && cp "$FB/lib/"*.so "$TMP/lib/" || return 1
	run "${drop[@]}" "$TMP/xo" && remember && run "${drop[@]}" "$TMP/xo-lt" && expect_same &&
		run LD_DEBUG=files "${drop[@]}" "$TMP/xo-lt" && expect_same &&
		expect_contains err "$TMP/xo-lt: no file of the program could be read (Permission denied)"
}

# LD_PRELOAD's names are separated by any white space for musl's loader
# (isspace), by spaces and colons alone for glibc's, which takes a tab or a
# newline for part of a name (preload_separators in rtld/libc.h): here a
# name between a tab and a newline preloads libmu-preload.so (a_value()
# = 1000) for musl programs, and is no file for glibc's (13, a warning).
ftest_preload_names_are_split_as_the_libcs_loader_splits_them() {
	local want=13 list=$'\t'"$FB/lib/libmu-preload.so"$'\n'
	[ "$FLAVOUR" = musl ] && want=1000
	cd "$FB" && run LD_PRELOAD="$list" "$SYSTEM_LD" ./preload && remember &&
		run LD_PRELOAD="$list" "$LT" ./preload && expect_same &&
		run LD_PRELOAD="$list" ./preload && expect_same &&
		run LD_PRELOAD="$list" ./preload-lt && expect_same && expect_contains out "a_value() = $want"
}

# LD_PRELOAD and LD_LIBRARY_PATH given twice: glibc's loader takes a
# variable's last entry, musl's its first (getenv), and ld-teach reads them
# as the program's libc's loader does (first_entries in rtld/libc.h).  The
# first entries preload libmu-preload.so and find a libmu-a.so of its own
# (a copy of it: a_value() = 1000); the last ones do neither (13).
ftest_a_variable_given_twice_is_read_as_the_libcs_loader_reads_it() {
	local want=13 setting
	[ "$FLAVOUR" = musl ] && want=1000
	mkdir -p "$TMP/alt" && cp "$FB/lib/libmu-preload.so" "$TMP/alt/libmu-a.so" && cd "$FB" || return 1
	for setting in "LD_PRELOAD=$FB/lib/libmu-preload.so LD_PRELOAD=" \
		"LD_LIBRARY_PATH=$TMP/alt LD_LIBRARY_PATH=$TMP/none"; do
		# shellcheck disable=SC2086 # (two entries, each one word)
		run "$EXACT_ENV" $setting -- "$SYSTEM_LD" ./preload && remember &&
			run "$EXACT_ENV" $setting -- "$LT" ./preload && expect_same &&
			run "$EXACT_ENV" $setting -- ./preload && expect_same &&
			run "$EXACT_ENV" $setting -- ./preload-lt && expect_same &&
			expect_contains out "a_value() = $want" || { diag "$setting"; return 1; }
	done
}
# A list of directories is split as the program's libc's loader splits it
# (lists_skip_empty in rtld/libc.h): glibc's at colons, an empty element
# naming the current directory, where a libmu-a.so of its own waits
# (a_value() = 1000, else 13); musl's at colons and newlines, skipping
# empty elements.  For glibc, ldd's line of a library found through an
# empty element names it as glibc's does: by its name alone.
ftest_a_library_path_is_split_as_the_libcs_loader_splits_it() {
	local llp want
	mkdir -p "$TMP/cwd" && cp "$FB/lib/libmu-preload.so" "$TMP/cwd/libmu-a.so" && cd "$TMP/cwd" ||
		return 1
	for llp in ":" "/nonexist:" "::" "$(printf '/nonexist\n.')" "$(printf '\n')" ""; do
		run LD_LIBRARY_PATH="$llp" "$SYSTEM_LD" "$FB/preload" && remember &&
			run LD_LIBRARY_PATH="$llp" "$LT" "$FB/preload" && expect_same &&
			run LD_LIBRARY_PATH="$llp" "$FB/preload-lt" && expect_same ||
			{ diag "LD_LIBRARY_PATH=$llp"; return 1; }
		want=13
		case "$FLAVOUR:$llp" in glibc:*:* | musl:*$'\n'.) want=1000 ;; esac
		expect_contains out "a_value() = $want" || { diag "LD_LIBRARY_PATH=$llp"; return 1; }
	done
	[ "$FLAVOUR" = glibc ] || return 0
	local line='^	libmu-a.so \(0x[0-9a-f]+\)$'
	run LD_LIBRARY_PATH=: LD_TRACE_LOADED_OBJECTS=1 "$SYSTEM_LD" "$FB/preload" && grep -qE "$line" <<<"$out" &&
		run LD_LIBRARY_PATH=: LD_TRACE_LOADED_OBJECTS=1 "$LT" "$FB/preload" && grep -qE "$line" <<<"$out" ||
		{ diag "ldd's line of libmu-a.so, found through an empty element"; show_run; return 1; }
	# The search path, and the files tried in the current directory, as
	# glibc's loader prints them: the empty element empty, names relative.
	local ours theirs lines='s/^ *[0-9]*:\t\( search path=.*(LD_LIBRARY_PATH)\|  trying file=[^/].*\)$/\1/p'
	run LD_LIBRARY_PATH=/nonexist::/nonexist LD_DEBUG=libs "$SYSTEM_LD" "$FB/preload" &&
		theirs=$(sed -n "$lines" <<<"$err") &&
		run LD_LIBRARY_PATH=/nonexist::/nonexist LD_DEBUG=libs "$LT" "$FB/preload" &&
		ours=$(sed -n "$lines" <<<"$err") && [ -n "$theirs" ] && [ "$ours" = "$theirs" ] ||
		{ diag "glibc's loader, then ld-teach:" "$theirs" "--" "$ours"; return 1; }
}

# runpath_programs DIR CC: in DIR, ./inh, whose RUNPATH ($ORIGIN/lib)
# alone finds libb.so, which its liba.so (no RUNPATH of its own) needs;
# and ./dl, whose libc2.so (no RUNPATH) dlopens libtgt.so, which only
# ./dl's RUNPATH finds.  Each with a -lt twin started by the kernel.
runpath_programs() {
	mkdir -p "$1/lib" && cd "$1" || return 1
	echo 'int b(void) { return 5; }' >b.c
	echo 'int b(void); int a(void) { return b() + 1; }' >a.c
	echo 'int a(void); int main(void) { return a(); }' >inh.c
	echo 'int target(void) { return 7; }' >tgt.c
	printf '%s\n' '#include <dlfcn.h>' '#include <stdio.h>' \
		'int c(void) { void *h = dlopen("libtgt.so", RTLD_NOW); if (!h) puts(dlerror());' \
		'	int (*t)(void) = h ? (int (*)(void))dlsym(h, "target") : 0; return t ? t() : 1; }' >c.c
	echo 'int c(void); int main(void) { return c(); }' >dl.c
	local flags=(-Wl,-rpath-link,lib -Wl,-rpath,'$ORIGIN/lib') prog
	run_build "$2" -shared -fPIC -o lib/libb.so b.c && run_build "$2" -shared -fPIC -o lib/liba.so a.c \
		-Llib -lb && run_build "$2" -shared -fPIC -o lib/libtgt.so tgt.c &&
		run_build "$2" -shared -fPIC -o lib/libc2.so c.c -ldl || { show_run; return 1; }
	for prog in inh:a dl:c2; do
		run_build "$2" -o "${prog%:*}" "${prog%:*}.c" -Llib -l"${prog#*:}" "${flags[@]}" &&
			run_build "$2" -o "${prog%:*}-lt" "${prog%:*}.c" -Llib -l"${prog#*:}" "${flags[@]}" \
				-Wl,--dynamic-linker="$LT" && expect_rc 0 || { show_run; return 1; }
	done
}

# A RUNPATH serves the libraries its object's dependencies need, and a
# dlopen searches as the program's dependency, whoever calls it, in musl's
# loader; in glibc's, a RUNPATH serves its own object's needs alone, and a
# dlopen searches the caller's.  ld-teach follows the program's libc
# (search_lists in rtld/libc.h), compared with its loader in both modes.
ftest_runpath_and_dlopen_search_as_the_libcs_loader_searches() {
	local cc=musl-gcc prog want
	[ "$FLAVOUR" = glibc ] && cc=gcc
	runpath_programs "$TMP/runpath-$FLAVOUR" "$cc" || return 1
	for prog in inh dl; do
		run "$SYSTEM_LD" "./$prog" && remember && run "$LT" "./$prog" && expect_same &&
			run "./$prog-lt" && expect_same || { diag "$prog"; return 1; }
		case "$FLAVOUR:$prog" in musl:inh) want=6 ;; musl:dl) want=7 ;; glibc:inh) want=127 ;; glibc:dl) want=1 ;; esac
		expect_rc "$want" || { diag "$prog"; show_run; return 1; }
	done
}

# rules_programs DIR CC: in DIR (a real path), programs that return b(),
# 5 from lib/libb.so, 9 from lib2's: ./plain with no list of its own;
# ./tok, whose list is $LIB/none then DIR/lib; ./prefix, whose list is
# $ORIGIN_lib (a copy of lib/); ./run, whose list is DIR/lib; ./rel, whose
# list is "rlib" (relative), and whose rlib/libr.so finds libb.so in lib3/
# through its own list, $ORIGIN/../lib3.  Each with a -lt twin.  loop/
# holds a libb.so that is a link to itself.
rules_programs() {
	local dir=$1 cc=$2 prog
	mkdir -p "$dir"/{lib,lib2,lib3,rlib,loop} "${dir}_lib" && cd "$dir" || return 1
	echo 'int b(void) { return 5; }' >b.c && echo 'int b(void) { return 9; }' >b9.c &&
		echo 'int b(void); int r(void) { return b(); }' >r.c &&
		echo 'int b(void); int main(void) { return b(); }' >main.c &&
		echo 'int r(void); int main(void) { return r(); }' >rmain.c && ln -sf libb.so loop/libb.so
	run_build "$cc" -shared -fPIC -o lib/libb.so b.c && run_build "$cc" -shared -fPIC -o lib2/libb.so b9.c &&
		cp lib/libb.so lib3/ && cp lib/libb.so "${dir}_lib/" &&
		run_build "$cc" -shared -fPIC -o rlib/libr.so r.c -Llib3 -lb -Wl,-rpath,'$ORIGIN/../lib3' ||
		{ show_run; return 1; }
	for prog in plain: tok:'$LIB/none:'"$dir/lib" prefix:'$ORIGIN_lib' run:"$dir/lib"; do
		local flags=(main.c -Llib -lb) name=${prog%%:*} list=${prog#*:}
		[ -z "$list" ] || flags+=("-Wl,-rpath,$list")
		run_build "$cc" -o "$name" "${flags[@]}" &&
			run_build "$cc" -o "$name-lt" "${flags[@]}" -Wl,--dynamic-linker="$LT" || { show_run; return 1; }
	done
	run_build "$cc" -o rel rmain.c -Lrlib -lr -Wl,-rpath-link,lib3 -Wl,-rpath,rlib &&
		run_build "$cc" -o rel-lt rmain.c -Lrlib -lr -Wl,-rpath-link,lib3 -Wl,-rpath,rlib \
			-Wl,--dynamic-linker="$LT" || { show_run; return 1; }
}

# same_exit ENV... PROG WANT: PROG (in the working directory) under the
# system loader and ld-teach, in both modes, exits WANT under each.
same_exit() {
	local want=${*: -1} prog=${*: -2:1} env=("${@:1:$#-2}") cmd
	for cmd in "$SYSTEM_LD $PWD/$prog" "$LT $PWD/$prog" "./$prog" "./$prog-lt"; do
		# shellcheck disable=SC2086 # (a loader and a program, or a program)
		run "${env[@]}" $cmd && expect_rc "$want" || { diag "${env[*]} $cmd"; show_run; return 1; }
	done
}

# Tokens in a list of directories, as the program's libc's loader reads
# them (origin_only in rtld/libc.h).  glibc's expands $ORIGIN, $LIB and
# $PLATFORM wherever they stand, LD_LIBRARY_PATH's too, and keeps an
# unknown token as written.  musl's knows $ORIGIN alone, and in RPATH and
# RUNPATH alone: "$ORIGIN_lib" is the program's directory and "_lib", any
# other '$' drops the whole list, and LD_LIBRARY_PATH is taken as written.
ftest_tokens_in_search_lists_as_the_libcs_loader_reads_them() {
	local cc=musl-gcc dir
	[ "$FLAVOUR" = glibc ] && cc=gcc
	dir=$(realpath -m "$TMP/rules-$FLAVOUR") && rules_programs "$dir" "$cc" || return 1
	if [ "$FLAVOUR" = musl ]; then
		same_exit tok 127 && same_exit prefix 5 && same_exit LD_LIBRARY_PATH='$ORIGIN/lib' plain 127
	else
		same_exit tok 5 && same_exit prefix 127 && same_exit LD_LIBRARY_PATH='$ORIGIN/lib' plain 5
	fi
}

# An error opening a candidate other than its absence (here a loop of
# links) ends the list it was met in for glibc's loader, which goes on
# with the program's RUNPATH (5), not to lib2 (9); musl's gives up (127).
# Both loaders are the reference, and ld-teach follows the program's
# (open_error_ends_search in rtld/libc.h).
ftest_an_open_error_ends_the_list_or_the_search() {
	local cc=musl-gcc want=127 dir
	[ "$FLAVOUR" = glibc ] && cc=gcc want=5
	dir=$(realpath -m "$TMP/rules-$FLAVOUR") && rules_programs "$dir" "$cc" &&
		same_exit LD_LIBRARY_PATH="$dir/loop:$dir/lib2" run "$want" &&
		same_exit LD_LIBRARY_PATH="$dir/lib2" run 9
}

# musl's loader tries no path longer than its 512-byte buffer: a directory
# whose path is that long is skipped (127); glibc's finds the library (5).
ftest_a_path_too_long_for_musls_loader_is_skipped() {
	local cc=musl-gcc want=127 dir long
	[ "$FLAVOUR" = glibc ] && cc=gcc want=5
	dir=$(realpath -m "$TMP/rules-$FLAVOUR") && rules_programs "$dir" "$cc" || return 1
	long=$dir/$(printf 'd%.0s' {1..200})/$(printf 'e%.0s' {1..200})/$(printf 'f%.0s' {1..100})
	mkdir -p "$long" && cp lib/libb.so "$long/" || return 1
	same_exit LD_LIBRARY_PATH="$long" plain "$want"
}

# In a set-group-id program, musl's loader refuses a relative $ORIGIN:
# rlib/libr.so, found through the relative RPATH "rlib", cannot find libb.so
# through its $ORIGIN/../lib3 (127).  glibc's made the library's origin
# absolute when it loaded it, and allows a library's leading $ORIGIN (5).
ftest_a_relative_origin_in_a_secure_program() {
	local cc=musl-gcc want=127 dir prog
	[ "$FLAVOUR" = glibc ] && cc=gcc want=5
	dir=$(realpath -m "$TMP/rules-$FLAVOUR") && rules_programs "$dir" "$cc" || return 1
	for prog in rel rel-lt; do
		secure_copy "$prog" "secure-$prog" && run "./secure-$prog" && expect_rc "$want" ||
			{ diag "$prog"; show_run; return 1; }
	done
	run ./rel-lt && expect_rc 5
}

# musl's loader looks nowhere for a name longer than NAME_MAX (255 bytes);
# glibc's tries each directory, which refuses it (name_max in rtld/libc.h).
# The files each loader tries (strace), compared in both modes.
ftest_a_name_too_long_is_searched_as_the_libcs_loader_searches() {
	need_strace
	local name cmd tries want=0
	name=lib$(printf 'x%.0s' $(seq 300)).so
	cd "$FB" || return 1
	for cmd in "$SYSTEM_LD ./dlglobal" "$LT ./dlglobal" "./dlglobal" "./dlglobal-lt"; do
		# shellcheck disable=SC2086 # (a loader and a program, or a program)
		run strace -f -e trace=open,openat -o "$TMP/trace" $cmd "$name" && expect_rc 1 &&
			grep -q 'open' "$TMP/trace" || { diag "$cmd: no open traced"; return 1; }
		tries=$(grep -c "$name" "$TMP/trace")
		[ "$FLAVOUR" = musl ] || { [ "$cmd" = "$SYSTEM_LD ./dlglobal" ] && want=$tries; }
		[ "$tries" = "$want" ] && { [ "$FLAVOUR" = musl ] || [ "$tries" -gt 0 ]; } ||
			{ diag "$cmd: $tries files tried, $want expected"; return 1; }
	done
}

test_replacement_malloc_serves_libc() {
	same_as_musl mymalloc && expect_contains out "fopen reached our malloc: yes" &&
		expect_contains out "block is ours: yes"
}
ftest_origin_rpath_from_another_directory() {
	cd / && run "$FB/origin" && remember && run "$FB/origin-lt" && expect_same &&
		run "$LT" "$FB/origin" && expect_same && expect_contains out "a=13 b=23"
}

# A PT_GNU_STACK that asks for a larger stack raises the default for threads, as in musl.
test_program_asks_for_larger_thread_stacks() {
	same_as_musl stacksize && expect_out "a new thread's stack holds 1 MiB: yes"
}

# A 100 KiB stack, as test harnesses give programs.
ftest_small_stack_both_modes() {
	local mode
	for mode in "$LT $FB/kitchen" "$FB/kitchen-lt" "$LT $FB/threads" "$FB/threads-lt"; do
		run bash -c "ulimit -s 100 && exec $mode a" && expect_rc 0 || { diag "with: $mode"; return 1; }
	done
}

# musl's loader leaves the auxiliary vector describing itself in command
# mode, and glibc's leaves AT_BASE 0; ld-teach rewrites it to describe the
# program, as the kernel would have (a stated difference).
ftest_argv_env_auxv_command_mode() {
	cd "$FB" && run LT_ECHO=value "$LT" ./echo one two && expect_rc 0 &&
		expect_out "$(printf '%s\n' "argv[0]=./echo" "argv[1]=one" "argv[2]=two" "LT_ECHO=value" \
			"__progname=echo" "AT_PAGESZ=4096" "AT_PHDR is ours: yes" "AT_PHNUM is ours: yes" \
			"AT_ENTRY is ours: yes" "AT_BASE set: yes" "AT_EXECFN ends in argv[0]: yes")"
}
ftest_argv_env_auxv_interp_mode() {
	cd "$FB" && run LT_ECHO=value ./echo one two && ref_out=${out//echo/ECHO} && ref_rc=$rc &&
		run LT_ECHO=value ./echo-lt one two && out=${out//echo-lt/ECHO} && expect_same &&
		run LT_ECHO=value "$LT" --argv0 other ./echo && expect_contains out "__progname=other"
}

# Names musl folds into libc.so, with or without version suffixes, are all
# served by ld-teach's libc.so (musl's own loader serves fewer of them).
test_reserved_names_are_served_by_the_adapter() {
	cd "$MB" && run ./reserved-lt && expect_rc 0 && expect_out "sqrt(2) = 1.414214" &&
		run "$LT" ./reserved && expect_out "sqrt(2) = 1.414214" &&
		run "$LT" --list ./reserved && [ "$(grep '=>' <<<"$out" | grep -vc 'ld-teach.so (')" = 1 ] &&
		expect_contains out "libm.so.6 => $ADAPTER" || { show_run; return 1; }
}

# Never the system's musl libc.so: only ld-teach's own.
test_system_musl_is_never_mapped() {
	need_strace
	local mode
	for mode in "$LT $MB/kitchen" "$MB/kitchen-lt"; do
		run strace -f -e trace=open,openat,execve -o "$TMP/trace" $mode x
		expect_rc 0 || return 1
		if grep -E 'x86_64-linux-musl|ld-musl' "$TMP/trace" | grep -v ENOENT; then
			diag "the system musl was opened ($mode)"
			return 1
		fi
		grep -q "\"$ADAPTER\"" "$TMP/trace" || { diag "the adapter was not opened"; return 1; }
	done
}

# Started by the kernel, ld-teach reads the program's file once, by the
# path execve was given (AT_EXECFN), to check the kernel's mapping; the
# prelink cache's name (the program's device and inode) comes from that
# same fstat, not from a second stat of the program's path.  /proc/self/exe,
# dearer to reach, is not needed, nor is any link resolved to find its
# libc.so (its own path is the one it was built for): no readlink.
test_pt_interp_start_reads_the_program_once() {
	need_strace
	run strace -f -e trace=stat,lstat,newfstatat,statx,fstat,openat,openat2,readlink,readlinkat \
		-o "$TMP/trace" "$MB/hello-lt"
	expect_rc 0 && expect_out "hello, world" || return 1
	if grep -E 'readlink|/proc/self/exe' "$TMP/trace"; then
		diag "a link was looked for, or /proc/self/exe opened"
		return 1
	fi
	[ "$(grep -cE "openat2?\(AT_FDCWD, \"$MB/hello-lt\"" "$TMP/trace")" = 1 ] ||
		{ diag "the program's path was not opened once"; return 1; }
	if grep -E 'stat(at|x)?\(.*hello-lt' "$TMP/trace"; then
		diag "the program's path was looked at again"
		return 1
	fi
	grep -q 'ld-teach/hello-lt-' "$TMP/trace" || { diag "no prelink cache was looked for"; return 1; }
}

# A plain absolute path opened through no link (openat2's
# RESOLVE_NO_SYMLINKS) is the name /proc/self/exe would give: the
# program's $ORIGIN (origin-lt's RUNPATH) is read from it, with no
# readlink.  Through a link, the link is resolved: /proc/self/exe.
test_pt_interp_origin_of_a_plain_path_needs_no_readlink() {
	need_strace
	ln -s "$MB/origin-lt" "$TMP/link" || return 1
	run strace -f -e trace=openat2,readlink,readlinkat -o "$TMP/trace" "$MB/origin-lt"
	expect_rc 0 && expect_contains out "a=13 b=23" || return 1
	if grep -qE 'openat2\(.*= -1 (ENOSYS|EPERM)' "$TMP/trace"; then
		skip "openat2 is not available here (Linux before 5.6, or a seccomp profile)"
	fi
	if grep readlink "$TMP/trace"; then
		diag "a link was read for a plain path"
		return 1
	fi
	run strace -f -e trace=readlink,readlinkat -o "$TMP/trace" "$TMP/link"
	expect_rc 0 && expect_contains out "a=13 b=23" || return 1
	grep -q 'readlinkat(AT_FDCWD, "/proc/self/exe"' "$TMP/trace" ||
		{ diag "the program run through a link did not read /proc/self/exe"; return 1; }
}

# A kernel or seccomp profile that refuses openat2: the path is opened
# plainly, and the origin read from /proc/self/exe.
test_pt_interp_start_without_openat2_opens_the_path_plainly() {
	need_seccomp
	need_strace
	run strace -f -e trace=openat,openat2,readlinkat -o "$TMP/trace" \
		"$FAILING_SYSCALL" openat2 38 "$MB/origin-lt"
	expect_rc 0 && expect_contains out "a=13 b=23" || return 1
	grep -A1 "openat2(AT_FDCWD, \"$MB/origin-lt\".*ENOSYS" "$TMP/trace" |
		grep -q "openat(AT_FDCWD, \"$MB/origin-lt\"" &&
		grep -q 'readlinkat(AT_FDCWD, "/proc/self/exe"' "$TMP/trace" ||
		{ diag "openat2 refused, the path was not opened plainly and the link read"; return 1; }
}

# When the path execve was given is not the program's file, here a #!
# script whose interpreter is the program, /proc/self/exe decides: the
# script fails the check, the program's own file passes.
test_pt_interp_start_through_a_script_checks_proc_self_exe() {
	need_strace
	printf '#!%s\n' "$MB/hello-lt" >"$TMP/script" && chmod +x "$TMP/script" || return 1
	run strace -f -e trace=openat,openat2 -o "$TMP/trace" "$TMP/script"
	expect_rc 0 && expect_out "hello, world" || return 1
	grep -A1 -E "openat2?\(AT_FDCWD, \"$TMP/script\"" "$TMP/trace" | grep -q '"/proc/self/exe"' ||
		{ diag "the script, then /proc/self/exe, were not opened"; return 1; }
}

# Without /proc (an empty one in a mount namespace), nothing names the
# program's file when it was started through a #! script: refused, saying
# so, rather than blaming the script for not being an ELF file.
test_pt_interp_start_through_a_script_without_proc_is_refused_plainly() {
	need_root
	unshare -m true 2>/dev/null || skip "cannot make a mount namespace"
	printf '#!%s\n' "$MB/hello-lt" >"$TMP/script" && chmod +x "$TMP/script" || return 1
	run unshare -m sh -c 'mount -t tmpfs none /proc && exec "$0"' "$TMP/script" && expect_rc 127 &&
		expect_err_line "ld-teach.so: $TMP/script: not the program's file (a #! script?), and /proc/self/exe cannot be opened to check the program"
}

# fexecve of a descriptor that closes on exec: AT_EXECFN is /dev/fd/N,
# which no longer opens, and /proc/self/exe serves.
test_pt_interp_start_by_a_closed_descriptor_checks_proc_self_exe() {
	need_strace
	run strace -f -e trace=openat -o "$TMP/trace" python3 -c \
		'import os, sys; os.execve(os.open(sys.argv[1], os.O_RDONLY), sys.argv[1:], {})' \
		"$MB/hello-lt"
	expect_rc 0 && expect_out "hello, world" || return 1
	grep -A1 'openat(AT_FDCWD, "/dev/fd/[0-9]*".*ENOENT' "$TMP/trace" | grep -q '"/proc/self/exe"' ||
		{ diag "/dev/fd/N failed to open, then /proc/self/exe was not opened"; return 1; }
}

# In secure mode the file is /proc/self/exe, the very file the kernel ran,
# and only it: the path could since name another file.
test_pt_interp_start_in_secure_mode_checks_proc_self_exe_alone() {
	need_strace
	secure_copy "$MB/hello-lt" "$TMP/hello-lt" || return 1
	run strace -f -e trace=openat,openat2 -o "$TMP/trace" "$TMP/hello-lt"
	expect_rc 0 && expect_out "hello, world" || return 1
	grep -q '"/proc/self/exe"' "$TMP/trace" || { diag "/proc/self/exe was not opened"; return 1; }
	if grep "\"$TMP/hello-lt\"" "$TMP/trace"; then
		diag "the program's path was opened"
		return 1
	fi
}

# ld-teach's libc.so keeps its .bss in the file (rtld/bss-in-file.ld):
# its data segment is one file mapping, with no anonymous mapping after it.
# (The kernel-started hello's other memory is ld-teach.so's own .bss.)
test_the_adapter_libc_needs_no_anonymous_mapping() {
	need_strace
	run strace -f -e trace=mmap -o "$TMP/trace" "$MB/hello-lt"
	expect_rc 0 && expect_out "hello, world" && data_segment_from_file "$TMP/trace" libc.so
}

# A small program started by the kernel from ld-teach.so's home (the path
# the build gave it) leaves alone the large buffers it does not need, each
# a page fault and a page of memory if touched: the buffer in which the
# adapter would make its file's path (at home the build knows it), and,
# for a musl program, whose libraries the adapter serves, the one in which
# a search would make a library's path.  (It looks at the page where each
# buffer begins, which a short path would touch; should the link put a
# variable a start uses on that page too, this fails and names the page.)
ftest_a_small_start_leaves_the_buffers_it_does_not_need_untouched() {
	local syms="libc_made load_path" sym offsets
	[ "$FLAVOUR" = glibc ] && syms="ldso_made"
	for sym in $syms; do
		offsets+=" $(nm "$LT" | awk -v s="$sym" '$3 == s || index($3, s ".") == 1 { print $1 }')"
	done
	[ "$(wc -w <<<"$offsets")" = "$(wc -w <<<"$syms")" ] ||
		{ diag "nm found $offsets for $syms"; return 1; }
	run "$FB/untouched-lt" $offsets && expect_rc 0 || return 1
	! grep -q ' touched$' <<<"$out" || { diag "touched at start-up ($syms):"; show_run; return 1; }
	[ "$(grep -c ' untouched$' <<<"$out")" = "$(wc -w <<<"$syms")" ] || { show_run; return 1; }
}

# musl's path file is read at the first search that comes to the system
# directories, and kept, as musl keeps it: a preload and a needed library,
# neither found, search them twice, with one open of the file.
test_the_musl_path_file_is_read_once() {
	need_strace
	cd "$MB" && run strace -f -e trace=openat -o "$TMP/trace" \
		env LD_DEBUG=libs LD_PRELOAD=libmu-nothere.so "$LT" ./missing-lib && expect_rc 127 || return 1
	[ "$(grep -c '(system search path)' <<<"$err")" = 2 ] ||
		{ diag "not two searches of the system directories"; show_run; return 1; }
	[ "$(grep -c '"/etc/ld-musl-x86_64.path"' "$TMP/trace")" = 1 ] ||
		{ diag "opens of the path file:"; grep 'ld-musl' "$TMP/trace" | sed 's/^/#   /'; return 1; }
}

ftest_missing_library_is_a_load_error() {
	cd "$FB" && run "$LT" ./missing-lib && expect_rc 127 &&
		expect_err_line "ld-teach.so: ./missing-lib: libmu-gone.so: cannot open shared object file: No such file or directory" &&
		run ./missing-lib-lt && expect_rc 127 && expect_contains err "libmu-gone.so: cannot open"
}
ftest_missing_symbol_is_a_load_error() {
	cd "$FB" && run "$LT" ./missing-sym && expect_rc 127 &&
		expect_err_line "ld-teach.so: ./missing-sym: symbol lookup error: undefined symbol: c_gone" &&
		run ./missing-sym-lt && expect_rc 127 && expect_contains err "undefined symbol: c_gone"
}

# The kernel refuses to set the thread pointer (arch_prctl ARCH_SET_FS, of
# which the adapter makes the only call, fails under a seccomp filter): the
# start stops with one line saying so and 127, both start modes, never a
# crash once code reaches for TLS.  glibc's loader stops so too, in its own
# words; musl's crashes, so for musl programs the expectation is stated.
ftest_a_thread_pointer_the_kernel_refuses_stops_the_start() {
	need_seccomp
	local no_fs=("$FAILING_SYSCALL" arch_prctl,0=0x1002 1)  # ARCH_SET_FS, EPERM
	local why="ld-teach.so: cannot set the thread pointer"
	[ "$FLAVOUR" = musl ] && why="ld-teach.so: musl adapter: cannot set the thread pointer"
	cd "$FB" && run "${no_fs[@]}" "$LT" ./hello && expect_rc 127 && expect_err_line "$why" &&
		run "${no_fs[@]}" ./hello-lt && expect_rc 127 && expect_err_line "$why" || return 1
	[ "$FLAVOUR" = musl ] || { run "${no_fs[@]}" "$SYSTEM_LD" ./hello && expect_rc 127 &&
		expect_contains err "cannot set %fs base address for thread-local storage"; }
}

# A program needs X then Y, and Y needs X too; Y's IFUNC resolver calls into
# X, which reads X's GOT.  X must be relocated before Y although it is not
# loaded before Y in the list that follows the breadth-first load order:
# relocation follows the constructor order, dependencies first.  (glibc's
# loader relocates Y first, and the glibc-built program crashes under it.)
ftest_relocation_in_dependency_order() {
	local expected="y_op 2, through y_ptr 2" now
	cd "$FB" || return 1
	for now in "" 1; do
		run LD_BIND_NOW=$now "$LT" ./relorder && expect_rc 0 && expect_out "$expected" &&
			run LD_BIND_NOW=$now ./relorder-lt && expect_rc 0 && expect_out "$expected" ||
			return 1
	done
}

# One libc per process.  A library only glibc's directories hold is not
# found by a musl program, as under musl's loader: musl's search never
# reaches them.
test_library_only_glibc_provides_is_not_found() {
	cd "$MB" && run "$MUSL_LD" ./needs-glibc-lib && expect_rc 127 &&
		run "$LT" ./needs-glibc-lib && expect_rc 127 &&
		expect_err_line "ld-teach.so: ./needs-glibc-lib: libz.so.1: cannot open shared object file: No such file or directory" &&
		run ./needs-glibc-lib-lt && expect_rc 127 && expect_contains err "libz.so.1: cannot open" &&
		run LD_DEBUG=libs "$LT" ./needs-glibc-lib && expect_not_contains err "x86_64-linux-gnu"
}

# Found there anyway (LD_LIBRARY_PATH), a glibc library is refused before
# any of its code runs.
test_library_built_for_glibc_is_refused() {
	local glibc_dir=/usr/lib/x86_64-linux-gnu
	[ -e "$glibc_dir/libz.so.1" ] || skip "no $glibc_dir/libz.so.1 (Debian's zlib1g) on this machine"
	cd "$MB" && run LD_LIBRARY_PATH=$glibc_dir "$LT" ./needs-glibc-lib && expect_rc 127 &&
		expect_err_line "ld-teach.so: $glibc_dir/libz.so.1: built for glibc, but this process uses musl" &&
		run LD_LIBRARY_PATH=$glibc_dir ./needs-glibc-lib-lt && expect_rc 127 &&
		expect_contains err "libz.so.1: built for glibc"
}

# musl's libc named by its path (the system's libc.so, or musl's loader,
# a link to it) is the libc already there, as under musl's loader, which
# finds itself: a second musl libc.so mapped beside ld-teach's would run
# code that expects to be its own loader (it crashed the program).  Both
# ways of starting.  (dlopen of the path takes the same way: load_library.)
test_musls_libc_named_by_its_path_is_the_one_loaded() {
	local musl_libc lib
	musl_libc=$(readlink -f "$MUSL_LD") || return 1
	cd "$MB" || return 1
	for lib in "$musl_libc" "$MUSL_LD"; do
		run LD_PRELOAD="$lib" "$MUSL_LD" ./hello && remember &&
			run LD_PRELOAD="$lib" "$LT" ./hello && expect_same &&
			run LD_PRELOAD="$lib" ./hello-lt && expect_same || return 1
	done
	run LD_DEBUG=files LD_PRELOAD="$musl_libc" "$LT" ./hello && expect_rc 0 &&
		expect_contains err "$musl_libc is a loader's or its libc's own file: unmapped again; $ADAPTER stands for it"
}

# glibc's loader needs nothing, but is glibc's: preloaded into a musl
# program it is refused with a warning (as any preload that cannot load:
# glibc's rule, doc/design.md section 16), and the program runs as
# without it.  (musl's loader refuses it as well, and exits: "unsupported
# relocation type 37".)  Mapped as a library, its symbols won lookups and
# the program crashed.
test_glibcs_loader_preloaded_into_a_musl_program_is_refused() {
	local ldso=/lib64/ld-linux-x86-64.so.2
	[ -e "$ldso" ] || skip "no $ldso on this machine"
	cd "$MB" && run ./threads-lt && expect_rc 0 && remember || return 1
	run LD_PRELOAD="$ldso" ./threads-lt && expect_same &&
		expect_err_line "ld-teach.so: warning: object '$ldso' from LD_PRELOAD cannot be preloaded: $ldso: built for glibc, but this process uses musl: ignored" &&
		run LD_PRELOAD="$ldso" "$LT" ./threads && expect_same
}

# A program without libc whose library needs musl's libc gets ld-teach's
# libc.so for musl, never the system's.  (musl's own loader runs it too,
# but crashes at exit, so the expectation is stated.)
test_program_without_libc_gets_musl_adapter() {
	local prog=$BIN/fs/fs-uses-musl
	run LD_DEBUG=files,libs "$LT" "$prog" && expect_rc 0 &&
		expect_out "hello from musl, a program without libc" &&
		expect_contains err "libc: musl, for $BIN/fs/../musl/lib/libmu-greet.so needs it" &&
		expect_contains err "find library=libc.so [0]; served by the musl adapter: $ADAPTER" &&
		run "$prog-lt" && expect_rc 0 && expect_out "hello from musl, a program without libc"
}

# The adapter has the shape of Debian's libc.so: the same exports (but for
# musl's loader entry points and debugger hooks, which live in ld-teach.so;
# plus our start hook and glibc's dladdr1 and dlvsym), and only the dynamic
# list's symbols preemptible.
test_adapter_exports_match_debian_libc() {
	local sys ours
	sys=$(nm -D --defined-only /usr/lib/x86_64-linux-musl/libc.so | awk '{print $3}' |
		grep -vxE '__dls2b|__dls3|_dlstart|_dl_debug_addr|_dl_debug_state' | sort)
	ours=$(nm -D --defined-only "$ADAPTER" | awk '{print $3}' | grep -vxE '__lt_adapter_start|dladdr1|dlvsym' | sort)
	[ "$sys" == "$ours" ] || { diag "export tables differ:"; diff <(echo "$sys") <(echo "$ours") | head | sed 's/^/#   /'; return 1; }
}
test_adapter_keeps_interposition() {
	local relocs
	relocs=$(readelf -rW "$ADAPTER")
	[ "$(grep -c R_X86_64_GLOB_DAT <<<"$relocs")" = 15 ] && [ "$(grep -c R_X86_64_JUMP_SLOT <<<"$relocs")" = 6 ] &&
		grep -q 'JUMP_SLOT.* malloc' <<<"$relocs" && grep -q 'GLOB_DAT.* __environ' <<<"$relocs" &&
		! readelf -dW "$ADAPTER" | grep -q SYMBOLIC ||
		{ diag "the adapter binds libc's own references differently from Debian's libc.so"; return 1; }
}

# With a PT_INTERP relative to the current directory, ld-teach.so's own
# directory is "." and its libc.so for musl programs is found from there.
test_relative_interpreter_path() {
	cd "$TOP" && run "$MB/hello-relative-interp" && expect_rc 0 && expect_out "hello, world"
}

# After `make install`, ld-teach.so finds its libc.so for musl programs
# next to itself.  (MAKEFLAGS is emptied: under `make -j check` it names a
# jobserver whose descriptors this make would not have.)
test_installed_layout() {
	MAKEFLAGS= make -s -C "$TOP" install PREFIX="$TMP/inst" >/dev/null ||
		{ diag "make install failed"; return 1; }
	chmod 644 "$TMP/inst/lib/ld-teach/musl/libc.so"
	run LD_DEBUG=files "$TMP/inst/lib/ld-teach.so" "$MB/hello" && expect_rc 0 &&
		expect_out "hello, world" && expect_contains err "mapped $TMP/inst/lib/ld-teach/musl/libc.so"
}

# A directory of exactly LEN characters under BASE (components of 200).
directory_of_length() {
	local d=$1 len=$2
	while [ $((len - ${#d})) -gt 201 ]; do d=$d/$(printf 'd%.0s' $(seq 200)); done
	printf '%s/%s\n' "$d" "$(printf 'e%.0s' $(seq $((len - ${#d} - 1))))"
}

# ld-teach.so in a directory whose name leaves room for its build tree's
# libc.so (/build/musl/libc.so) but not for the installed one
# (/ld-teach/musl/libc.so: its name would need 4097 bytes with its NUL,
# one more than a path may have): the name that cannot be is passed over,
# never tried, and the build tree's is found.
test_a_layout_too_long_for_a_path_is_passed_over() {
	need_strace
	local d installed=/ld-teach/musl/libc.so
	d=$(directory_of_length "$TMP/long" $((4096 - ${#installed}))) &&
		mkdir -p "$d" && cp "$LT" "$d/" && ln -s "$TOP/build" "$d/build" || return 1
	run strace -f -e trace=access,faccessat,faccessat2,open,openat -o "$TMP/trace" "$d/ld-teach.so" "$MB/hello" &&
		expect_rc 0 && expect_out "hello, world" || return 1
	! grep -q ENAMETOOLONG "$TMP/trace" || { diag "a name too long was tried:"; grep ENAMETOOLONG "$TMP/trace" | cut -c 1-200; return 1; }
}

# A program whose PT_INTERP is a link with a relative target which, joined
# to the link's directory, makes a name of 4095 bytes, the longest a path
# may have: that name, itself a link to ld-teach.so, is followed in full
# to the real one, next to which its files are.
test_a_link_to_ld_teach_so_through_the_longest_name_is_followed() {
	local hop
	hop=$(directory_of_length "$TMP/x" 4095) && [ "${#hop}" = 4095 ] &&
		mkdir -p "${hop%/*}" && ln -s "$LT" "$hop" && ln -s "${hop#"$TMP"/}" "$TMP/l1" || return 1
	run_build musl-gcc -o "$TMP/hello" "$TOP/test-bins/musl/hello.c" -Wl,--dynamic-linker="$TMP/l1" &&
		expect_rc 0 || return 1
	run "$TMP/hello" && expect_rc 0 && expect_out "hello, world"
}

run_suite musl
