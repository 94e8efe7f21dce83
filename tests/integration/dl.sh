#!/bin/bash
# dlopen, dlsym, dlclose, dynamic TLS, concurrency, and debugger support,
# in both flavours of the libc programs: musl-built, through ld-teach's
# libc.so for musl, and glibc-built, with glibc's loader as the reference.
source "$(dirname "$0")/../lib.sh"

# Every check line a program prints must end in ": ok"; and there must be some.
all_checks_ok() {
	local checks failed
	checks=$(grep -c ': ok$' <<<"$out")
	failed=$(grep -E ': [A-Z]+$' <<<"$out" | grep -v ': ok$')
	[ "$checks" -gt 0 ] && [ -z "$failed" ] && return 0
	diag "failed checks:" "$failed"
	show_run
	return 1
}

# Both ways of starting: ./ld-teach.so prog, and prog-lt directly.
both_modes() {
	local prog=$1
	shift
	cd "$FB" && run "$LT" "./$prog" "$@" && expect_rc 0 && all_checks_ok &&
		run "./$prog-lt" "$@" && expect_rc 0 && all_checks_ok
}

# A dl* program: every check ok, both ways of starting; for the glibc-built
# one, the same output as under glibc's loader, the reference.  (musl's
# loader is none: it refuses initial-exec TLS in dlopen'ed libraries and
# never unloads.)
dl_program() {
	both_modes "$@" || return 1
	[ "$FLAVOUR" = musl ] || same_as_system_loader "$@"
}

ftest_open_use_from_threads_and_close() {
	dl_program dlbasic || return 1
	# The constructor runs at dlopen, the destructor at the last dlclose, then the mappings go.
	expect_contains out $'libmu-dl: constructor\ndlopen: ok' &&
		expect_contains out $'still mapped after one of two dlcloses: ok\nlibmu-dl: destructor\nunmapped after the last dlclose: ok'
}

# Under the guarded build (lib.sh), an overrun or a use after free faults.
ftest_no_allocation_is_overrun_or_used_after_free() {
	local p
	for p in dlbasic dlflags dltls dlmeta threads; do
		cd "$FB" && same_when_guarded "./$p" || { diag "program: $p"; return 1; }
	done
}

# Out of memory at each allocation in turn: dlbasic then sees dlopen or
# dlsym fail, or start-up refused with a reason, but never a crash, a hang
# or an error without a reason; and a library dlopen opened has its TLS in
# every thread (for a musl program, giving it to the threads takes memory:
# when that runs out, the dlopen fails).
ftest_out_of_memory_in_dlopen_and_dlclose_is_survived() {
	cd "$FB" && out_of_memory_scan tls_in_every_thread_if_opened ./dlbasic
}

# A CHECK for out_of_memory_scan: dlbasic's checks of the TLS of the
# library it opened all pass (none runs if the dlopen failed).
tls_in_every_thread_if_opened() {
	! grep -q 'TLS.*: FAIL$' <<<"$out"
}

# A CHECK for out_of_memory_scan: whatever failed, a failed dlopen left
# nothing of its library mapped.
nothing_left_mapped() {
	[[ $out != *"still mapped"* ]]
}

# Out of memory in dlopen with RTLD_GLOBAL, which makes room in the global scope
# before any constructor runs: 18 libraries opened so (dlglobal.c), past
# the scope's first 16 places.  When that fails, what the dlopen loaded goes
# again, as for any other failure.
ftest_out_of_memory_in_a_global_dlopen_leaves_nothing_behind() {
	local libs=() l
	for l in g1 g2 data many rta rtb rtc small tls uniq1 uniq2 ro-x ro-y next2 vers dtls preload deep; do
		libs+=("libmu-$l.so")
	done
	cd "$FB" && out_of_memory_scan nothing_left_mapped ./dlglobal "${libs[@]}"
}

