#!/bin/bash
# glibc's ld.so.cache, read by glibc's own loader and by ld-teach's parser
# (rtld/glibc/cache.c, through build/tools/ldcache-lookup).  ldconfig
# writes a cache in each of its three formats over libraries in
# glibc-hwcaps and legacy hwcap subdirectories of a small root; glibc's
# loader, run in that root, shows which file it takes from the cache for
# each library (LD_DEBUG=libs), and ld-teach's lookup must take the same.
# It needs root (chroot, ldconfig -r): the tests exist only then.
source "$(dirname "$0")/../lib.sh"

PATH=$PATH:/usr/sbin:/sbin  # ldconfig
LOOKUP=$TOP/build/tools/ldcache-lookup
LDSO=/lib64/ld-linux-x86-64.so.2
MULTIARCH=/lib/x86_64-linux-gnu
ROOT=$TMP/root
LIBS="libz.so.1 libcap.so.2 libattr.so.1 libacl.so.1"

# The CPU as glibc's loader describes it (ld.so --help): "LEVEL HWCAP PLATFORM".
cpu_of_this_machine() {
	local level=1 hwcap=0 platform=- legacy=0 line name
	while IFS= read -r line; do
		[[ $line == *"Legacy HWCAP"* ]] && legacy=1
		name=$(awk '{print $1}' <<<"$line")
		if [[ $line == *"(AT_PLATFORM; supported, searched)"* ]]; then
			platform=$name
		elif [[ $line == *"(supported, searched)"* ]]; then
			case $legacy:$name in
			0:x86-64-v[234]) [ "${name#x86-64-v}" -gt "$level" ] && level=${name#x86-64-v} ;;
			1:x86_64) hwcap=$((hwcap | 2)) ;;
			1:avx512_1) hwcap=$((hwcap | 4)) ;;
			esac
		fi
	done < <("$LDSO" --help)
	echo "$level $hwcap $platform"
}

# A root with glibc's loader and libc, a program that needs $LIBS, and
# those libraries where ldconfig records hwcaps: libz in x86-64-v2,
# x86-64-v3 and plain; libcap in x86-64-v3 only; libattr in tls/ and
# plain; libacl in x86_64/ and plain.  A second directory, $SECOND, which
# only $ROOT/etc/ld.so.conf.two lists (after $MULTIARCH, and before it in
# .two-reversed), has a libcap in x86-64-v3 too.
SECOND=/opt/second
make_root() {
	local d=$ROOT$MULTIARCH lib
	mkdir -p "$ROOT/etc" "$ROOT/lib64" "$ROOT/var/cache/ldconfig" "$d/glibc-hwcaps/x86-64-v2" \
		"$d/glibc-hwcaps/x86-64-v3" "$d/tls" "$d/x86_64" "$ROOT$SECOND/glibc-hwcaps/x86-64-v3"
	cp "$LDSO" "$ROOT/lib64/" && cp "$MULTIARCH/libc.so.6" "$d/" || return 1
	for lib in $LIBS; do
		cp -L "$MULTIARCH/$lib" "$d/" || return 1
	done
	cp -L "$MULTIARCH/libz.so.1" "$d/glibc-hwcaps/x86-64-v2/" &&
		cp -L "$MULTIARCH/libz.so.1" "$MULTIARCH/libcap.so.2" "$d/glibc-hwcaps/x86-64-v3/" &&
		mv "$d/libcap.so.2" "$d/glibc-hwcaps/x86-64-v3/" &&
		cp -L "$MULTIARCH/libattr.so.1" "$d/tls/" && cp -L "$MULTIARCH/libacl.so.1" "$d/x86_64/" &&
		cp -L "$MULTIARCH/libcap.so.2" "$ROOT$SECOND/glibc-hwcaps/x86-64-v3/" ||
		return 1
	echo "$MULTIARCH" >"$ROOT/etc/ld.so.conf"
	printf '%s\n' "$MULTIARCH" "$SECOND" >"$ROOT/etc/ld.so.conf.two"
	printf '%s\n' "$SECOND" "$MULTIARCH" >"$ROOT/etc/ld.so.conf.two-reversed"
	printf 'int main(void) { return 0; }\n' >"$TMP/prog.c"
	# shellcheck disable=SC2046
	gcc -o "$ROOT/prog" "$TMP/prog.c" -Wl,--no-as-needed $(printf "$MULTIARCH/%s " $LIBS)
}

