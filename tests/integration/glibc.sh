#!/bin/bash
# glibc programs through ld-teach, standing in for ld-linux-x86-64.so.2:
# Debian's own programs and gcc/g++-built ones, in both ways of starting,
# with lazy binding and with LD_BIND_NOW=1, compared with glibc's own loader;
# and what ld-teach must refuse.
source "$(dirname "$0")/../lib.sh"

GB=$BIN/glibc
GLIBC_LD=/lib64/ld-linux-x86-64.so.2
ELFMANGLE=$TOP/build/tools/elfmangle

# A copy of a program whose PT_INTERP is ld-teach.so: through a link with a
# short name, so that it fits where the old interpreter's name was.
LINK_DIR=$(mktemp -d /tmp/lt.XXXXXX)
ln -s "$LT" "$LINK_DIR/l"
trap 'rm -rf "$TMP" "$LINK_DIR"' EXIT
interp_copy() {
	local copy=$TMP/interp-$(basename "$1")
	[ -x "$copy" ] || { "$ELFMANGLE" interp "$1" "$copy" "$LINK_DIR/l" && chmod +x "$copy"; }
	echo "$copy"
}

# The program under glibc's loader and under ld-teach, lazily and with
# LD_BIND_NOW=1: command mode against glibc's command mode, and the
# program started by the kernel against its copy (or -lt twin) whose
# interpreter is ld-teach.
same_as_glibc() {
	local prog=$1 twin=$2 now
	shift 2
	for now in "" 1; do
		run LD_BIND_NOW=$now "$GLIBC_LD" "$prog" "$@" && remember &&
			run LD_BIND_NOW=$now "$LT" "$prog" "$@" && expect_same &&
			run LD_BIND_NOW=$now "$prog" "$@" && remember &&
			run LD_BIND_NOW=$now "$twin" "$@" && expect_same || { diag "LD_BIND_NOW=$now"; return 1; }
	done
}

debian_program() {
	local prog
	prog=$(type -P "$1") || { diag "$1 is not installed"; return 1; }
	shift
	same_as_glibc "$prog" "$(interp_copy "$prog")" "$@"
}

test_debian_programs() {
	need_glibc
	cd "$TOP" || return 1
	debian_program true && debian_program echo hello world && debian_program ls -l test-bins &&
		debian_program sort /etc/passwd && debian_program sha256sum Makefile &&
		debian_program date -u -d @1000000000 && debian_program find rtld -name '*.h' &&
		debian_program sed -n 's/:.*//p' /etc/group && debian_program awk -F: '{n++} END {print n}' /etc/passwd &&
		debian_program stat -c '%s %F' Makefile && debian_program grep -c root /etc/passwd &&
		debian_program id
}

# Programs that load code while they run: extension modules, NSS, gconv,
# libgcc_s; and programs that run others (git, gcc).
PY_IMPORTS='import json, decimal, hashlib, ctypes, ctypes.util, sqlite3, ssl, threading, zlib, bz2, lzma
db = sqlite3.connect(":memory:"); db.execute("create table t(x)"); db.execute("insert into t values (42)")
results = []
threads = [threading.Thread(target=lambda i=i: results.append(hashlib.sha256(bytes([i])).hexdigest()[:6])) for i in range(4)]
[t.start() for t in threads]; [t.join() for t in threads]
print(json.dumps({"sum": str(decimal.Decimal("1.10") + 2), "db": db.execute("select x from t").fetchone()[0],
    "zlib": len(zlib.compress(b"a" * 1000)), "bz2": len(bz2.compress(b"b" * 1000)), "lzma": len(lzma.compress(b"c")) > 0,
    "ssl": ssl.OPENSSL_VERSION.split()[0], "threads": sorted(results),
    "cos": ctypes.CDLL(ctypes.util.find_library("m")).cos.__class__.__name__}))'

test_python_extension_modules_threads_ctypes() {
	need_glibc
	[ -x /usr/bin/python3 ] || skip "Debian's python3 is not installed"
	debian_program /usr/bin/python3 -c "$PY_IMPORTS" && expect_contains out '"db": 42'
}

test_nss_iconv_perl() {
	need_glibc
	printf 'caf\xe9\n' >"$TMP/latin1.txt"
	debian_program getent passwd root && debian_program getent group nogroup &&
		debian_program id -un nobody && debian_program iconv -f latin1 -t utf-8 "$TMP/latin1.txt" &&
		expect_out "café" &&
		debian_program perl -MPOSIX -MList::Util=sum -e 'print sum(1..10), " ", POSIX::floor(2.5), "\n"'
}

# NSS with a module that does not exist goes on to the next source, as with glibc.
test_nss_missing_module_falls_back() {
	need_glibc
	need_root
	command -v unshare >/dev/null || skip "no unshare(1)"
	printf 'passwd: nosuchmodule files\ngroup: files\n' >"$TMP/nsswitch.conf"
	local cmd="mount --bind $TMP/nsswitch.conf /etc/nsswitch.conf && exec \"\$@\""
	run unshare -m sh -c "$cmd" sh "$GLIBC_LD" /usr/bin/getent passwd root && remember &&
		run unshare -m sh -c "$cmd" sh "$LT" /usr/bin/getent passwd root && expect_same &&
		expect_contains out "root:x:0:0"
}

# A repository made, committed to and read, all through one launcher.
git_session() {
	local repo
	repo=$(mktemp -d "$TMP/repo.XXXXXX") && cd "$repo" && echo hello >file &&
		"$@" init -q -b main . && "$@" add file &&
		"$@" -c user.name=lt -c user.email=lt@example.org commit -q -m first &&
		"$@" log --format='%H %an %s'
}

