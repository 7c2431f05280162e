#!/usr/bin/env bash
# Build cmocka from Debian's source package with another C compiler (musl-gcc
# for the musl test build) or a CMake toolchain file (the cross builds) and
# install it, static only, into a prefix: <prefix>/include/cmocka.h and
# <prefix>/lib/libcmocka.a.
# Usage: cmake/build-cmocka.sh <cc> <prefix>           (as root, Debian 12)
#        cmake/build-cmocka.sh --toolchain <file> <prefix>
set -euo pipefail
usage="usage: $0 <cc>|--toolchain <file> <prefix>"
toolchain=
if [ "${1:-}" = --toolchain ]; then
	toolchain=${2:?$usage}
	case $toolchain in /*) ;; *) toolchain=$PWD/$toolchain ;; esac
	cc=
	prefix=${3:?$usage}
else
	cc=${1:?$usage}
	prefix=${2:?$usage}
fi
case $prefix in /*) ;; *) prefix=$PWD/$prefix ;; esac
export DEBIAN_FRONTEND=noninteractive

if [ -f "$prefix/lib/libcmocka.a" ] && [ -f "$prefix/include/cmocka.h" ]; then
	echo "cmocka already in $prefix"
	exit 0
fi

# apt-get source needs a deb-src entry.  Debian 12 images keep their sources
# in /etc/apt/sources.list.d/debian.sources (deb822) or in
# /etc/apt/sources.list (one-line); either may lack deb-src.  A deb822 file
# of our own works beside both.
updated=
# Only the files apt reads: sources.list, sources.list.d/*.list, *.sources.
if ! grep -qsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' \
	/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; then
	# shellcheck disable=SC1091
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	{
		echo "Types: deb-src"
		echo "URIs: http://deb.debian.org/debian"
		echo "Suites: $codename"
		echo "Components: main"
		if [ -f "$keyring" ]; then echo "Signed-By: $keyring"; fi
	} > /etc/apt/sources.list.d/iou-deb-src.sources
	echo "added /etc/apt/sources.list.d/iou-deb-src.sources"
	apt-get update -qq
	updated=1
fi
need=()
command -v dpkg-source >/dev/null || need+=(dpkg-dev)
command -v cmake >/dev/null || need+=(cmake)
command -v make >/dev/null || need+=(make)
if [ ${#need[@]} -gt 0 ]; then
	[ -n "$updated" ] || { apt-get update -qq; updated=1; }
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Stale package lists are the usual reason for a failure here: update, retry.
if ! (cd "$work" && apt-get source -qq cmocka >"$work/source.log" 2>&1); then
	[ -n "$updated" ] || apt-get update -qq
	rm -rf "${work:?}"/* && (cd "$work" && apt-get source cmocka)
fi
src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'cmocka-*' | head -n 1)
[ -n "$src" ] || { echo "no cmocka source unpacked in $work" >&2; exit 1; }
echo "building $(basename "$src") with ${toolchain:-$cc}"

if [ -n "$toolchain" ]; then
	compiler=(-DCMAKE_TOOLCHAIN_FILE="$toolchain")
else
	compiler=(-DCMAKE_C_COMPILER="$cc")
fi
# cmocka 1.1: BUILD_SHARED_LIBS=OFF makes the "cmocka" target static
# (libcmocka.a); older trees only have WITH_STATIC_LIB (libcmocka-static.a).
cmake -S "$src" -B "$work/build" "${compiler[@]}" -DCMAKE_BUILD_TYPE=Release \
	-DBUILD_SHARED_LIBS=OFF -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF \
	-DPICKY_DEVELOPER=OFF -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
	>"$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/build" -j"$(nproc)" >"$work/build.log" 2>&1 ||
	{ cat "$work/build.log"; exit 1; }
cmake --install "$work/build" >/dev/null
if [ ! -f "$prefix/lib/libcmocka.a" ] && [ -f "$prefix/lib/libcmocka-static.a" ]; then
	cp "$prefix/lib/libcmocka-static.a" "$prefix/lib/libcmocka.a"
fi
rm -f "$prefix"/lib/libcmocka.so*
test -f "$prefix/include/cmocka.h"
test -f "$prefix/lib/libcmocka.a"

if [ -n "$toolchain" ]; then
	# The target's programs run under an emulator: the suites prove it.
	echo "cmocka built with $toolchain into $prefix"
	exit 0
fi

# Prove it: a cmocka test built with the same compiler links and passes.
cat > "$work/t.c" <<'EOF'
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

static void test_one(void **state)
{
	(void)state;
	assert_int_equal(1 + 1, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_one) };

	return cmocka_run_group_tests(tests, NULL, NULL);
}
EOF
"$cc" -static -I"$prefix/include" "$work/t.c" "$prefix/lib/libcmocka.a" -o "$work/t"
"$work/t" >"$work/t.log" 2>&1 || { cat "$work/t.log"; exit 1; }
echo "cmocka built with $cc into $prefix (a static test program links and passes)"
