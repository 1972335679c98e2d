#!/bin/sh
# bench_pkgimport.sh BUILDDIR [CARDS] [REVIEWS] - make bench-pkgimport.
#
# `lemma import` of a .colpkg of CARDS notes and cards (default 100,000)
# and REVIEWS review-log rows (default 1,000,000), written by bench_apkg,
# into an empty progress file; and in the same run the floor: sqlite3's
# shell copying the same rows from the decompressed collection into an
# empty progress file's tables with ATTACH and INSERT ... SELECT (the
# review-log triggers fire as for lemma; foreign keys off). The floor is
# given the collection already out of its zip and zstd frames: lemma's
# time includes that. Runs alternate; prints medians, the ratio (target:
# lemma at most 2 times the floor) and lemma's peak RSS (target: 64 MB).
set -eu

builddir=${1:?usage: bench_pkgimport.sh BUILDDIR [CARDS] [REVIEWS]}
cards=${2:-100000}
reviews=${3:-1000000}
runs=${BENCH_RUNS:-3}
work=$builddir/bench/work/pkgimport
lemma=$builddir/src/lemma
mkdir -p "$work"
pkg=$work/bench-$cards-$reviews.colpkg

for tool in sqlite3 unzip zstd; do
	command -v $tool >/dev/null 2>&1 || {
		echo "bench-pkgimport: $tool not found (apt-get install $tool)"
		exit 1
	}
done
test -s "$pkg" || "$builddir/bench/bench_apkg" write "$pkg" --cards "$cards" \
    --reviews "$reviews" >/dev/null
col=$work/collection.anki21b.db
rm -f "$col"
unzip -p "$pkg" collection.anki21b | zstd -dq -o "$col"

timer=
test -x /usr/bin/time && timer=/usr/bin/time
now_ns() { date +%s%N; }

# measure CMD...: "wall-ms cpu-ms peak-KiB".
measure() {
	t0=$(now_ns)
	if test -n "$timer"; then
		$timer -f '%U %S %M' -o "$work/time" "$@" >/dev/null
	else
		"$@" >/dev/null
		echo "0 0 0" >"$work/time"
	fi
	t1=$(now_ns)
	awk -v w="$(( (t1 - t0) / 1000000 ))" '{ printf "%d %d %d\n", w,
	    ($1 + $2) * 1000, $3 }' "$work/time"
}

# An empty progress file, made by lemma itself (an import of nothing).
base=$work/base.db
rm -f "$base" "$base-wal" "$base-shm"
printf '#separator:tab\n' >"$work/empty.txt"
XDG_DATA_HOME=$work/data "$lemma" --db "$base" import "$work/empty.txt" \
    >/dev/null
sqlite3 "$base" 'PRAGMA journal_mode = DELETE' >/dev/null

cat >"$work/floor.sql" <<EOF
PRAGMA foreign_keys = OFF;
ATTACH '$col' AS a;
BEGIN;
INSERT INTO notetypes (id, name, kind, sort_field, css, mtime, original_id)
  SELECT 4 + row_number() OVER (ORDER BY id), 'Basic+' || id, 0, 0, '',
    mtime_secs, id FROM a.notetypes;
INSERT INTO nt_fields (notetype, ord, name)
  SELECT t.id, f.ord, 'F' || f.ord FROM a.fields f JOIN notetypes t
    ON t.original_id = f.ntid;
INSERT INTO nt_templates (notetype, ord, name, qfmt, afmt)
  SELECT t.id, m.ord, 'Card ' || m.ord, '{{F0}}', '{{F1}}' FROM a.templates m
    JOIN notetypes t ON t.original_id = m.ntid;
INSERT INTO decks (name, created) SELECT 'Default', 0
  WHERE NOT EXISTS (SELECT 1 FROM decks WHERE name = 'Default');
INSERT INTO notes (id, guid, notetype, deck_id, fields, sort_field,
    sort_key, tags, is_html, created, modified)
  SELECT n.id, n.guid, t.id, (SELECT id FROM decks WHERE name = 'Default'),
    n.flds, n.sfld, 0, n.tags, 1, n.id / 1000, n.mod
  FROM a.notes n JOIN notetypes t ON t.original_id = n.mid;