test_git_and_gcc() {
	need_glibc
	local git now
	git=$(type -P git) || skip "git is not installed"
	export GIT_AUTHOR_DATE=@1000000000 GIT_COMMITTER_DATE=@1000000000 GIT_CONFIG_GLOBAL=/dev/null
	for now in "" 1; do
		run LD_BIND_NOW=$now bash -c "$(declare -f git_session); git_session $GLIBC_LD $git" && remember &&
			run LD_BIND_NOW=$now bash -c "$(declare -f git_session); git_session $LT $git" && expect_same &&
			run LD_BIND_NOW=$now bash -c "$(declare -f git_session); git_session $(interp_copy "$git")" &&
			expect_same || { diag "LD_BIND_NOW=$now"; return 1; }
	done
	# (The copy of gcc finds cc1 through GCC_EXEC_PREFIX, not next to itself.)
	printf 'int main(void) { return 7; }\n' >"$TMP/seven.c"
	run "$LT" "$(type -P gcc)" -O2 -o "$TMP/seven" "$TMP/seven.c" && expect_rc 0 &&
		run GCC_EXEC_PREFIX=/usr/lib/gcc/ "$(interp_copy "$(type -P gcc)")" -O2 \
			-o "$TMP/seven-too" "$TMP/seven.c" && expect_rc 0 &&
		run "$TMP/seven" && expect_rc 7 && run "$TMP/seven-too" && expect_rc 7
}

gcc_program() {
	local prog=$1
	shift
	cd "$GB" && same_as_glibc "./$prog" "./$prog-lt" "$@"
}

test_gcc_programs_pie_nonpie_now() {
	need_glibc
	gcc_program hello one "two words" && gcc_program hello-nopie one && gcc_program hello-now one &&
		run GREETING=hi "$LT" "$GB/hello" && expect_rc 3 && expect_contains out "GREETING = hi" &&
		expect_contains out "C.UTF-8: 5 characters, upper case HÉLLO"
}

test_cxx_exceptions_threads_thread_local() {
	need_glibc
	gcc_program cxx && expect_contains out "3: caught too far: 3" &&
		expect_contains out "thread_local destructor of 12" &&
		expect_contains out "libgl-thrower: static destructor"
}

# STB_GNU_UNIQUE as g++ makes it: one inline static and one template static
# per process, across two libraries opened RTLD_LOCAL.
test_cxx_inline_and_template_statics_are_one_per_process() {
	need_glibc
	gcc_program inline && expect_contains out "the inline function's static: one object: yes, value 1" &&
		expect_contains out "the template's static member: one object: yes, value 2"
}

# The main thread's rseq area, registered or not (glibc.pthread.rseq=0), as
# glibc's loader leaves it: __rseq_offset always, the cpu_id saying why not.
test_rseq_registered_or_turned_off() {
	need_glibc
	local setting
	cd "$GB" || return 1
	for setting in "" glibc.pthread.rseq=0; do
		run GLIBC_TUNABLES=$setting "$GLIBC_LD" ./rseq && remember &&
			run GLIBC_TUNABLES=$setting "$LT" ./rseq && expect_same &&
			run GLIBC_TUNABLES=$setting ./rseq-lt && expect_same || { diag "GLIBC_TUNABLES=$setting"; return 1; }
	done
	expect_contains out "__rseq_size 0, cpu_id registration failed"
}

# libc, libthread_db and gdb read link_map fields past <link.h>'s: the
# same as glibc's loader gives, for start-up and dlopen's objects (l_global
# after RTLD_GLOBAL; TLS; the span).
test_link_map_fields_are_glibcs() {
	need_glibc
	gcc_program linkmaps && expect_contains out "libgl-order-a.so: type 2 relocated 1 global 1" &&
		expect_contains out "libc.so.6: type 1 relocated 1 global 1 real 1" &&
		expect_contains out "tls module 1"
}

# A loader error that nothing catches (uncaught.c signals one outside
# dlopen) ends the program through the loader's _dl_fatal_printf: libc's
# message, and exit status 127, as under glibc's loader.
test_an_uncaught_loader_error_ends_the_program_as_under_glibc() {
	need_glibc
	gcc_program uncaught && expect_rc 127 && expect_out "signalling" &&
		expect_err_line "./uncaught-lt: uncaught: libnowhere.so: nobody catches this" || return 1
	run "$GLIBC_LD" ./uncaught && remember && run "$LT" ./uncaught && expect_same &&
		[ "$err" == "$ref_err" ] || { diag "stderr: $err" "glibc's loader's: $ref_err"; return 1; }
}

test_tls_general_dynamic_and_initial_exec_with_threads() {
	need_glibc
	gcc_program tls
}

test_pthread_cancel_and_exit() {
	need_glibc
	gcc_program cancel && expect_contains out "cleanup handler: cancelled while waiting" &&
		expect_contains out "second thread: 42"
}

# fork while another thread opens and closes libraries: ld-teach holds its
# locks across fork, so every child can dlopen (glibc's own loader can leave
# a child waiting for ever: the expectation is stated, not compared).
test_fork_during_dlopen_in_another_thread() {
	need_glibc
	local expected="100 children could dlopen"
	run "$LT" "$GB/forkdl" && expect_rc 0 && expect_out "$expected" &&
		run "$GB/forkdl-lt" && expect_rc 0 && expect_out "$expected"
}

# The program's own fork handlers use the loader (atforkdl.c): its prepare
# handler dlopens, its child handler calls dlsym.  ld-teach's handler,
# which holds the loader's locks across fork, must come after the one and
# before the other: registered before the program's, whether the program
# names pthread_atfork or finds __register_atfork with dlsym.  (Registered
# later, the second fork deadlocks.)
test_the_programs_fork_handlers_may_use_the_loader() {
	need_glibc
	local prog
	for prog in atforkdl atforkdl-dlsym; do
		gcc_program $prog &&
			expect_out "3 prepare handlers opened libz; 3 children ran their handlers and could dlopen" ||
			{ diag "$prog"; return 1; }
	done
}