# Copies of libmu-dtls.so are TLS modules of their own: twenty fill the main
# thread's dtv past its spare slots (glibc leaves 14) and make it grow, in the
# guarded build too, where a write one slot past the dtv's end faults; the
# grown dtv keeps every block, with what was written there.
ftest_a_dtv_filled_past_its_spare_slots() {
	local libs=() i
	for i in $(seq 20); do
		cp "$FB/lib/libmu-dtls.so" "$TMP/libdtls-$i.so" && libs+=("$TMP/libdtls-$i.so") || return 1
	done
	cd "$FB" && same_when_guarded ./dltlsmany "${libs[@]}" && expect_rc 0 &&
		expect_out "20 of 20 modules read their initial value; 20 kept what was written"
}

# dlerror is per thread: two threads whose dlsym fails at once keep their own text.
ftest_concurrent_failures_keep_their_own_errors() {
	local expected="each thread read its own errors"
	cd "$FB" && run "$LT" ./dlerrthreads && expect_rc 0 && expect_out "$expected" &&
		run ./dlerrthreads-lt && expect_rc 0 && expect_out "$expected"
}

ftest_flags_global_local_nodelete_deepbind_next_versions() {
	dl_program dlflags
}

ftest_dynamic_tls_beyond_the_surplus() {
	dl_program dltls && expect_contains out "initial-exec TLS too large for the surplus is refused: ok"
}

# dldiffer CASE, in both ways of starting, prints what glibc's loader prints
# for the glibc-built program, and MUSL-OUTPUT, stated, for the musl-built one.
# The program is named by its full path, and so are the libraries it finds
# through $ORIGIN.
loaders_differ() {
	local case=$1 expected=$2
	if [ "$FLAVOUR" = glibc ]; then
		run "$SYSTEM_LD" "$FB/dldiffer" "$case" && expect_rc 0 && expected=$out || return 1
	fi
	run "$LT" "$FB/dldiffer" "$case" && expect_rc 0 && expect_out "$expected" &&
		run "$FB/dldiffer-lt" "$case" && expect_rc 0 && expect_out "$expected"
}

# dlopen of the program's own file: refused, for glibc programs, as glibc's
# loader refuses any executable; the program's handle for musl programs, as
# musl's loader finds any object already loaded.  (The program's
# constructors, which its libc ran, never run again.)
ftest_dlopen_of_the_program_s_own_file() {
	loaders_differ self "dlopen of the program's own file: the program's handle" &&
		{ [ "$FLAVOUR" = musl ] || expect_out "dlopen of the program's own file: cannot dynamically load position-independent executable"; }
}

# dl_iterate_phdr's dlpi_adds: each libc's loader's count, glibc's of the
# objects added, musl's of the dlopens that succeeded (from 0).
ftest_dlpi_adds_counts_as_each_libc_s_loader() {
	loaders_differ adds "$(printf '%s\n' "ctor: libmu-c" "ctor: libmu-a" \
		"dlpi_adds: 0 at start; a new library +1, the same again +1, another +1 (3 opened)" \
		"dtor: libmu-a" "dtor: libmu-c")"
}

# glibc's words, for every libc; LD_DEBUG=tls says how much was needed and left.
ftest_tls_error_says_what_was_needed_and_left() {
	loaders_differ bigie "$FB/lib/libmu-bigie.so: cannot allocate memory in static TLS block" &&
		run LD_DEBUG=tls "$LT" "$FB/dldiffer" bigie &&
		expect_contains err "libmu-bigie.so uses initial-exec TLS: it needs 4096 bytes (aligned to 16) of the static surplus, where 1664 are left"
}

