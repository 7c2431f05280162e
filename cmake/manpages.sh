#!/bin/sh
# Write the man pages: one per documented public function or macro in
# section 3, made from its doc block in the public headers (read by
# cmake/docblocks.awk), so a page says what the header says; and the
# overview pages of section 7, written by hand in docs/man/*.7, with
# @VERSION@ replaced.  POSIX sh and awk only.  Nothing depends on the date
# or the machine: the same headers give the same pages.
# Usage: cmake/manpages.sh [--strict] <out dir> [version]
#   Writes <out dir>/man3/<name>.3 and <out dir>/man7/<page>.7, after
#   removing the pages an earlier run left there.  The version defaults
#   to the project() version of CMakeLists.txt.
# A doc block that is malformed or documents nothing, and an exported
# prototype without one, are named on stderr; with --strict (ctest
# man_pages_complete) they also make the exit status 1.  The build does
# not fail for them: the tests do.
set -eu
strict=0
if [ "${1:-}" = --strict ]; then
	strict=1
	shift
fi
here=$(dirname "$0")
top=$here/..
out=$1
version=${2:-}
if [ -z "$version" ]; then
	version=$(sed -n 's/^project(iou VERSION \([0-9.]*\).*/\1/p' "$top/CMakeLists.txt")
fi
blocks=$(cat "$here/docblocks.awk")

