#!/bin/sh
# bench_import.sh BUILDDIR [N] - make bench-import.
#
# Imports an N-note (default 100,000) TSV deck into an empty progress file
# and, in the same run, has sqlite3's shell `.import` the same rows into a
# bare table (no indexes, rollback journal: the floor for "rows into
# SQLite"). Five runs each, alternating; prints the median with the spread,
# the ratio (target: lemma at most 1.5 times sqlite3) and lemma's peak RSS
# (target: under 64 MB).
#
# A third program marks the floor for lemma's own tables: sqlite3's shell
# reads the rows with .import into a temporary table and copies them into
# an empty progress file's notes and cards (its indexes built as lemma's
# bulk import builds them, random GUIDs as lemma derives them, no
# foreign-key checks, rollback journal as a new file has). What lemma takes
# beyond that is lemma's; what the floor takes beyond the bare table is
# the schema (two tables, six indexes; the sort key, an integer here, is
# random where lemma's is the folded text's first 8 bytes).
#
# lemma is run as `src/lemma --db DB import --deck Bench FILE` when that
# command works, else as bench/bench_import run (import_paths, the call the
# command makes).
set -eu

builddir=${1:?usage: bench_import.sh BUILDDIR [N]}
n=${2:-100000}
runs=${BENCH_RUNS:-5}
work=$builddir/bench/work/import
mkdir -p "$work"
deck=$work/deck.tsv
helper=$builddir/bench/bench_import
lemma=$builddir/src/lemma

command -v sqlite3 >/dev/null 2>&1 || {
	echo "bench-import: sqlite3 (the shell) not found; apt-get install sqlite3"
	exit 1
}
"$helper" gen "$n" "$deck"

# The real command when it is there.
use_cli=no
if "$lemma" --db "$work/probe.db" import --deck Probe "$deck" \
    >/dev/null 2>&1 && test -s "$work/probe.db"; then
	use_cli=yes
fi
rm -f "$work"/probe.db*

timer=
test -x /usr/bin/time && timer=/usr/bin/time

now_ns() { date +%s%N; }

# measure CMD...: "wall-ms cpu-ms peak-KiB" on stdout. CPU time (user +
# system) is shown beside the wall time because a loaded machine (other
# builds on two cores) stretches wall time far more than CPU time.
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

run_lemma() {
	db=$work/lemma-$1.db
	rm -f "$db" "$db-wal" "$db-shm"
	if test $use_cli = yes; then
		measure "$lemma" --db "$db" import --deck Bench "$deck"
	else
		measure "$helper" run "$deck" "$db"
	fi
}

# lemma import with stderr on a terminal (script(1) gives it a pty), so
# that it draws its progress line: what the line costs (issue 21: < 1%).
tty=no
test $use_cli = yes && command -v script >/dev/null 2>&1 && tty=yes
run_lemma_tty() {
	db=$work/lemma-tty-$1.db
	rm -f "$db" "$db-wal" "$db-shm"
	if test -n "$timer"; then
		# lemma's own CPU time, inside the pty: not script's.
		t0=$(now_ns)
		script -qec "$timer -f '%U %S %M' -o '$work/time' '$lemma' --db '$db' import --deck Bench '$deck'" \
		    /dev/null >/dev/null
		t1=$(now_ns)
		awk -v w="$(( (t1 - t0) / 1000000 ))" '{ printf "%d %d %d\n", w,
		    ($1 + $2) * 1000, $3 }' "$work/time"
	else
		measure script -qec "'$lemma' --db '$db' import --deck Bench '$deck'" \
		    /dev/null
	fi
}

run_sqlite() {
	db=$work/sqlite-$1.db
	rm -f "$db" "$db-journal"
	measure sqlite3 "$db" 'CREATE TABLE t (front TEXT, back TEXT, tags TEXT);' \
	    '.mode tabs' ".import --skip 2 $deck t"
}

: >"$work/lemma.ms"
: >"$work/lemma.cpu"
: >"$work/lemma.kb"
: >"$work/sqlite.ms"
: >"$work/sqlite.cpu"
: >"$work/floor.ms"
: >"$work/floor.cpu"
: >"$work/tty.ms"
: >"$work/tty.cpu"

# The floor's empty progress file, made by lemma itself.
floor_base=$work/floor-base.db
rm -f "$floor_base" "$floor_base-wal" "$floor_base-shm"
floor=no
# (check no longer makes a file, issue 14: an import of nothing does.)
printf '#separator:tab\n' >"$work/empty.txt"
if "$lemma" --db "$floor_base" import "$work/empty.txt" >/dev/null 2>&1 &&
    sqlite3 "$floor_base" 'PRAGMA journal_mode = DELETE' >/dev/null; then
	floor=yes
	cat >"$work/floor.sql" <<EOF
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TEMP TABLE t (front TEXT, back TEXT, tags TEXT);
.mode tabs
.import --skip 2 $deck t
INSERT INTO decks (name, created) VALUES ('Bench', 0);
DROP INDEX notes_first_field;
DROP INDEX notes_sort;
INSERT INTO notes (guid, notetype, deck_id, fields, sort_field, tags,
    created, modified, sort_key)
  SELECT hex(randomblob(5)), 0, (SELECT id FROM decks WHERE name = 'Bench'),
    front || char(31) || back, trim(front), ' ' || tags || ' ', 0, 0,
    random() >> 1
  FROM temp.t;
