#!/bin/sh
# test_export_apkg.sh - `lemma export --format apkg|colpkg` as a user runs
# it (TAP; make check runs it with LEMMA_BIN and LEMMA_SRCDIR):
#
#   1. a deck imported, a card studied, a media file named by a note:
#      an .apkg that `lemma package info` reads (counts, the deck, Basic),
#      with the media file in it and a warning for the one that is missing;
#   2. --no-media and --legacy: version 2, no media;
#   3. --format colpkg: the whole collection;
#   4. usage errors exit 2 and write nothing: no -o, --deck with colpkg,
#      --no-scheduling with colpkg, --legacy with a text format;
#   5. an existing file is kept without --force (exit 1), replaced with it;
#   6. an unknown deck: a message, exit 1, no file;
#   7. the progress file is the same bytes after all of it.
set -u

bin=${LEMMA_BIN:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_export_apkg.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
export LEMMA_DB="$tmp/p.db" XDG_DATA_HOME="$tmp/data" LEMMA_NOW=2026-03-01T10:00:00Z
n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=1
	echo "not ok $n - $1"
	sed 's/^/# /' "$tmp/out" "$tmp/err" 2>/dev/null
}

# has LINE...: every line is a line of $tmp/out + $tmp/err.
has() {
	cat "$tmp/out" "$tmp/err" >"$tmp/all"
	for line in "$@"; do
		if ! grep -qxF -- "$line" "$tmp/all"; then
			echo "missing line: $line" >>"$tmp/err"
			return 1
		fi
	done
	return 0
}

echo "1..7"

mkdir -p "$tmp/data/lemma/media"
printf 'not really a png' >"$tmp/data/lemma/media/cat.png"
printf '#separator:tab\n#html:true\nchat\t<img src="cat.png"> cat\nchien\tdog [sound:woof.mp3]\n' \
    >"$tmp/deck.txt"
"$bin" import --deck French "$tmp/deck.txt" >/dev/null 2>&1 || echo "# import failed"
sum1=$(cksum <"$tmp/p.db")

"$bin" export --format apkg --deck French -o "$tmp/f.apkg" >"$tmp/out" 2>"$tmp/err"
s=$?
"$bin" package info "$tmp/f.apkg" >>"$tmp/out" 2>>"$tmp/err"
if [ "$s" -eq 0 ] && has "version 3: collection collection.anki21b, schema 18" \
    "notes: 2" "cards: 2" "media: 1" "  cat.png" "deck French (preset 1)" \
    'lemma: warning: media file "woof.mp3" is not in '"$tmp/data/lemma/media"': left out'; then
	ok "apkg of a deck with its media, a warning for the missing one"
else
	not_ok "apkg of a deck with its media, a warning for the missing one"
fi

"$bin" export --format apkg --no-media --legacy -o "$tmp/l.apkg" >"$tmp/out" 2>"$tmp/err"
s=$?
"$bin" package info "$tmp/l.apkg" >>"$tmp/out" 2>>"$tmp/err"
if [ "$s" -eq 0 ] && has "version 2: collection collection.anki21, schema 11" \
    "media: 0" "notes: 2"; then
	ok "--legacy --no-media"
else
	not_ok "--legacy --no-media"
fi

"$bin" export --format colpkg -o "$tmp/c.colpkg" >"$tmp/out" 2>"$tmp/err"
s=$?
"$bin" package info "$tmp/c.colpkg" >>"$tmp/out" 2>>"$tmp/err"
if [ "$s" -eq 0 ] && has "notes: 2" "cards: 2" "note types: 5"; then
	ok "colpkg: the whole collection, every note type"
else
	not_ok "colpkg: the whole collection, every note type"
fi

: >"$tmp/err"
"$bin" export --format apkg >"$tmp/out" 2>>"$tmp/err"; s1=$?
"$bin" export --format colpkg --deck French -o "$tmp/u1" >"$tmp/out" 2>>"$tmp/err"; s2=$?
"$bin" export --format colpkg --no-scheduling -o "$tmp/u2" >"$tmp/out" 2>>"$tmp/err"; s3=$?
"$bin" export --format anki --legacy -o "$tmp/u3" >"$tmp/out" 2>>"$tmp/err"; s4=$?
if [ "$s1$s2$s3$s4" = 2222 ] && [ ! -e "$tmp/u1" ] && [ ! -e "$tmp/u2" ] &&
    [ ! -e "$tmp/u3" ]; then
	ok "usage errors exit 2 and write nothing"
else
	echo "statuses $s1 $s2 $s3 $s4" >>"$tmp/err"
	not_ok "usage errors exit 2 and write nothing"
fi

printf 'mine' >"$tmp/mine.apkg"
"$bin" export --format apkg -o "$tmp/mine.apkg" >"$tmp/out" 2>"$tmp/err"; s1=$?
c1=$(cat "$tmp/mine.apkg")
"$bin" export --format apkg --force -o "$tmp/mine.apkg" >>"$tmp/out" 2>>"$tmp/err"; s2=$?
if [ "$s1" -eq 1 ] && [ "$c1" = mine ] && [ "$s2" -eq 0 ] &&
    "$bin" package info "$tmp/mine.apkg" >/dev/null 2>&1; then
	ok "an existing file is kept without --force, replaced with it"
else
	echo "statuses $s1 $s2" >>"$tmp/err"
	not_ok "an existing file is kept without --force, replaced with it"
fi

"$bin" export --format apkg --deck Nope -o "$tmp/n.apkg" >"$tmp/out" 2>"$tmp/err"
s=$?
if [ "$s" -eq 1 ] && [ ! -e "$tmp/n.apkg" ] && grep -q 'Nope' "$tmp/err"; then
	ok "an unknown deck: a message, exit 1, no file"
else
	not_ok "an unknown deck: a message, exit 1, no file"
fi

: >"$tmp/out"
: >"$tmp/err"
if [ "$(cksum <"$tmp/p.db")" = "$sum1" ] && [ -z "$(ls "$tmp" | grep -v -e '^p\.db' -e '\.apkg$' -e '\.colpkg$' -e '^data$' -e '^backups$' -e '^deck.txt$' -e '^out$' -e '^err$' -e '^all$')" ]; then
	ok "the progress file is as it was; no stray files"
else
	ls -la "$tmp" >>"$tmp/err"
	not_ok "the progress file is as it was; no stray files"
fi
exit $failed
