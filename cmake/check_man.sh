#!/bin/sh
# The checks of the man pages (cmake/man.cmake), run by ctest.
# Usage: cmake/check_man.sh --complete <libiou.symbols> <man dir>
#   Every exported function of the list but the iou__* halves of inline
#   functions has <man dir>/man3/<name>.3, and the overview pages iou(7)
#   and iou_loop(7) are there; and the headers' doc blocks are sound
#   (cmake/manpages.sh --strict).  Exit 1 naming what is missing or wrong.
#        cmake/check_man.sh --render <man dir>
#   Every page renders without a warning: with man-db's man --warnings
#   and with groff -ww (every warning groff has), where installed; exit 1
#   showing the warnings, 77 (a skip) when neither is installed.
set -eu
case ${1:-} in
--complete)
	syms=$2
	dir=$3
	missing=$(grep -E '^iou_[^_]' "$syms" | while read -r name; do
		[ -f "$dir/man3/$name.3" ] || echo "$name"
	done)
	for p in iou iou_loop; do
		[ -f "$dir/man7/$p.7" ] || missing="${missing:+$missing
}$p(7)"
	done
	# The generator writes what it can; strict, it fails on a bad block.
	tmp=${TMPDIR:-/tmp}/check_man.$$
	if ! sh "$(dirname "$0")/manpages.sh" --strict "$tmp" >/dev/null; then
		missing="${missing:+$missing
}(the doc blocks named above)"
	fi
	rm -rf "$tmp"
	if [ -n "$missing" ]; then
		printf "missing from %s (man3: exported functions; man7):\n%s\n" "$dir" "$missing" >&2
		exit 1
	fi
	echo "$(grep -cE '^iou_[^_]' "$syms") exported functions, each with a page in $dir/man3"
	;;
--render)
	dir=$2
	have_man=0
	have_groff=0
	command -v man >/dev/null 2>&1 && have_man=1
	command -v groff >/dev/null 2>&1 && have_groff=1
	if [ $have_man = 0 ] && [ $have_groff = 0 ]; then
		echo "SKIP: neither man (man-db) nor groff is installed"
		exit 77
	fi
	n=0
	bad=0
	for p in "$dir"/man3/*.3 "$dir"/man7/*.7; do
		[ -f "$p" ] || continue
		n=$((n + 1))
		w=
		if [ $have_man = 1 ]; then
			w=$(LC_ALL=C man --warnings -l "$p" 2>&1 >/dev/null) ||
				w="$w (man failed)"
		fi
		if [ $have_groff = 1 ]; then
			g=$(LC_ALL=C groff -ww -z -man "$p" 2>&1) || g="$g (groff failed)"
			w="${w:+$w
}$g"
		fi
		if [ -n "$w" ]; then
			printf '%s:\n%s\n' "$p" "$w" >&2
			bad=$((bad + 1))
		fi
	done
	if [ $n = 0 ]; then
		echo "no pages in $dir" >&2
		exit 1
	fi
	if [ $bad != 0 ]; then
		echo "$bad of $n pages render with warnings" >&2
		exit 1
	fi
	tools=
	[ $have_man = 1 ] && tools="man --warnings"
	[ $have_groff = 1 ] && tools="${tools:+$tools, }groff -ww"
	echo "$n pages render without a warning ($tools)"
	;;
*)
	echo "usage: $0 --complete <libiou.symbols> <man dir> | --render <man dir>" >&2
	exit 2
	;;
esac