# ... and registered only when first needed, as LD_DEBUG=files says: a
# hello, which cannot register a fork handler, makes no thread and opens no
# library, leaves libc's code for it unrun (doc/performance.md).
test_the_fork_handler_is_registered_when_first_needed() {
	need_glibc
	local why="glibc adapter: fork handler registered with libc:"
	cd "$GB" && run LD_DEBUG=files ./hello-lt && expect_rc 3 && expect_not_contains err "$why" &&
		run LD_DEBUG=files "$LT" ./hello && expect_rc 3 && expect_not_contains err "$why" &&
		run LD_DEBUG=files ./atforkdl-lt && expect_contains err "$why ./atforkdl-lt can register fork handlers" &&
		run LD_DEBUG=files ./atforkdl-dlsym-lt &&
		expect_contains err "$why dlsym of a function that registers fork handlers" &&
		run LD_DEBUG=files ./forkdl-lt && expect_contains err "$why the first thread is made" &&
		run LD_DEBUG=files "$BIN/glibc-flavour/dldiffer-lt" noload &&
		expect_contains err "$why the first dlopen or dlclose" &&
		run LD_DEBUG=files AUDIT_LOG=/dev/null LD_AUDIT="$BIN/glibc-flavour/lib/auditmod.so" ./hello-lt &&
		expect_contains err "$why audit modules run"
}

# Static TLS that a dlopen places reaches a thread being made, and no
# thread that is gone.  pthread_create links a new thread into libc's lists
# only after _dl_allocate_tls, which newthread.c takes over to dlopen a
# library with initial-exec TLS just then: the new thread must see its
# initial values (glibc's own loader misses the thread, which sees zeros:
# the expectation is stated, not compared).  And in a fork's child, where
# only the forking thread lives, the dlopen must not write into the stack
# of another thread of the parent (the child has unmapped it).
test_static_tls_reaches_a_thread_being_made_and_no_thread_gone() {
	need_glibc
	local expected="fork's child, the other thread's stack unmapped: ok
a thread made while a dlopen placed static TLS: gl_bump(0) = 301: ok"
	run "$LT" "$GB/newthread" && expect_rc 0 && expect_out "$expected" &&
		run "$GB/newthread-lt" && expect_rc 0 && expect_out "$expected"
}

# libc calls the vDSO's clock functions where glibc's loader would let it
# (the program makes the system calls fail, so each call says its way).
# The main thread's stack guard and pointer guard, made from AT_RANDOM as
# glibc's loader makes them.
test_stack_and_pointer_guards_come_from_at_random() {
	need_glibc
	gcc_program guards && expect_out "stack guard: AT_RANDOM's first 8 bytes, low byte 0: yes"$'\n'"pointer guard: AT_RANDOM's next 8 bytes: yes"
}

test_clocks_through_the_vdso() {
	need_glibc
	gcc_program vdso
}

# _rtld_global_ro holds libc's way into the loader (dlopen, dlsym...):
# read-only once start-up is done, as glibc's loader leaves it.
test_loader_read_only_data_stays_read_only() {
	need_glibc
	gcc_program roglobal && expect_out "found _rtld_global_ro" && expect_rc 139
}

# glibc's order, not the core's own: d v c b a, the program last; destructors reversed,
# the program's first (ld-teach's finalizer runs them, as glibc's does).
test_constructor_order_is_glibcs() {
	need_glibc
	gcc_program order && expect_out "$(printf 'constructor: %s\n' d v c b a program)
main
$(printf 'destructor: %s\n' program a b c v d)"
}

test_ld_debug_and_show_auxv() {
	need_glibc
	run LD_DEBUG=files,libs,bindings,versions "$LT" "$GB/hello" && expect_rc 3 &&
		expect_contains err "libc: glibc, for $GB/hello needs it" &&
		expect_contains err "served by the glibc adapter" &&
		expect_contains err "normal symbol \`puts' [GLIBC_2.2.5]" &&
		expect_contains err "calling init: /lib/x86_64-linux-gnu/libc.so.6" || return 1
	# The same entries as glibc's (which prints the types it has no name for,
	# such as the rseq ones ld-teach names, as AT_???).
	local ours theirs
	run LD_SHOW_AUXV=1 "$GB/hello-lt" && ours=$(grep -o '^AT_[A-Z_0-9]*' <<<"$out" | grep -v '^AT_RSEQ_') &&
		run LD_SHOW_AUXV=1 "$GB/hello" && theirs=$(grep -o '^AT_[A-Z_0-9]*' <<<"$out" | grep -vx 'AT_') &&
		[ "$ours" = "$theirs" ] || { diag "auxv entries differ: ${ours//$'\n'/ } / ${theirs//$'\n'/ }"; return 1; }
}

# A directory found missing is skipped by later searches, as glibc's loader
# skips it: ls needs several libraries, and each would otherwise try the
# missing directory's eleven subdirectories again.
tries_in() {
	sed -n "s|.*trying file=\($1/[^ ]*\).*|\1|p" <<<"$err"
}

test_a_missing_directory_is_tried_in_one_search_only() {
	need_glibc
	local ls ours theirs
	ls=$(type -P ls) || { diag "ls is not installed"; return 1; }
	run LD_LIBRARY_PATH="$TMP/none" LD_DEBUG=libs "$GLIBC_LD" "$ls" / && theirs=$(tries_in "$TMP/none") &&
		run LD_LIBRARY_PATH="$TMP/none" LD_DEBUG=libs "$LT" "$ls" / && ours=$(tries_in "$TMP/none") &&
		[ -n "$theirs" ] && [ "$ours" = "$theirs" ] ||
		{ diag "tried in $TMP/none, glibc's loader then ld-teach:" "$theirs" "--" "$ours"; return 1; }
}

# A directory listed twice is searched once, and its trailing slashes are
# no part of it, as in glibc's loader: the search paths printed (later
# searches leave out what earlier ones found missing) and the files tried
# are glibc's, for every library ls needs.  A list of thousands such
# entries once took seconds to start with.
search_lines() {
	sed -n -e "s|^ *[0-9]*:\t\( search path=.*(LD_LIBRARY_PATH)\)$|\1|p" \
		-e "s|.*\(trying file=$TMP/[^ ]*\).*|\1|p" <<<"$err"
}

