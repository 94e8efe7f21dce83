#!/bin/bash
# The prelink cache (doc/prelink.md): `ld-teach.so --prelink PROG` records
# the link; later starts of PROG, in both modes, relocate from it with no
# lookups and print what they would have printed.  Whatever changed since
# (a library touched or rebuilt, LD_PRELOAD, LD_LIBRARY_PATH, LD_BIND_NOW,
# ld-teach's build, the cache itself truncated, corrupt or lying) makes
# ld-teach link as usual and say why under LD_DEBUG=prelink, with the
# output still right.  The checked build links every cached program both
# ways and stops if an answer differs.
source "$(dirname "$0")/../lib.sh"

CHECKED=$TOP/build/checked/ld-teach.so
EDIT=$TOP/build/tools/prelink-edit
export LD_TEACH_CACHE_DIR=$TMP/cache

# A cache directory of the test's own.
fresh_cache() {
	export LD_TEACH_CACHE_DIR=$(mktemp -d "$TMP/cache.XXXXXX")
}

# The copy of a flavour's diamond (it needs libmu-a and libmu-b, which need
# libmu-c, found through $ORIGIN/lib) that a test may touch and rebuild.
copy_diamond() {
	D=$TMP/d
	rm -rf "$D" "$LD_TEACH_CACHE_DIR" && mkdir -p "$D/lib" &&
		cp "$FB/diamond" "$FB/diamond-lt" "$D/" &&
		cp "$FB"/lib/libmu-{a,b,c}.so "$D/lib/"
}

# The two ways to start PROG (a path): command mode, and the kernel with
# ld-teach.so as PT_INTERP (PROG-lt).  Each has its own cache: they are
# two files.
modes() {
	printf '%s\n' "$LT $1" "$1-lt"
}

# prelinked [VAR=VALUE...] PROG...: record the cache of the start PROG...
# (command mode, or a -lt program) describes.
prelinked() {
	local envs=()
	while [[ "$1" == *=* ]]; do envs+=("$1"); shift; done
	[ "$1" = "$LT" ] && shift
	run "${envs[@]}" "$LT" --prelink "$@" && expect_rc 0 && expect_contains out "written to"
}

# uses_cache [VAR=VALUE...] START...: START runs from its cache, with no
# lookup at start-up, and prints what it prints without the cache.
uses_cache() {
	local envs=()
	while [[ "$1" == *=* ]]; do envs+=("$1"); shift; done
	run "${envs[@]}" LD_TEACH_PRELINK=0 "$@" && remember &&
		run "${envs[@]}" LD_DEBUG=prelink,statistics "$@" && expect_same &&
		expect_contains err "using cache $LD_TEACH_CACHE_DIR/" &&
		expect_contains err "symbol lookups: 0" && expect_contains err "answers from a prelink cache"
}

# ignored WHY [VAR=VALUE...] START...: START links as usual, says why not
# from its cache, and prints what it prints with no cache.
ignored() {
	local why=$1 envs=()
	shift
	while [[ "$1" == *=* ]]; do envs+=("$1"); shift; done
	run "${envs[@]}" LD_TEACH_PRELINK=0 "$@" && remember &&
		run "${envs[@]}" LD_DEBUG=prelink "$@" && expect_same &&
		expect_contains err " ignored: $why" && expect_not_contains err "using cache"
}

ftest_a_cached_start_looks_nothing_up_and_prints_the_same() {
	local p m
	cd "$FB" || return 1
	for p in diamond kitchen interpose copyreloc threads weak; do
		while read -r m; do
			prelinked $m && uses_cache $m || { diag "$m"; return 1; }
		done < <(modes "./$p")
	done
}