# LD_DEBUG=tls counts what is left of the surplus from the blocks still in
# it: dltls ends with libmu-small.so and libmu-tls.so there at once, and
# closes libmu-tls.so first, leaving the surplus less libmu-small.so's block.
ftest_tls_trace_counts_every_block_left_in_the_surplus() {
	local how surplus small
	for how in "$LT ./dltls" ./dltls-lt; do
		cd "$FB" && run LD_DEBUG=tls $how && expect_rc 0 || return 1
		surplus=$(sed -n 's/.*tls: static TLS .* surplus \([0-9]*\) bytes left.*/\1/p' <<<"$err")
		small=$(sed -n 's/.*libmu-small\.so: size \([0-9]*\) .*in the static surplus$/\1/p' <<<"$err" | tail -1)
		[ -n "$surplus" ] && [ -n "$small" ] || { diag "$how: no surplus or libmu-small.so line"; return 1; }
		expect_contains err "libmu-tls.so released; surplus $((surplus - small)) bytes left" ||
			{ diag "$how"; return 1; }
	done
}

# musl's loader says "Library libmu-dl.so is not already loaded"; glibc's
# sets no error, and ld-teach follows glibc for every libc.
ftest_rtld_noload_of_a_library_not_loaded() {
	loaders_differ noload "RTLD_NOLOAD of a library not loaded gives NULL; dlerror: (none)"
}

# Destructors at exit, in each libc's order: glibc's loader sorts (each
# object before what it needs or bound to, else in load order), musl's runs
# them in the reverse of construction.
ftest_destructors_at_exit_in_the_libc_s_order() {
	local musl=$'returning with 3 libraries open\nlibmu-y: destructor\nlibmu-x: destructor\nlibmu-fini5: destructor'
	local glibc=$'returning with 3 libraries open\nlibmu-fini5: destructor\nlibmu-y: destructor\nlibmu-x: destructor'
	if [ "$FLAVOUR" = musl ]; then
		run "$SYSTEM_LD" "$FB/dldiffer" finiorder && expect_out "$musl" || return 1
	fi
	loaders_differ finiorder "$musl" && { [ "$FLAVOUR" = musl ] || expect_out "$glibc"; }
}

# glibc's dlsym(RTLD_DEFAULT) records what it found as a dependency of the
# caller, and the program is never unloaded: the library stays.  ld-teach
# does the same for every libc (musl's loader never unloads anything).
ftest_library_the_program_found_through_rtld_default() {
	loaders_differ pinned "g_value found through RTLD_DEFAULT: yes; after the last dlclose libmu-g1.so is still mapped"
}

# dlcases CASE TEXT (test-bins/musl/dlcases.c): the flavour's program
# under ld-teach, in both ways of starting, prints what the glibc-built one
# prints under glibc's loader, and exits the same way; with lazy binding
# and with LD_BIND_NOW=1, each against glibc's loader in the same mode.
# (Paths are printed without directories, so both flavours print alike.)
# With lazy binding the output contains TEXT, which says the case happened.
like_glibc() {
	local case=$1 text=$2 now
	for now in "" 1; do
		cd "$BIN/glibc-flavour" && run LD_BIND_NOW=$now ./dlcases "$case" && remember &&
			cd "$FB" && run LD_BIND_NOW=$now "$LT" ./dlcases "$case" && expect_same &&
			run LD_BIND_NOW=$now ./dlcases-lt "$case" && expect_same ||
			{ diag "LD_BIND_NOW=$now"; return 1; }
		[ -n "$now" ] || expect_contains out "$text" || return 1
	done
}

# 1. -z nodelete: the library survives dlclose, its destructor waits for exit.
ftest_a_library_linked_nodelete_survives_dlclose_with_its_state() {
	like_glibc nodelete "opened again with RTLD_NOLOAD: a handle, count 3"
}

# 2. What a library found through dlsym(RTLD_DEFAULT), or bound on a lazy
# call, stays while that library does, past its own handle.
ftest_run_time_bindings_keep_their_definer_loaded() {
	like_glibc rtdeps "after closing libmu-rta.so: it is mapped; through libmu-rtb.so 42, through libmu-rtc.so 43"
}

# 3. A destructor closes, at exit, a library bound to its own: nothing is
# unmapped under running code.  With LD_BIND_NOW the library cannot bind
# its callback at load time: its dlopen, in a constructor, fails as in glibc.
ftest_a_destructor_closes_a_library_at_exit() {
	like_glibc finiexit $'libmu-fini3: destructor\nlibmu-fini2: destructor, closing libmu-fini3.so\nlibmu-fini2: destructor done'
}