mkdir -p "$out/man3" "$out/man7"
rm -f "$out"/man3/*.3 "$out"/man7/*.7
for p in "$top"/docs/man/*.7; do
	[ -e "$p" ] || continue
	sed "s/@VERSION@/$version/g" "$p" >"$out/man7/$(basename "$p")"
done

# Every documented name first: a page refers only to pages that exist.
# (The second pass reports what is wrong with the blocks.)
names=$(awk "$blocks"'
	function documented() { print db_name }' "$top"/include/iou/*.h 2>/dev/null |
	tr '\n' ' ')

awk -v strict=$strict -v out="$out/man3" -v version="$version" -v names="$names" "$blocks"'
function trim(s) {
	sub(/^[ \t\n]+/, "", s)
	sub(/[ \t\n]+$/, "", s)
	return s
}

# Text for roff: a backslash printed as one, and a "-" that starts a word
# (-EINVAL, -1, -fstack-clash-protection) as a minus sign, not a hyphen.
function esc(s,   out, i, n, c, prev) {
	out = ""
	prev = " "
	n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		if (c == "\\")
			out = out "\\e"
		else if (c == "-" && prev ~ /[ \t\n(\/\[|,;=<>]/ &&
			 substr(s, i + 1, 1) ~ /[A-Za-z0-9]/)
			out = out "\\-"
		else
			out = out c
		prev = c
	}
	return out
}

# Escaped text with the kernel-doc marks as fonts: @arg in italics,
# name() and name(2) in bold.
function markup(s,   out, t) {
	s = esc(s)
	out = ""
	while (match(s, /@[A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*\([0-9]?\)/)) {
		t = substr(s, RSTART, RLENGTH)
		out = out substr(s, 1, RSTART - 1)
		if (t ~ /^@/)
			out = out "\\fI" substr(t, 2) "\\fP"
		else
			out = out "\\fB" substr(t, 1, index(t, "(") - 1) "\\fP" substr(t, index(t, "("))
		s = substr(s, RSTART + RLENGTH)
	}
	return out s
}

# Text lines, as the header broke them (so a sentence that ends a line
# is seen to end).  One that starts with a dot or a quote would be a
# request.
function put(s,   n, l, i, c) {
	n = split(s, l, "\n")
	for (i = 1; i <= n; i++) {
		c = substr(l[i], 1, 1)
		if (c == "." || c == sprintf("%c", 39))
			l[i] = "\\&" l[i]
		print l[i] >page
	}
}

function cap(s) {
	if (s ~ /^[a-z]+[ ,.;:]/)
		s = toupper(substr(s, 1, 1)) substr(s, 2)
	return s
}

# The SYNOPSIS line(s) of a declaration: types and punctuation bold,
# parameter names italic (.BI), wrapped as the header wraps them, under
# the "(".
function synopsis(decl, macro,   open, end, head, tail, args, n, a, i,
		  arg, type, name, suffix, width, piece, line, pad) {
	open = index(decl, "(")
	end = length(decl)
	while (substr(decl, end, 1) != ")")
		end--
	head = substr(decl, 1, open)
	tail = substr(decl, end)
	args = substr(decl, open + 1, end - open - 1)
	n = split(args, a, ",")
	pad = sprintf("%" open "s", "")
	line = ".BI \"" esc(head)
	width = open
	if (n == 0) {
		print line esc(tail) "\"" >page
		return
	}
	for (i = 1; i <= n; i++) {
		arg = trim(a[i])
		type = arg
		name = ""
		suffix = ""
		if (macro) {
			type = ""
			name = arg
		} else if (arg != "void" && match(arg, /[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?$/) && RSTART > 1) {
			type = substr(arg, 1, RSTART - 1)
			name = substr(arg, RSTART, RLENGTH)
			if (index(name, "[")) {
				suffix = substr(name, index(name, "["))
				name = substr(name, 1, index(name, "[") - 1)
			}
		}
		piece = arg (i < n ? "," : tail)
		if (i > 1 && width + 1 + length(piece) > 70) {
			print line "\"" >page
			line = ".BI \"" pad
			width = open
		} else if (i > 1) {
			line = line " "
			width++
		}
		line = line esc(type) "\""
		if (name != "")
			line = line " \"" name "\" \""
		else
			line = line " \"\" \""
		line = line esc(suffix) (i < n ? "," : esc(tail))
		width += length(piece)
	}
	print line "\"" >page
}

function documented(   i, l, summary, na, aname, adesc, np, para, lit,
		     in_ret, ret, min, k, s, t, lines, refs, nrefs, seen,
		     header, overview) {
	if (db_name in done) {
		db_error(db_name "() documented twice")
		return
	}
	done[db_name] = 1
	header = db_file
	sub(/.*\//, "", header)
	overview = header == "loop.h" ? "iou_loop" : "iou"
	page = out "/" db_name ".3"

	# The summary: the first line after "name() - ", and what follows
	# up to the first argument or blank line.
	summary = substr(db_line[1], index(db_line[1], " - ") + 3)
	for (i = 2; i <= db_n && db_line[i] != "" && db_line[i] !~ /^(@[A-Za-z0-9_]+:|Return:)/; i++)
		summary = summary " " trim(db_line[i])
	# Arguments: "@name: text", continued on lines of their own.
	na = 0
	for (; i <= db_n && db_line[i] != "" && db_line[i] !~ /^Return:/; i++) {
		l = db_line[i]
		if (match(l, /^@[A-Za-z_][A-Za-z0-9_]*:/)) {
			aname[++na] = substr(l, 2, RLENGTH - 2)
			adesc[na] = trim(substr(l, RLENGTH + 1))
		} else if (na) {
			adesc[na] = adesc[na] "\n" trim(l)
		} else {
			db_error(db_name "(): text between the summary and the arguments")
		}
	}
	# Paragraphs up to "Return:", which runs to the end of the block.
	np = 0
	in_ret = 0
	ret = ""
	for (; i <= db_n; i++) {
		l = db_line[i]
		if (l == "")
			continue
		if (l ~ /^Return:/)
			in_ret = 1
		if (in_ret) {
			ret = ret (ret == "" ? "" : "\n") trim(l)
			continue
		}
		lit = l ~ /^  /
		para[++np] = lit ? l : trim(l)
		literal[np] = lit
		for (i++; i <= db_n && db_line[i] != "" && db_line[i] !~ /^Return:/; i++)
			para[np] = para[np] (lit ? "\n" db_line[i] : "\n" trim(db_line[i]))
		i--
	}
	if (ret == "" && db_kind != "macro")
		db_error(db_name "(): no Return: paragraph")
	sub(/^Return:[ \t]*/, "", ret)
	min = ""
	# Lines joined by newlines: the sentence is found as if by spaces.
	s = ret
	gsub(/\n/, " ", s)
	k = index(s, "Minimum kernel")
	if (k) {
		min = substr(ret, k)
		ret = trim(substr(ret, 1, k - 1))
	}

	print ".\\\" Made by cmake/manpages.sh from the doc block of " db_name "() in" >page
	print ".\\\" include/iou/" header ": edit that, not this." >page
	printf ".TH %s 3 \"\" \"iou %s\" \"Library Functions Manual\"\n", db_name, version >page
	# Identifiers are not hyphenated, nor lines stretched between them
	# (.EE turns hyphenation back on as the register HY says).
	print ".nh" >page
	print ".nr HY 0" >page
	print ".ad l" >page
	print ".SH NAME" >page
	put(db_name " \\- " markup(summary))
	print ".SH LIBRARY" >page
	print "iou" >page
	print ".RI ( libiou \", \" \\-liou )" >page
	print ".SH SYNOPSIS" >page
	print ".nf" >page
	print ".B #include <iou/" header ">" >page
	print ".PP" >page
	synopsis(db_decl, db_kind == "macro")
	print ".fi" >page
	print ".SH DESCRIPTION" >page
	for (i = 1; i <= na; i++) {
		print ".TP" >page
		print ".I " aname[i] >page
		put(markup(adesc[i]))
	}
	for (i = 1; i <= np; i++) {
		print ".PP" >page
		if (literal[i]) {
			print ".RS 4" >page
			print ".EX" >page
			k = split(para[i], lines, "\n")
			for (s = 1; s <= k; s++)
				put(esc(trim(lines[s])))
			print ".EE" >page
			print ".RE" >page
		} else {
			put(markup(para[i]))
		}
	}
	if (na == 0 && np == 0)
		put(markup(cap(summary)) ".")
	if (ret != "") {
		print ".SH RETURN VALUE" >page
		put(markup(cap(ret)))
	}
	if (min != "") {
		print ".SH VERSIONS" >page
		put(markup(min))
	}
	if (db_kind != "api") {
		print ".SH NOTES" >page
		if (db_kind == "inline")
			put("\\fB" db_name "\\fP() is inline in \\fI<iou/" header ">\\fP; \\fIlibiou\\fP also exports it under the same name, for callers that cannot use the header.")
		else
			put("\\fB" db_name "\\fP() is a macro in \\fI<iou/" header ">\\fP; \\fIlibiou\\fP has no symbol of that name.")
	}
	# SEE ALSO: the overview, then the functions the block names.
	nrefs = 0
	s = db_text
	while (match(s, /iou_[a-z0-9_]*\(\)/)) {
		t = substr(s, RSTART, RLENGTH - 2)
		s = substr(s, RSTART + RLENGTH)
		if (t != db_name && index(" " names " ", " " t " ") && !(t in seen)) {
			seen[t] = 1
			refs[++nrefs] = t
		}
	}
	print ".SH SEE ALSO" >page
	print ".BR " overview " (7)" (nrefs ? "," : "") >page
	for (i = 1; i <= nrefs; i++)
		print ".BR " refs[i] " (3)" (i < nrefs ? "," : "") >page
	close(page)
	for (t in seen)
		delete seen[t]
	pages++
}

END {
	db_finish()
	if (db_errors && strict)
		exit 1
	printf "%d pages in %s\n", pages, out
}' "$top"/include/iou/*.h
