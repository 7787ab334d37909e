#!/bin/sh
# The man page's OPTIONS section is generated from the options table
# (tqtop --man-options): fail when docs/tqtop.1 is stale.
. "$top_srcdir/tests/lib.sh"
tq_tmpdir
man="$top_srcdir/docs/tqtop.1"
sed -n '/^\.\\" BEGIN GENERATED OPTIONS/,/^\.\\" END GENERATED OPTIONS/p' "$man" |
	sed '1d;$d' >"$TQ_TMP/in-page"
"$top_builddir/tqtop" --man-options >"$TQ_TMP/generated" || fail "tqtop --man-options failed"
[ -s "$TQ_TMP/generated" ] || fail "tqtop --man-options printed nothing"
diff -u "$TQ_TMP/in-page" "$TQ_TMP/generated" >"$TQ_TMP/diff" ||
	fail "docs/tqtop.1 OPTIONS is stale; regenerate it between the markers with tqtop --man-options:
$(cat "$TQ_TMP/diff")"
# Every option --help lists is in the page.
"$top_builddir/tqtop" --help | sed -n 's/^  \(-., \)\{0,1\}--\([a-z-]*\).*/\2/p' >"$TQ_TMP/opts"
[ -s "$TQ_TMP/opts" ] || fail "no options in --help"
while read -r opt; do
	esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
	grep -q -- "\\\\-\\\\-$esc" "$man" || fail "--$opt is not in the man page"
done <"$TQ_TMP/opts"
echo "PASS: man page OPTIONS match the options table"
