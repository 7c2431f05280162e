# The public headers' doc blocks, read the same way for every script that
# makes something of them (kernels_md.sh, manpages.sh).  Not a program of
# its own: the script puts its own rules and its documented() after this
# text.  POSIX awk (mawk, gawk, busybox).
#
# A doc block is "/**", a first line "name() - summary", then " * " lines,
# then " */".  It documents the next declaration of the same name: a
# prototype marked IOU_API or IOU_INLINE, or "#define name(".  Declarations
# of other names may come between (the internal halves of an inline).
# For each block and its declaration, documented() is called with
#   db_name	the name
#   db_kind	"api", "inline" or "macro"
#   db_decl	the declaration on one line: no marker, no body, and for a
#		prototype a final ";"
#   db_file	the header (FILENAME)
#   db_n, db_line[1..db_n]	the block's lines without " * " (an
#		argument's continuation keeps its leading tab)
#   db_text	the block's lines joined, each after a space
# Internal names (iou__*) are skipped.  What cannot be right is counted in
# db_errors and said on stderr: a block that does not start "name() - ",
# a block that documents nothing, an exported declaration without a block.

function db_error(msg) {
	db_error_at(FILENAME ":" FNR, msg)
}

function db_error_at(where, msg) {
	printf "%s: %s\n", where, msg >"/dev/stderr"
	db_errors++
}

# A block still waiting for its declaration when the next block or header
# starts, or (called from the program's END) at the end, documents nothing.
function db_finish() {
	if (db_pending != "")
		db_error_at(db_pending_at, db_pending "(): doc block documents nothing")
	db_pending = ""
}

# The name a declaration declares: the identifier before its "(".
function db_decl_name(decl,   s) {
	s = decl
	sub(/\(.*/, "", s)
	sub(/.*[ *]/, "", s)
	return s
}

function db_declared(decl, kind,   name) {
	name = db_decl_name(decl)
	if (name == db_pending) {
		db_name = name
		db_kind = kind
		db_decl = decl
		db_file = FILENAME
		db_pending = ""
		if (name !~ /^iou__/)
			documented()
	} else if (kind != "macro" && name !~ /^iou__/) {
		db_error(name "() has no doc block")
	}
}

FNR == 1 {
	db_finish()
	db_collecting = 0
}

/^\/\*\*/ {
	db_finish()
	db_n = 0
	db_text = ""
	db_in = 1
	next
}
db_in && /^ \*\// {
	db_in = 0
	if (db_n && match(db_line[1], /^[A-Za-z_][A-Za-z0-9_]*\(\) - /)) {
		db_pending = substr(db_line[1], 1, index(db_line[1], "(") - 1)
		db_pending_at = FILENAME ":" FNR
	} else {
		db_error("doc block does not start \"name() - summary\"")
	}
	next
}
db_in {
	db_l = $0
	sub(/^ \* ?/, "", db_l)
	db_line[++db_n] = db_l
	db_text = db_text " " db_l
	next
}

# A prototype, up to the ")" that closes its parameter list.
!db_collecting && /^IOU_(API|INLINE)[ \t]/ {
	db_collecting = 1
	db_proto = ""
	db_proto_kind = $0 ~ /^IOU_API/ ? "api" : "inline"
	db_depth = 0
}
db_collecting {
	db_proto = db_proto " " $0
	db_l = $0
	db_depth += gsub(/\(/, "(", db_l) - gsub(/\)/, ")", db_l)
	if (db_depth > 0 || index(db_proto, "(") == 0)
		next
	db_collecting = 0
	db_l = db_proto
	gsub(/[ \t]+/, " ", db_l)
	sub(/^ IOU_(API|INLINE) /, "", db_l)
	sub(/\)[^)]*$/, ");", db_l)
	gsub(/\( /, "(", db_l)
	db_declared(db_l, db_proto_kind)
	next
}
/^#define [A-Za-z_][A-Za-z0-9_]*\(/ {
	db_l = $0
	sub(/^#define /, "", db_l)
	sub(/\).*/, ")", db_l)
	db_declared("#define " db_l, "macro")
}