# 3. ... and inside a dlclose: the inner one waits for the outer one's round.
ftest_a_destructor_closes_a_library_inside_dlclose() {
	like_glibc finiclose $'libmu-fini4: destructor done\nlibmu-fini5: destructor'
}

# 4. STB_GNU_UNIQUE: one definition per process, across RTLD_LOCAL groups;
# a hundred of them in one library (the table grows).  A dlopen that fails
# after a library entered its unique symbol takes the library and the
# entry away (libmu-uniqfail.so), and the table goes on as before.
ftest_unique_symbols_have_one_definition_per_process() {
	like_glibc unique "uniq_counter: one object: yes; value 1" &&
		expect_contains out "after it: libmu-uniq1.so is unmapped" &&
		expect_contains out "a hundred unique objects in one library: sum 5950"
}

# A library whose loader (the object whose DT_RPATH found it) is closed
# searches from the program, as glibc's loader does: not through the
# closed object's DT_RPATH, nor through its freed record.
ftest_a_library_outliving_its_loader_searches_from_the_program() {
	like_glibc loadergone "libmu-rpc.so: cannot open shared object file: No such file or directory"
}

# A dynamic TLS block keeps its place and values when a later dlopen makes
# the thread's dtv out of date.
ftest_dynamic_tls_survives_a_later_dlopen() {
	like_glibc tlskeep "libmu-dtls.so's variable after libmu-tls.so was opened: the same place, value 42"
}

# A library opened RTLD_GLOBAL whose constructor opens another RTLD_GLOBAL
# (libmu-ctorg.so, 20 objects, and libmu-ctorm.so, 14): the second takes
# part of the room the global scope kept for the first, which then must
# grow.  Whichever allocation fails, a dlopen that succeeds has made the
# library global.
ftest_a_constructor_s_global_dlopen_inside_a_global_dlopen() {
	like_glibc ctorglobal "found by default: ctorg_value yes, wide_19 (its last library's) yes, ctorm_value yes" &&
		cd "$FB" && out_of_memory_scan global_if_opened ./dlcases ctorglobal
}

# A CHECK for out_of_memory_scan: never opened without all of it global.
global_if_opened() {
	[[ $out != *"found by default: ctorg_value no"* && $out != *"wide_19 (its last library's) no"* ]]
}

# RTLD_GLOBAL for a library loaded before as a dependency of one opened
# RTLD_LOCAL: the library gets a scope of its own, and only it (with what
# it needs) joins the global scope.
ftest_a_dependency_made_global_alone() {
	like_glibc promote "libmu-c.so made global after libmu-a.so needed it: c_value found by default: yes, a_value: no" &&
		cd "$FB" && out_of_memory_scan never_global_beyond_the_dependency ./dlcases promote
}

# A CHECK for out_of_memory_scan: whatever failed, libmu-a.so never became
# global (memory may run out just as libmu-c.so is given its own scope).
never_global_beyond_the_dependency() {
	[[ $out != *"a_value: yes"* ]]
}

# A dlopen with RTLD_GLOBAL whose 33 objects are more than twice the global
# scope's room (16, for a program that started with a few): it grows by
# as much as it must at once.
ftest_a_global_dlopen_of_many_objects_at_once() {
	like_glibc wide "libmu-wide.so and the 32 libraries it needs, global: sum 528, wide_32 found by default: 32"
}

# Bindings made by eight threads' first calls at once, each into a library
# the caller does not need, keep those libraries once their handles close
# (dlcases race: 200 rounds; with LD_BIND_NOW, made at the dlopen).  Two
# cores seldom run the noting of two bindings at the very same moment: this
# catches a binding that is not kept, and only sometimes one lost to a race.
ftest_bindings_noted_at_once_keep_their_libraries() {
	like_glibc race "200 rounds of 8 first calls at once: libraries lost 0"
}

