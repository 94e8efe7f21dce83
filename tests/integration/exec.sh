#!/bin/bash
# ld-teach-exec, the userspace execve (doc/exec.md): a matrix of programs run
# under the kernel's execve and under ld-teach-exec, which must print the same
# facts and exit the same way; the process state execve resets; the layout
# (ASLR, p_align, what stays mapped); the options; and clean failures.
source "$(dirname "$0")/../lib.sh"

EXEC="$TOP/ld-teach-exec"
EB="$BIN/exec"
# Every program gets exactly this environment, under the kernel and under ld-teach-exec.
ENVIRONMENT=(FACTS_TEST=1 PATH=/usr/bin:/bin)

# Lines that differ on purpose, with the reason, are removed from both
# outputs before comparing (see doc/exec.md, "Differences from execve").
declare -a DROP=()

drop_documented_differences() {
	local line
	while IFS= read -r line; do
		local p keep=1
		for p in "${DROP[@]}"; do
			[[ "$line" == $p ]] && keep=0
		done
		[ "$keep" = 1 ] && printf '%s\n' "$line"
	done <<<"$1"
}

# same_as_kernel [--fork] PROGRAM ARGS...: run with execve and with
# ld-teach-exec (given --fork, too); stdout and status must match.  Both
# are started through the command in AS, when a test sets it.
AS=()
same_as_kernel() {
	local -a options=()
	[ "$1" = --fork ] && options=("$1") && shift
	run "${AS[@]}" env -i "${ENVIRONMENT[@]}" "$@" || return 1
	out=$(drop_documented_differences "$out")
	remember
	run "${AS[@]}" env -i "${ENVIRONMENT[@]}" "$EXEC" "${options[@]}" "$@" || return 1
	out=$(drop_documented_differences "$out")
	expect_same
}

# The facts program states what it checked; "WRONG" is a failure under either loader.
facts_all_ok() {
	expect_not_contains out "WRONG" && expect_contains out "anonymous executable mappings: 0"
}

