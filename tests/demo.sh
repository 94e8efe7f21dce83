#!/bin/bash
# make demo: a real musl program run through ld-teach, with the loader
# explaining what it does; then one of Debian's own (glibc) programs.
cd "$(dirname "$0")/.." || exit 1
dir=build/test-bins/musl

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "The program: diamond needs libmu-a and libmu-b, which both need libmu-c"
step "What will be loaded: ./ld-teach.so --list $dir/diamond"
./ld-teach.so --list "$dir/diamond"

step "The link as a picture: ./ld-teach.so --graph $dir/diamond | dot -Tsvg"
mkdir -p build/demo
./ld-teach.so --graph "$dir/diamond" | tee build/demo/diamond.dot
dot -Tsvg build/demo/diamond.dot -o build/demo/diamond.svg && echo "drawn: build/demo/diamond.svg"

step "How each library is found and mapped: LD_DEBUG=libs,files"
LD_DEBUG=libs,files ./ld-teach.so "$dir/diamond" 2>&1 >/dev/null | grep -v 'calling \(init\|fini\)'

step "The binding story: every symbol, bound at load time or on its first call"
echo "(libc.so binds its own preemptible symbols first; then the libraries and the program)"
LD_DEBUG=bindings,init ./ld-teach.so "$dir/diamond" 2>&1 | grep -v 'to .*libc.so \[0\]: normal symbol .*(at load time)'

step "Nothing is bound before it is needed: LD_BIND_NOW=1 binds everything at start-up instead"
LD_BIND_NOW=1 LD_DEBUG=bindings ./ld-teach.so "$dir/diamond" 2>&1 >/dev/null | grep -c 'at load time' |
	sed 's/$/ bindings at load time/'

step "The address space once loading is done: LD_DEBUG=maps"
LD_DEBUG=maps "$dir/diamond-lt" 2>&1 >/dev/null

step "The same program started by the kernel, with ld-teach.so as its PT_INTERP"
readelf -lW "$dir/diamond-lt" | grep 'program interpreter'
"$dir/diamond-lt"

if [ -e build/glibc/available ]; then
	step "A program of the system's own: ls, a glibc program, with ld-teach standing in for ld-linux-x86-64.so.2"
	./ld-teach.so --list /bin/ls
	LD_DEBUG=files ./ld-teach.so /bin/ls -l --color=never doc 2>&1 |
		grep -E 'libc:|needed by|served|handing over|calling init|transferring|^[-d]'
else
	step "glibc programs: this build has no glibc layouts (install libc6-dbg and run make)"
fi

printf '\nMore: LD_DEBUG=help ./ld-teach.so %s, doc/walkthrough.md, doc/ld-debug.md\n' "$dir/diamond"