INSERT INTO cards (id, note_id, ord, deck_id, state, due, position,
    stability, difficulty, last_review, scheduled_days, step, reps, lapses,
    suspended, buried_until, flag, created, modified)
  SELECT c.id, c.nid, c.ord, (SELECT id FROM decks WHERE name = 'Default'),
    c.type, (SELECT crt FROM a.col) + c.due * 86400, 0,
    json_extract(c.data, '\$.s'), json_extract(c.data, '\$.d'),
    json_extract(c.data, '\$.lrt'), c.ivl, 0, c.reps, c.lapses,
    c.queue = -1, 0, c.flags & 7, c.id / 1000, c.mod
  FROM a.cards c;
INSERT INTO revlog (id, card_id, rating, kind, state, elapsed_days,
    scheduled_days, stability, difficulty, due, answer_ms, prev_state)
  SELECT id, cid, ease, type, 2, lastIvl, ivl, 0, 0, 0, time, 2
  FROM a.revlog ORDER BY cid, id;
COMMIT;
EOF

: >"$work/lemma.ms"; : >"$work/lemma.cpu"; : >"$work/lemma.kb"
: >"$work/floor.ms"; : >"$work/floor.cpu"
i=0
while test $i -lt "$runs"; do
	db=$work/lemma.db
	rm -f "$db" "$db-wal" "$db-shm"
	cp "$base" "$db"
	rm -rf "$work/data"
	set -- $(XDG_DATA_HOME=$work/data measure "$lemma" --db "$db" import \
	    "$pkg")
	echo "$1" >>"$work/lemma.ms"; echo "$2" >>"$work/lemma.cpu"
	echo "$3" >>"$work/lemma.kb"
	echo "lemma import run $i: $1 ms wall, $2 ms CPU, $3 KiB peak"
	fl=$work/floor.db
	rm -f "$fl" "$fl-journal"
	cp "$base" "$fl"
	set -- $(measure sqlite3 "$fl" ".read $work/floor.sql")
	echo "$1" >>"$work/floor.ms"; echo "$2" >>"$work/floor.cpu"
	echo "floor run $i: $1 ms wall, $2 ms CPU"
	i=$((i + 1))
done
test "$(sqlite3 "$work/lemma.db" 'SELECT count(*) FROM revlog')" = "$reviews"
test "$(sqlite3 "$work/floor.db" 'SELECT count(*) FROM revlog')" = "$reviews"

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
range() { sort -n "$1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }'; }
lm=$(median "$work/lemma.ms"); lc=$(median "$work/lemma.cpu")
fm=$(median "$work/floor.ms"); fc=$(median "$work/floor.cpu")
kb=$(sort -n "$work/lemma.kb" | tail -1)
echo "lemma import wall median $lm ms (range $(range "$work/lemma.ms")), cpu median $lc ms"
echo "floor wall median $fm ms (range $(range "$work/floor.ms")), cpu median $fc ms"
echo "ratio wall $(awk -v a="$lm" -v b="$fm" 'BEGIN { printf "%.2f", a / b }')x, cpu $(awk -v a="$lc" -v b="$fc" 'BEGIN { printf "%.2f", a / b }')x; peak RSS $kb KiB"
printf 'RESULT\timport of a %d-card %d-review .colpkg\t%s\tms\t%s\t<=2x\t%s; CPU %s vs %s ms\twall clock; peer: sqlite3 ATTACH + INSERT ... SELECT into lemma tables (collection already decompressed)\n' \
    "$cards" "$reviews" "$lm" "$fm" "$(range "$work/lemma.ms")" "$lc" "$fc"
printf 'RESULT\tpeak RSS, .colpkg import\t%s\tMB\t-\t<64\t%s runs\t%d cards, %d reviews\n' \
    "$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')" "$runs" "$cards" "$reviews"
