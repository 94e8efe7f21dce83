#!/bin/bash
# gen-symbol-workload.sh SEED DIR
#
# Builds, in DIR, a random set of musl libraries and a program that looks
# up every name of a small pool in every way the loader supports, for the
# symbol-index equivalence test (tests/integration/symindex.sh):
#   - the same name defined in several libraries, strong or weak;
#   - versioned definitions (name@V1 hidden, name@@V2 default);
#   - libraries linked with -Bsymbolic (DT_SYMBOLIC);
#   - DT_NEEDED graphs between the libraries;
#   - libraries the program dlopens RTLD_LOCAL (not in the global scope),
#     then closes;
#   - libraries it dlopens RTLD_GLOBAL, then closes in random order,
#     asking every name of the global scope (dlsym RTLD_DEFAULT) each time;
#   - references by call (JUMP_SLOT) and by address (GLOB_DAT), all weak,
#     so names nobody defines resolve to 0;
#   - sometimes a fixed-address program, whose function-address references
#     leave canonical PLT entries (which a JUMP_SLOT lookup must skip) and
#     whose data references are COPY relocations (which skip the program);
#   - references to the old, hidden version of a versioned name.
# It prints the LD_PRELOAD list to use with it.  Same SEED, same workload.
set -eu
seed=$1 dir=$2
RANDOM=$seed
NAMES=20
NLIBS=$((8 + RANDOM % 6))
mkdir -p "$dir"
CC="musl-gcc -O1 -w"

pick() { [ $((RANDOM % 100)) -lt "$1" ]; }

# Each library: some plain names, maybe a versioned one, a report function
# that refers to a random subset of the pool.
gen_library() {
	local l=$1 src=$dir/l$l.c n versioned=""
	{
		echo "#include <stdio.h>"
		for n in $(seq 1 $NAMES); do
			if pick 20; then
				echo "int s$n(void) { return $((l * 100 + n)); }"
				echo "int d$n = $((l * 1000 + n));"
			elif pick 12; then
				echo "__attribute__((weak)) int s$n(void) { return $((l * 100 + n + 50)); }"
			fi
		done
		if pick 35; then
			versioned=$((1 + RANDOM % 4))
			echo "int t${versioned}_1(void) { return $((l * 100 + 1)); }"
			echo "int t${versioned}_2(void) { return $((l * 100 + 2)); }"
			echo "__asm__(\".symver t${versioned}_1, t$versioned@V1\");"
			echo "__asm__(\".symver t${versioned}_2, t$versioned@@V2\");"
		fi
		echo "long l${l}_report(void) {"
		echo "  long sum = 0;"
		for n in $(seq 1 $NAMES); do
			if pick 30; then
				echo "  { extern __attribute__((weak)) int s$n(void); sum = sum * 3 + (s$n ? s$n() : -1); }"
			fi
			if pick 15; then
				echo "  { extern __attribute__((weak)) int d$n; sum = sum * 5 + (&d$n ? d$n : -1); }"
			fi
		done
		echo "  return sum;"
		echo "}"
	} >"$src"
	if [ -n "$versioned" ]; then
		printf 'V1 { global: t%s; };\nV2 { global: t%s; } V1;\n' "$versioned" "$versioned" >"$dir/l$l.map"
	fi
}

link_library() {
	local l=$1 flags="-shared -fPIC -Wl,-soname,libl$l.so -Wl,-rpath,\$ORIGIN -L$dir" k
	[ -f "$dir/l$l.map" ] && flags="$flags -Wl,--version-script=$dir/l$l.map"
	pick 25 && flags="$flags -Wl,-Bsymbolic"
	for k in $(seq 1 $((l - 1))); do
		pick 20 && flags="$flags -ll$k"
	done
	$CC $flags -o "$dir/libl$l.so" "$dir/l$l.c"
}

VERSIONED=""  # names with a V1 in some library the program needs
for l in $(seq 1 $NLIBS); do
	gen_library "$l"
	link_library "$l"
done

