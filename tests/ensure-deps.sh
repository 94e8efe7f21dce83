#!/bin/bash
# Make sure the Debian packages a target needs are installed.
# As root, missing ones are installed with apt-get; otherwise we say which
# are missing and fail.  Usage: tests/ensure-deps.sh check|demo|bench|fuzz
set -u

# Why each package is here is in doc/design.md ("Dependencies").
common="gcc make binutils musl-tools musl-dev"
case "${1:-check}" in
demo) want="$common" ;;
check) want="$common libelf-dev libcriterion-dev valgrind gdb strace pkg-config python3-minimal clang-14 libclang-rt-14-dev" ;;
bench) want="$common valgrind gnuplot-nox" ;;
fuzz) want="$common libelf-dev clang-14 libclang-rt-14-dev" ;;
*) echo "usage: $0 check|demo|bench|fuzz" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
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
echo "ensure-deps: missing Debian packages:$missing" >&2
echo "ensure-deps: install them with: sudo apt-get install$missing" >&2
exit 1
