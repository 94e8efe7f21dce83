# Test helpers for ld-teach's integration suites (bash).
#
# A suite is a script that sources this file, defines functions named
# test_<name>, and ends with `run_suite <suite-name>`.  Each test function
# returns 0 when it passes; checks print what they expected on failure.
# A test that cannot run here says so, and why, and is counted as skipped:
#
#   skip REASON            leave the test, skipped for REASON.  Call it from
#                          the test's own shell, not inside $(...) or a pipe.
#   need_cpu FLAG WHAT     skip ("no WHAT on this CPU") unless FLAG is among
#                          the CPU flags in /proc/cpuinfo: need_cpu avx512f AVX-512
#   need_root              skip ("needs root") unless running as root
#   secure_copy FILE COPY  COPY: FILE, which the kernel starts in secure mode
#                          (skips where that cannot be done)
#   need_glibc             skip unless ld-teach was built with glibc's layouts,
#                          which it needs to run glibc programs
#   need_seccomp           skip unless a seccomp filter can be installed here,
#                          as FAILING_SYSCALL does
#   need_strace            skip unless strace can trace here (ptrace may be
#                          refused); fail if it is not installed
#   known_bug FLAVOUR TEXT skip in FLAVOUR ("known bug: TEXT"): a bug the core
#                          engineer has been told of; the fix removes the call
#
# The libc programs (test-bins/musl/) come in two flavours: musl-built, in
# build/test-bins/musl/, and glibc-built, in build/test-bins/glibc-flavour/.
# A suite's ftest_<name> functions run once in each, as "<name> (musl)" and
# "<name> (glibc)", with these set (the glibc one skips without need_glibc):
#   FLAVOUR                musl or glibc
#   FB                     the flavour's directory: NAME, NAME-lt and lib/
#   SYSTEM_LD              the flavour's system loader
#
#   run [VAR=VALUE...] CMD ARGS...
#                          run with a timeout; sets $out, $err and $rc.  The
#                          assignments reach CMD only (not the timeout tool).
#   expect_rc N            the last run exited with N
#   expect_out TEXT        its stdout was exactly TEXT
#   expect_err_line TEXT   its stderr was exactly one line, TEXT
#   expect_contains VAR TEXT   $VAR contains TEXT
#   expect_no_signal       it did not die from a signal (nor time out)
#   remember               keep the last run's stdout and exit status...
#   expect_same            ...and check that the last run matched them
#   same_as_system LOADER CMD...
#                          CMD under LOADER and under ld-teach (command mode)
#                          print the same stdout and exit the same way
#   same_when_guarded [VAR=VALUE...] ARGS...
#                          ld-teach.so ARGS, and the guarded build (GUARDED)
#                          ARGS, print the same stdout and exit the same way
#   out_of_memory_scan CHECK [VAR=VALUE...] ARGS...
#                          GUARDED ARGS with each allocation in turn failing:
#                          each run is as under ld-teach.so or passes CHECK
#   same_as_system_loader PROG ARGS...
#                          from $FB, PROG under $SYSTEM_LD and under ld-teach
#                          (command mode), and PROG and PROG-lt started by the
#                          kernel: the same stdout and exit status
#   $FAILING_SYSCALL CALL[,N=VALUE...] ERRNO CMD ARGS...
#                          CMD with the system call CALL failing with ERRNO
#                          when its arguments N are VALUE (a seccomp filter:
#                          tests/tools/failing-syscall.c); for use with run
#   $EXACT_ENV NAME=VALUE... -- PROG ARGS...
#                          PROG (a path) with exactly that environment, a
#                          name given twice included (tests/tools/exact-env.c)
#   without_at_random [VAR=VALUE...] CMD ARGS...
#                          run CMD, which the kernel starts, under gdb with
#                          AT_RANDOM made AT_IGNORE in its auxv before its
#                          first instruction, as no kernel since 2.6.29 would
#                          start it; $out has CMD's stdout and gdb's report