INSERT INTO cards (note_id, ord, deck_id, position, created, modified)
  SELECT id, 0, deck_id, id, 0, 0 FROM notes ORDER BY id;
CREATE INDEX notes_first_field ON notes (sort_field, notetype);
CREATE INDEX notes_sort ON notes (sort_key);
COMMIT;
EOF
fi

run_floor() {
	db=$work/floor-$1.db
	rm -f "$db" "$db-journal"
	cp "$floor_base" "$db"
	measure sqlite3 "$db" <"$work/floor.sql"
}

i=1
while test $i -le $runs; do
	set -- $(run_lemma $i)
	echo "$1" >>"$work/lemma.ms"
	echo "$2" >>"$work/lemma.cpu"
	echo "$3" >>"$work/lemma.kb"
	if test $tty = yes; then
		set -- $(run_lemma_tty $i)
		echo "$1" >>"$work/tty.ms"
		echo "$2" >>"$work/tty.cpu"
	fi
	set -- $(run_sqlite $i)
	echo "$1" >>"$work/sqlite.ms"
	echo "$2" >>"$work/sqlite.cpu"
	if test $floor = yes; then
		set -- $(run_floor $i)
		echo "$1" >>"$work/floor.ms"
		echo "$2" >>"$work/floor.cpu"
	fi
	i=$((i + 1))
done

# Check both hold every row.
rows_l=$(sqlite3 "$work/lemma-1.db" 'SELECT count(*) FROM notes')
rows_s=$(sqlite3 "$work/sqlite-1.db" 'SELECT count(*) FROM t')

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
lo() { sort -n "$1" | head -1; }
hi() { sort -n "$1" | tail -1; }

ml=$(median "$work/lemma.ms")
ms=$(median "$work/sqlite.ms")
cl=$(median "$work/lemma.cpu")
cs=$(median "$work/sqlite.cpu")
kb=$(sort -n "$work/lemma.kb" | tail -1)
size=$(wc -c <"$deck")

echo "bench-import: $n notes, $((size / 1024)) KiB of TSV, $runs runs each" \
    "(lemma via $(test $use_cli = yes && echo 'src/lemma import' || echo 'bench/bench_import run'))"
printf '  lemma import     wall median %5d ms (min %d, max %d), cpu median %5d ms (min %d, max %d), rows %s\n' \
    "$ml" "$(lo "$work/lemma.ms")" "$(hi "$work/lemma.ms")" \
    "$cl" "$(lo "$work/lemma.cpu")" "$(hi "$work/lemma.cpu")" "$rows_l"
if test $tty = yes; then
	mt=$(median "$work/tty.ms")
	ct=$(median "$work/tty.cpu")
	rows_t=$(sqlite3 "$work/lemma-tty-1.db" 'SELECT count(*) FROM notes')
	printf '  lemma import on a terminal (progress line) wall median %5d ms (min %d, max %d), cpu median %5d ms, rows %s\n' \
	    "$mt" "$(lo "$work/tty.ms")" "$(hi "$work/tty.ms")" "$ct" "$rows_t"
	awk -v t="$mt" -v l="$ml" -v ct="$ct" -v cl="$cl" 'BEGIN {
		printf "  progress line: wall %+.1f%%, cpu %+.1f%% against the run without a terminal (target < 1%%; cpu is that of lemma alone in both)\n",
		    (t - l) * 100 / l, (cl > 0 ? (ct - cl) * 100 / cl : 0)
	}'
fi
printf '  sqlite3 .import  wall median %5d ms (min %d, max %d), cpu median %5d ms (min %d, max %d), rows %s\n' \
    "$ms" "$(lo "$work/sqlite.ms")" "$(hi "$work/sqlite.ms")" \
    "$cs" "$(lo "$work/sqlite.cpu")" "$(hi "$work/sqlite.cpu")" "$rows_s"
if test $floor = yes; then
	mf=$(median "$work/floor.ms")
	cf=$(median "$work/floor.cpu")
	rows_f=$(sqlite3 "$work/floor-1.db" 'SELECT count(*) FROM cards')
	printf '  sqlite3 into lemma tables wall median %5d ms (min %d, max %d), cpu median %5d ms (min %d, max %d), rows %s\n' \
	    "$mf" "$(lo "$work/floor.ms")" "$(hi "$work/floor.ms")" \
	    "$cf" "$(lo "$work/floor.cpu")" "$(hi "$work/floor.cpu")" "$rows_f"
	awk -v l="$ml" -v f="$mf" -v s="$ms" 'BEGIN {
		printf "  floor: lemma tables take %.2f times the bare table; lemma takes %.2f times the floor (target <= 1.10: %s)\n", f / s, l / f, l / f <= 1.10 ? "met" : "MISSED"
	}'
fi
awk -v l="$ml" -v s="$ms" -v cl="$cl" -v cs="$cs" -v kb="$kb" 'BEGIN {
	r = l / s
	c = cs > 0 ? cl / cs : 0
	printf "  against the bare table: wall %.2f, cpu %.2f (the target is the floor above); peak RSS %.1f MB (target < 64: %s)\n",
	    r, c, kb / 1024, kb < 65536 ? "met" : "MISSED"
}'
