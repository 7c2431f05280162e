#!/usr/bin/env bash
# Build cmocka from Debian's source package with another C compiler (musl-gcc
# for the musl test build) and install it, static, into a prefix.
# Usage: cmake/build-cmocka.sh <cc> <prefix>     (as root, on Debian 12)
set -euo pipefail
cc=${1:?usage: build-cmocka.sh <cc> <prefix>}
prefix=${2:?usage: build-cmocka.sh <cc> <prefix>}

if [ -f "$prefix/lib/libcmocka.a" ] && [ -f "$prefix/include/cmocka.h" ]; then
	echo "cmocka already in $prefix"
	exit 0
fi

# apt-get source needs a deb-src entry; Debian 12 images may have none.
if ! grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
	cat > /etc/apt/sources.list.d/iou-deb-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $codename
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	apt-get update -qq
fi
command -v dpkg-source >/dev/null || apt-get install -y -qq dpkg-dev

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -qq cmocka >/dev/null 2>&1 || apt-get source cmocka)
src=$(find "$work" -maxdepth 1 -type d -name 'cmocka-*' | head -n 1)
[ -n "$src" ] || { echo "no cmocka source unpacked" >&2; exit 1; }

cmake -S "$src" -B "$work/build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=Release \
	-DBUILD_SHARED_LIBS=OFF -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF \
	-DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib >/dev/null
cmake --build "$work/build" -j2 >/dev/null
cmake --install "$work/build" >/dev/null
# Older cmocka installs the static archive as libcmocka-static.a.
if [ ! -f "$prefix/lib/libcmocka.a" ] && [ -f "$prefix/lib/libcmocka-static.a" ]; then
	cp "$prefix/lib/libcmocka-static.a" "$prefix/lib/libcmocka.a"
fi
rm -f "$prefix"/lib/libcmocka.so*
test -f "$prefix/lib/libcmocka.a"
echo "cmocka built with $cc into $prefix"