# A CHECK for out_of_memory_scan under LD_DEBUG=prelink, whose lines start
# with the process's id: the reference run but for those ids (an allocation
# that start-up does without), or start-up refused for memory after lines
# of the trace.
as_before_or_refused_after_the_trace() {
	local err=$err
	[ "$rc" = "$ref_rc" ] && [ "$out" == "$ref_out" ] &&
		[ "$(sed 's/^ *[0-9]*:/PID:/' <<<"$err")" == "$(sed 's/^ *[0-9]*:/PID:/' <<<"$ref_err")" ] &&
		return 0
	while [[ $err == +( )+([0-9]):$'\t'*$'\n'* ]]; do
		err=${err#*$'\n'}
	done
	refused_for_memory
}

# A cache the guarded build (lib.sh) wrote, read by it: no overrun, no use
# after free; out of memory at each allocation of the start in turn, a
# clean refusal or a correct run.  The scan's reference is the guarded
# build's own start (ld-teach.so, another build, ignores the cache), under
# LD_DEBUG=prelink: a cache not used for want of memory must say so.
ftest_a_cached_start_under_the_guarded_build() {
	fresh_cache
	cd "$FB" && run "$GUARDED" --prelink ./diamond && expect_rc 0 && expect_contains out "written to" &&
		run LD_DEBUG=prelink "$GUARDED" ./diamond && expect_contains err "using cache" &&
		same_when_guarded ./diamond &&
		LT=$GUARDED out_of_memory_scan as_before_or_refused_after_the_trace LD_DEBUG=prelink ./diamond
}

# Recording a cache (--prelink) under the guarded build, out of memory at
# each allocation in turn: refused in one line that says so, or recorded.
# The reference is the guarded build's own recording: a cache holds the
# paths of the loader's files, which differ between builds, and so does
# its size.
ftest_recording_a_cache_under_the_guarded_build() {
	fresh_cache
	cd "$FB" && LT=$GUARDED out_of_memory_scan refused_for_memory --prelink ./diamond &&
		expect_contains ref_out "written to $LD_TEACH_CACHE_DIR/diamond-"
}

ftest_a_cached_start_with_bind_now() {
	local m
	while read -r m; do
		prelinked LD_BIND_NOW=1 $m && uses_cache LD_BIND_NOW=1 $m &&
			expect_contains err "PLT slots left lazy: 0" || { diag "$m"; return 1; }
	done < <(modes "$FB/kitchen")
}

test_freestanding_programs_use_their_cache() {
	local m
	while read -r m; do
		prelinked $m && uses_cache $m || { diag "$m"; return 1; }
	done < <(modes "$BIN/fs/fs-main"; modes "$BIN/fs/fs-main-nopie")
}

# The cache holds answers, not addresses: two starts from one cache map
# libmu-c.so at two addresses (where the kernel randomises them), and both
# print the right result.
ftest_address_randomisation_stays_on() {
	[ "$(cat /proc/sys/kernel/randomize_va_space)" != 0 ] || skip "address randomisation is off here"
	local P=$FB/diamond-lt first second
	prelinked "$P" && run LD_DEBUG=files,prelink "$P" && expect_contains err "using cache" &&
		expect_contains out "main: a=13 b=23" || return 1
	first=$(sed -n 's|.*mapped .*/libmu-c.so at \(0x[0-9a-f]*\).*|\1|p' <<<"$err")
	run LD_DEBUG=files,prelink "$P" && expect_contains out "main: a=13 b=23" || return 1
	second=$(sed -n 's|.*mapped .*/libmu-c.so at \(0x[0-9a-f]*\).*|\1|p' <<<"$err")
	[ -n "$first" ] && [ "$first" != "$second" ] ||
		{ diag "libmu-c.so at '$first' both times"; return 1; }
}

# A C++ program of glibc's (libstdc++, libgcc_s: exceptions, threads, TLS):
# its references to STB_GNU_UNIQUE definitions are looked up as usual, so
# that each enters the process's one definition; everything else is
# answered.  The checked build agrees.
test_a_cxx_program_uses_its_cache() {
	need_glibc
	local m
	while read -r m; do
		prelinked $m && run LD_TEACH_PRELINK=0 $m && remember &&
			run LD_DEBUG=prelink,statistics $m && expect_same && expect_contains err "using cache" &&
			expect_contains err "answers from a prelink cache" || { diag "$m"; return 1; }
	done < <(modes "$BIN/glibc/cxx")
	run "$CHECKED" --prelink "$BIN/glibc/cxx" && expect_rc 0 && run "$CHECKED" "$BIN/glibc/cxx" &&
		expect_same && expect_not_contains err "disagrees"
}

# A lazily bound call takes its answer from the cache: no lookup happens,
# at start-up or at the call.
ftest_lazy_binding_takes_answers_from_the_cache() {
	prelinked "$FB/lazy-partial-lt" && run LD_TEACH_PRELINK=0 LD_DEBUG=symbols "$FB/lazy-partial-lt" &&
		expect_contains err "symbol=vsum;" &&
		run LD_DEBUG=symbols,bindings,prelink "$FB/lazy-partial-lt" && expect_rc 0 &&
		expect_out "vsum: 3" && expect_contains err "using cache" &&
		expect_contains err "normal symbol \`vsum' (lazily, on its first call)" &&
		expect_not_contains err "symbol=vsum;"
}

# A call no object defines still fails when it is made, not before.
ftest_an_unresolvable_lazy_call_still_fails_at_the_call() {
	cd "$FB" && prelinked ./missing-sym-lt && run ./missing-sym-lt && expect_rc 127 &&
		expect_out "ctor: libmu-c"$'\n'"before the call" &&
		expect_err_line "ld-teach.so: ./missing-sym-lt: symbol lookup error: undefined symbol: c_gone"
}

# Where a start would fail, --prelink fails with the same words, and writes nothing.
ftest_prelink_fails_where_a_start_fails() {
	fresh_cache && rmdir "$LD_TEACH_CACHE_DIR" && cd "$FB" && run LD_BIND_NOW=1 "$LT" --prelink ./missing-sym && expect_rc 127 &&
		expect_err_line "ld-teach.so: ./missing-sym: symbol lookup error: undefined symbol: c_gone" &&
		[ ! -e "$LD_TEACH_CACHE_DIR" ] || { diag "a cache was written: $(ls "$LD_TEACH_CACHE_DIR")"; return 1; }
}

ftest_dlopen_links_as_usual_under_a_cache() {
	cd "$FB" && prelinked ./dlbasic-lt && uses_cache ./dlbasic-lt &&
		run LD_DEBUG=bindings ./dlbasic-lt && expect_contains err "libmu-dl.so"
}

ftest_touching_a_library_invalidates_the_cache() {
	local m
	copy_diamond || return 1
	while read -r m; do
		prelinked $m && uses_cache $m && touch -d '+1 hour' "$D/lib/libmu-c.so" &&
			ignored "$D/lib/libmu-c.so was modified: " $m || { diag "$m"; return 1; }
	done < <(modes "$D/diamond")
}

ftest_rebuilding_a_library_invalidates_the_cache() {
	local m
	copy_diamond || return 1
	while read -r m; do
		prelinked $m && uses_cache $m && cp "$D/lib/libmu-b.so" "$D/lib/new.so" &&
			mv "$D/lib/new.so" "$D/lib/libmu-b.so" &&
			ignored "$D/lib/libmu-b.so was replaced: it is another file" $m || { diag "$m"; return 1; }
	done < <(modes "$D/diamond")
}

# The program itself: modified in place, it keeps its name and its cache's.
# Rewritten in place with its times put back, a library that is another
# build is still told apart: by its build-id (which musl-gcc writes none of).
ftest_a_library_rewritten_as_another_build_invalidates_the_cache() {
	local m lib
	[ "$FLAVOUR" = glibc ] || skip "musl-gcc gives libraries no build-id"
	copy_diamond && lib=$D/lib/libmu-c.so || return 1
	while read -r m; do
		prelinked $m && uses_cache $m && touch -r "$lib" "$TMP/when" &&
			"$TOP/build/tools/elfmangle" build-id "$lib" "$TMP/rebuilt" && cat "$TMP/rebuilt" >"$lib" &&
			touch -r "$TMP/when" "$lib" && ignored "$lib: its build-id differs from the cache's" $m ||
			{ diag "$m"; return 1; }
	done < <(modes "$D/diamond")
}

ftest_touching_the_program_invalidates_its_cache() {
	copy_diamond && prelinked "$D/diamond-lt" && touch -d '+1 hour' "$D/diamond-lt" &&
		ignored "$D/diamond-lt was modified: " "$D/diamond-lt"
}

ftest_the_environment_that_steers_linking_invalidates_the_cache() {
	local m
	copy_diamond || return 1
	while read -r m; do
		prelinked $m && uses_cache $m &&
			ignored 'LD_PRELOAD (or --preload) differs: "'"$D"'/lib/libmu-c.so" now, unset in the cache' \
				LD_PRELOAD="$D/lib/libmu-c.so" $m &&
			ignored 'LD_LIBRARY_PATH (or --library-path) differs: "/nonexistent" now, unset' \
				LD_LIBRARY_PATH=/nonexistent $m &&
			ignored "LD_BIND_NOW differs: set now, unset in the cache" LD_BIND_NOW=1 $m ||
			{ diag "$m"; return 1; }
	done < <(modes "$D/diamond")
	prelinked LD_PRELOAD="$D/lib/libmu-c.so" "$D/diamond-lt" &&
		uses_cache LD_PRELOAD="$D/lib/libmu-c.so" "$D/diamond-lt" &&
		ignored "LD_PRELOAD (or --preload) differs: unset now" "$D/diamond-lt"
}

test_command_line_options_count_as_the_environment() {
	local P=$BIN/musl/diamond
	prelinked --library-path /nonexistent "$P" &&
		ignored 'LD_LIBRARY_PATH (or --library-path) differs: unset now, "/nonexistent" in the cache' "$LT" "$P" &&
		run LD_DEBUG=prelink "$LT" --library-path /nonexistent "$P" && expect_rc 0 &&
		expect_contains err "using cache"
}

# A library found elsewhere (a new file earlier in the search) is another object.
ftest_a_library_found_elsewhere_invalidates_the_cache() {
	copy_diamond && mkdir -p "$TMP/early" && cp "$D/lib/libmu-c.so" "$TMP/early/" &&
		prelinked LD_LIBRARY_PATH="$TMP/early" "$D/diamond-lt" &&
		uses_cache LD_LIBRARY_PATH="$TMP/early" "$D/diamond-lt" && rm "$TMP/early/libmu-c.so" &&
		ignored "object 5 is $D/lib/libmu-c.so now, $TMP/early/libmu-c.so in the cache" \
			LD_LIBRARY_PATH="$TMP/early" "$D/diamond-lt"
}

test_another_build_of_ld_teach_ignores_the_cache() {
	prelinked "$BIN/musl/hello" && ignored "made by another build of ld-teach.so" "$CHECKED" "$BIN/musl/hello"
}

# The longest build-id a cache may hold (32 bytes) is shown whole.
test_another_build_s_long_build_id_is_shown_whole() {
	local f id
	fresh_cache && prelinked "$BIN/musl/hello" && f=$(ls "$LD_TEACH_CACHE_DIR"/*) || return 1
	id=$(printf '%02x' $(seq 0 31))
	printf "$(printf '\\x%02x' $(seq 0 31))" | dd of="$f" bs=1 seek=32 conv=notrunc status=none &&
		printf '\x20\0\0\0' | dd of="$f" bs=1 seek=64 conv=notrunc status=none &&
		"$EDIT" checksum "$f" &&
		ignored "made by another build of ld-teach.so (build-id $id; this one is " "$LT" "$BIN/musl/hello"
}

test_ld_teach_prelink_0_turns_the_cache_off() {
	prelinked "$BIN/musl/hello" && run LD_TEACH_PRELINK=0 LD_DEBUG=prelink,statistics "$LT" "$BIN/musl/hello" &&
		expect_rc 0 && expect_out "hello, world" && expect_contains err "no cache: LD_TEACH_PRELINK=0" &&
		expect_not_contains err "symbol lookups: 0"
}

# Audit modules see every binding (la_symbind64), which a cache's answers
# would skip: a start with modules links as usual, and says why.
test_audit_modules_leave_the_cache_unused() {
	local log="$TMP/audit.log"
	prelinked "$BIN/musl/hello" &&
		run AUDIT_ALL=1 AUDIT_LOG="$log" LD_AUDIT="$BIN/musl/lib/auditmod.so" LD_DEBUG=prelink \
			"$LT" "$BIN/musl/hello" &&
		expect_rc 0 && expect_out "hello, world" &&
		expect_contains err "no cache: audit modules are in use" &&
		expect_not_contains err "using cache" &&
		grep -q "^symbind puts main -> libc.so" "$log" ||
		{ diag "$(cat "$log")"; return 1; }
}

# The cache of the program is the file its name, device and inode name.
test_the_cache_file_is_named_after_the_program() {
	local P=$BIN/musl/hello name
	name=$(stat -c 'hello-%D-%i' "$P") && name=hello-$(printf '%x-%x' "0x$(stat -c %D "$P")" "$(stat -c %i "$P")")
	prelinked "$P" && [ -f "$LD_TEACH_CACHE_DIR/$name" ] || { diag "no $LD_TEACH_CACHE_DIR/$name"; ls "$LD_TEACH_CACHE_DIR"; return 1; }
	run LD_DEBUG=prelink "$LT" "$BIN/musl/echo" && expect_contains err "no cache $LD_TEACH_CACHE_DIR/echo-"
}

# With stdin closed, the cache's temporary file is descriptor 0: written
# like any other.
test_a_cache_written_through_descriptor_0() {
	local P=$BIN/musl/hello
	run sh -c 'exec "$@" <&-' sh "$LT" --prelink "$P" && expect_rc 0 && expect_contains out "written to" &&
		run LD_DEBUG=prelink "$LT" "$P" && expect_out "hello, world" && expect_contains err "using cache"
}

test_the_cache_directory_follows_xdg_then_home() {
	local P=$BIN/musl/hello
	run env -u LD_TEACH_CACHE_DIR XDG_CACHE_HOME="$TMP/xdg" LD_DEBUG=prelink "$LT" "$P" &&
		expect_contains err "no cache $TMP/xdg/ld-teach/hello-" &&
		run env -u LD_TEACH_CACHE_DIR XDG_CACHE_HOME=relative HOME="$TMP/home" LD_DEBUG=prelink "$LT" "$P" &&
		expect_contains err "no cache $TMP/home/.cache/ld-teach/hello-" &&
		run env -u LD_TEACH_CACHE_DIR -u XDG_CACHE_HOME HOME="$TMP/home" "$LT" --prelink "$P" &&
		expect_rc 0 && [ -d "$TMP/home/.cache/ld-teach" ] &&
		[ "$(stat -c %a "$TMP/home/.cache/ld-teach")" = 700 ] &&
		run env -u LD_TEACH_CACHE_DIR -u XDG_CACHE_HOME -u HOME LD_DEBUG=prelink "$LT" "$P" &&
		expect_rc 0 && expect_contains err "no cache: no cache directory"
}

# cached_then_changed HOW EXPECTED...: the kitchen's cache, altered by HOW
# (a command, given the file), is ignored for the reason EXPECTED, in both
# modes; the output stays right.
cached_then_changed() {
	local how=$1 why=$2 m f
	while read -r m; do
		rm -rf "$LD_TEACH_CACHE_DIR"
		prelinked $m && f=$(ls "$LD_TEACH_CACHE_DIR"/*) && eval "$how" &&
			ignored "$why" $m && expect_no_signal || { diag "$m"; return 1; }
	done < <(modes "$BIN/musl/kitchen")
}

test_a_corrupt_cache_is_ignored() {
	cached_then_changed 'printf "\x55" | dd of="$f" bs=1 seek=300 conv=notrunc status=none' \
		"checksum mismatch: the file is corrupt"
}

test_a_truncated_cache_is_ignored() {
	cached_then_changed 'truncate -s 200 "$f"' "truncated: shorter than its header says" &&
		cached_then_changed 'truncate -s 40 "$f"' "truncated: shorter than its header" &&
		cached_then_changed ': >"$f"' "truncated: shorter than its header"
}

test_what_is_no_cache_is_ignored() {
	cached_then_changed 'head -c 4096 /bin/true >"$f"' "not a prelink cache (bad magic)" &&
		cached_then_changed 'rm "$f" && mkdir "$f"' "cannot read it: Is a directory" &&
		cached_then_changed 'rm "$f" && mkfifo "$f"' "truncated: shorter than its header" &&
		cached_then_changed 'rm "$f" && ln -s /dev/zero "$f"' "not a prelink cache (bad magic)"
}

# A cache that lies without being corrupt (its checksum made right): every
# field is still checked before use.
test_a_hostile_cache_is_checked_field_by_field() {
	cached_then_changed 'printf "\x30" | dd of="$f" bs=1 seek=12 conv=notrunc status=none && "$EDIT" checksum "$f"' \
		"unknown flags in its header" &&
		cached_then_changed 'printf "\xff\xff" | dd of="$f" bs=1 seek=76 conv=notrunc status=none && "$EDIT" checksum "$f"' \
		"its tables do not add up to its size"
}

# An answer is checked where it is used: one that names a symbol past its
# object's table (or just at its end), an object the cache has not, the null symbol, or a
# marker with a symbol, is looked up instead, and the start says so.
test_a_hostile_answer_is_looked_up_instead() {
	local m f lie end
	while read -r m; do
		rm -rf "$LD_TEACH_CACHE_DIR"
		prelinked $m && f=$(ls "$LD_TEACH_CACHE_DIR"/*) &&
			end=$("$EDIT" dump "$f" | sed -n 's/^  2 library .*; \([0-9]*\) symbols,.*/\1/p') &&
			[ -n "$end" ] || { diag "no object 2 in the cache of $m"; return 1; }
		for lie in "1 2 99999" "1 2 $end" "1 77 1" "1 1 0" "1 undef 3" "0 2 99999"; do
			rm -rf "$LD_TEACH_CACHE_DIR"
			prelinked $m && f=$(ls "$LD_TEACH_CACHE_DIR"/*) && "$EDIT" set-answer "$f" $lie &&
				run LD_TEACH_PRELINK=0 $m && remember &&
				run LD_DEBUG=prelink $m && expect_same && expect_contains err "using cache" &&
				expect_contains err "names no symbol of an object of the cache: looked up instead" &&
				expect_no_signal || { diag "$m: set-answer $lie"; return 1; }
		done
	done < <(modes "$BIN/musl/kitchen")
}

# The same, for lies picked at random (a fixed seed): any answer made to
# name a symbol past its object's table, an object past the cache's, the
# null symbol, or a marker with a symbol (the table's end itself half the
# time, where an off-by-one would slip through), with or without the bit that
# leaves it to the general path.  Each is looked up instead: the kitchen
# prints what it prints without a cache, in both modes.
test_random_hostile_answers_are_looked_up_instead() {
	local m f dump n k lie i obj kind
	RANDOM=17
	while read -r m; do
		for i in $(seq 1 12); do
			rm -rf "$LD_TEACH_CACHE_DIR"
			prelinked $m && f=$(ls "$LD_TEACH_CACHE_DIR"/*) && dump=$("$EDIT" dump "$f") || return 1
			n=$(sed -n 's/^answers: //p' <<<"$dump") k=$(sed -n 's/^objects (\(.*\)):$/\1/p' <<<"$dump")
			obj=$((RANDOM % k)) kind=$((RANDOM % 4))
			case $kind in
			0) lie="$obj $(($(awk -v o="  $obj " 'index($0, o) == 1' <<<"$dump" |
				sed -n 's/.*; \([0-9]*\) symbols,.*/\1/p') + RANDOM % 2 * RANDOM))" ;;
			1) lie="$((k + RANDOM % 100)) $((1 + RANDOM % 9))" ;;
			2) lie="$obj 0" ;;
			3) lie="undef $((1 + RANDOM % 9))" ;;
			esac
			[ $((RANDOM % 2)) = 1 ] && [ $kind != 3 ] && lie="$((0x80000000 | ${lie%% *})) ${lie#* }"
			lie="$((RANDOM % n)) $lie"
			"$EDIT" set-answer "$f" $lie &&
				run LD_TEACH_PRELINK=0 $m && remember &&
				run LD_DEBUG=prelink $m && expect_same && expect_contains err "using cache" &&
				expect_contains err "looked up instead" && expect_no_signal ||
				{ diag "$m: set-answer $lie"; return 1; }
		done
	done < <(modes "$BIN/musl/kitchen")
}