test_a_directory_listed_twice_is_searched_once() {
	need_glibc
	local ls ours theirs list="$TMP/none:$TMP/other/:$TMP/none//:$TMP/other:$TMP/none"
	ls=$(type -P ls) || { diag "ls is not installed"; return 1; }
	run LD_LIBRARY_PATH="$list" LD_DEBUG=libs "$GLIBC_LD" "$ls" / && theirs=$(search_lines) &&
		run LD_LIBRARY_PATH="$list" LD_DEBUG=libs "$LT" "$ls" / && ours=$(search_lines) &&
		[ "$(grep -c 'trying file=' <<<"$theirs")" -gt 11 ] && [ "$ours" = "$theirs" ] ||
		{ diag "glibc's loader, then ld-teach:" "$theirs" "--" "$ours"; return 1; }
}

# The program's start, as glibc's libc traces it itself (through the
# stand-in's _dl_debug_printf, under _dl_debug_mask's DL_DEBUG_IMPCALLS):
# "initialize program" and "transferring control", with their empty lines
# (a lazy binding's lookups may come between, under symbols), under each
# category glibc shows calls under, in both modes; and the
# constructor calls under symbols, bindings and versions too.
start_lines() {
	sed -E 's/^ *[0-9]+://; s/hello-lt/hello/' <<<"$err" |
		sed -n '/^\tinitialize program: /,/^\ttransferring control: /p' |
		grep -E $'^\t((initialize program|transferring control): .*)?$'
}

test_the_program_s_start_is_traced_as_glibc_s_libc_traces_it() {
	need_glibc
	local cat ours theirs
	cd "$GB" || return 1
	for cat in libs reloc files symbols bindings versions; do
		run LD_DEBUG=$cat "$GLIBC_LD" ./hello && theirs=$(start_lines) &&
			run LD_DEBUG=$cat "$LT" ./hello && ours=$(start_lines) &&
			[ "$(wc -l <<<"$theirs")" = 4 ] && [ "$ours" = "$theirs" ] &&
			expect_contains err "calling init: /lib/x86_64-linux-gnu/libc.so.6" &&
			run LD_DEBUG=$cat ./hello && theirs=$(start_lines) &&
			run LD_DEBUG=$cat ./hello-lt && ours=$(start_lines) && [ "$ours" = "$theirs" ] ||
			{ diag "LD_DEBUG=$cat: glibc's, then ld-teach's:" "$theirs" "--" "$ours"; return 1; }
	done
	run LD_DEBUG=scopes "$LT" ./hello && [ -z "$(start_lines)" ] ||
		{ diag "scopes shows the start, which glibc's does not"; return 1; }
}

# Every object's constructors and destructors are announced, whether it has
# any or not (the loader, libc.so.6's destructors), and the program's
# preinit array once, as glibc's loader announces them; compared in both
# modes, the stand-in named as glibc's loader, and the program's own
# destructors by the empty name glibc's loader gives it there.
call_lines() {
	sed -nE 's/^ *[0-9]+:\t(calling (preinit|init|fini): .*)$/\1/p' <<<"$err" |
		sed -E -e "s#$TOP/build/glibc/ld-linux-x86-64.so.2#$GLIBC_LD#" \
			-e 's#^calling (preinit|fini): \./pre(-lt)?#calling \1: ./pre#' \
			-e 's#^calling fini: \./pre \[0\]$#calling fini:  [0]#'
}

test_every_object_s_calls_are_announced_as_glibc_s_loader_does() {
	need_glibc
	printf '%s\n' '#include <stdio.h>' 'static void pre(void) { puts("preinit"); }' \
		'__attribute__((section(".preinit_array"), used)) static void (*const pres[])(void) = {pre, pre};' \
		'int main(void) { return 0; }' >"$TMP/pre.c" &&
		run_build gcc -o "$TMP/pre" "$TMP/pre.c" &&
		run_build gcc -o "$TMP/pre-lt" "$TMP/pre.c" -Wl,--dynamic-linker="$LT" && expect_rc 0 ||
		{ show_run; return 1; }
	local ours theirs
	cd "$TMP" && run LD_DEBUG=libs "$GLIBC_LD" ./pre && theirs=$(call_lines) &&
		run LD_DEBUG=libs "$LT" ./pre && ours=$(call_lines) && [ "$ours" = "$theirs" ] &&
		[ "$(grep -c 'calling preinit' <<<"$ours")" = 1 ] && [ "$(grep -c 'calling fini' <<<"$ours")" = 3 ] &&
		run LD_DEBUG=libs ./pre && theirs=$(call_lines) &&
		run LD_DEBUG=libs ./pre-lt && ours=$(call_lines) && [ "$ours" = "$theirs" ] ||
		{ diag "glibc's loader, then ld-teach:" "$theirs" "--" "${ours-}"; return 1; }
}

# LD_DEBUG=versions checks each object's requirements in its file's order,
# the objects in load order, as glibc's loader checks them: the same lines
# for Debian's python3, its dozens (the stand-in named as glibc's loader).
version_lines() {
	sed -nE "s/^ *[0-9]+:\t(checking for version .*)$/\1/p" <<<"$err" |
		sed "s#$TOP/build/glibc/ld-linux-x86-64.so.2#$GLIBC_LD#g"
}

test_versions_are_checked_in_glibc_s_order() {
	need_glibc
	[ -x /usr/bin/python3 ] || skip "Debian's python3 is not installed"
	local ours theirs
	run LD_DEBUG=versions "$GLIBC_LD" /usr/bin/python3 -c pass && theirs=$(version_lines) &&
		run LD_DEBUG=versions "$LT" /usr/bin/python3 -c pass && ours=$(version_lines) &&
		[ "$(wc -l <<<"$theirs")" -gt 20 ] && [ "$ours" = "$theirs" ] ||
		{ diag "glibc's loader, then ld-teach:" "${theirs-}" "--" "${ours-}"; return 1; }
}

