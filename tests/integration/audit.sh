#!/bin/bash
# The rtld-audit interface: LD_AUDIT and --audit, in both start modes,
# lazily bound and with LD_BIND_NOW, for musl and glibc programs.
#
# auditmod.so (test-bins/musl/auditmod.c, built for each flavour) logs
# every call it gets and changes what several of audited's calls see and
# return.  The reference is glibc's own loader running the glibc-built
# program and module: ld-teach must give the same log and output, for the
# glibc-built program (the same binary) and the musl-built one (musl has
# no audit interface of its own; ld-teach gives it glibc's).
source "$(dirname "$0")/../lib.sh"

GF=$BIN/glibc-flavour
GLIBC_LD=/lib64/ld-linux-x86-64.so.2
MODULE=lib/auditmod.so

# What audited prints under auditmod.so, lazily bound: every change made.
CHANGED=$(printf '%s\n' "answer 42" "args 101 0.5" "stack 204" "ret 1234" "dbl 9.75" "quiet 7" "noenter 8")
CHANGED_OUT=$(printf '%s\n' "$CHANGED" "$CHANGED" "dl 5" "dlopen libmu-auddrop.so: failed")

# A log, comparable across flavours and directories: paths from lib/ on,
# and each run of la_symbind64 calls sorted (BIND_NOW reports a program's
# slots in its relocation order, which the linkers of the two libcs choose
# differently).
normalize() {
	sed 's#objsearch [^ ]*/lib/#objsearch lib/#' "$1" | awk '
		/^symbind / && !/DLSYM/ { run[n++] = $0; next }
		{ flush(); print }
		END { flush() }
		function flush(  i, j, t) {
			for (i = 0; i < n; i++)
				for (j = i + 1; j < n; j++)
					if (run[j] < run[i]) { t = run[i]; run[i] = run[j]; run[j] = t }
			for (i = 0; i < n; i++)
				print run[i]
			n = 0
		}'
}

# reference [VAR=VALUE...]: glibc's loader on the glibc-built program: its
# output in $ref_out, its normalized log in $TMP/ref.log.
reference() {
	run AUDIT_LOG="$TMP/raw-ref.log" "$@" "$GLIBC_LD" --audit "$GF/$MODULE" "$GF/audited" &&
		expect_rc 0 && normalize "$TMP/raw-ref.log" >"$TMP/ref.log" && remember
}

# same_as_reference: the last run's output and its log ($TMP/raw.log) are the reference's.
same_as_reference() {
	expect_same || return 1
	normalize "$TMP/raw.log" >"$TMP/got.log"
	diff "$TMP/ref.log" "$TMP/got.log" >"$TMP/log.diff" && return 0
	diag "the log differs from glibc's loader's; diff glibc -> ld-teach:"
	sed 's/^/#     /' "$TMP/log.diff" | head -40
	return 1
}

# In both start modes, with [VAR=VALUE...] set.
both_modes_same_as_reference() {
	run AUDIT_LOG="$TMP/raw.log" "$@" "$LT" --audit "$FB/$MODULE" "$FB/audited" &&
		same_as_reference || return 1
	run AUDIT_LOG="$TMP/raw.log" LD_AUDIT="$FB/$MODULE" "$@" "$FB/audited-lt" && same_as_reference
}

ftest_every_call_as_under_glibcs_loader_lazily_bound() {
	reference && expect_out "$CHANGED_OUT" && both_modes_same_as_reference
}

# Under the guarded build (lib.sh), the same output and log; out of memory
# at each allocation in turn, never a crash nor an error without a reason.
ftest_no_allocation_is_overrun_while_auditing() {
	cd "$FB" && run AUDIT_LOG="$TMP/raw.log" "$LT" --audit "$MODULE" ./audited && remember &&
		mv "$TMP/raw.log" "$TMP/unguarded.log" &&
		run AUDIT_LOG="$TMP/raw.log" "$GUARDED" --audit "$MODULE" ./audited && expect_same &&
		diff "$TMP/unguarded.log" "$TMP/raw.log" >/dev/null ||
		{ diag "the guarded build's log differs"; return 1; }
}

ftest_out_of_memory_while_auditing_is_survived() {
	cd "$FB" && out_of_memory_scan true AUDIT_LOG=/dev/null --audit "$MODULE" ./audited
}

