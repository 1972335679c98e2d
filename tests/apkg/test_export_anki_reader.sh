#!/bin/sh
# test_export_anki_reader.sh - a third-party reader on what
# `lemma export --format apkg --legacy` writes (TAP): the npm package
# anki-reader (0.3.0, as tests/apkg/test_anki_reader.sh uses it) reads the
# package's collection.anki21 and lists its notes' fields by the note
# type's field names, and its decks: the notes of the progress file, each
# field in its place (a plain note's text as HTML), in their decks.
#
# Needs node, npm and the npm registry: where any is missing, the case is
# not applicable here (a pass, with the reason as a TAP comment).
set -u

bin=${LEMMA_BIN:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_export_anki_reader.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
export LEMMA_DB="$tmp/p.db" XDG_DATA_HOME="$tmp/data" LEMMA_NOW=2026-03-01T10:00:00Z

echo "1..1"
name="anki-reader lists the notes lemma exported, field by field"
na() {
	echo "# not applicable here: $1"
	echo "ok 1 - $name"
	exit 0
}
command -v node >/dev/null 2>&1 || na "no node"
command -v npm >/dev/null 2>&1 || na "no npm"
if ! (cd "$tmp" && timeout 300 npm install --no-audit --no-fund --silent \
    anki-reader@0.3.0 >"$tmp/npm.log" 2>&1); then
	na "npm install anki-reader failed (no registry?): $(tail -n 1 "$tmp/npm.log")"
fi

printf '#separator:tab\n#html:true\nchat\tcat <b>animal</b>\nmaison\thouse\n' >"$tmp/fr.txt"
printf '#separator:tab\nx < y\tplain & simple\n' >"$tmp/plain.txt"
printf '#separator:tab\n#notetype:Cloze\n{{c1::Paris}} is in {{c2::France}}\tgeo\n' >"$tmp/cloze.txt"
"$bin" import --deck Lang::French "$tmp/fr.txt" >/dev/null 2>&1 &&
"$bin" import --deck Plain "$tmp/plain.txt" >/dev/null 2>&1 &&
"$bin" import --deck Geo "$tmp/cloze.txt" >/dev/null 2>&1 &&
"$bin" export --format apkg --legacy -o "$tmp/out.apkg" >/dev/null 2>"$tmp/err" || {
	echo "not ok 1 - $name"
	sed 's/^/# /' "$tmp/err"
	exit 1
}

cat >"$tmp/read.mjs" <<'JS'
import fs from 'fs';
import { readAnkiCollection } from 'anki-reader';
import * as zip from '@zip.js/zip.js';

const reader = new zip.ZipReader(new zip.BlobReader(new Blob([fs.readFileSync(process.argv[2])])));
const entry = (await reader.getEntries()).find((e) => e.filename === 'collection.anki21');
const col = await readAnkiCollection(await entry.getData(new zip.Uint8ArrayWriter()));
const lines = [];
for (const deck of Object.values(col.getDecks())) {
  for (const card of Object.values(deck.getCards())) {
    const names = card.getModel().getFields().map((f) => f.name);
    lines.push(`${deck.getRawDeck().name}: ` +
        names.map((n, i) => `${n}=${card.getOrderedFields()[i]}`).join(' | '));
  }
}
lines.sort();
console.log(lines.join('\n'));
JS

if ! (cd "$tmp" && node read.mjs out.apkg >"$tmp/out" 2>"$tmp/err"); then
	echo "not ok 1 - $name"
	sed 's/^/# /' "$tmp/err"
	exit 1
fi
# One line a card: the cloze note has two.
cat >"$tmp/want" <<'END'
Geo: Text={{c1::Paris}} is in {{c2::France}} | Back Extra=geo
Geo: Text={{c1::Paris}} is in {{c2::France}} | Back Extra=geo
Lang::French: Front=chat | Back=cat <b>animal</b>
Lang::French: Front=maison | Back=house
Plain: Front=x &lt; y | Back=plain &amp; simple
END
if cmp -s "$tmp/want" "$tmp/out"; then
	echo "ok 1 - $name"
else
	echo "not ok 1 - $name"
	diff "$tmp/want" "$tmp/out" | sed 's/^/# /'
	exit 1
fi
