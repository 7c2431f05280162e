#!/bin/sh
# Print the per-function part of docs/kernels.md from the public headers'
# doc blocks: each function's "Minimum kernel ..." sentence, and which of
# the kernels the matrix runs on (tests/kernels/run, .ci/run) are at least
# that new.  The test docs_kernels_current compares docs/kernels.md with
# this, so the two cannot drift apart.
# Usage: cmake/kernels_md.sh <include/iou dir> <kernel>...   (e.g. 6.1 6.12 6.18)
#        cmake/kernels_md.sh --check <docs/kernels.md> <include/iou dir> <kernel>...
#   --check: compare what follows the line "<!-- generated: ... -->" in the
#   document with what this prints, and exit 1 (showing the diff) if they
#   differ.
set -eu
if [ "${1:-}" = --check ]; then
	doc=$2
	shift 2
	tmp=${TMPDIR:-/tmp}/kernels_md.$$
	sed -n '/^<!-- generated: /,$p' "$doc" | sed 1d >"$tmp.doc"
	sh "$0" "$@" >"$tmp.gen"
	if ! diff -u "$tmp.doc" "$tmp.gen"; then
		rm -f "$tmp.doc" "$tmp.gen"
		echo "$doc is out of date: regenerate its last part with $0 $*" >&2
		exit 1
	fi
	n=$(grep -c '^| `' "$tmp.gen")
	rm -f "$tmp.doc" "$tmp.gen"
	echo "$doc: the minimum kernels of $n functions agree with the headers"
	exit 0
fi
dir=$1
shift
kernels="$*"
# The headers' doc blocks are read by cmake/docblocks.awk, which calls
# documented() below for each.
blocks=$(cat "$(dirname "$0")/docblocks.awk")
for h in ring.h register.h prep.h loop.h; do
	printf '\n### `<iou/%s>`\n\n' "$h"
	printf '| function | minimum kernel | suite green on |\n'
	printf '| --- | --- | --- |\n'
	awk -v kernels="$kernels" "$blocks"'
	# The sentence after "Minimum kernel": up to a "." not followed by a
	# digit (so "5.19." ends after 19).
	function minimum(text,   i, n, c, out) {
		i = index(text, "Minimum kernel")
		if (!i)
			return ""
		text = substr(text, i + length("Minimum kernel"))
		sub(/^:? */, "", text)
		n = length(text)
		out = ""
		for (i = 1; i <= n; i++) {
			c = substr(text, i, 1)
			if (c == "." && substr(text, i + 1, 1) !~ /[0-9]/)
				break
			out = out c
		}
		return out
	}
	# 1 when kernel version a >= b ("6.12" >= "6.1").
	function at_least(a, b,   x, y) {
		split(a, x, ".")
		split(b, y, ".")
		return x[1] + 0 > y[1] + 0 || (x[1] + 0 == y[1] + 0 && x[2] + 0 >= y[2] + 0)
	}
	# A macro states no minimum kernel of its own.
	function documented() {
		if (db_kind == "macro")
			return
		names[++nr] = db_name
		min[db_name] = minimum(db_text)
	}
	END {
		db_finish()
		nk = split(kernels, k, " ")
		for (j = 1; j <= nr; j++) {
			name = names[j]
			m = min[name]
			# "as iou_loop_create()": that one'"'"'s minimum.
			if (match(m, /^as [a-z_0-9]+\(\)/)) {
				ref = substr(m, 4, RLENGTH - 5)
				if (ref in min)
					m = min[ref]
			}
			if (m == "")
				m = "(not stated)"
			v = m
			if (v ~ /^any/)
				v = "0.0"
			else if (match(v, /[0-9]+\.[0-9]+/))
				v = substr(v, RSTART, RLENGTH)
			else
				v = "99.0"
			green = ""
			for (i = 1; i <= nk; i++)
				if (at_least(k[i], v))
					green = green (green == "" ? "" : ", ") k[i]
			if (green == "")
				green = "(none yet)"
			printf "| `%s()` | %s | %s |\n", name, m, green
		}
	}
	' "$dir/$h"
done