# An audit module with a library of its own (libmu-data.so, which hello
# does not need), bound at once: whichever allocation fails, the start is
# refused for want of memory, or the module is ignored with a warning that
# says memory ran out; it never runs without its group's scope, where its
# library is found.
ftest_out_of_memory_loading_a_module_with_a_library_of_its_own() {
	local cc=musl-gcc
	[ "$FLAVOUR" = glibc ] && cc=gcc
	cat >"$TMP/auditown.c" <<'EOF'
int mu_read(void);
unsigned la_version(unsigned v) { return mu_read() == 41 ? v : 0; }
EOF
	run_build "$cc" -shared -fPIC -Wl,-z,now -o "$TMP/auditown.so" "$TMP/auditown.c" \
		-L"$FB/lib" -lmu-data -Wl,-rpath,"$FB/lib" -Wl,--no-as-needed -lc && expect_rc 0 || return 1
	cd "$FB" && run "$LT" --audit "$TMP/auditown.so" ./hello && expect_rc 0 && [ -z "$err" ] &&
		out_of_memory_scan refused_or_ignored_for_memory --audit "$TMP/auditown.so" ./hello
}

# A CHECK for out_of_memory_scan: refused for want of memory, or the
# program's own run with a warning that says memory ran out.
refused_or_ignored_for_memory() {
	refused_for_memory || { [ "$out" == "$ref_out" ] && [ "$rc" = "$ref_rc" ] && says_memory_ran_out; }
}

# What ld-teach keeps of each object for the modules goes with it: dlopen,
# use and dlclose of a library 10000 times under auditmod.so keeps memory
# flat (dlleak, as dl.sh measures it; musl programs only, where ld-teach
# owns all of the memory).
test_audit_state_goes_with_a_closed_library() {
	cd "$BIN/musl" && run AUDIT_LOG=/dev/null LD_AUDIT="$BIN/musl/$MODULE" "$LT" ./dlleak \
		libmu-tls.so lib_gd_address 5000 8 && expect_rc 0 &&
		expect_contains out "memory stays flat over dlopen, use and dlclose of libmu-tls.so: ok"
}

ftest_every_call_as_under_glibcs_loader_bound_now() {
	reference LD_BIND_NOW=1 && both_modes_same_as_reference LD_BIND_NOW=1 &&
		expect_contains out "answer 42"$'\n'"args 1 2"
}

# A dlsym is reported to la_symbind64 when either side asked for it: here
# the program asks only as the one that binds (LA_FLG_BINDFROM), and the
# library that dlsym searches asks for nothing.
ftest_dlsym_is_reported_when_only_the_caller_asked() {
	reference AUDIT_FROM_ONLY=1 &&
		grep -q '^symbind aud_dl main -> libmu-auddl.so flags DLSYM ' "$TMP/ref.log" ||
		{ diag "glibc's loader reports no dlsym of aud_dl"; return 1; }
	both_modes_same_as_reference AUDIT_FROM_ONLY=1
}

# What the log must hold whatever glibc does: the interface's own promises.
ftest_log_keeps_the_interfaces_promises() {
	run AUDIT_LOG="$TMP/raw.log" LD_AUDIT="$FB/$MODULE" "$FB/audited-lt" &&
		expect_out "$CHANGED_OUT" || return 1
	local log
	log=$(cat "$TMP/raw.log")
	# version first; the program reported before anything else is searched for
	[[ "$log" == "version 2"$'\n'"objopen main lmid 0 cookie map"$'\n'"activity ADD by main"$'\n'* ]] ||
		{ diag "the log does not begin as it must"; return 1; }
	# la_symbind64 once per slot, la_pltenter on every call through it
	[ "$(grep -c '^symbind aud_args ' <<<"$log")" = 1 ] &&
		[ "$(grep -c '^pltenter aud_args ' <<<"$log")" = 2 ] &&
		# aud_quiet and aud_noenter asked for no la_pltenter
		! grep -q '^pltenter aud_quiet' <<<"$log" && ! grep -q '^pltenter aud_noenter' <<<"$log" &&
		# a redirected binding: the next callback sees LA_SYMB_ALTVALUE
		grep -q '^pltenter aud_answer main -> libmu-aud.so flags ALTVALUE$' <<<"$log" &&
		# the stack arguments, seen and copied for la_pltexit
		grep -q '^  arguments rdi 1 stack 7 8$' <<<"$log" &&
		grep -q '^  arguments rdi 1 returned 204$' <<<"$log" &&
		# dlsym's binding, and the program's exit
		grep -q '^symbind aud_dl main -> libmu-auddl.so flags DLSYM ndx ok$' <<<"$log" &&
		[[ "$log" == *$'\n'"objclose main"$'\n'"objclose libmu-aud.so"$'\n'"activity CONSISTENT by main" ]] ||
		{ diag "the log breaks a promise of the interface:" "$log"; return 1; }
}