# A library whose first segment, at address 0, holds its code
# (-z noseparate-code): a lie that binds a call to its undefined puts
# (value 0) inside a run of answers from that segment is still refused, as
# a definition of nothing, and never written as the library's address 0.
# $d/main, which calls s1 and s2 of $d/libseg0.so, whose first segment,
# at address 0, holds its code (-z noseparate-code); libseg0.so defines
# `edge' too, which nothing calls.
seg0_program() {
	d=$TMP/seg0
	mkdir -p "$d" &&
		printf '%s\n' '#include <stdio.h>' 'int s1(void) { return 1; }' \
			'int s2(void) { puts("s2"); return 2; }' 'int edge(void) { return 3; }' >"$d/libseg0.c" &&
		printf '%s\n' 'int s1(void); int s2(void);' \
			'int main(void) { return s1() + s2() == 3 ? 0 : 1; }' >"$d/main.c" &&
		musl-gcc -shared -fPIC -Wl,-z,noseparate-code -o "$d/libseg0.so" "$d/libseg0.c" &&
		musl-gcc -o "$d/main" "$d/main.c" -L"$d" -lseg0 -Wl,-rpath,"$d" || return 1
	readelf -lW "$d/libseg0.so" | grep -qE 'LOAD +0x0+ 0x0+ .* R E' ||
		{ diag "libseg0.so's code is not in its first segment"; return 1; }
}