# 5. A later dlopen's group joins the scope of a library it shares.
ftest_a_later_dlopen_extends_a_shared_library_s_scope() {
	like_glibc scope "libmu-scb.so: opened"
}

# 6. $ORIGIN, $LIB and $PLATFORM in dlopen names, for the calling object.
ftest_dynamic_string_tokens_in_dlopen_names() {
	like_glibc dst "\$ORIGIN/libmu-leaf.so, from lib/sub/libmu-dstopen.so: opened"
}

# 6. ... but in a set-group-id program $ORIGIN leads only to a trusted
# directory, as in glibc (whose loader is the reference for both flavours).
ftest_dynamic_string_tokens_in_a_secure_program() {
	local dir=$TMP/secure-$FLAVOUR ref
	mkdir -p "$dir/lib" "$TMP/secure-ref/lib" &&
		cp "$FB/lib/libmu-g1.so" "$dir/lib/" && cp "$BIN/glibc-flavour/lib/libmu-g1.so" "$TMP/secure-ref/lib/" &&
		secure_copy "$FB/dldiffer-lt" "$dir/dldiffer-lt" &&
		secure_copy "$BIN/glibc-flavour/dldiffer" "$TMP/secure-ref/dldiffer" || return 1
	run "$TMP/secure-ref/dldiffer" origin && expect_rc 0 && ref=$out &&
		expect_contains out "cannot open shared object file" &&
		run "$dir/dldiffer-lt" origin && expect_rc 0 && expect_out "$ref" &&
		# Without the bit, $ORIGIN leads there.
		cp "$FB/dldiffer-lt" "$dir/plain-lt" && run "$dir/plain-lt" origin &&
		expect_out '$ORIGIN/lib/libmu-g1.so was loaded'
}

# 6. ... and dlinfo(RTLD_DI_ORIGIN) of a program the kernel started is its
# directory with links resolved, however it was run: by its plain path
# (read from the path), through a link, with "." or "..", by a relative path
# (read from /proc/self/exe).  glibc's loader, whose program here has $ORIGIN in its
# RUNPATH (without one it leaves the origin unset and dlinfo crashes), gives
# the same through the link; musl's has no RTLD_DI_ORIGIN.
ftest_the_programs_origin_is_its_directory_with_links_resolved() {
	local want="the program's origin: $(realpath "$FB")"
	ln -sf "$FB/dldiffer-lt" "$TMP/link-$FLAVOUR-lt" || return 1
	run "$FB/dldiffer-lt" progorigin && expect_rc 0 && expect_out "$want" &&
		run "$TMP/link-$FLAVOUR-lt" progorigin && expect_rc 0 && expect_out "$want" &&
		run "$FB/lib/../dldiffer-lt" progorigin && expect_rc 0 && expect_out "$want" &&
		run "$FB/./dldiffer-lt" progorigin && expect_rc 0 && expect_out "$want" &&
		(cd "$FB/lib" && run ../dldiffer-lt progorigin && expect_rc 0 && expect_out "$want") || return 1
	[ "$FLAVOUR" = glibc ] || return 0
	ln -sf "$FB/dldiffer" "$TMP/link-glibc" && run "$TMP/link-glibc" progorigin && expect_rc 0 && expect_out "$want"
}

# 6. ... and a library opened by a relative path keeps, for glibc programs,
# the directory it was opened from after the working directory changes:
# glibc's loader made it absolute as it loaded the library.  For musl
# programs it stays relative, as musl's loader keeps the names it is given.
ftest_the_origin_of_a_library_opened_by_a_relative_path() {
	cd "$FB" && loaders_differ chdirorigin "after chdir(\"/\"), its origin: lib/sub
\$ORIGIN/libmu-leaf.so: cannot open shared object file: No such file or directory" || return 1
	[ "$FLAVOUR" = musl ] || expect_contains out "its origin: $(pwd -P)/lib/sub"
}

