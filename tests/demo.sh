#!/bin/bash
# make demo: a real musl program run through ld-teach, with the loader
# explaining what it does.
cd "$(dirname "$0")/.." || exit 1
prog=build/test-bins/musl/kitchen

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "What will be loaded: ./ld-teach.so --list $prog"
./ld-teach.so --list "$prog"

step "Run it, tracing the files ld-teach loads: LD_DEBUG=files ./ld-teach.so $prog one two"
LD_DEBUG=files ./ld-teach.so "$prog" one two

step "The same program started by the kernel, with ld-teach.so as its PT_INTERP"
readelf -lW "$prog-lt" | grep 'program interpreter'
"$prog-lt" one two