test_a_lie_to_value_0_is_refused_beside_the_first_segment() {
	local d f
	seg0_program || return 1
	fresh_cache
	prelinked LD_BIND_NOW=1 "$d/main" && f=$(ls "$LD_TEACH_CACHE_DIR"/main-*) &&
		"$EDIT" lie "$f" s2 puts &&
		run LD_BIND_NOW=1 LD_DEBUG=prelink "$LT" "$d/main" && expect_rc 127 &&
		expect_contains err "using cache" &&
		expect_contains err "is bound to \`puts' of $d/libseg0.so, which defines nothing"
}

# The same run of answers from the first segment: a lie that binds the
# call to s2 to `edge', whose value is made the segment's end (one byte
# past its last), is refused as lying outside the library's segments.
test_a_lie_to_the_first_segment_s_end_is_refused() {
	local d f end dynsym index
	seg0_program || return 1
	end=$(readelf -lW "$d/libseg0.so" | awk '$1 == "LOAD" { print $6; exit }') &&
		dynsym=$(readelf -SW "$d/libseg0.so" | sed -nE 's/.* \.dynsym +DYNSYM +[0-9a-f]+ ([0-9a-f]+) .*/\1/p') &&
		index=$(readelf --dyn-syms -W "$d/libseg0.so" | awk '$8 == "edge" { sub(":", "", $1); print $1 }') &&
		[ -n "$end" ] && [ -n "$dynsym" ] && [ -n "$index" ] || { diag "no first LOAD, .dynsym or edge"; return 1; }
	# st_value, 8 bytes into the symbol's 24, little-endian
	printf "$(printf '\\x%02x' $(for i in 0 1 2 3 4 5 6 7; do echo $(((end >> (8 * i)) & 255)); done))" |
		dd of="$d/libseg0.so" bs=1 seek=$((0x$dynsym + 24 * index + 8)) conv=notrunc status=none &&
		readelf --dyn-syms -W "$d/libseg0.so" | awk -v e="$end" '$8 == "edge" && ("0x" $2) + 0 == e + 0' | grep -q . ||
		{ diag "edge is not at $end"; return 1; }
	fresh_cache
	prelinked LD_BIND_NOW=1 "$d/main" && f=$(ls "$LD_TEACH_CACHE_DIR"/main-*) &&
		"$EDIT" lie "$f" s2 edge &&
		run LD_BIND_NOW=1 LD_DEBUG=prelink "$LT" "$d/main" && expect_rc 127 &&
		expect_contains err "using cache" &&
		expect_contains err "$d/libseg0.so: symbol \`edge' lies outside the object's segments (at $(printf '%#x' "$end"))"
}