# Watched calls keep going through the trampoline: the slot is never written.
ftest_watched_slots_stay_unbound() {
	run LD_DEBUG=bindings AUDIT_LOG=/dev/null LD_AUDIT="$FB/$MODULE" "$FB/audited-lt" &&
		expect_rc 0 &&
		[ "$(grep -c "normal symbol \`aud_args' (lazily, on its first call)" <<<"$err")" = 1 ] ||
		{ show_run; return 1; }
}

# The modules' libc is the program's: the program's copies of libc's data
# (environ, optarg, stdout) and its own malloc are what libc uses.
ftest_program_data_reaches_the_shared_libc() {
	run "$FB/copydata-lt" -a one -b rest && expect_rc 0 && remember &&
		run AUDIT_LOG=/dev/null LD_AUDIT="$FB/$MODULE" "$FB/copydata-lt" -a one -b rest &&
		expect_same &&
		run AUDIT_LOG=/dev/null "$LT" --audit "$FB/$MODULE" "$FB/copydata" -a one -b rest &&
		expect_same
}

# The program's TLS image holds addresses its relocations write.  The
# modules started the libc, and so the program's thread block, before the
# program was relocated: that block gets the relocated image again.
# (musl has no audit interface: its loader runs the program without one.)
ftest_program_tls_image_is_relocated_when_modules_start_the_libc() {
	local module=()
	[ "$FLAVOUR" = glibc ] && module=(--audit "$FB/$MODULE")
	run AUDIT_LOG=/dev/null "$SYSTEM_LD" "${module[@]}" "$FB/tlsimage" && expect_rc 0 && remember &&
		run AUDIT_LOG=/dev/null "$LT" --audit "$FB/$MODULE" "$FB/tlsimage" && expect_same &&
		run AUDIT_LOG=/dev/null LD_AUDIT="$FB/$MODULE" "$FB/tlsimage-lt" && expect_same
}

test_replaced_malloc_reaches_the_shared_libc() {
	run "$BIN/musl/mymalloc-lt" && expect_rc 0 && remember &&
		run AUDIT_LOG=/dev/null LD_AUDIT="$BIN/musl/$MODULE" "$BIN/musl/mymalloc-lt" && expect_same
}

# la_pltexit sees ST(0) and ST(1) and leaves the x87 stack as the callee
# did.  (glibc's loader leaves two values, and a stack fault, on it after
# every call la_pltexit sees: doc/design.md, section 17.)
ftest_x87_stack_is_the_callees_after_la_pltexit() {
	local prog
	for prog in "$LT $FB/audited" "$FB/audited-lt"; do
		run AUDIT_LOG=/dev/null LD_AUDIT="$FB/$MODULE" $prog x87 && expect_rc 0 &&
			expect_out "x87 stack after a double: empty, exceptions 0"$'\n'"long doubles: ok (9.75)" ||
			return 1
	done
}

# vector_arguments CHECK FUNCTION TYPE: lazyargs' CHECK, every call seen by
# la_pltenter and la_pltexit, and every first call by la_symbind64 of a
# module that watches bindings only (auditbind.so), each of which zeroes
# every vector register (AUDIT_CLOBBER), in both modes.
vector_arguments() {
	local check=$1 fn=$2 type=$3 prog want module seen
	want=$(printf '%s\n' "8 doubles and 6 integers: ok" "variadic doubles: ok")
	[ -z "$check" ] || want+=$'\n'"$type arguments: ok"
	for module in "$MODULE pltexit" "lib/auditbind.so symbind"; do
		seen=${module#* }
		for prog in "$LT $FB/lazyargs" "$FB/lazyargs-lt"; do
			run AUDIT_ALL=1 AUDIT_CLOBBER=1 AUDIT_LOG="$TMP/raw.log" \
				LD_AUDIT="$FB/${module% *}" $prog $check &&
				expect_rc 0 && expect_out "$want" &&
				grep -q "^$seen $fn main -> libmu-lazy.so" "$TMP/raw.log" ||
				{ diag "${module% *}: no $seen for $fn"; return 1; }
		done
	done
}

ftest_arguments_survive_the_audit_trampoline() {
	vector_arguments "" mix ""
}

ftest_avx_arguments_survive_the_audit_trampoline() {
	need_cpu avx AVX
	vector_arguments avx add256 __m256d
}

ftest_avx512_arguments_survive_the_audit_trampoline() {
	need_cpu avx512f AVX-512
	vector_arguments avx512 add512 __m512d
}

# bad_module WANT MODULE [VAR=VALUE...]: hello runs as without it, and stderr
# is exactly the warning WANT (none when WANT is empty), in both modes; in
# WANT, @PROG@ stands for the program's path.
bad_module() {
	local want=$1 module=$2 prog
	shift 2
	for prog in "$FB/hello" "$FB/hello-lt"; do
		run "$@" LD_AUDIT="$module" $([ "${prog%-lt}" = "$prog" ] && echo "$LT") "$prog" &&
			expect_rc 0 && expect_out "hello, world" && expect_err_line "${want//@PROG@/$prog}" ||
			return 1
	done
}

WARNING="ld-teach.so: warning: object"

ftest_missing_or_broken_module_is_skipped_with_one_warning() {
	printf 'not an ELF file\n' >"$TMP/junk.so"
	bad_module "$WARNING '/nonexistent/auditmod.so' cannot be loaded as audit interface: @PROG@: /nonexistent/auditmod.so: cannot open shared object file: No such file or directory; ignored." \
		/nonexistent/auditmod.so || return 1
	run LD_AUDIT="$TMP/junk.so" "$FB/hello-lt" && expect_rc 0 && expect_out "hello, world" &&
		expect_contains err "$WARNING '$TMP/junk.so' cannot be loaded as audit interface: " &&
		[ "$(wc -l <<<"$err")" = 1 ] || return 1
	bad_module "$WARNING '$FB/lib/libmu-c.so' cannot be loaded as audit interface: $FB/lib/libmu-c.so: undefined symbol: la_version; ignored." \
		"$FB/lib/libmu-c.so"
}

# A module that cannot be relocated (bound now, it needs a function no
# object defines) is skipped with one warning, as glibc's loader skips it,
# and its constructor never runs.
ftest_module_that_cannot_be_relocated_is_skipped_and_never_started() {
	local prog cc=musl-gcc
	[ "$FLAVOUR" = glibc ] && cc=gcc
	cat >"$TMP/unrelocatable.c" <<'EOF'
#include <stdio.h>
void no_such_function(void);
unsigned la_version(unsigned v) { return v; }
__attribute__((constructor)) static void start(void)
{
	puts("the constructor of a module that was never relocated");
	no_such_function();
}
EOF
	run_build "$cc" -shared -fPIC -Wl,-z,now -o "$TMP/unrelocatable.so" "$TMP/unrelocatable.c" &&
		expect_rc 0 || return 1
	for prog in "$LT $FB/hello" "$FB/hello-lt"; do
		run LD_AUDIT="$TMP/unrelocatable.so" $prog && expect_rc 0 && expect_out "hello, world" &&
			expect_contains err "$WARNING '$TMP/unrelocatable.so' cannot be loaded as audit interface: " &&
			expect_contains err "undefined symbol: no_such_function; ignored." &&
			[ "$(wc -l <<<"$err")" = 1 ] || { diag "$prog"; return 1; }
	done
}

ftest_module_of_the_other_libc_is_skipped_with_one_warning() {
	local other=glibc-flavour name=glibc
	[ "$FLAVOUR" = glibc ] && other=musl name=musl
	bad_module "$WARNING '$BIN/$other/$MODULE' cannot be loaded as audit interface: $BIN/$other/$MODULE: built for $name, but this process uses $FLAVOUR; ignored." \
		"$BIN/$other/$MODULE"
}

# la_version: 0 declines (glibc says so in the files trace only), a
# version above LAV_CURRENT is refused with a warning.
ftest_la_version_decides() {
	bad_module "" "$FB/$MODULE" AUDIT_LOG=/dev/null AUDIT_VERSION=0 &&
		run AUDIT_LOG=/dev/null AUDIT_VERSION=0 LD_DEBUG=files LD_AUDIT="$FB/$MODULE" "$FB/hello-lt" &&
		expect_contains err "file=$FB/$MODULE [0];  audit interface function la_version returned zero; ignored." &&
		bad_module "ld-teach.so: warning: audit interface '$FB/$MODULE' requires version 99 (maximum supported version 2); ignored." \
			"$FB/$MODULE" AUDIT_LOG=/dev/null AUDIT_VERSION=99
}

# la_objsearch's answer in a search names the file to open, up to PATH_MAX
# (4096) bytes with its terminating NUL, as the kernel takes a path: a name
# of 4096 characters is not opened, nor cut short to one of 4095.  Here
# rename.so answers with a link to libmu-data.so (which copyreloc needs)
# whose path has 4095 characters, and then with that path and one more
# character: the first loads, the second does not, under glibc's loader and
# under ld-teach.  (glibc's loader says "Error 36" where ld-teach, which
# goes on searching, says "No such file or directory": the output and the
# exit status are compared.)
renamed_start_as_under_glibc() {
	local rc=$1 ref_name=$2 name=$3
	run RENAME_TO="$ref_name" "$GLIBC_LD" --audit "$TMP/rename-glibc.so" "$GF/copyreloc" &&
		expect_rc "$rc" && remember &&
		run RENAME_TO="$name" "$LT" --audit "$TMP/rename.so" "$FB/copyreloc" && expect_same &&
		run RENAME_TO="$name" LD_AUDIT="$TMP/rename.so" "$FB/copyreloc-lt" && expect_same ||
		{ diag "la_objsearch answered a name of ${#name} characters"; return 1; }
}

# A link to FILE whose path, under DIR, has 4095 characters.
link_of_4095_characters() {
	local dir=$2
	while ((4095 - ${#dir} - 1 > 255)); do
		dir+=/$(printf 'd%.0s' {1..200})
	done
	local link=$dir/$(printf 'l%.0s' $(seq $((4095 - ${#dir} - 1))))
	mkdir -p "$dir" && ln -sfn "$1" "$link" && echo "$link"
}

ftest_objsearch_answer_of_path_max_characters_is_not_opened() {
	local cc=musl-gcc
	[ "$FLAVOUR" = glibc ] && cc=gcc
	cat >"$TMP/rename.c" <<'EOF'
#include <link.h>
#include <stdlib.h>
#include <string.h>
unsigned la_version(unsigned v) { return v; }
/* libmu-data.so, in whichever directory it is searched for, is $RENAME_TO. */
char *la_objsearch(const char *name, uintptr_t *cookie, unsigned flag)
{
	(void)cookie, (void)flag;
	const char *slash = strrchr(name, '/'), *to = getenv("RENAME_TO");
	return slash && !strcmp(slash + 1, "libmu-data.so") && to ? (char *)to : (char *)name;
}
EOF
	run_build gcc -shared -fPIC -o "$TMP/rename-glibc.so" "$TMP/rename.c" && expect_rc 0 &&
		run_build "$cc" -shared -fPIC -o "$TMP/rename.so" "$TMP/rename.c" && expect_rc 0 || return 1
	local ref link
	ref=$(link_of_4095_characters "$GF/lib/libmu-data.so" "$TMP/glibc-long") &&
		link=$(link_of_4095_characters "$FB/lib/libmu-data.so" "$TMP/$FLAVOUR-long") &&
		[ ${#ref} = 4095 ] && [ ${#link} = 4095 ] || { diag "no link of 4095 characters"; return 1; }
	renamed_start_as_under_glibc 0 "$ref" "$link" &&
		renamed_start_as_under_glibc 127 "${ref}x" "${link}x"
}

# Where glibc's loader says the same, its words (after its own prefix).
test_bad_modules_as_glibcs_loader_words_them() {
	local glibc_err
	run "$GLIBC_LD" --audit "$GF/lib/libmu-c.so" "$GF/hello" && expect_rc 0 || return 1
	glibc_err=${err#ERROR: ld.so: }
	run "$LT" --audit "$GF/lib/libmu-c.so" "$GF/hello" && expect_rc 0 &&
		expect_contains err "${glibc_err%%: undefined*}" &&
		expect_contains err "undefined symbol: la_version; ignored."
}

# Secure mode, glibc's rules: a name with a slash is ignored, silently; a
# name without one is searched for (not in LD_LIBRARY_PATH, not through the
# cache) and must be set-user-id.  The same as glibc's loader, whose
# program (audited-abs) has the same absolute RUNPATH.
ftest_secure_mode_follows_glibcs_rules() {
	secure_copy "$FB/audited-abs-lt" "$TMP/lt" || return 1
	[ "$FLAVOUR" = glibc ] && { secure_copy "$FB/audited-abs" "$TMP/sys" || return 1; }
	local suid="$FB/lib/auditmod-suid-$$.so" prog progs=("$TMP/lt")
	[ "$FLAVOUR" = glibc ] && progs+=("$TMP/sys")
	cp "$FB/$MODULE" "$suid" || return 1
	for prog in "${progs[@]}"; do
		rm -f "$TMP/s.log"
		run AUDIT_LOG="$TMP/s.log" LD_AUDIT="$FB/$MODULE" "$prog" && expect_rc 0 &&
			expect_contains out "answer 1" && [ ! -e "$TMP/s.log" ] && [ -z "$err" ] ||
			{ diag "$prog: a module named with a slash ran, or was warned about"; show_run; rm -f "$suid"; return 1; }
		run AUDIT_LOG="$TMP/s.log" LD_AUDIT="${suid##*/}" "$prog" && expect_rc 0 &&
			expect_contains out "answer 1" && [ ! -e "$TMP/s.log" ] &&
			expect_contains err "'${suid##*/}' cannot be loaded as audit interface" ||
			{ diag "$prog: a module without the set-user-id bit ran"; rm -f "$suid"; return 1; }
		chmod 4755 "$suid"
		run AUDIT_LOG="$TMP/s.log" LD_AUDIT="${suid##*/}" "$prog" && expect_rc 0 &&
			expect_contains out "answer 42" && grep -q '^version 2$' "$TMP/s.log" ||
			{ diag "$prog: a set-user-id module did not run"; rm -f "$suid"; return 1; }
		chmod 0755 "$suid"
	done
	rm -f "$suid"
}

# LD_AUDIT's modules come first, then --audit's; two modules at once.
# Two modules: auditsample.so, first, asks for la_pltexit after every
# call, and auditmod.so for no la_pltenter of aud_noenter: auditsample.so
# still gets every la_pltexit it gets from glibc's loader.  (Not compared:
# auditmod.so's own la_pltexit calls.  glibc 2.36 gives every module but
# the first la_pltexit whatever flags it set, its test of them shifting the
# wrong way; ld-teach keeps to each module's flags.)
test_two_modules_get_la_pltexit_as_from_glibcs_loader() {
	need_glibc
	local mods="$GF/lib/auditsample.so:$GF/$MODULE" ref
	run AUDIT_LOG=/dev/null LD_AUDIT="$mods" "$GLIBC_LD" "$GF/audited" && expect_rc 0 &&
		remember && ref=$(sample_pltexits) && grep -q 'aud_noenter returned' <<<"$ref" &&
		run AUDIT_LOG=/dev/null LD_AUDIT="$mods" "$LT" "$GF/audited" && expect_same &&
		[ "$(sample_pltexits)" = "$ref" ] ||
		{ diag "auditsample.so's la_pltexit calls differ:" "$ref" -- "$(sample_pltexits)"; return 1; }
}

sample_pltexits() {
	grep '^audit: .* returned ' <<<"$err"
}

# Each module's la_symbind64 flags are its own: auditsample.so, first, sets
# none, and auditmod.so, second, asks for no la_pltenter of aud_noenter
# and aud_quiet: auditsample.so gets their la_pltenter, auditmod.so gets
# the la_pltenter calls it gets from glibc's loader, none of those two.
#
# The program's dlopen, made through the audit trampoline, looks to glibc's
# loader as if ld.so made it, so it searches ld.so's lists and finds
# nothing; a musl program's dlopen searches the program's lists, whoever
# calls it (search_lists in rtld/libc.h), and finds its library: for musl
# the lines of that dlopen are left out of the comparison.
ftest_second_modules_no_la_pltenter_is_its_own_as_under_glibcs_loader() {
	need_glibc
	local ref_enters not_dl='^dl |^dlopen '
	[ "$FLAVOUR" = musl ] || not_dl='^$.'
	run AUDIT_LOG="$TMP/ref.log" LD_AUDIT="$GF/lib/auditsample.so:$GF/$MODULE" "$GLIBC_LD" \
		"$GF/audited" && expect_rc 0 && out=$(grep -vE "$not_dl" <<<"$out") && remember &&
		ref_enters=$(grep '^pltenter ' "$TMP/ref.log") &&
		expect_contains err "audit: aud_noenter(" || return 1
	run AUDIT_LOG="$TMP/got.log" LD_AUDIT="$FB/lib/auditsample.so:$FB/$MODULE" "$LT" "$FB/audited" &&
		out=$(grep -vE "$not_dl" <<<"$out") && expect_same &&
		expect_contains err "audit: aud_noenter(" || return 1
	local enters
	enters=$(grep '^pltenter ' "$TMP/got.log")
	[ "$enters" = "$ref_enters" ] ||
		{ diag "auditmod.so's la_pltenter calls differ:" "$ref_enters" -- "$enters"; return 1; }
}

# Each module gets every call, whichever of the two comes first.
test_two_modules_at_once() {
	local sample=$BIN/musl/lib/auditsample.so mod=$BIN/musl/$MODULE env option
	for env in "$sample" "$mod"; do
		option=$([ "$env" = "$sample" ] && echo "$mod" || echo "$sample")
		run AUDIT_LOG="$TMP/raw.log" LD_AUDIT="$env" "$LT" --audit "$option" "$BIN/musl/hello" &&
			expect_rc 0 && expect_out "hello, world" && expect_contains err "audit: puts(" &&
			expect_contains err "audit: puts returned" && grep -q '^version 2$' "$TMP/raw.log" ||
			{ diag "LD_AUDIT=$env"; return 1; }
	done
}

# Debian's sotruss (an audit module of glibc's) traces a glibc program
# that ld-teach starts as under glibc's own loader, in both modes.  sotruss
# prints three argument registers whatever the function takes: registers a
# call does not use hold what the loaders left there, so the comparison
# keeps the arguments of calls that take three (aud_stack), and the order
# of calls and what each returned (and names audited-lt as audited).
sotruss_trace() {
	timeout "$TIMEOUT" sotruss -e "$@" 2>&1 |
		sed -E '/aud_stack\(/!s/\(0x[^)]*\)/(...)/; s/0x[0-9a-f]{6,}/ADDRESS/g; s/^ *audited(-lt)? ->/audited ->/'
}

test_sotruss_traces_a_glibc_program_as_under_glibc() {
	need_glibc
	command -v sotruss >/dev/null || skip "no sotruss (Debian's libc-dev-bin)"
	local want got
	want=$(sotruss_trace "$GF/audited")
	[[ "$want" == *"audited -> libmu-aud.so   : aud_stack(0x1, 0x2, 0x3)"*"aud_ret - 0x3"* ]] ||
		{ diag "sotruss under glibc's loader did not trace as expected:" "$want"; return 1; }
	for got in "$(sotruss_trace "$LT" "$GF/audited")" "$(sotruss_trace "$GF/audited-lt")"; do
		[ "$got" == "$want" ] && continue
		diag "sotruss under ld-teach differs from glibc's; diff glibc -> ld-teach:"
		diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -20 | sed 's/^/#     /'
		return 1
	done
}

# The docs show auditsample.c whole: the file, as it is.
test_sample_module_in_the_docs_is_the_source() {
	local doc
	doc=$(awk '/^<!-- the source of test-bins\/musl\/auditsample.c -->$/ { on = 1; next }
		on && /^```c$/ { inside = 1; next } inside && /^```$/ { exit } inside' "$TOP/doc/ld-debug.md")
	[ -n "$doc" ] && [ "$doc" == "$(cat "$TOP/test-bins/musl/auditsample.c")" ] ||
		{ diag "doc/ld-debug.md's sample module is not test-bins/musl/auditsample.c"; return 1; }
}

run_suite audit