# LD_DEBUG=scopes lays out its lines as glibc's loader does (a heading after
# an empty line, an empty line after each object), and writes a scope
# whole however long (here over 3 KiB, the libraries found through a
# directory named with 1,200 bytes).  Compared with glibc's loader, whose
# vDSO ld-teach does not show, and with ld-teach's own objects (the
# stand-in, ld-teach.so, in the global scope last) left out.
scope_lines() {
	sed -E 's/^ *[0-9]+://' <<<"$err" | awk -v lt="$LT" -v standin="$TOP/build/glibc/ld-linux-x86-64.so.2" '
		/^\tobject=/ { skip = index($0, "linux-vdso") || index($0, standin) || index($0, lt) ||
				index($0, "/ld-linux-x86-64.so.2 [0]") }
		!skip { gsub(" " lt, ""); gsub(" " standin, ""); gsub(" /lib64/ld-linux-x86-64.so.2", ""); print }
		/^\t$/ { skip = 0 }'
}

test_scopes_are_laid_out_as_glibc_s() {
	need_glibc
	local ours theirs long
	long=$(realpath -m "$TMP/$(printf 'd%.0s' $(seq 200))/$(printf 'e%.0s' $(seq 200))/$(printf 'f%.0s' $(seq 200))/$(printf 'g%.0s' $(seq 200))/$(printf 'h%.0s' $(seq 200))/$(printf 'i%.0s' $(seq 195))") &&
		mkdir -p "$long" && cp "$BIN"/glibc-flavour/lib/libmu-{a,b,c}.so "$long/" || return 1
	cd "$BIN/glibc-flavour" && run LD_LIBRARY_PATH="$long" LD_DEBUG=scopes "$GLIBC_LD" ./diamond && theirs=$(scope_lines) &&
		run LD_LIBRARY_PATH="$long" LD_DEBUG=scopes "$LT" ./diamond && ours=$(scope_lines) &&
		[ "$(grep -c "$long/libmu-c.so" <<<"$theirs")" -ge 4 ] && [ "$(wc -L <<<"$theirs")" -gt 3000 ] &&
		[ "$ours" = "$theirs" ] || { diag "glibc's loader, then ld-teach:" "${theirs-}" "--" "${ours-}"; return 1; }
}

# LD_DEBUG=reloc says "(lazy)" of every object relocated lazily, as glibc's
# loader says it, a library with no PLT slot too (libnoplt.so), and of none
# under LD_BIND_NOW; in both modes.  (The loader's own line is left out:
# glibc's loader relocates itself last, ld-teach the stand-in first.)
reloc_lines() {
	sed -nE 's/^ *[0-9]+:\t(relocation processing: .*)$/\1/p' <<<"$err" | grep -v ld-linux | sed 's/noplt-lt/noplt/'
}

test_relocation_lines_say_lazy_as_glibc_s_loader_does() {
	need_glibc
	echo 'int value = 3;' >"$TMP/noplt.c" && echo 'extern int value; int main(void) { return value; }' >"$TMP/main.c" &&
		run_build gcc -shared -fPIC -o "$TMP/libnoplt.so" "$TMP/noplt.c" &&
		run_build gcc -o "$TMP/noplt" "$TMP/main.c" -L"$TMP" -lnoplt -Wl,-rpath,"$TMP" &&
		run_build gcc -o "$TMP/noplt-lt" "$TMP/main.c" -L"$TMP" -lnoplt -Wl,-rpath,"$TMP" \
			-Wl,--dynamic-linker="$LT" && expect_rc 0 || { show_run; return 1; }
	[ -z "$(readelf -rW "$TMP/libnoplt.so" | grep JUMP_SLOT)" ] || { diag "libnoplt.so has a PLT"; return 1; }
	local now ours theirs lazy
	cd "$TMP" || return 1
	for now in "" 1; do
		lazy=" (lazy)" && [ -z "$now" ] || lazy=""
		run LD_BIND_NOW=$now LD_DEBUG=reloc "$GLIBC_LD" ./noplt && theirs=$(reloc_lines) &&
			run LD_BIND_NOW=$now LD_DEBUG=reloc "$LT" ./noplt && ours=$(reloc_lines) && [ "$ours" = "$theirs" ] &&
			grep -q "libnoplt.so$lazy\$" <<<"$ours" &&
			run LD_BIND_NOW=$now LD_DEBUG=reloc ./noplt && theirs=$(reloc_lines) &&
			run LD_BIND_NOW=$now LD_DEBUG=reloc ./noplt-lt && ours=$(reloc_lines) && [ "$ours" = "$theirs" ] ||
			{ diag "LD_BIND_NOW=$now: glibc's loader, then ld-teach:" "${theirs-}" "--" "${ours-}"; return 1; }
	done
}

# LD_DEBUG=files lays out the lines glibc's loader prints too as it does:
# the empty lines around them, the padded addresses and phnum's column,
# the name each library was asked by.  Compared up to the first init, with
# ld-teach's own lines (mapped, libc:, relro:, the adapter's) left out and
# the addresses as 0xN.
files_lines() {
	sed -E -e 's/^ *[0-9]+://; s/0x[0-9a-f]{16}/0xN/g' \
		-e '/^\t(  mapped |libc: |  relro: |  glibc adapter: |handing over )/d' <<<"$err" |
		sed -n '/file=ld-linux-x86-64.so.2 \[0\];  needed by\|calling init: /q; p'
}

test_files_lines_are_laid_out_as_glibc_s() {
	need_glibc
	local ours theirs
	cd "$GB" && run LD_DEBUG=files "$GLIBC_LD" ./hello && theirs=$(files_lines) &&
		run LD_DEBUG=files "$LT" ./hello && ours=$(files_lines) &&
		[ "$(grep -c 'generating link map' <<<"$theirs")" -ge 3 ] && [ "$ours" = "$theirs" ] ||
		{ diag "glibc's loader, then ld-teach:" "$theirs" "--" "$ours"; return 1; }
}