# A cached start is never slower than one without: a small cache is read
# into memory the loader already has, so reading it costs its read and
# its close, and no more (the look for a cache, a stat and an open, is
# paid by both).
test_a_small_cache_costs_two_system_calls() {
	local P=$BIN/musl/hello with without
	need_strace
	cp "$P" "$TMP/hello-nocache" && fresh_cache && prelinked "$P" || return 1
	with=$(strace -f "$LT" "$P" 2>&1 >/dev/null | grep -c '^[a-z_0-9]*(') &&
		without=$(strace -f "$LT" "$TMP/hello-nocache" 2>&1 >/dev/null | grep -c '^[a-z_0-9]*(') &&
		[ "$with" -eq $((without + 2)) ] ||
		{ diag "$with system calls with the cache, $without without"; return 1; }
}

# Under a cache the global symbol index waits for lookups that need it:
# the scope walk answers the first ones (glibc's libc asks for its malloc
# at start-up), and once the walks have visited as many objects as the
# index would hold names, it is built.  A program of 30 libraries (a scope
# past the index's threshold) looks up N names with dlsym.  (Without a
# cache, start-up builds the index.)
test_under_a_cache_a_few_lookups_walk_and_many_build_the_index() {
	local d=$TMP/wide i libs=()
	mkdir -p "$d" || return 1
	for i in $(seq 1 30); do
		printf 'int w%d(void) { return %d; }\n' "$i" "$i" >"$d/w$i.c" &&
			musl-gcc -shared -fPIC -o "$d/libw$i.so" "$d/w$i.c" || return 1
		libs+=("-lw$i")
	done
	printf '%s\n' '#include <dlfcn.h>' '#include <stdio.h>' '#include <stdlib.h>' \
		'int main(int argc, char **argv) {' '	long n = atol(argv[1]), sum = 0;' \
		'	for (long k = 0; k < n; k++) {' '		char name[16];' \
		'		snprintf(name, sizeof name, "w%ld", k % 30 + 1);' \
		'		sum += ((int (*)(void))dlsym(RTLD_DEFAULT, name))();' '	}' \
		'	printf("%ld\n", sum);' '}' >"$d/main.c" &&
		musl-gcc -o "$d/main" "$d/main.c" -L"$d" -Wl,--no-as-needed "${libs[@]}" -Wl,-rpath,"$d" ||
		return 1
	fresh_cache
	run LD_DEBUG=prelink,statistics "$LT" "$d/main" 3 && expect_rc 0 && expect_out 6 &&
		expect_contains err "no cache " && expect_contains err "candidate definitions" &&
		expect_not_contains err "the scope walk answered" || return 1
	prelinked "$d/main" &&
		run LD_DEBUG=prelink "$LT" "$d/main" 3 && expect_rc 0 && expect_out 6 &&
		expect_contains err "using cache" && expect_not_contains err "symbol index is built" &&
		run LD_DEBUG=prelink "$LT" "$d/main" 3000 && expect_rc 0 && expect_out 46500 &&
		expect_contains err "lookups: the global symbol index is built now"
}