set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LT="$TOP/ld-teach.so"
BIN="$TOP/build/test-bins"
RESULTS="$TOP/build/test-results"
TMP=$(mktemp -d /tmp/ld-teach-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
TIMEOUT=${TIMEOUT:-60}

out="" err="" rc=0

# Each test runs in a subshell: skip leaves the reason here and exits with 77.
SKIP_REASON=$TMP/skip-reason

skip() {
	printf '%s\n' "$*" >"$SKIP_REASON"
	exit 77
}

# The kernel lists a feature only if the CPU has it and the kernel enabled it.
need_cpu() {
	grep -m1 '^flags' /proc/cpuinfo | grep -qw -- "$1" || skip "no $2 on this CPU"
}

need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
}

# secure_copy FILE COPY: COPY of FILE, which the kernel starts in secure
# mode (AT_SECURE), for the tests of it.  Set-group-id to nogroup (65534):
# unlike set-user-id nobody it keeps root's access to the test tree, which
# may be readable by root alone.  Only root can make one, and only where
# the file system honours the bit.
secure_copy() {
	need_root
	local mount options
	read -r mount options < <(findmnt -no TARGET,OPTIONS -T "$TMP")
	[[ ",$options," != *,nosuid,* ]] || skip "$mount is mounted nosuid"
	cp "$1" "$2" && chgrp 65534 "$2" && chmod 2755 "$2"
}

need_glibc() {
	[ -e "$TOP/build/glibc/available" ] ||
		skip "ld-teach was built without glibc's layouts (install libc6-dbg and rebuild)"
}

FAILING_SYSCALL="$TOP/build/tools/failing-syscall"
EXACT_ENV="$TOP/build/tools/exact-env"
need_seccomp() {
	local e
	# (A call no program makes: only the filter's installation can fail.)
	e=$("$FAILING_SYSCALL" arch_prctl,0=0 1 /bin/true 2>&1) && return 0
	[[ "$e" == seccomp:* ]] && skip "cannot install a seccomp filter: $e"
	return 0
}

# strace is a dependency (tests/ensure-deps.sh); tracing, which needs
# ptrace, may still be refused (a container's seccomp profile, Yama).
need_strace() {
	command -v strace >/dev/null || { diag "strace is not installed"; exit 1; }
	strace -o /dev/null true 2>/dev/null || skip "strace cannot trace here (ptrace refused)"
}

# data_segment_from_file TRACE WHAT: in TRACE, strace's mmap lines for
# one of ld-teach's own objects (rtld/bss-in-file.ld), WHAT's writable
# segment is mapped from its file, and nothing is mapped anonymous.
data_segment_from_file() {
	grep -Eq 'PROT_READ\|PROT_WRITE, MAP_PRIVATE\|MAP_FIXED, [0-9]+, ' "$1" ||
		{ diag "$2's data segment was not mapped from its file"; cat "$1" >&2; return 1; }
	! grep MAP_ANONYMOUS "$1" || { diag "an anonymous mapping was made for $2"; return 1; }
}

# qemu-x86_64 runs programs on CPUs this machine is not: the tests of
# what a loader does on another CPU.
QEMU=$(command -v qemu-x86_64)
need_qemu() {
	[ -n "$QEMU" ] || skip "qemu-x86_64 is not installed (Debian package qemu-user)"
}

known_bug() {
	[ "$FLAVOUR" != "$1" ] || skip "known bug: $2"
}

FLAVOURS="musl glibc"

# in_flavour FLAVOUR TEST: run TEST with FLAVOUR's settings.
in_flavour() {
	FLAVOUR=$1
	case $FLAVOUR in
	musl) FB=$BIN/musl SYSTEM_LD=/lib/ld-musl-x86_64.so.1 ;;
	glibc) need_glibc; FB=$BIN/glibc-flavour SYSTEM_LD=/lib64/ld-linux-x86-64.so.2 ;;
	esac
	"$2"
}

run() {
	timeout "$TIMEOUT" env "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
	return 0
}