# Tokens in a search path are expanded before it is printed and searched,
# as glibc's loader keeps its search paths: the lines printed are glibc's,
# a directory named twice ($ORIGIN/lib and $ORIGIN/lib/) is searched once,
# and a missing one ($ORIGIN/none) is left out once found missing.
test_tokens_are_expanded_in_the_search_paths_printed() {
	need_glibc
	local ours theirs lines='s/^ *[0-9]*:\t\( search path=.*\|  trying file=.*\)$/\1/p'
	mkdir -p "$TMP/tok/lib" &&
		run_build gcc -o "$TMP/tok/prog" "$TOP/test-bins/musl/hello.c" \
			-Wl,--disable-new-dtags,-rpath,'$ORIGIN/lib:$ORIGIN/none:${ORIGIN}/lib/:$PLATFORM' &&
		expect_rc 0 || { show_run; return 1; }
	run LD_DEBUG=libs "$GLIBC_LD" "$TMP/tok/prog" && theirs=$(sed -n "$lines" <<<"$err") &&
		run LD_DEBUG=libs "$LT" "$TMP/tok/prog" && ours=$(sed -n "$lines" <<<"$err") &&
		grep -qF "search path=$TMP/tok/lib/glibc-hwcaps" <<<"$theirs" && [ "$ours" = "$theirs" ] ||
		{ diag "glibc's loader, then ld-teach:" "$theirs" "--" "$ours"; return 1; }
}

# Tunables reach libc (malloc's perturb byte) and size static TLS as glibc's
# loader does.  ld-teach's own TLS (an error line per thread, in the
# stand-in) makes the block 512 bytes larger: compared by how much it grows
# with each setting (a number of namespaces outside 1..16 is ignored).
# Numbers are read as glibc reads them: 0x for hexadecimal, a leading 0 for
# octal, up to the first character that is no digit, none at all as 0.
tls_growth() {
	local base setting
	run "$1" && base=$(sed 's/static TLS \([0-9]*\).*/\1/' <<<"$out") || return 1
	for setting in glibc.rtld.optional_static_tls=2048 glibc.rtld.nns=1 glibc.rtld.nns=16 \
		glibc.rtld.nns=17 glibc.rtld.nns=0 glibc.rtld.optional_static_tls={0x800,0X1000,0xaBc,0xF09,04000,0800} \
		glibc.rtld.optional_static_tls={+1000,1000abc,1e3,x,} glibc.rtld.nns={010,0x10,2x}; do
		run GLIBC_TUNABLES=$setting "$1" &&
			echo "$setting: $(($(sed 's/static TLS \([0-9]*\).*/\1/' <<<"$out") - base))" || return 1
	done
}

test_tunables() {
	need_glibc
	local var
	for var in GLIBC_TUNABLES=glibc.malloc.perturb={85,0x55,0125} MALLOC_PERTURB_=85; do
		run $var "$GB/tunables-lt" && expect_contains out "fresh malloc byte 0xaa" || return 1
	done
	local ours theirs
	ours=$(tls_growth "$GB/tunables-lt") && theirs=$(tls_growth "$GB/tunables") || return 1
	[ "$ours" = "$theirs" ] ||
		{ diag "static TLS grows differently from glibc's:" $ours "(glibc's:" $theirs ")"; return 1; }
}

# A set-group-id program ignores malloc's perturb tunable and its variable,
# as under glibc's loader (which keeps the tunable for its children only).
test_a_secure_program_ignores_tunables() {
	need_glibc
	secure_copy "$GB/tunables" "$TMP/tunables" && secure_copy "$GB/tunables-lt" "$TMP/tunables-lt" ||
		return 1
	local var prog
	for var in GLIBC_TUNABLES=glibc.malloc.perturb=85 MALLOC_PERTURB_=85; do
		for prog in tunables tunables-lt; do
			run "$var" "$TMP/$prog" && expect_rc 0 && [[ $out == *"fresh malloc byte 0" ]] ||
				{ diag "$var $prog: $out"; return 1; }
		done
	done
}

# GLIBC_TUNABLES wins over a variable standing for the same tunable, wherever each is.
test_tunables_win_over_their_variables() {
	need_glibc
	local prog
	for prog in tunables tunables-lt; do
		run MALLOC_PERTURB_=17 GLIBC_TUNABLES=glibc.malloc.perturb=85 "$GB/$prog" &&
			expect_contains out "fresh malloc byte 0xaa" &&
			run GLIBC_TUNABLES=glibc.malloc.perturb=85 MALLOC_PERTURB_=17 "$GB/$prog" &&
			expect_contains out "fresh malloc byte 0xaa" || { diag "$prog"; return 1; }
	done
}

# A string tunable reaches whoever asks (__tunable_get_val, as libc asks)
# as the user wrote it, words, numbers and nothing alike: tunable-strings
# prints glibc.cpu.hwcaps, x86_ibt and x86_shstk as glibc's loader gives them.
test_string_tunables_are_given_as_written() {
	need_glibc
	local setting
	cd "$GB" || return 1
	for setting in "" glibc.cpu.hwcaps=-AVX2_Usable,-ERMS:glibc.cpu.x86_ibt=off:glibc.cpu.x86_shstk=permissive \
		glibc.cpu.hwcaps=0 glibc.cpu.hwcaps= glibc.cpu.x86_ibt=12; do
		run GLIBC_TUNABLES=$setting "$GLIBC_LD" ./tunable-strings && expect_rc 0 && remember &&
			run GLIBC_TUNABLES=$setting "$LT" ./tunable-strings && expect_same &&
			run GLIBC_TUNABLES=$setting ./tunable-strings-lt && expect_same ||
			{ diag "GLIBC_TUNABLES=$setting"; return 1; }
		[ -z "$setting" ] && { expect_contains out "glibc.cpu.hwcaps: not set" || return 1; }
	done
	expect_contains out 'glibc.cpu.x86_ibt: "12"'
}