# A cache holds answers, not a licence: a start from one keeps the rules of
# every start (doc/robustness.md).  --prelink links without relocating, so
# a program whose GOT words have addends gets a cache; its start from it
# refuses them, bound now or lazily.  An answer naming a symbol that
# defines nothing (the program's own undefined puts) is refused too.
test_cached_answers_keep_the_relocation_rules() {
	local m p f now
	for m in jump-slot-addend glob-dat-addend; do
		p=$BIN/malformed/$m/prog/fs-main
		for now in 1 ""; do
			fresh_cache
			prelinked LD_BIND_NOW=$now LD_LIBRARY_PATH="$BIN/fs/lib" "$p" &&
				run LD_BIND_NOW=$now LD_DEBUG=prelink LD_LIBRARY_PATH="$BIN/fs/lib" "$LT" "$p" &&
				expect_rc 127 && expect_contains err "using cache" &&
				expect_contains err "relocation at offset" && expect_contains err "has an addend" ||
				{ diag "$m, LD_BIND_NOW='$now'"; return 1; }
		done
	done
	fresh_cache
	prelinked "$BIN/musl/hello" && f=$(ls "$LD_TEACH_CACHE_DIR"/hello-*) &&
		"$EDIT" dump "$f" --answers | grep -q "answer 0: .*rela\[3\]: .__cxa_finalize'" &&
		"$EDIT" set-answer "$f" 0 0 1 && run "$LT" "$BIN/musl/hello" && expect_rc 127 &&
		expect_err_line "ld-teach.so: $BIN/musl/hello: symbol 5 is bound to \`puts' of $BIN/musl/hello, which defines nothing"
}

