#!/bin/sh
# bench_pkgexport.sh BUILDDIR COLLECTION - make bench-pkgexport, and the
# export's lines of make bench.
#
# Exports COLLECTION (a progress file; bench/gen makes the shared one:
# 100,000 cards, 1,000,000 review-log rows) as a .colpkg with
# `lemma export --format colpkg`, and in the same run has sqlite3's shell
# copy the same rows from lemma's tables into an Anki-schema file (schema
# 11's notes, cards and revlog with their indexes, Anki's DDL) with ATTACH
# and INSERT ... SELECT, journal and syncs off: the floor for "these rows
# into Anki's tables", which neither compresses nor zips. Three runs each,
# alternating; prints the median wall time with the spread and the CPU
# time, the ratio (target: at most 2 times the floor) and lemma's peak RSS
# (target: at most 64 MB) as RESULT lines (bench/README.md).
set -eu

builddir=${1:?usage: bench_pkgexport.sh BUILDDIR COLLECTION}
coll=${2:?usage: bench_pkgexport.sh BUILDDIR COLLECTION}
runs=${BENCH_RUNS:-3}
work=$builddir/bench/work/pkgexport
lemma=$builddir/src/lemma
mkdir -p "$work"
export TZ=UTC LEMMA_NOW=${LEMMA_NOW:-2025-01-01T09:00:00Z}
export XDG_DATA_HOME=$work/data

command -v sqlite3 >/dev/null 2>&1 || {
	echo "bench-pkgexport: sqlite3 (the shell) not found; apt-get install sqlite3"
	exit 1
}
timer=
test -x /usr/bin/time && timer=/usr/bin/time
now_ns() { date +%s%N; }

# measure CMD...: "wall-ms cpu-ms peak-KiB" on stdout.
measure() {
	t0=$(now_ns)
	if test -n "$timer"; then
		$timer -f '%U %S %M' -o "$work/time" "$@" >/dev/null 2>"$work/err"
	else
		"$@" >/dev/null 2>"$work/err"
		echo "0 0 0" >"$work/time"
	fi
	t1=$(now_ns)
	awk -v w="$(( (t1 - t0) / 1000000 ))" '{ printf "%d %d %d\n", w,
	    ($1 + $2) * 1000, $3 }' "$work/time"
}

cat >"$work/floor-schema.sql" <<'END'
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL,
 mid integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL,
 tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL,
 csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL,
 did integer NOT NULL, ord integer NOT NULL, mod integer NOT NULL,
 usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL,
 due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL,
 reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL,
 odue integer NOT NULL, odid integer NOT NULL, flags integer NOT NULL,
 data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL,
 usn integer NOT NULL, ease integer NOT NULL, ivl integer NOT NULL,
 lastIvl integer NOT NULL, factor integer NOT NULL, time integer NOT NULL,
 type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
END
# The same rows, each column from lemma's: ids in ms from the created
# times, the FSRS state as the card's data JSON, a day number for due.
cat >"$work/floor-copy.sql" <<END
PRAGMA journal_mode = off;
PRAGMA synchronous = off;
ATTACH '$coll' AS l;
BEGIN;
INSERT INTO notes SELECT created * 1000 + id % 1000, guid,
  1000000000000 + notetype, modified, -1, tags, fields, sort_field, 0, 0, ''
  FROM l.notes;
INSERT INTO cards SELECT c.created * 1000 + c.id % 1000,
  n.created * 1000 + n.id % 1000, 1000000000000 + c.deck_id, c.ord,
  c.modified, -1, c.state, c.state, c.due / 86400, c.scheduled_days, 0,
  c.reps, c.lapses, 0, 0, 0, c.flag,
  '{"s":' || c.stability || ',"d":' || c.difficulty || '}'
  FROM l.cards c JOIN l.notes n ON n.id = c.note_id;
INSERT INTO revlog SELECT id, card_id, -1, rating, scheduled_days,
  prev_scheduled_days, CAST(difficulty * 100 AS INTEGER), answer_ms, kind
  FROM l.revlog;
COMMIT;
END

run_lemma() {
	rm -f "$work/out.colpkg"
	measure "$lemma" --db "$coll" --quiet export --format colpkg \
	    -o "$work/out.colpkg"
}

run_floor() {
	rm -f "$work/floor.anki2"
	sqlite3 "$work/floor.anki2" <"$work/floor-schema.sql"
	measure sqlite3 "$work/floor.anki2" <"$work/floor-copy.sql"
}

: >"$work/lemma.txt"
: >"$work/floor.txt"
i=0
while test $i -lt "$runs"; do
	run_lemma >>"$work/lemma.txt"
	test -s "$work/out.colpkg" || { cat "$work/err"; exit 1; }
	run_floor >>"$work/floor.txt"
	i=$((i + 1))
done
size=$(wc -c <"$work/out.colpkg")
rows=$(sqlite3 "$work/floor.anki2" "SELECT (SELECT count(*) FROM notes) || ' notes, ' || (SELECT count(*) FROM cards) || ' cards, ' || (SELECT count(*) FROM revlog) || ' review-log rows'")

# median FILE COLUMN; lo/hi FILE COLUMN
median() { cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
lo() { cut -d' ' -f"$2" "$1" | sort -n | head -1; }
hi() { cut -d' ' -f"$2" "$1" | sort -n | tail -1; }

lw=$(median "$work/lemma.txt" 1) lc=$(median "$work/lemma.txt" 2)
fw=$(median "$work/floor.txt" 1) fc=$(median "$work/floor.txt" 2)
rss=$(hi "$work/lemma.txt" 3)
echo "lemma export --format colpkg: wall median $lw ms ($(lo "$work/lemma.txt" 1)-$(hi "$work/lemma.txt" 1)), cpu median $lc ms, peak RSS $rss KiB, $runs runs; $size bytes"
echo "floor (sqlite3 ATTACH + INSERT ... SELECT into Anki's tables): wall median $fw ms ($(lo "$work/floor.txt" 1)-$(hi "$work/floor.txt" 1)), cpu median $fc ms; $rows"
printf 'RESULT\texport of the collection as a .colpkg\t%s\tms\t%s\t<=2x\t%s-%s (%s runs); CPU %s vs %s ms\twall clock, %s; peer: the floor below\n' \
    "$lw" "$fw" "$(lo "$work/lemma.txt" 1)" "$(hi "$work/lemma.txt" 1)" "$runs" "$lc" "$fc" "$rows"
printf 'RESULT\tfloor: sqlite3 shell copying the same rows into Anki tables\t%s\tms\t-\t-\t%s-%s (%s runs); CPU %s ms\tATTACH + INSERT ... SELECT into schema 11 notes, cards, revlog with their indexes; no zstd, no zip\n' \
    "$fw" "$(lo "$work/floor.txt" 1)" "$(hi "$work/floor.txt" 1)" "$runs" "$fc"
printf 'RESULT\tpeak RSS, colpkg export\t%s\tMB\t-\t<=64\t%s runs (the highest)\t%s bytes written\n' \
    "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')" "$runs" "$size"
rm -f "$work/out.colpkg" "$work/floor.anki2"