# 7. -z nodlopen libraries (unless loaded already) and executables are refused.
ftest_dlopen_refuses_what_glibc_refuses() {
	like_glibc refuse "hello: cannot dynamically load position-independent executable"
}

# A library closed out of the middle of the global scope takes only its own
# place: the library opened after it is still found there.
ftest_a_library_closed_from_the_global_scope_s_middle_leaves_the_rest() {
	like_glibc middle "g_value through the global scope: 1"
}

# A library loaded already and opened by other names of its file, a
# symbolic link and a hard link: the same handle, one copy of its data, its
# constructor run once (dlcases aliases; three libraries, whose inode
# numbers differ).  musl's loader, too, knows a file by device and inode.
ftest_a_library_opened_by_other_names_of_its_file_is_the_same_object() {
	like_glibc aliases "lib/alias/hard-libmu-g1.so: the same handle" &&
		expect_contains out "mu_counter, bumped through libmu-data.so, read through its hard link: 42" ||
		return 1
	[ "$FLAVOUR" = glibc ] || { cd "$FB" && run "$SYSTEM_LD" ./dlcases aliases && remember &&
		run "$LT" ./dlcases aliases && expect_same; }
}

# 8. RTLD_NOLOAD finds libm.so.6 (musl: libc.so, which serves that name).
ftest_rtld_noload_finds_a_name_the_libc_folds() {
	like_glibc noload "RTLD_NOLOAD: the same handle; cos found: yes"
}

# 9. Dynamic TLS: a thread has a block once it uses the module...
ftest_dynamic_tls_is_allocated_on_first_use() {
	like_glibc tls "a new thread, libmu-dtls.so before using it: NULL"
}

# 9. ... and its blocks go when it exits.
ftest_dynamic_tls_goes_with_its_thread() {
	like_glibc tlschurn "memory given back"
}

# Eight threads open, call and close libraries with TLS thousands of times,
# while others make lazily bound first calls into a library that is itself
# opened and closed (glibc 2.36 can crash there: its bug 30425).
ftest_many_threads_open_call_and_close() {
	cd "$FB" && run ./dlstress-lt 2000 && expect_rc 0 && expect_out "wrong answers: 0" &&
		run "$LT" ./dlstress 500 && expect_rc 0 && expect_out "wrong answers: 0"
}

# Nothing of a library with TLS may stay behind once it is closed: its
# place in each thread's dtv, and its block in each thread that used it
# (libmu-tls.so: in the static surplus; libmu-bigtls.so: too big for it, so
# allocated on first use; libmu-bigdesc.so: the same through two TLS
# descriptors, whose arguments ld-teach allocates).  VmRSS after 5000 and
# after 10000 cycles of dlopen, use and dlclose, measured by the program
# itself (dlleak.c).  In
# musl programs ld-teach's glue owns all of it: under 8 bytes a cycle (a
# 32-byte leak fails).  In glibc programs glibc's libc keeps the dtv and
# frees the blocks, and grows by up to some 30 bytes a cycle over these
# rounds under its own loader too: under 1 KiB a cycle (a block kept fails).
ftest_dlopen_use_and_dlclose_of_libraries_with_tls_keep_memory_flat() {
	local bound=8
	[ "$FLAVOUR" = musl ] || bound=1024
	both_modes dlleak libmu-tls.so lib_gd_address 5000 "$bound" &&
		both_modes dlleak libmu-bigtls.so big_address 5000 "$bound" &&
		both_modes dlleak libmu-bigdesc.so desc_address 5000 "$bound"
}

# A library whose program headers no segment maps (elfmangle's
# phoff-unmapped: moved past the end of the file): ld-teach reads them into
# a copy of its own, which goes with the library.  dlleak as above, on such
# a libmu-small.so.
ftest_a_library_s_copy_of_its_program_headers_goes_with_it() {
	local bound=8
	[ "$FLAVOUR" = musl ] || bound=1024
	"$TOP/build/tools/elfmangle" phoff-unmapped "$FB/lib/libmu-small.so" "$TMP/libmu-small.so" &&
		both_modes dlleak "$TMP/libmu-small.so" small_address 2000 "$bound"
}