# A build a test makes (a whole ld-teach.so, say) is not a program under
# test: it gets BUILD_TIMEOUT seconds, not TIMEOUT (which make mutate
# shortens to 20 for the programs).
BUILD_TIMEOUT=${BUILD_TIMEOUT:-600}
run_build() {
	TIMEOUT=$BUILD_TIMEOUT run "$@"
}

# Like run, with stdin from a string.
run_stdin() {
	local input=$1
	shift
	timeout "$TIMEOUT" env "$@" >"$TMP/out" 2>"$TMP/err" <<<"$input"
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

diag() {
	local line
	for line in "$@"; do
		printf '#   %s\n' "$line"
	done
}

show_run() {
	diag "exit status: $rc" "stdout:" "$(printf '%s\n' "$out" | head -20 | sed 's/^/    /')" \
		"stderr:" "$(printf '%s\n' "$err" | head -20 | sed 's/^/    /')"
}

expect_rc() {
	[ "$rc" = "$1" ] && return 0
	diag "expected exit status $1"
	show_run
	return 1
}

expect_out() {
	[ "$out" == "$1" ] && return 0
	diag "stdout differs from what was expected:"
	diff <(printf '%s\n' "$1") <(printf '%s\n' "$out") | head -30 | sed 's/^/#     /'
	return 1
}

expect_err_line() {
	if [ "$err" == "$1" ]; then
		return 0
	fi
	diag "expected exactly one line on stderr: $1"
	show_run
	return 1
}

expect_contains() {
	local name=$1 text=$2
	[[ "${!name}" == *"$text"* ]] && return 0
	diag "expected \$$name to contain: $text"
	show_run
	return 1
}

expect_not_contains() {
	local name=$1 text=$2
	[[ "${!name}" != *"$text"* ]] && return 0
	diag "expected \$$name not to contain: $text"
	show_run
	return 1
}

expect_no_signal() {
	if [ "$rc" -lt 124 ] || [ "$rc" = 126 ] || [ "$rc" = 127 ]; then
		return 0
	fi
	diag "the process died from a signal or timed out"
	show_run
	return 1
}

# The guarded build (tests/guard/): every allocation of the loader ends at
# an inaccessible page and is unmapped when freed, so an overrun or a use
# after free faults at once, where the core's own allocator would hide it.
# With LT_GUARD_FAIL_AT=N, its Nth allocation fails as when memory runs out.
GUARDED=$TOP/build/guarded/ld-teach.so

# Split "VAR=VALUE... ARGS..." at the first word that is no assignment:
# sets the arrays assigns and words.
split_assignments() {
	assigns=() words=()
	while [ $# -gt 0 ] && [[ $1 == [A-Za-z_]*=* ]]; do
		assigns+=("$1")
		shift
	done
	words=("$@")
}

# At the first instruction %rsp points at argc; argv and envp follow, each
# ended by a 0, then the auxv's (type, value) pairs up to AT_NULL.
without_at_random() {
	command -v gdb >/dev/null || { diag "gdb is not installed"; return 1; }
	local assigns words a env=()
	split_assignments "$@"
	for a in "${assigns[@]}"; do env+=(-iex "set environment $a"); done
	cat >"$TMP/no-at-random.gdb" <<'EOF'
starti
set $p = (long *)$rsp
set $p = $p + *$p + 2
while *$p != 0
  set $p = $p + 1
end
set $p = $p + 1
while *$p != 0
  if *$p == 25
    set *$p = 1
  end
  set $p = $p + 2
end
continue
EOF
	run gdb -q -batch -nx -iex 'set startup-with-shell off' -iex 'set debuginfod enabled off' \
		"${env[@]}" -x "$TMP/no-at-random.gdb" --args "${words[@]}"
}

same_when_guarded() {
	local assigns words
	split_assignments "$@"
	run "${assigns[@]}" "$LT" "${words[@]}" && remember &&
		run "${assigns[@]}" "$GUARDED" "${words[@]}" && expect_same
}

# out_of_memory_scan CHECK [VAR=VALUE...] ARGS...: run by ld-teach.so for
# the reference, then by the guarded build with LT_GUARD_FAIL_AT=1, 2, ...
# Each run must match the reference (its stderr too, unless what it adds
# says memory ran out) or pass CHECK (a function that reads $out, $err and
# $rc); none may die from a signal, time out, or print an error with no
# reason ("ld-teach.so: " alone).  The scan ends with the
# first run that does not come to the allocation it would fail (the
# allocator's LT_GUARD_MARK file is not made), which must match.
out_of_memory_scan() {
	local check=$1 assigns words n=0 mark=$TMP/allocation-failed
	shift
	split_assignments "$@"
	run "${assigns[@]}" "$LT" "${words[@]}" && remember || return 1
	while [ "$n" -lt 5000 ]; do
		n=$((n + 1))
		rm -f "$mark"
		run "${assigns[@]}" LT_GUARD_FAIL_AT=$n LT_GUARD_MARK="$mark" "$GUARDED" "${words[@]}"
		# The same run, but for a warning that says memory ran out, goes on.
		[ "$rc" = "$ref_rc" ] && [ "$out" == "$ref_out" ] && { [ -e "$mark" ] || return 0; } &&
			{ [ "$err" == "$ref_err" ] || says_memory_ran_out; } && continue
		[ -e "$mark" ] && expect_no_signal && ! grep -qx "ld-teach.so: *" <<<"$err" && "$check" ||
			{ diag "with allocation $n failing"; show_run; return 1; }
	done
	diag "still allocating after 5000 allocations"
	return 1
}

# Does stderr say memory ran out ("out of memory", "cannot allocate ...")?
says_memory_ran_out() {
	[[ $err == *@(memory|allocate)* ]]
}

# A CHECK for out_of_memory_scan: start-up refused, in one line that says why.
refused_for_memory() {
	[ "$rc" = 127 ] && [[ $err == "ld-teach.so: "* && $err != *$'\n'* ]] && says_memory_ran_out
}

ref_out="" ref_rc="" ref_err=""
remember() {
	ref_out=$out
	ref_rc=$rc
	ref_err=$err
}

expect_same() {
	if [ "$out" == "$ref_out" ] && [ "$rc" = "$ref_rc" ]; then
		return 0
	fi
	diag "output differs from the reference run (exit $rc, reference exit $ref_rc); diff reference -> this:"
	diff <(printf '%s\n' "$ref_out") <(printf '%s\n' "$out") | head -30 | sed 's/^/#     /'
	return 1
}

same_as_system() {
	local sys=$1
	shift
	run "$sys" "$@" && remember && run "$LT" "$@" && expect_same
}

same_as_system_loader() {
	local prog=$1
	shift
	cd "$FB" || return 1
	same_as_system "$SYSTEM_LD" "./$prog" "$@" || return 1
	run "./$prog" "$@" && remember && run "./$prog-lt" "$@" && expect_same
}

# run_test NAME COMMAND...: run one test of run_suite's, in a subshell, and count it.
run_test() {
	local name=$1 status
	shift
	rm -f "$SKIP_REASON"
	(set +e; "$@")
	status=$?
	if [ "$status" = 0 ]; then
		echo "ok - $suite: $name"
		passed=$((passed + 1))
	elif [ "$status" = 77 ] && [ -e "$SKIP_REASON" ]; then
		echo "skip - $suite: $name: $(cat "$SKIP_REASON")"
		skipped=$((skipped + 1))
	else
		echo "not ok - $suite: $name"
		failed=$((failed + 1))
	fi
}

run_suite() {
	local suite=$1 passed=0 failed=0 skipped=0 t f
	mkdir -p "$RESULTS"
	echo "# suite: $suite"
	for t in $(declare -F | awk '{print $3}' | grep '^test_'); do
		run_test "${t#test_}" "$t"
	done
	for t in $(declare -F | awk '{print $3}' | grep '^ftest_'); do
		for f in $FLAVOURS; do
			run_test "${t#ftest_} ($f)" in_flavour "$f" "$t"
		done
	done
	echo "$passed $failed $skipped" >"$RESULTS/$suite.counts"
	echo "# $suite: $passed passed, $failed failed, $skipped skipped"
}