# Item 7: the checked build links a cached program both ways and agrees...
ftest_the_checked_build_agrees_with_every_answer() {
	local p mode
	for p in diamond kitchen interpose copyreloc threads lazyargs dlbasic; do
		for mode in 1 ""; do
			(cd "$FB" && run LD_BIND_NOW=$mode "$CHECKED" --prelink "./$p" && expect_rc 0 &&
				uses_cache LD_BIND_NOW=$mode "$CHECKED" "./$p" && expect_not_contains err "disagrees") ||
				{ diag "$p, LD_BIND_NOW='$mode'"; return 1; }
		done
	done
}

# ... and stops where an answer is not what the lookup finds.
test_the_checked_build_stops_on_a_wrong_answer() {
	local f
	run "$CHECKED" --prelink "$BIN/musl/hello" && expect_rc 0 && f=$(ls "$LD_TEACH_CACHE_DIR"/hello-*) &&
		"$EDIT" lie "$f" puts malloc && run "$CHECKED" "$BIN/musl/hello" && expect_rc 127 &&
		expect_err_line "ld-teach.so: $BIN/musl/hello: the prelink cache disagrees with the lookup on \`puts': the cache says \`malloc' of $TOP/build/checked/ld-teach/musl/libc.so, the lookup \`puts' of $TOP/build/checked/ld-teach/musl/libc.so"
}