test_valgrind_memcheck_is_clean() {
	need_glibc
	local prog
	for prog in hello-lt cxx-lt tls-lt; do
		run valgrind -q --error-exitcode=99 "$GB/$prog" && expect_no_signal &&
			[ "$rc" != 99 ] && expect_not_contains err "==" || { diag "$prog"; return 1; }
	done
}

# The glibc adapter under the guarded build (lib.sh): no overrun, no use
# after free; and out of memory at each allocation of a start in turn, a
# clean refusal or a correct run.
test_no_allocation_is_overrun_under_glibc_programs() {
	need_glibc
	local prog
	for prog in hello cxx tls cancel vdso; do
		cd "$GB" && same_when_guarded "./$prog" || { diag "$prog"; return 1; }
	done
}

test_out_of_memory_starting_glibc_programs_is_refused_cleanly() {
	need_glibc
	local prog
	for prog in hello cxx; do
		cd "$GB" && out_of_memory_scan refused_for_memory "./$prog" || { diag "$prog"; return 1; }
	done
	# linkmaps prints every link_map: start-up must give each object its
	# own, or refuse; once it runs, its dlopen may fail for want of memory.
	cd "$GB" && out_of_memory_scan refused_or_dlopen_failed_for_memory ./linkmaps
}

# A CHECK for out_of_memory_scan: refused for want of memory, or a program
# that says, and exits 1, because its dlopen found none.
refused_or_dlopen_failed_for_memory() {
	refused_for_memory || { [ "$rc" = 1 ] && [[ $out == *@(memory|allocate)* ]]; }
}

test_gdb_breakpoints_libraries_threads_tls() {
	need_glibc
	run gdb -batch -nx -ex 'set debuginfod enabled off' -ex 'break gl_bump' -ex run \
		-ex 'info sharedlibrary' -ex 'info threads' -ex 'p gl_dynamic' -ex kill "$GB/tls-lt"
	expect_contains out "Breakpoint 1, gl_bump" && expect_contains out "$GB/lib/libgl-tls.so" &&
		expect_contains out "/lib/x86_64-linux-gnu/libc.so.6" &&
		expect_contains out "Thread 0x" && expect_contains out '$1 = 100'
}

# No kernel since 2.6.29 starts a program without AT_RANDOM, and glibc's
# loader would fault reading it; ld-teach leaves the stack and pointer
# guards 0 and runs the program (a mutant that read the missing bytes
# survived).
runs_without_at_random() {
	without_at_random LD_SHOW_AUXV=1 "$@" still running &&
		expect_contains out "still running" && expect_contains out "exited normally" &&
		expect_contains out "AT_PHDR:" || { diag "$*"; return 1; }
	! grep -q '^AT_RANDOM:' <<<"$out" || { diag "$*: AT_RANDOM was not taken out"; return 1; }
}

test_a_start_without_at_random_runs() {
	need_glibc
	runs_without_at_random "$LT" /bin/echo && runs_without_at_random "$(interp_copy /bin/echo)"
}

# A libc.so.6 of another build (its build-id changed) is refused before it runs.
test_libc_of_another_build_is_refused() {
	need_glibc
	mkdir -p "$TMP/otherlibc" &&
		"$ELFMANGLE" build-id /lib/x86_64-linux-gnu/libc.so.6 "$TMP/otherlibc/libc.so.6" || return 1
	local id
	id=$(readelf -n "$TMP/otherlibc/libc.so.6" | sed -n 's/.*Build ID: //p')
	run LD_LIBRARY_PATH="$TMP/otherlibc" "$LT" "$GB/hello" && expect_rc 127 &&
		expect_contains err "ld-teach.so: $TMP/otherlibc/libc.so.6: build-id $id, but ld-teach was built for" &&
		expect_contains err "rebuild ld-teach with \`make\`" && [ "$(wc -l <<<"$err")" = 1 ]
}

# A build-id longer than any hash (100 bytes, in a stand-in libc.so.6 that
# gcc makes here) is shown by its first 64 bytes, 128 hex digits.
test_a_long_build_id_is_shown_by_its_first_64_bytes() {
	need_glibc
	local id
	id=$(printf 'ab%.0s' $(seq 100))
	mkdir -p "$TMP/longid" && run_build gcc -shared -nostdlib -Wl,-soname,libc.so.6 \
		-Wl,--build-id=0x"$id" -o "$TMP/longid/libc.so.6" -x c /dev/null && expect_rc 0 || return 1
	run LD_LIBRARY_PATH="$TMP/longid" "$LT" "$GB/hello" && expect_rc 127 &&
		expect_contains err "ld-teach.so: $TMP/longid/libc.so.6: build-id ${id:0:128}, but ld-teach was built for"
}

# A libc.so.6 whose build-id note follows another note in its PT_NOTE is
# still recognised by its build-id: the walk of the notes goes on past the
# first.
test_libc_s_build_id_after_another_note_is_found() {
	need_glibc
	mkdir -p "$TMP/swapped" &&
		"$ELFMANGLE" build-id-second /lib/x86_64-linux-gnu/libc.so.6 "$TMP/swapped/libc.so.6" || return 1
	local how
	for how in "$LT $GB/hello" "$GB/hello-lt"; do
		run $how && remember &&
			run LD_LIBRARY_PATH="$TMP/swapped" LD_DEBUG=files $how && expect_same &&
			expect_contains err "  mapped $TMP/swapped/libc.so.6 at " || return 1
	done
}

# ld-teach.so finds its stand-in for ld-linux-x86-64.so.2 beside itself
# (build/glibc/), and calls the start function the stand-in defines.  A
# stand-in whose start symbol is undefined, though it keeps a value (as a
# program's PLT stub for a function it calls does), defines none: refused.
test_a_stand_in_that_does_not_define_its_start_is_refused() {
	need_glibc
	local d=$TMP/standin ldso=build/glibc/ld-linux-x86-64.so.2
	mkdir -p "$d/build/glibc" && cp "$LT" "$d/" &&
		cp "$TOP/$ldso" "$d/$ldso" && run "$d/ld-teach.so" "$GB/hello" && expect_rc 3 &&
		"$ELFMANGLE" undefined-with-value "$TOP/$ldso" "$d/$ldso" __lt_adapter_start || return 1
	run "$d/ld-teach.so" "$GB/hello" && expect_rc 127 &&
		expect_err_line "ld-teach.so: $d/$ldso: not ld-teach's stand-in for ld-linux-x86-64.so.2 (no __lt_adapter_start)"
}