# A library with initial-exec TLS whose DT_FLAGS lacks DF_STATIC_TLS
# (elfmangle's static-tls-unflagged): its TPOFF64 relocations alone say it
# needs static TLS, and dlopen places its block there as before.  dlleak as
# above, on such a libmu-small.so.
ftest_initial_exec_tls_is_found_without_its_flag() {
	local bound=8
	[ "$FLAVOUR" = musl ] || bound=1024
	"$TOP/build/tools/elfmangle" static-tls-unflagged "$FB/lib/libmu-small.so" "$TMP/libmu-small.so" &&
		both_modes dlleak "$TMP/libmu-small.so" small_address 2000 "$bound"
}

# What ld-teach keeps of a library's directory (its $ORIGIN, which glibc's
# link_map holds as l_origin) goes with it: dlleak as above, on a
# libmu-small.so whose directory's name is over 1.5 KiB long, more than the
# glibc flavour's bound.
ftest_a_library_s_directory_name_goes_with_it() {
	local bound=8 dir=$TMP/deep i
	[ "$FLAVOUR" = musl ] || bound=1024
	for i in 1 2 3 4 5 6 7 8; do
		dir+=/$(printf 'directory%.0s' {1..22})$i
	done
	mkdir -p "$dir" && cp "$FB/lib/libmu-small.so" "$dir/" &&
		both_modes dlleak "$dir/libmu-small.so" small_address 2000 "$bound"
}

# A dlopen that runs out of mappings (the process holds as many as the
# kernel allows, vm.max_map_count, and gives them back one at a time: the
# maplimit program) fails at each step that needs one more, with that
# step's reason, and never leaves anything behind: the first time a step
# is short of one mapping only, the relocated library's RELRO cannot be
# made read-only (the mprotect splits its writable mapping in two).
# (glibc's loader, tried the same way, had not opened the library once 64
# mappings were given back: no reference here.)
ftest_running_out_of_mappings_fails_each_step_with_its_reason() {
	local how limit
	limit=$(cat /proc/sys/vm/max_map_count) || skip "no /proc/sys/vm/max_map_count"
	[ "$limit" -le 262144 ] || skip "vm.max_map_count is $limit: too many mappings to fill here"
	for how in "$LT ./maplimit" ./maplimit-lt; do
		cd "$FB" && run $how libmu-a.so && expect_rc 0 &&
			expect_contains out "libmu-c.so: cannot map the segment at 0x1000" &&
			expect_contains out "libmu-a.so: cannot apply additional memory protection after relocation: Cannot allocate memory" &&
			expect_contains out "opened once " || { diag "$how"; return 1; }
	done
}

# A thread's dynamic TLS blocks go when it exits, every one of them: 2000
# threads that each use two libraries' dynamic TLS (a block of over 4 KiB
# each) and exit, then 2000 more (dlthreadexit.c).  musl programs: under 64
# bytes a thread.  glibc programs, whose libc frees the blocks when it
# reuses a thread's stack, grow by some 65 bytes a thread under glibc's own
# loader: under 1 KiB a thread.  A block kept fails either.
ftest_threads_that_used_dynamic_tls_leave_nothing_behind() {
	local bound=64
	[ "$FLAVOUR" = musl ] || bound=1024
	both_modes dlthreadexit 2000 "$bound"
}

# glibc 2.36's own loader deadlocks here (its _dl_load_write_lock is left held).
ftest_fork_while_another_thread_is_in_dlopen() {
	cd "$FB" && run ./dlfork-lt && expect_rc 0 && expect_out "children that could dlopen after fork: 50 of 50"
}

ftest_r_debug_and_phdr_counters_follow_dlopen_and_dlclose() {
	dl_program dlmeta
}