# Secure mode: only a root-owned cache in a root-owned directory that
# others cannot write to.  Secure mode reads no LD_DEBUG: the cache tells
# when it is used by lying (a_add bound to a_mul: 2 and 3 make 6).
# (fs-preload-abs: no $ORIGIN, which secure mode distrusts.)
test_secure_mode_uses_only_root_owned_caches() {
	local P=$TMP/secure/prog dir=$TMP/secure-cache f
	mkdir -p "$TMP/secure" && secure_copy "$BIN/fs/fs-preload-abs-lt" "$P" || return 1
	chmod 755 "$TMP" && export LD_TEACH_CACHE_DIR=$dir &&
		run "$LT" --prelink "$P" && expect_rc 0 && f=$(ls "$dir"/*) && "$EDIT" lie "$f" a_add a_mul &&
		chmod 755 "$dir" && chmod 644 "$f" || return 1
	run "$P" && expect_contains out "a_add(2, 3) = 6" || { diag "the cache was not used"; return 1; }
	chmod 775 "$dir" && run "$P" && expect_contains out "a_add(2, 3) = 5" && chmod 755 "$dir" &&
		chmod 664 "$f" && run "$P" && expect_contains out "a_add(2, 3) = 5" && chmod 644 "$f" &&
		chown nobody "$f" && run "$P" && expect_contains out "a_add(2, 3) = 5" &&
		chown root "$f" && run "$P" && expect_contains out "a_add(2, 3) = 6" || return 1
	# With stdin closed, the directory is opened as descriptor 0.
	run sh -c 'exec "$@" <&-' sh "$P" && expect_contains out "a_add(2, 3) = 6"
}

test_ld_debug_help_lists_prelink() {
	run LD_DEBUG=help "$LT" "$BIN/musl/hello" && expect_contains err "  prelink     the program's prelink cache: used, or why not"
}

run_suite prelink
