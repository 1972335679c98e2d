#!/bin/sh
# test_anki_reader.sh - a third-party reader on what lemma writes (TAP):
# the npm package anki-reader (0.3.0, sql.js and zip.js) reads
# collection.anki2 only, like most readers other than Anki.
#
#   1. a current package lemma wrote: anki-reader finds exactly the stub,
#      one note saying "Please update to the latest Anki version", as in a
#      package Anki writes (so older readers never see half a collection);
#   2. the collection.anki21 of a --legacy package, read with anki-reader's
#      readAnkiCollection: the same notes (fields in order, note type
#      field names) and cards as the sample lemma wrote.
#
# Needs node and npm and the npm registry: where any is missing, every case
# is not applicable here (a pass, with the reason as a TAP comment).
set -u

build=${LEMMA_BUILDDIR:?}
writer=$build/tests/apkg/write-sample
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_anki_reader.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "1..2"
na() {
	echo "# not applicable here: $1"
	echo "ok 1 - anki-reader sees the stub of a current package"
	echo "ok 2 - anki-reader reads a legacy collection's notes and cards"
	exit 0
}
command -v node >/dev/null 2>&1 || na "no node"
command -v npm >/dev/null 2>&1 || na "no npm"
if ! (cd "$tmp" && timeout 300 npm install --no-audit --no-fund --silent \
    anki-reader@0.3.0 >"$tmp/npm.log" 2>&1); then
	na "npm install anki-reader failed (no registry?): $(tail -n 1 "$tmp/npm.log")"
fi

"$writer" "$tmp/current.apkg" || exit 99
"$writer" --legacy "$tmp/legacy.apkg" || exit 99

cat >"$tmp/read.mjs" <<'JS'
import fs from 'fs';
import { readAnkiPackage, readAnkiCollection } from 'anki-reader';
import * as zip from '@zip.js/zip.js';

const [current, legacy] = process.argv.slice(2);
const lines = [];
const out = (s) => lines.push(s);

function listCards(col) {
  const cards = [];
  for (const deck of Object.values(col.getDecks()))
    for (const [id, card] of Object.entries(deck.getCards()))
      cards.push([id, card]);
  cards.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [id, card] of cards) {
    const names = card.getModel().getFields().map((f) => f.name);
    out(`card ${id} note ${card.getNoteId()} deck ${card.getDeckId()}: ` +
        names.map((n, i) => `${n}=${card.getOrderedFields()[i]}`).join(' | '));
  }
}

const cur = await readAnkiPackage(new Blob([fs.readFileSync(current)]));
out('current:');
listCards(cur.collection);

const reader = new zip.ZipReader(new zip.BlobReader(new Blob([fs.readFileSync(legacy)])));
const entry = (await reader.getEntries()).find((e) => e.filename === 'collection.anki21');
const bytes = await entry.getData(new zip.Uint8ArrayWriter());
out('legacy:');
listCards(await readAnkiCollection(bytes));
console.log(lines.join('\n'));
JS

if ! (cd "$tmp" && node read.mjs current.apkg legacy.apkg >"$tmp/out" 2>"$tmp/err"); then
	echo "not ok 1 - anki-reader sees the stub of a current package"
	echo "not ok 2 - anki-reader reads a legacy collection's notes and cards"
	sed 's/^/# /' "$tmp/err"
	exit 1
fi

failed=0
sed -n '/^current:/,/^legacy:/p' "$tmp/out" | grep '^card' >"$tmp/cur"
if [ "$(wc -l <"$tmp/cur")" -eq 1 ] &&
    grep -q 'Front=Please update to the latest Anki version' "$tmp/cur"; then
	echo "ok 1 - anki-reader sees the stub of a current package"
else
	echo "not ok 1 - anki-reader sees the stub of a current package"
	sed 's/^/# /' "$tmp/out"
	failed=1
fi

cat >"$tmp/want" <<'END'
card 1700000001001 note 1700000001000 deck 1700000000300: Word=chat | Meaning=cat | Example=Le <b>chat</b> dort. | Gender=m | Audio=[sound:chat.mp3]
card 1700000001002 note 1700000001000 deck 1700000000350: Word=chat | Meaning=cat | Example=Le <b>chat</b> dort. | Gender=m | Audio=[sound:chat.mp3]
card 1700000002001 note 1700000002000 deck 1700000000300: Word=maison | Meaning=house | Example= | Gender=f | Audio=
card 1700000003001 note 1700000003000 deck 1: Text={{c1::Paris}} is the capital of {{c2::France}} | Extra=Extra with é and <img src="map.png">
card 1700000003002 note 1700000003000 deck 1: Text={{c1::Paris}} is the capital of {{c2::France}} | Extra=Extra with é and <img src="map.png">
END
sed -n '/^legacy:/,$p' "$tmp/out" | grep '^card' >"$tmp/leg"
if cmp -s "$tmp/want" "$tmp/leg"; then
	echo "ok 2 - anki-reader reads a legacy collection's notes and cards"
else
	echo "not ok 2 - anki-reader reads a legacy collection's notes and cards"
	diff "$tmp/want" "$tmp/leg" | sed 's/^/# /'
	failed=1
fi
exit $failed