# One libc per process: a glibc program's library built for musl is refused.
test_musl_library_in_a_glibc_program_is_refused() {
	need_glibc
	run "$LT" "$GB/needs-musl-lib" && expect_rc 127 &&
		expect_err_line "ld-teach.so: $BIN/glibc/../musl/lib/libmu-greet.so: built for musl, but this process uses glibc"
}

# A loader preloaded by its path is the loader running, as glibc's finds
# itself: ld-teach.so (a second copy, never set up, answered __tls_get_addr
# and the program crashed at its first TLS access), and glibc's loader,
# which the stand-in is (it was refused as a stand-in without its start).
test_a_loader_preloaded_is_the_one_running() {
	need_glibc
	local ldso
	cd "$GB" && run LD_PRELOAD="$GLIBC_LD" ./tls && expect_rc 0 && remember || return 1
	for ldso in "$LT" "$GLIBC_LD" "$(readlink -f "$GLIBC_LD")"; do
		run LD_PRELOAD="$ldso" "$LT" ./tls && expect_same &&
			run LD_PRELOAD="$ldso" ./tls-lt && expect_same || return 1
	done
	run LD_DEBUG=files LD_PRELOAD="$LT" ./tls-lt && expect_same &&
		expect_contains err "$LT is a loader's or its libc's own file: unmapped again; the running ld-teach.so stands for it"
}

# musl's libc itself needs nothing, but is musl's: preloaded into a glibc
# program it is refused with a warning, and the program runs as without
# it.  (glibc's loader preloads it, and the program then starts in musl's
# __libc_start_main and crashes: ld-teach goes further.)  Both musl
# libc.so files: the system's and ld-teach's own.
test_musls_libc_preloaded_into_a_glibc_program_is_refused() {
	need_glibc
	local lib
	cd "$GB" && run ./hello && remember || return 1
	for lib in "$(readlink -f /lib/ld-musl-x86_64.so.1)" "$TOP/build/musl/libc.so"; do
		run LD_PRELOAD="$lib" ./hello-lt && expect_same &&
			expect_err_line "ld-teach.so: warning: object '$lib' from LD_PRELOAD cannot be preloaded: $lib: built for musl, but this process uses glibc: ignored" &&
			run LD_PRELOAD="$lib" "$LT" ./hello && expect_same || return 1
	done
}

# A set-user-id program passes on what glibc's loader lets through, by the
# level ld.so's tunable table gives each tunable: in GLIBC_TUNABLES the
# tunables not marked SXID_ERASE (malloc's arena_max and mxfast stay;
# pthread.rseq, malloc.check and an unknown name go), and of the variables
# that stand for tunables those whose tunable is not (MALLOC_ARENA_MAX
# stays, MALLOC_CHECK_ goes).  Secure copies of the same program under
# glibc's loader are the reference; the auxiliary vector still follows.
test_secure_mode_passes_on_the_tunables_glibcs_loader_passes_on() {
	need_glibc
	local var want ref
	secure_copy "$BIN/glibc-flavour/echo" "$TMP/echo" &&
		secure_copy "$BIN/glibc-flavour/echo-lt" "$TMP/echo-lt" || return 1
	for var in GLIBC_TUNABLES:glibc.malloc.arena_max=2:glibc.malloc.mxfast=0 MALLOC_CHECK_:'(unset)' \
		MALLOC_ARENA_MAX:4; do
		want="${var%%:*}=${var#*:}"
		for prog in "$TMP/echo" "$TMP/echo-lt"; do
			run -i LT_ECHO_VAR="${var%%:*}" MALLOC_CHECK_=3 MALLOC_ARENA_MAX=4 \
				GLIBC_TUNABLES=glibc.pthread.rseq=0:glibc.malloc.arena_max=2:bogus=1:glibc.malloc.check=3:glibc.malloc.mxfast=0 \
				"$prog" && expect_rc 0 && expect_contains out "AT_PHDR is ours: yes" || return 1
			ref=$(grep "^${var%%:*}=" <<<"$out")
			[ "$ref" = "$want" ] || { diag "$prog: $ref, wanted $want"; return 1; }
		done
	done
}

# The stand-in keeps its .bss (the loader data glibc's libc reads) in its
# file (rtld/bss-in-file.ld): its data segment is one file mapping, and no
# anonymous mapping follows it.
test_the_stand_in_needs_no_anonymous_mapping() {
	need_glibc
	need_strace
	run strace -e trace=openat,mmap,close -o "$TMP/trace" "$GB/hello-lt"
	expect_rc 3 || return 1  # (hello's own status)
	sed -n '/ld-linux-x86-64.so.2"/,/close(/p' "$TMP/trace" >"$TMP/stand-in"
	[ -s "$TMP/stand-in" ] || { diag "the stand-in was not opened"; cat "$TMP/trace" >&2; return 1; }
	data_segment_from_file "$TMP/stand-in" "the stand-in"
}

# Its read-only data sits with its headers (rtld/rodata-first.ld): one
# PT_LOAD per protection, in order (read-only, code, writable), three
# mappings, not four.
test_the_stand_in_has_a_segment_per_protection() {
	need_glibc
	local loads
	loads=$(readelf -lW "$TOP/build/glibc/ld-linux-x86-64.so.2" |
		awk '$1 == "LOAD" { f = $7; if ($8 == "E") f = f "E"; printf "%s ", f }')
	[ "$loads" = "R RE RW " ] || { diag "the stand-in's PT_LOADs: $loads(wanted R RE RW)"; return 1; }
}

run_suite glibc