# The program: needs some libraries, dlopens others RTLD_LOCAL, asks every name.
needed="" pie="-pie -fPIE"
for l in $(seq 1 $NLIBS); do
	if pick 55; then
		needed="$needed -ll$l"
		[ -f "$dir/l$l.map" ] && VERSIONED="$VERSIONED $(grep -o 't[0-9]*' "$dir/l$l.map" | head -1)"
	fi
done
pick 50 && pie="-no-pie -fno-pie"
{
	echo "#define _GNU_SOURCE"
	echo "#include <dlfcn.h>"
	echo "#include <stdio.h>"
	echo "int s1(void) { return -100; }"
	echo "__attribute__((weak)) int s2(void) { return -200; }"
	for n in $(seq 3 $NAMES); do echo "extern __attribute__((weak)) int s$n(void);"; done
	for n in $(seq 1 4); do echo "extern __attribute__((weak)) int t$n(void);"; done
	for n in $(seq 1 $NAMES); do echo "extern __attribute__((weak)) int d$n;"; done
	for t in $(printf '%s\n' $VERSIONED | sort -u); do
		echo "extern __attribute__((weak)) int ${t}_old(void);"
		echo "__asm__(\".symver ${t}_old, $t@V1\");"
	done
	echo "static void ask_global_scope(const char *when) {"
	echo "  char name[16];"
	echo "  for (int n = 1; n <= $NAMES; n++) {"
	echo "    snprintf(name, sizeof name, \"s%d\", n);"
	echo "    int (*s)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, name);"
	echo "    printf(\"%s: %s=%d\\n\", when, name, s ? s() : -1);"
	echo "  }"
	echo "}"
	echo "int main(void) {"
	# Function addresses: canonical PLT entries in a fixed-address program.
	for n in $(seq 1 $NAMES); do echo "  printf(\"&s$n %s\\n\", s$n ? \"set\" : \"null\");"; done
	for n in $(seq 1 $NAMES); do echo "  printf(\"d$n=%d\\n\", &d$n ? d$n : -1);"; done
	for t in $(printf '%s\n' $VERSIONED | sort -u); do
		echo "  printf(\"${t}@V1=%d\\n\", ${t}_old ? ${t}_old() : -1);"
	done
	for n in $(seq 1 $NAMES); do echo "  printf(\"s$n=%d\\n\", s$n ? s$n() : -1);"; done
	for n in $(seq 1 4); do echo "  printf(\"t$n=%d\\n\", t$n ? t$n() : -1);"; done
	echo "  char name[64];"
	echo "  for (int l = 1; l <= $NLIBS; l++) {"
	echo "    snprintf(name, sizeof name, \"libl%d.so\", l);"
	echo "    void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);"
	echo "    snprintf(name, sizeof name, \"l%d_report\", l);"
	echo "    long (*report)(void) = h ? (long (*)(void))dlsym(h, name) : 0;"
	echo "    printf(\"%s=%ld\\n\", name, report ? report() : -1L);"
	echo "    if (h)"
	echo "      dlclose(h);"
	echo "  }"
	echo "  void *global[$((NLIBS + 1))] = {0};"
	joined=""
	for l in $(seq 1 $NLIBS); do
		pick 40 && joined="$joined $l" && echo "  global[$l] = dlopen(\"libl$l.so\", RTLD_NOW | RTLD_GLOBAL);"
	done
	echo "  ask_global_scope(\"joined\");"
	order=""  # (RANDOM is drawn here: a subshell would reseed it)
	for l in $joined; do
		order+="$RANDOM $l"$'\n'
	done
	for l in $(sort -n <<<"$order" | cut -d' ' -f2); do
		echo "  if (global[$l]) dlclose(global[$l]);"
		echo "  ask_global_scope(\"libl$l.so closed\");"
	done
	echo "  return 0;"
	echo "}"
} >"$dir/main.c"
$CC $pie -o "$dir/main" "$dir/main.c" -L"$dir" $needed -Wl,-rpath,"$dir" \
	-Wl,--export-dynamic-symbol=s1 -Wl,--export-dynamic-symbol=s2

# Preloads: a few of the libraries, in random order.
preload=""
for l in $(seq 1 $NLIBS); do
	pick 20 && preload="$preload $dir/libl$l.so"
done
echo "${preload# }"