# "NAME FILE" for each of $LIBS: the file glibc's loader took from the
# cache, "-" if the cache gave none.  --list goes on past a missing library.
# Each trace line is "PID:<tab>message": awk's $2 is the message.
loader_choices() {
	LD_DEBUG=libs chroot "$ROOT" /lib64/ld-linux-x86-64.so.2 --list /prog 2>&1 >/dev/null |
		awk -F'\t' -v libs="$LIBS" '
			BEGIN { n = split(libs, want, " ") }
			$2 ~ /^find library=/ { lib = $2; sub(/^find library=/, "", lib); sub(/ .*/, "", lib) }
			$2 ~ /^ search cache=/ { next_is_cache = 1; got[lib] = "-"; next }
			next_is_cache && $2 ~ /^  trying file=/ { f = $2; sub(/^  trying file=/, "", f); got[lib] = f }
			{ next_is_cache = 0 }
			END { for (i = 1; i <= n; i++) print want[i], (want[i] in got) ? got[want[i]] : "(not searched)" }'
}

# $ROOT/etc/ld.so.cache, written by ldconfig with ARGS.
write_cache() {
	need_root  # (chroot)
	command -v ldconfig >/dev/null || skip "no ldconfig"
	[ -d "$ROOT" ] || make_root || { diag "cannot build the root"; return 1; }
	run ldconfig -r "$ROOT" "$@" && expect_rc 0
}

# ld-teach's lookup in $ROOT/etc/ld.so.cache takes what glibc's loader takes.
same_choices() {
	local cpu
	cpu=$(cpu_of_this_machine)
	# shellcheck disable=SC2086
	run "$LOOKUP" "$ROOT/etc/ld.so.cache" $cpu $LIBS && expect_rc 0 || return 1
	local ours=$out
	out=$(loader_choices)
	[[ $out != *"(not searched)"* ]] || { diag "the loader did not search every library:" "$out"; return 1; }
	expect_out "$ours"
}

check_format() {
	write_cache -c "$1" && same_choices
}

test_new_format_with_hwcaps_and_legacy_entries() {
	check_format new
}

# 2.36's ldconfig garbles this file when hwcaps entries exist (doc/glibc-facts.md 5.5):
# both readers fall back to the old part, and must still agree.
test_compat_format() {
	check_format compat
}

test_old_format() {
	check_format old
}

# Two directories with a libcap in glibc-hwcaps/x86-64-v3: ldconfig writes
# two entries of the same subdirectory, in ld.so.conf's order, and glibc's
# loader takes the first, whichever directory that is (a later entry
# replaces a chosen one only if its subdirectory is preferred).
test_the_first_of_two_equally_preferred_glibc_hwcaps_entries_wins() {
	local conf level
	read -r level _ < <(cpu_of_this_machine)
	[ "$level" -ge 3 ] || skip "the CPU is below x86-64-v3: no x86-64-v3 entry is usable"
	for conf in ld.so.conf.two ld.so.conf.two-reversed; do
		write_cache -f "/etc/$conf" && same_choices || { diag "$conf"; return 1; }
	done
}

# The file offset of NAME's first x86-64 entry in the new-format cache
# FILE, pointed past the end of the file.
break_first_path() {
	python3 -c 'import struct, sys
path, name = sys.argv[1], sys.argv[2].encode()
data = bytearray(open(path, "rb").read())
assert data[:20] == b"glibc-ld.so.cache1.1"
for i in range(struct.unpack_from("<I", data, 20)[0]):
    at = 48 + 24 * i  # the entries follow the 48-byte header
    flags, key = struct.unpack_from("<iI", data, at)
    if flags == 0x303 and data[key:data.index(0, key)] == name:
        struct.pack_into("<I", data, at + 8, 0xffffff00)
        break
else:
    sys.exit("no entry for " + sys.argv[2])
open(path, "wb").write(data)' "$1" "$2"
}

