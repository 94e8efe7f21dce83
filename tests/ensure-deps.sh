#!/bin/bash
# Make sure the Debian packages a target needs are installed.
# As root, missing ones are installed with apt-get; otherwise we say which
# are missing and fail.  Optional ones only get a warning when we cannot
# install them: without the glibc layout (libc6-dbg) glibc programs are
# unsupported; without clang-14 the in-process fuzz tests skip, without
# qemu-user the glibc-cpu tests under emulated CPUs.
# Usage: tests/ensure-deps.sh check|demo|bench|fuzz
set -u

# Why each package is here is in doc/design.md ("Dependencies").
common="gcc make binutils musl-tools musl-dev"
optional=""
case "${1:-check}" in
demo) want="$common graphviz" optional="libc6-dbg libdw-dev libelf-dev" ;;
check) want="$common libelf-dev libcriterion-dev valgrind gdb strace pkg-config python3-minimal python3 git util-linux graphviz"
	optional="libc6-dbg libdw-dev clang-14 libclang-rt-14-dev qemu-user" ;;
bench) want="$common valgrind gnuplot-nox" ;;
fuzz) want="$common libelf-dev clang-14 libclang-rt-14-dev" ;;
*) echo "usage: $0 check|demo|bench|fuzz" >&2; exit 2 ;;
esac

not_installed() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || printf ' %s' "$p"
	done
}
missing=$(not_installed $want)
missing_optional=$(not_installed $optional)
[ -z "$missing$missing_optional" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	missing="$missing$missing_optional"
	echo "ensure-deps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y -q $missing >/dev/null; then
		apt-get update -q >/dev/null && apt-get install -y -q $missing >/dev/null || {
			echo "ensure-deps: apt-get could not install:$missing" >&2
			exit 1
		}
	fi
	exit 0
fi
if [ -n "$missing_optional" ]; then
	echo "ensure-deps: without$missing_optional some of ld-teach goes untested or unsupported" \
		"(glibc programs need libc6-dbg; in-process fuzzing clang-14):" \
		"sudo apt-get install$missing_optional" >&2
fi
[ -z "$missing" ] && exit 0
echo "ensure-deps: missing Debian packages:$missing" >&2
echo "ensure-deps: install them with: sudo apt-get install$missing" >&2
exit 1