# Changing /proc/self/exe takes CAP_SYS_ADMIN or (Linux 5.9 and later)
# CAP_CHECKPOINT_RESTORE.  Without them it keeps naming ld-teach-exec.
can_change_exe() {
	local caps
	caps=$((16#$(sed -n 's/^CapEff:\t//p' /proc/self/status)))
	((caps >> 21 & 1 || caps >> 40 & 1))
}
can_change_exe || DROP+=("exe: *")

matrix() {
	same_as_kernel "$EB/$1" one "two words" && facts_all_ok
}

# --- the matrix: every kind of program, kernel versus ld-teach-exec ----------

test_glibc_dynamic_pie() { matrix facts-glibc-pie; }
test_glibc_dynamic_fixed_address() { matrix facts-glibc-nopie; }
test_glibc_static() { matrix facts-glibc-static; }
test_musl_dynamic() { matrix facts-musl; }
test_musl_static() { matrix facts-musl-static; }

# A process outside group 0: AT_GID and AT_EGID are its own (a test as root
# would not see them taken for AT_SECURE's 0).  As root, the programs run
# in group 4242, with no supplementary groups.
test_group_ids_outside_group_0() {
	local -a AS=()
	if [ "$(id -u)" = 0 ]; then
		AS=(setpriv --regid 4242 --clear-groups)
	elif [ "$(id -g)" = 0 ]; then
		skip "runs in group 0, which only root can leave"
	fi
	run "${AS[@]}" id -g && [ "$out" != 0 ] || { diag "still in group 0"; return 1; }
	matrix facts-musl
}

# The kernel puts a static PIE's heap at ELF_ET_DYN_BASE, away from the
# program; ld-teach-exec puts it after .bss, as for every other program.
test_glibc_static_pie() {
	local -a DROP=("${DROP[@]}" "brk: *")
	matrix facts-glibc-static-pie &&
		run env -i "$EXEC" "$EB/facts-glibc-static-pie" && expect_contains out "brk: after .bss"
}

test_musl_static_pie() {
	local -a DROP=("${DROP[@]}" "brk: *")
	matrix facts-musl-static-pie &&
		run env -i "$EXEC" "$EB/facts-musl-static-pie" && expect_contains out "brk: after .bss"
}

test_program_whose_interpreter_is_ld_teach() {
	readelf -lW "$BIN/fs/fs-auxv-lt" | grep -q "interpreter: $TOP/ld-teach.so]" ||
		{ diag "fs-auxv-lt does not name ld-teach.so"; return 1; }
	same_as_kernel "$BIN/fs/fs-auxv-lt" one two && expect_rc 0 &&
		expect_contains out "AT_BASE is the interpreter: ok"
}

# The #! line has one argument with blanks inside and around it.
test_script_with_an_argument() {
	same_as_kernel "$EB/facts-script" a b && facts_all_ok &&
		expect_contains out "argv[1]: one  two" && expect_contains out "argv[2]: $EB/facts-script"
}

test_script_run_by_the_system_shell() {
	same_as_kernel "$EB/hello.sh" a b && expect_rc 5 && expect_out "script: $EB/hello.sh a b"
}

test_exit_status_is_the_programs() {
	same_as_kernel "$EB/facts-musl-static" exit7 && expect_rc 7
}

test_program_without_room_for_the_trampoline() {
	readelf -lW "$EB/noslack" | grep -q 'LOAD .* 0x001000 0x001000 R E' ||
		{ diag "noslack's text does not fill its page"; return 1; }
	same_as_kernel "$EB/noslack" a b && expect_rc 3 &&
		run "$EXEC" --trace "$EB/noslack" && expect_contains err "it stays in the stage's first page"
}

# A directory nothing changes while the tests run (in /, the link counts and
# times of /proc and /tmp can change between the two runs).
test_ls_like_the_real_command() {
	same_as_kernel /bin/ls -l "$TOP/test-bins" && expect_rc 0 && expect_contains out " test-bins.mk"
}

test_python_with_fork() {
	run "$EXEC" --fork /usr/bin/python3 -c 'print(1)' && expect_rc 0 && expect_out 1 &&
		expect_contains err "exited with status 0"
}

# With stdin closed, the program's file is opened as descriptor 0: it must
# be read from there, and closed again before the program starts, as the
# kernel's execve leaves it.
test_program_file_opened_as_descriptor_0() {
	local closed=(sh -c 'exec "$@" <&-' sh env -i "${ENVIRONMENT[@]}") prog=$EB/facts-glibc-pie
	run "${closed[@]}" "$prog" && expect_rc 0 && expect_not_contains out "open fds: 0" || return 1
	out=$(drop_documented_differences "$out") && remember
	run "${closed[@]}" "$EXEC" "$prog" && out=$(drop_documented_differences "$out") && expect_same
}

# ...and its segments are mapped from there: the trace names the file and
# offset of each, as for any descriptor (zero-filled is for .bss alone).
test_segments_mapped_from_descriptor_0() {
	local prog=$EB/facts-musl-static
	run sh -c 'exec "$@" <&-' sh "$EXEC" --trace "$prog" && expect_rc 0 &&
		expect_contains err " r-x $prog at offset 0x" &&
		expect_contains err " zero-filled (.bss of $prog)"
}

# --- process state: from a glibc program, through the library ----------------

# A caught signal goes back to SIG_DFL, an ignored one stays ignored, the
# mask stays, fd 5 (close-on-exec) closes and fd 6 stays, the FPU rounding
# mode set by the caller is reset, and glibc's rseq registration is undone so
# the new glibc can register its own.
test_library_call_resets_what_execve_resets() {
	run env -i "${ENVIRONMENT[@]}" "$EB/api-caller" kernel "$EB/facts-glibc-pie" x || return 1
	expect_contains out "signals not default: SIGUSR2=ignored" || return 1
	out=$(drop_documented_differences "$out")
	remember
	run env -i "${ENVIRONMENT[@]}" "$EB/api-caller" teach "$EB/facts-glibc-pie" x || return 1
	out=$(drop_documented_differences "$out")
	expect_same && facts_all_ok && expect_contains out "signals blocked: SIGWINCH" &&
		expect_contains out "x87 control word: 0x37f, MXCSR control bits: 0x1f80" &&
		expect_not_contains out "open fds: 0 1 2 5"
}

# glibc registers a robust futex list for the caller (as for every glibc
# program); execve forgets it, and so must teach_execve: a musl program,
# which registers none at start, finds none.
test_library_call_forgets_the_robust_futex_list() {
	run "$EB/facts-glibc-pie" && expect_contains out "robust futex list: registered" &&
		run "$EB/api-caller" kernel "$EB/facts-musl-static" &&
		expect_contains out "robust futex list: none" &&
		run "$EB/api-caller" teach "$EB/facts-musl-static" &&
		expect_contains out "robust futex list: none"
}

# Descriptor 0 is closed like any other when it is close-on-exec.
test_library_call_closes_a_close_on_exec_stdin() {
	run API_CALLER_CLOEXEC_STDIN=1 "$EB/api-caller" kernel "$EB/facts-musl-static" &&
		expect_contains out "open fds: 1 2 6" &&
		run API_CALLER_CLOEXEC_STDIN=1 "$EB/api-caller" teach "$EB/facts-musl-static" &&
		expect_contains out "open fds: 1 2 6"
}

# The new glibc can register its rseq area only if the old registration ended.
test_library_call_ends_glibcs_rseq_registration() {
	run env -i "${ENVIRONMENT[@]}" "$EB/facts-glibc-pie" && expect_rc 0 || return 1
	if [[ "$out" != *"rseq registered by glibc: yes"* ]]; then
		skip "glibc registers no rseq area on this kernel (that takes Linux 4.18 or later)"
	fi
	run env -i "${ENVIRONMENT[@]}" "$EB/api-caller" teach "$EB/facts-glibc-pie" x &&
		expect_contains out "rseq registered by glibc: yes"
}

# An rseq area that no libc registered (a musl caller registered its own:
# musl says nothing of rseq) cannot be found to undo: the call fails, and
# leaves the caller as it was; without it, the call works.
test_library_call_refuses_an_rseq_area_it_cannot_find() {
	run API_CALLER_OWN_RSEQ=1 "$EB/api-caller-musl" kernel /bin/true || return 1
	[[ $err != *"rseq:"* ]] || skip "this kernel has no rseq (that takes Linux 4.18 or later)"
	run API_CALLER_OWN_RSEQ=1 "$EB/api-caller-musl" teach "$EB/facts-musl-static" && expect_rc 3 &&
		expect_contains out "teach_execve returned -16: $EB/facts-musl-static: the calling thread has an rseq area registered that teach_execve cannot unregister" &&
		expect_contains out "the caller is intact: ok" || return 1
	[ -z "$err" ] || { diag "registering the rseq area failed: $err"; return 1; }
	run "$EB/api-caller-musl" teach "$EB/facts-musl-static" && expect_rc 0 && facts_all_ok
}

test_library_call_refuses_a_threaded_caller() {
	run "$EB/api-caller" threads "$EB/facts-glibc-pie" && expect_rc 3 &&
		expect_contains out "teach_execve returned -16: " &&
		expect_contains out "the calling process has 2 threads" &&
		expect_contains out "the caller is intact: ok"
}

# The caller's SIGUSR1 handler goes back to SIG_DFL, and --trace counts it
# (the library call with its trace option; SIGUSR2, ignored, stays so).
test_library_call_traces_the_caught_signals_it_resets() {
	run API_CALLER_TRACE=1 "$EB/api-caller" teach "$EB/facts-glibc-pie" && expect_rc 0 &&
		expect_contains err "exec: signals: 1 caught signals back to SIG_DFL, ignored ones stay ignored" &&
		expect_contains out "signals not default: SIGUSR2=ignored"
}

# A failure is found before the point of no return: the caller carries on unchanged.
test_failed_library_call_leaves_the_caller_intact() {
	head -c 3000 "$EB/facts-glibc-pie" >"$TMP/truncated" && chmod +x "$TMP/truncated"
	run "$EB/api-caller" teach "$EB/facts-missing-interp" && expect_rc 3 &&
		expect_contains out "returned -2: $EB/facts-missing-interp: interpreter /nonexistent/ld-teach-test.so.1: No such file or directory" &&
		expect_contains out "the caller is intact: ok" &&
		run "$EB/api-caller" teach "$TMP/truncated" && expect_rc 3 &&
		expect_contains out "returned -8: $TMP/truncated: cannot execute: " &&
		expect_contains out "the caller is intact: ok" || return 1
	# A script whose interpreter is missing: the script, read and left, is closed too.
	printf '#!/nonexistent/ld-teach-test-interp\n' >"$TMP/script" && chmod +x "$TMP/script" &&
		run "$EB/api-caller" teach "$TMP/script" && expect_rc 3 &&
		expect_contains out "returned -2: $TMP/script: " &&
		expect_contains out "the caller is intact: ok"
}

# --- the new image's layout ---------------------------------------------------

addresses() {
	run env -i FACTS_ADDRESSES=1 "$@" && expect_rc 0 && grep '^address: ' <<<"$out"
}

test_program_interpreter_and_brk_are_randomized() {
	[ "$(cat /proc/sys/kernel/randomize_va_space)" = 2 ] ||
		skip "this kernel does not randomize brk (kernel.randomize_va_space is not 2)"
	local a b
	a=$(addresses "$EXEC" "$EB/facts-glibc-pie") && b=$(addresses "$EXEC" "$EB/facts-glibc-pie") ||
		return 1
	local field
	for field in 3 5 7; do
		[ "$(cut -d' ' -f$field <<<"$a")" != "$(cut -d' ' -f$field <<<"$b")" ] ||
			{ diag "two runs share an address:" "$a" "$b"; return 1; }
	done
}

# setarch -R turns ASLR off: the program and brk land where the kernel puts them.
test_no_randomization_under_setarch_r() {
	local kernel ours
	kernel=$(addresses setarch -R "$EB/facts-glibc-pie") &&
		ours=$(addresses setarch -R "$EXEC" "$EB/facts-glibc-pie") || return 1
	[ "$(cut -d' ' -f3,7 <<<"$kernel")" = "$(cut -d' ' -f3,7 <<<"$ours")" ] ||
		{ diag "kernel: $kernel" "ours:   $ours"; return 1; }
	[ "$(addresses setarch -R "$EXEC" "$EB/facts-glibc-pie")" = "$ours" ] ||
		{ diag "not the same twice"; return 1; }
}

# Below the stack the kernel keeps RLIMIT_STACK plus a 1 MiB guard gap free
# (at least 128 MiB), and the interpreter goes under that gap.  With ASLR off
# it ends where the kernel's does less what still occupies the top of the
# mmap area (the stage, the vDSO): the same distance for a stack limit under
# 128 MiB and for one above it, where the limit and the guard gap count.
test_interpreter_below_the_stack_gap() {
	bash -c 'ulimit -s 600000' 2>/dev/null || skip "cannot raise RLIMIT_STACK to 600000 KiB"
	local limit kernel ours distance=
	for limit in 8192 600000; do
		kernel=$(addresses bash -c 'ulimit -s "$0" && exec setarch -R "$@"' "$limit" \
			"$EB/facts-glibc-pie") &&
			ours=$(addresses bash -c 'ulimit -s "$0" && exec setarch -R "$@"' "$limit" \
				"$EXEC" "$EB/facts-glibc-pie") || return 1
		kernel=$(cut -d' ' -f5 <<<"$kernel" | tr -d ,) ours=$(cut -d' ' -f5 <<<"$ours" | tr -d ,)
		[ -z "$distance" ] && distance=$((kernel - ours))
		[ $((kernel - ours)) = "$distance" ] || {
			diag "stack limit $limit KiB: the kernel's interpreter at $kernel, ours at $ours;" \
				"with 8192 KiB they were $distance bytes apart"
			return 1
		}
	done
}

test_p_align_is_honoured() {
	readelf -lW "$EB/facts-glibc-align2m" | grep -q 'LOAD.*0x200000$' ||
		{ diag "facts-glibc-align2m has no 2 MiB p_align"; return 1; }
	local i
	for i in 1 2 3 4; do
		run "$EXEC" "$EB/facts-glibc-align2m" &&
			expect_contains out "the program's load bias is a multiple of its p_align: ok" || return 1
	done
}

# Nothing is left of ld-teach-exec: not its file, not the stage it ran from.
test_nothing_of_the_old_image_stays_mapped() {
	run env -i FACTS_ADDRESSES=1 "$EXEC" --trace "$EB/facts-musl-static" && expect_rc 0 || return 1
	local stage lo hi
	stage=$(grep -o 'stage: 0x[0-9a-f]*-0x[0-9a-f]*; the point of no return' <<<"$err" | grep -o '0x[0-9a-f]*-0x[0-9a-f]*')
	[ -n "$stage" ] || { diag "no stage range in the trace"; show_run; return 1; }
	lo=$((${stage%-*})) hi=$((${stage#*-}))
	local line start end
	while read -r line; do
		start=$((0x${line%%-*})) end=${line#*-} end=$((0x${end%% *}))
		if [ "$start" -lt "$hi" ] && [ "$lo" -lt "$end" ]; then
			diag "still mapped over the stage $stage: $line"
			return 1
		fi
	done < <(grep -E '^[0-9a-f]+-[0-9a-f]+ ' <<<"$out")
	if grep -E '^[0-9a-f]+-[0-9a-f]+ ' <<<"$out" | grep -q 'ld-teach-exec'; then
		diag "ld-teach-exec is still mapped"
		return 1
	fi
	expect_contains out "mapped files: facts-musl-static"$'\n'
}

# The stack mapping stays, but not what was in it: ld-teach-exec's own trace
# lines, formatted on its stack well below where the new one starts, are gone.
test_old_stack_contents_are_wiped() {
	run env -i FACTS_STACK_NEEDLE="; the point of no return" setarch -R "$EXEC" --trace \
		"$EB/facts-musl-static" && expect_rc 0 && expect_contains err "; the point of no return" &&
		expect_contains out "earlier contents below the stack pointer: none"
}

# --- options ------------------------------------------------------------------

test_fork_reports_the_exit_status() {
	same_as_kernel --fork "$EB/facts-musl-static" exit7 &&
		expect_rc 7 && expect_contains err "$EB/facts-musl-static (pid " &&
		expect_contains err ") exited with status 7"
}

test_fork_reports_a_signal() {
	run "$EXEC" --fork /bin/sh -c 'kill -SEGV $$' && expect_rc 139 &&
		expect_contains err "was killed by signal 11 (SIGSEGV)"
}

# The names end with 31, SIGSYS; 32 and up are real-time signals.  (A
# process may inherit 32 ignored, and glibc's programs cannot undo that:
# it is one of glibc's own.)
test_fork_names_the_signals_at_the_tables_end() {
	run /bin/sh -c 'kill -32 $$'
	[ "$rc" = 160 ] || skip "signal 32 is ignored in this process, and so in its children"
	run "$EXEC" --fork /bin/sh -c 'kill -SYS $$' && expect_rc 159 &&
		expect_contains err "was killed by signal 31 (SIGSYS)" &&
		run "$EXEC" --fork /bin/sh -c 'kill -32 $$' && expect_rc 160 &&
		expect_contains err "was killed by signal 32 (a real-time signal)"
}

test_argv0_option() {
	run "$EXEC" --argv0 renamed "$EB/facts-musl-static" x && expect_rc 0 &&
		expect_contains out "argv[0]: renamed"$'\n'"argv[1]: x" &&
		expect_contains out "AT_EXECFN: $EB/facts-musl-static" &&
		expect_contains out "comm: facts-musl-stat"$'\n' &&
		run "$EXEC" --argv0=again -- "$EB/facts-musl-static" && expect_contains out "argv[0]: again"
}

test_trace_describes_each_step() {
	run env -i ONE=1 TWO=2 "$EXEC" --trace "$EB/facts-glibc-pie" && expect_rc 0 || return 1
	local line
	for line in "exec: program $EB/facts-glibc-pie: ET_DYN" \
		"exec: interpreter /lib64/ld-linux-x86-64.so.2: ET_DYN" "exec: brk starts at 0x" \
		"exec:   argv[0] \"$EB/facts-glibc-pie\"" "exec:   envp[0] \"ONE=1\"" \
		"exec:   envp[1] \"TWO=2\"" "exec:   auxv AT_PHDR " \
		"exec:   auxv AT_RANDOM " "exec:   auxv AT_EXECFN " \
		"exec: point of no return passed" "exec: unmapped 0x" \
		"r-x /lib64/ld-linux-x86-64.so.2 at offset 0x" "exec: PR_SET_MM_MAP: brk at 0x" \
		"exec: command name: facts-glibc-pie" "exec: closed " \
		"exec: jumping to 0x"; do
		expect_contains err "$line" || return 1
	done
	grep -qE '^ +[0-9]+:	exec: ' <<<"$err" || { diag "not in the LD_DEBUG format"; return 1; }
}

test_program_found_in_path() {
	run env -i PATH=/nonexistent:/bin "$EXEC" ls -d / && expect_rc 0 && expect_out / &&
		run env -i PATH=/bin "$EXEC" no-such-command-here && expect_rc 127 &&
		expect_err_line "ld-teach-exec: no-such-command-here: command not found"
}

# PATH's directories are searched, and the current one only where an empty
# entry names it (as execvp does); the command is in the current directory.
test_path_search_stays_in_its_directories() {
	cp "$EB/hello.sh" "$TMP/ld-teach-path-test" || return 1
	run -C "$TMP" PATH=/nonexistent:/bin "$EXEC" ld-teach-path-test && expect_rc 127 &&
		expect_err_line "ld-teach-exec: ld-teach-path-test: command not found" &&
		run -C "$TMP" PATH=/nonexistent::/bin "$EXEC" ld-teach-path-test a && expect_rc 5 &&
		expect_out "script: ld-teach-path-test a"
}

test_usage() {
	run "$EXEC" && expect_rc 1 && expect_contains err "missing program" &&
		run "$EXEC" --bogus /bin/true && expect_rc 1 && expect_contains err "unrecognized option '--bogus'" &&
		run "$EXEC" -q /bin/true && expect_rc 1 && expect_contains err "unrecognized option '-q'" &&
		run "$EXEC" --argv0 && expect_rc 1 && expect_contains err "requires an argument" &&
		run "$EXEC" --help && expect_rc 0 && expect_contains out "Usage: ld-teach-exec" &&
		[ "$("$EXEC" --help | tail -c 1)" = "" ] || { diag "--help does not end with a newline"; return 1; }
}

# --- errors, all found before the point of no return ---------------------------

test_missing_program() {
	run "$EXEC" "$TMP/no-such-program" && expect_rc 127 &&
		expect_err_line "ld-teach-exec: $TMP/no-such-program: No such file or directory"
}

test_not_executable() {
	cp "$EB/facts-musl-static" "$TMP/not-executable" && chmod 644 "$TMP/not-executable" &&
		run "$EXEC" "$TMP/not-executable" && expect_rc 126 &&
		expect_err_line "ld-teach-exec: $TMP/not-executable: Permission denied" &&
		run "$EXEC" "$TMP" && expect_rc 126 && expect_err_line "ld-teach-exec: $TMP: Permission denied"
}

# A program on a noexec mount is refused, as by the kernel, even for root:
# root mounts a noexec tmpfs in a mount namespace of its own.
test_program_on_a_noexec_mount() {
	need_root
	unshare -m true 2>/dev/null || skip "cannot make a mount namespace"
	mkdir -p "$TMP/noexec" || return 1
	local in_noexec=(unshare -m sh -c 'mount -t tmpfs -o noexec tmpfs "$1" && cp "$2" "$1/prog" &&
		shift 2 && exec "$@"' sh "$TMP/noexec" "$EB/facts-musl-static")
	run "${in_noexec[@]}" "$TMP/noexec/prog" && expect_rc 126 &&
		expect_contains err "Permission denied" &&
		run "${in_noexec[@]}" "$EXEC" "$TMP/noexec/prog" && expect_rc 126 &&
		expect_err_line "ld-teach-exec: $TMP/noexec/prog: Permission denied"
}

# A program whose reads fail (every pread, under a seccomp filter) is
# refused with the error, never a crash, whatever the errno: EIO, as on a
# bad disk, and 4095, the largest a system call returns.
test_program_that_cannot_be_read() {
	local prog=$EB/facts-musl-static
	need_seccomp
	run "$FAILING_SYSCALL" pread64 5 "$EXEC" "$prog" && expect_rc 126 &&
		expect_err_line "ld-teach-exec: $prog: cannot read: Input/output error" &&
		run "$FAILING_SYSCALL" pread64 4095 "$EXEC" "$prog" && expect_rc 126 && expect_no_signal &&
		expect_err_line "ld-teach-exec: $prog: cannot read: Unknown error"
}

test_not_an_elf_file() {
	printf 'just text\n' >"$TMP/text" && chmod +x "$TMP/text" &&
		run "$EXEC" "$TMP/text" && expect_rc 126 &&
		expect_err_line "ld-teach-exec: $TMP/text: cannot execute binary file: Exec format error"
}

# Each cut refused for the reason it has.
truncation_reason() {
	case $1 in
	0) echo " binary file: Exec format error" ;;
	10 | 63) echo ": file too short" ;;
	64 | 100) echo ": program headers lie outside the file" ;;
	*) echo ": ELF load command lies outside the file" ;;
	esac
}

test_truncated_elf() {
	local size
	for size in 0 10 63 64 100 1000 3000 8000; do
		head -c "$size" "$EB/facts-glibc-pie" >"$TMP/truncated" && chmod +x "$TMP/truncated"
		run "$EXEC" "$TMP/truncated"
		expect_rc 126 && expect_no_signal &&
			expect_err_line "ld-teach-exec: $TMP/truncated: cannot execute$(truncation_reason "$size")" ||
			{ diag "cut to $size bytes"; return 1; }
	done
}

# ld-teach-exec reads the program headers into one page (doc/exec.md):
# e_phnum 74 asks for 4144 bytes.  (The kernel here may run the program: the
# headers past the real ones are the file's next bytes.)
test_more_than_a_page_of_program_headers() {
	cp "$EB/facts-musl-static" "$TMP/many-phdrs" && chmod +x "$TMP/many-phdrs" &&
		printf '\x4a\x00' | dd of="$TMP/many-phdrs" bs=1 seek=56 conv=notrunc status=none &&
		[ "$(od -An -tu2 -j56 -N2 "$TMP/many-phdrs" | tr -d ' ')" = 74 ] || return 1
	run "$EXEC" "$TMP/many-phdrs" && expect_rc 126 && expect_no_signal &&
		expect_err_line "ld-teach-exec: $TMP/many-phdrs: cannot execute: program headers take more than a page"
}

test_missing_interpreter() {
	run "$EXEC" --trace "$EB/facts-missing-interp" && expect_rc 127 &&
		expect_err_line "ld-teach-exec: $EB/facts-missing-interp: interpreter /nonexistent/ld-teach-test.so.1: No such file or directory"
}

test_script_with_a_missing_interpreter() {
	printf '#!/nonexistent/shell\n' >"$TMP/script" && chmod +x "$TMP/script" &&
		run "$EXEC" "$TMP/script" && expect_rc 127 &&
		expect_err_line "ld-teach-exec: $TMP/script: #! interpreter /nonexistent/shell: No such file or directory"
}

# As in binfmt_script: a #! line must name an interpreter whose name is not
# cut off by the 256-byte limit; an argument may be cut off.  A file of the
# two bytes "#!" alone is a script too, with no interpreter.  (Linux 6.18
# refuses that one with EACCES, not ENOEXEC, as if it had tried an
# interpreter of empty name: ld-teach-exec says what is wrong instead.)
test_malformed_script_lines() {
	local long_name long_arg
	long_name=$(head -c 300 /dev/zero | tr '\0' a)
	long_arg=$(head -c 300 /dev/zero | tr '\0' x)
	printf '#!' >"$TMP/bare" && printf '#!\n' >"$TMP/empty" && printf '#! \t \n' >"$TMP/blank" &&
		printf '#!/%s\n' "$long_name" >"$TMP/long-name" &&
		printf '#!%s %s\n' "$EB/facts-musl-static" "$long_arg" >"$TMP/long-arg" &&
		chmod +x "$TMP/bare" "$TMP/empty" "$TMP/blank" "$TMP/long-name" "$TMP/long-arg" || return 1
	local f
	for f in bare empty blank long-name; do
		run "$EXEC" "$TMP/$f" && expect_rc 126 &&
			expect_err_line "ld-teach-exec: $TMP/$f: cannot execute: its #! line names no interpreter, or one cut off by the kernel's 256-byte limit" ||
			return 1
	done
	same_as_kernel "$TMP/long-arg" && expect_rc 0 && expect_contains out "argv[1]: xxxx"
}

# Five levels of #! are allowed, as by the kernel; the sixth fails with ELOOP.
# Each level has an argument.
test_script_nesting_limit() {
	printf '#!%s arg1\n' "$EB/facts-musl-static" >"$TMP/s1"
	local i
	for i in 2 3 4 5 6; do
		printf '#!%s arg%s\n' "$TMP/s$((i - 1))" "$i" >"$TMP/s$i"
	done
	chmod +x "$TMP"/s?
	same_as_kernel "$TMP/s5" x && expect_rc 0 && expect_contains out "argv[10]: $TMP/s5" &&
		run "$EXEC" --trace "$TMP/s2" && expect_rc 0 &&
		expect_contains err "exec: #! script $TMP/s2: interpreter $TMP/s1, argument \"arg2\"" &&
		expect_contains err "exec: #! script $TMP/s1: interpreter $EB/facts-musl-static, argument \"arg1\"" &&
		run "$EXEC" "$TMP/s6" && expect_rc 126 &&
		expect_err_line "ld-teach-exec: $TMP/s6: #! interpreter $TMP/s1: too many levels of #! scripts (the kernel allows 5)"
}

test_executable_stack_is_refused() {
	readelf -lW "$EB/facts-execstack" | grep -q 'GNU_STACK.* RWE ' || { diag "no RWE stack"; return 1; }
	run "$EXEC" "$EB/facts-execstack" && expect_rc 126 &&
		expect_err_line "ld-teach-exec: $EB/facts-execstack: cannot execute: it asks for an executable stack, and ld-teach-exec never maps memory both writable and executable"
}

test_address_space_limit_is_checked_first() {
	run "$EXEC" "$EB/bigbss" && expect_rc 0 &&
		run bash -c 'ulimit -v 262144 && exec "$0" "$1"' "$EXEC" "$EB/bigbss" && expect_rc 126 &&
		expect_contains err "$EB/bigbss: the new image needs " &&
		expect_contains err "KiB of address space, RLIMIT_AS allows 262144 KiB" && expect_no_signal
}

# limit_is_exact ULIMIT-OPTION WHAT PROGRAM: the limit (RLIMIT_DATA for -d,
# RLIMIT_AS for -v) is checked against what the new image needs at its
# peak: exactly that much lets PROGRAM start, one KiB less does not.  (A
# first run under 1000 KiB, too little for PROGRAM but enough for
# ld-teach-exec itself, says how much it needs.)
limit_is_exact() {
	local option=$1 what=$2 prog=$3 need
	local limited=(bash -c 'ulimit "$0" "$1" && shift && exec "$@"' "$option")
	run "${limited[@]}" 1000 "$EXEC" "$prog" && expect_rc 126 || return 1
	need=$(grep -o "needs [0-9]* KiB of $what, RLIMIT_[A-Z]* allows 1000 KiB" <<<"$err" | cut -d' ' -f2)
	[ -n "$need" ] || { diag "no need stated"; show_run; return 1; }
	run "${limited[@]}" "$need" "$EXEC" "$prog" && expect_rc 0 &&
		run "${limited[@]}" $((need - 1)) "$EXEC" "$prog" && expect_rc 126 && expect_no_signal &&
		expect_contains err ": the new image needs $need KiB of $what, RLIMIT_" &&
		expect_contains err " allows $((need - 1)) KiB"
}

test_data_limit_is_exact() { limit_is_exact -d "writable memory" "$EB/bigbss"; }
test_address_space_limit_is_exact() { limit_is_exact -v "address space" "$EB/bigbss"; }

# A program whose fixed addresses cover the stack's place is refused before
# anything changes; the message names its range as its program headers give
# it: the first PT_LOAD's page to the end of the last one's last page.
test_program_over_the_stack_is_refused() {
	local loads vaddr memsz lo hi
	loads=$(readelf -lW "$EB/overstack" | awk '$1 == "LOAD" { print $3, $6 }')
	read -r vaddr _ <<<"$(head -1 <<<"$loads")"
	lo=$(printf '%#x' $((vaddr & ~4095)))
	read -r vaddr memsz <<<"$(tail -1 <<<"$loads")"
	hi=$(printf '%#x' $(((vaddr + memsz + 4095) & ~4095)))
	[ "$hi" = 0x7ffffffff000 ] || { diag "overstack does not end at the top: $lo-$hi"; return 1; }
	local aslr
	for aslr in "" "setarch -R"; do  # without ASLR an ET_DYN slides down; this ET_EXEC may not
		run $aslr "$EXEC" "$EB/overstack" && expect_rc 126 && expect_no_signal &&
			expect_err_line "ld-teach-exec: $EB/overstack: no room at $lo-$hi: it would overlap the stack, the vDSO or the stage, or leave the address space" ||
			return 1
	done
}

# getrandom calls: where ld-teach-exec's draws of random places show.
draws() {
	run strace -o "$TMP/trace" -e trace=getrandom "$EXEC" "$1" && expect_rc 126 &&
		[[ $err == "ld-teach-exec: $1: no room at 0x"*": it would overlap the stack, the vDSO or the stage, or leave the address space" && $err != *$'\n'* ]] ||
		{ diag "not refused in one line"; show_run; return 1; }
	[ "$(grep -c '^getrandom(' "$TMP/trace")" = "$2" ] ||
		{ diag "getrandom calls for $1, expected $2:"; sed 's/^/#   /' "$TMP/trace"; return 1; }
}

# A random place that collides is drawn again, 16 times in all (one
# getrandom each), before the refusal: nowhere, a static PIE of 127.5 TiB,
# fits at none of them.  A fixed address is tried once: overstack's.
test_a_random_place_is_drawn_16_times_a_fixed_one_once() {
	[ "$(cat /proc/sys/kernel/randomize_va_space)" != 0 ] ||
		skip "this kernel does not randomize (kernel.randomize_va_space is 0)"
	[ $((16#$(cat /proc/self/personality) & 0x40000)) = 0 ] ||
		skip "ASLR is off in this process's personality (ADDR_NO_RANDOMIZE, setarch -R)"
	need_strace
	draws "$EB/nowhere" 16 && draws "$EB/overstack" 1
}

# Each string may have 128 KiB, all of them a quarter of RLIMIT_STACK but at
# least 128 KiB and at most 6 MiB; the caller sets its stack limit first.
test_argument_list_too_long() {
	local big
	big=$(head -c 100000 /dev/zero | tr '\0' x)
	run env API_CALLER_STACK_KIB=256 "$EB/api-caller" kernel /bin/true "$big" "$big" && expect_rc 3 &&
		expect_contains err "execve: Argument list too long" &&
		run env API_CALLER_STACK_KIB=256 "$EB/api-caller" teach /bin/true "$big" "$big" && expect_rc 3 &&
		expect_contains out "returned -7: /bin/true: argument list too long: " &&
		expect_contains out "the caller is intact: ok" &&
		run env API_CALLER_STACK_KIB=256 "$EB/api-caller" teach /bin/echo "$big" && expect_rc 0 ||
		return 1
	# RLIMIT_STACK of 20 MiB: a quarter, 5 MiB, is below the 6 MiB every
	# stack limit is held to; 44 arguments of 120,000 bytes pass it, 40 not.
	local how
	for how in kernel teach; do
		run env API_CALLER_STACK_KIB=20480 API_CALLER_BIG_ARGS=44 "$EB/api-caller" $how /bin/true &&
			expect_rc 3 && expect_contains "$([ $how = kernel ] && echo err || echo out)" \
			"$([ $how = kernel ] && echo "execve: Argument list too long" || echo "returned -7: /bin/true: argument list too long: ")" &&
			run env API_CALLER_STACK_KIB=20480 API_CALLER_BIG_ARGS=40 "$EB/api-caller" $how /bin/true &&
			expect_rc 0 || { diag "$how"; return 1; }
	done
}

# refused_with_proc_file FILE NAME REASON: root, in a mount namespace of its
# own, binds FILE (without a slash: that file of the process's own /proc
# directory) over the process's /proc/PID/NAME before the shell becomes
# ld-teach-exec (same process, same /proc directory), which must refuse to
# start a program with REASON.
refused_with_proc_file() {
	need_root
	unshare -m true 2>/dev/null || skip "cannot make a mount namespace"
	run unshare -m sh -c 'case $1 in */*) f=$1 ;; *) f=/proc/$$/$1 ;; esac &&
		mount --bind "$f" "/proc/$$/$2" && exec "$3" "$4"' sh "$1" "$2" \
		"$EXEC" "$EB/facts-musl-static" && expect_rc 126 && expect_no_signal &&
		expect_err_line "ld-teach-exec: $3"
}

# A /proc/self/maps that cannot be read (the process's own mem file bound
# over it: reading it from offset 0, an unmapped address, fails with EIO)
# is refused with the reason.
test_unreadable_proc_maps_is_refused_with_the_reason() {
	refused_with_proc_file mem maps "cannot read /proc/self/maps: Input/output error (is /proc mounted?)"
}

# ld-teach-exec keeps room for 8 mappings that must stay where they are
# (the stack, the vDSO and its data pages, [uprobes], the stage: the kernel
# makes fewer).  A /proc/self/maps that shows 9 is refused, not overrun.
test_more_mappings_to_keep_than_it_has_room_for() {
	local i
	for i in 0 1 2 3 4 5 6 7 8; do
		printf '7ffff7f%02x000-7ffff7f%02x000 r--p 00000000 00:00 0    [vvar]\n' $((2 * i)) $((2 * i + 1))
	done >"$TMP/maps"
	echo '7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0    [stack]' >>"$TMP/maps"
	refused_with_proc_file "$TMP/maps" maps "/proc/self/maps shows more than 8 mappings that must stay"
}

# With 8 ranges kept (7 from /proc/self/maps and the stage), both the
# program and its interpreter are still placed, each clear of the others.
# /proc/self/maps is a FIFO bound over the process's own: once ld-teach-exec
# opens it, a writer gives it the process's real maps (read through
# task/PID/maps, which the bind leaves alone) with [uprobes] ranges added
# where nothing is, and keeps a copy.
test_eight_kept_ranges_and_two_objects() {
	local given kept
	need_root
	unshare -m true 2>/dev/null || skip "cannot make a mount namespace"
	mkfifo "$TMP/maps-fifo" || return 1
	run unshare -m bash -c 'fifo=$1 given=$2 pid=$$ && shift 2 &&
		mount --bind "$fifo" "/proc/$pid/maps" || exit 99
		{
			real=$(cat "/proc/$pid/task/$pid/maps")
			kept=$(grep -c -e "\[stack\]" -e "\[vdso\]" -e "\[vvar" -e "\[uprobes\]" <<<"$real")
			{
				printf "%s\n" "$real"
				for ((i = kept; i < 7; i++)); do
					printf "%x-%x r--p 00000000 00:00 0    [uprobes]\n" \
						$((0x200000 + 0x2000 * i)) $((0x201000 + 0x2000 * i))
				done
			} >"$given"
			cat "$given"
		} >"$fifo" &
		exec "$@"' bash "$TMP/maps-fifo" "$TMP/maps-given" "$EXEC" --trace /bin/echo placed &&
		expect_rc 0 && expect_contains out "placed" && expect_contains err "exec: interpreter " ||
		return 1
	given=$(cat "$TMP/maps-given")
	expect_contains given "[stack]" || return 1
	kept=$(grep -c -e '\[stack\]' -e '\[vdso\]' -e '\[vvar' -e '\[uprobes\]' <<<"$given")
	[ "$kept" = 7 ] || { diag "the maps given show $kept ranges to keep, not 7"; return 1; }
}

# A /proc/self/status without a Threads: line is refused: ld-teach-exec
# cannot tell it is alone.
test_status_without_a_thread_count() {
	grep -v '^Threads:' /proc/self/status >"$TMP/status" &&
		refused_with_proc_file "$TMP/status" status \
			"cannot read the thread count from /proc/self/status"
}

# An auxv that cannot be read is refused with the reason: the process's
# mem, whose first page is never mapped, stands in for it.
test_unreadable_auxv() {
	refused_with_proc_file mem auxv "cannot read /proc/self/auxv: Input/output error"
}

# --- without privileges ---------------------------------------------------------

# PR_SET_MM_MAP needs no privilege for brk and the arguments, but changing
# /proc/self/exe does: without it exe stays ld-teach-exec.  Where the tests
# have the capabilities, root runs it with them dropped.
test_unprivileged_user() {
	local -a without=()
	if can_change_exe; then
		need_root
		without=(setpriv --bounding-set=-sys_admin,-checkpoint_restore)
	fi
	run "${without[@]}" "$EXEC" --trace "$EB/facts-musl-static" &&
		expect_rc 0 && facts_all_ok && expect_contains out "brk: after .bss" &&
		expect_contains out "exe: $EXEC"$'\n' &&
		expect_contains err "PR_SET_MM_MAP with exe_fd: not permitted"
}

# Without those capabilities /proc/self/exe names ld-teach-exec, not the
# program: ld-teach.so, as the program's interpreter, checks the mapping
# against the file at AT_EXECFN, which ld-teach-exec sets to the program.
test_unprivileged_user_runs_a_program_whose_interpreter_is_ld_teach() {
	local -a without=()
	if can_change_exe; then
		need_root
		without=(setpriv --bounding-set=-sys_admin,-checkpoint_restore)
	fi
	run "${without[@]}" "$EXEC" "$BIN/fs/fs-auxv-lt" one two &&
		expect_rc 0 && expect_contains out "AT_BASE is the interpreter: ok"
}

run_suite exec