# A library with no PT_PHDR whose first program header is no PT_LOAD
# (elfmangle's load-not-first: its last header, PT_GNU_RELRO, moved to the
# front): its headers are still where its PT_LOAD of offset 0 maps them,
# and dlpi_phdr points there, not at a copy, as under glibc's loader
# (dl_program compares) and musl's (only that check's line: musl's loader
# names libc otherwise and never unloads, so dlmeta's other checks fail).
ftest_dlpi_phdr_points_into_the_mapping_when_no_pt_load_is_first() {
	local lib=$TMP/libmu-data.so line="dlopen: every dlpi_phdr is where its object maps its headers: ok"
	"$TOP/build/tools/elfmangle" load-not-first "$FB/lib/libmu-data.so" "$lib" || return 1
	readelf -lW "$lib" | awk '$1 == "Type" { getline; first = $1; exit } END { exit first == "" || first == "LOAD" }' ||
		{ diag "$lib: its first program header is a PT_LOAD"; return 1; }
	dl_program dlmeta "$lib" && expect_contains out "$line" || return 1
	[ "$FLAVOUR" = glibc ] || { cd "$FB" && run "$SYSTEM_LD" ./dlmeta "$lib" && expect_contains out "$line"; } ||
		{ diag "^ musl's loader, the reference"; return 1; }
}

ftest_files_trace_says_why_an_object_stays() {
	cd "$FB" && run LD_DEBUG=files ./dlflags-lt && expect_rc 0 &&
		expect_contains err "lib/libmu-x.so [0];  not unloaded: bound to by $FB/lib/libmu-y.so, which stays" &&
		expect_contains err "lib/libmu-nodel.so [0];  not unloaded: NODELETE" &&
		expect_contains err "lib/libmu-y.so [0];  unloading: nothing keeps it any more" &&
		run LD_DEBUG=files ./dlbasic-lt && expect_contains err "libmu-dl.so [0];  not unloaded: 1 dlopen handle still open"
}

# gdb, with ld-teach.so as the program's interpreter.
gdb_batch() {
	run gdb -q -batch -ex 'set breakpoint pending on' "$@"
}

# The objects of a flavour's process besides the program's own libraries.
libc_objects() {
	case $FLAVOUR in
	musl) echo build/musl/libc.so ;;
	glibc) echo libc.so.6 build/glibc/ld-linux-x86-64.so.2 ;;
	esac
}

ftest_gdb_breaks_in_a_library_and_lists_every_object() {
	command -v gdb >/dev/null || { diag "gdb is not installed"; return 1; }
	cd "$FB" && gdb_batch -ex 'break a_value' -ex run -ex bt -ex 'info sharedlibrary' ./diamond-lt || return 1
	expect_contains out "Breakpoint 1, a_value () at test-bins/musl/libmu-a.c" &&
		grep -qE '^#1 .* in main \(\) at test-bins/musl/diamond.c' <<<"$out" || { show_run; return 1; }
	local lib
	for lib in lib/libmu-a.so lib/libmu-b.so lib/libmu-c.so $(libc_objects) ld-teach.so; do
		grep -qE "Yes .*/$lib\$" <<<"$out" || { diag "gdb does not list $lib"; show_run; return 1; }
	done
}

ftest_gdb_sees_a_dlopened_library() {
	command -v gdb >/dev/null || { diag "gdb is not installed"; return 1; }
	cd "$FB" && gdb_batch -ex 'break dl_add' -ex run -ex bt -ex 'info sharedlibrary' \
		-ex 'info symbol dl_get_ie' ./dlbasic-lt || return 1
	expect_contains out "hit Breakpoint 1, dl_add (x=2, y=3) at test-bins/musl/libmu-dl.c" &&
		expect_contains out "in thread_ok (" &&
		grep -qE "Yes .*/lib/libmu-dl.so\$" <<<"$out" &&
		expect_contains out "dl_get_ie in section .text of $FB/lib/libmu-dl.so"
}

run_suite dl