# An entry whose file lies outside the cache is passed over, as glibc's
# loader passes it over for the name's next entries: the plain libattr and
# libacl after their tls/ and x86_64/ entries, libz's x86-64-v3 and plain
# entries after its x86-64-v2 one; libcap's only entry leaves none.
test_an_entry_whose_file_lies_outside_the_cache_is_passed_over() {
	local lib
	write_cache -c new || return 1
	for lib in $LIBS; do
		break_first_path "$ROOT/etc/ld.so.cache" "$lib" || return 1
	done
	same_choices
}

# The cache is dropped once start-up's loading is over, and read again by
# the next dlopen that needs it, as glibc does: a library ldconfig added
# while the program ran is found by a later dlopen.  In a mount namespace
# of its own, a copy of /etc/ld.so.cache is mounted over it; the program
# fails to dlopen libfresh.so.1, rewrites the cache (ldconfig, with
# libfresh's directory added) through the mount, and dlopens it again.
# Both loaders must print the same; and neither has the cache mapped once
# start-up is over.
test_a_dlopen_reads_the_cache_ldconfig_changed() {
	need_root
	need_glibc
	command -v ldconfig >/dev/null || skip "no ldconfig"
	unshare -m true 2>/dev/null || skip "no mount namespaces here (unshare -m)"
	local d=$TMP/fresh loader
	mkdir -p "$d/lib" &&
		printf 'int fresh(void) { return 42; }\n' >"$d/fresh.c" &&
		gcc -shared -fPIC -Wl,-soname,libfresh.so.1 -o "$d/lib/libfresh.so.1" "$d/fresh.c" &&
		printf '%s\n' '#include <dlfcn.h>' '#include <stdio.h>' '#include <stdlib.h>' \
			'static void try(void) {' '	void *h = dlopen("libfresh.so.1", RTLD_NOW);' \
			'	int (*f)(void) = h ? (int (*)(void))dlsym(h, "fresh") : 0;' \
			'	printf(f ? "fresh: %d\n" : "no fresh\n", f ? f() : 0);' '}' \
			'int main(int argc, char **argv) {' '	(void)argc;' \
			'	FILE *m = fopen("/proc/self/maps", "r"); char line[512]; int mapped = 0;' \
			'	while (m && fgets(line, sizeof line, m)) mapped |= !!strstr(line, "/etc/ld.so.cache");' \
			'	printf("cache mapped after start-up: %d\n", mapped);' \
			'	try();' '	if (system(argv[1])) return 1;' '	try();' '}' >"$d/main.c" &&
		sed -i '1i #include <string.h>' "$d/main.c" &&
		gcc -o "$d/main" "$d/main.c" && gcc -o "$d/main-lt" "$d/main.c" -Wl,--dynamic-linker="$LT" ||
		return 1
	local update="ldconfig -C $d/new.cache $d/lib && cat $d/new.cache >/etc/ld.so.cache"
	cp /etc/ld.so.cache "$d/cache.orig" || return 1
	for loader in "$LDSO $d/main" "$LT $d/main" "$d/main-lt"; do
		cp "$d/cache.orig" "$d/cache" &&
			run unshare -m sh -c "mount --bind $d/cache /etc/ld.so.cache && exec $loader '$update'" &&
			expect_rc 0 || { diag "$loader"; return 1; }
		[ "$loader" = "$LDSO $d/main" ] && remember && continue
		expect_same || { diag "$loader"; return 1; }
	done
	expect_out "$(printf 'cache mapped after start-up: 0\nno fresh\nfresh: 42')"
}

run_suite ldcache
