#!/bin/sh
# bench/run.sh - run every benchmark once, side by side with its peer, and
# write the table (make bench, make bench-quick).
#
#   run.sh [--builddir DIR] [--srcdir DIR] [--quick] [--out FILE]
#
# Builds the shared collection once with bench/gen (cached in
# BUILDDIR/bench/work, keyed by seed, sizes and the generator binary), runs
# each benchmark program one after another (never in parallel: they time
# things), collects their RESULT lines (bench/README.md) or, for a program
# that does not print them yet, reads its own output, and writes the table
# with the machine it ran on: SRCDIR/bench/results.md, or with --quick
# (BENCH_QUICK=1) a small run into BUILDDIR/bench/results-quick.md.
#
# Environment: BENCH_QUICK, BENCH_SEED (1), BENCH_CARDS, BENCH_REVIEWS,
# BENCH_DECKS (49), BENCH_OUT, BENCH_COMMAND (the command to print),
# CC (the compiler to name), BENCH_TIMEOUT (seconds per program, 600).
set -u

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(pwd)
quick=${BENCH_QUICK:-0}
out=${BENCH_OUT:-}

while test $# -gt 0; do
	case $1 in
	--builddir) builddir=$2; shift 2 ;;
	--srcdir) srcdir=$2; shift 2 ;;
	--quick) quick=1; shift ;;
	--out) out=$2; shift 2 ;;
	*) echo "usage: run.sh [--builddir DIR] [--srcdir DIR] [--quick] [--out FILE]" >&2
	   exit 2 ;;
	esac
done
test "$quick" = 0 || quick=1

seed=${BENCH_SEED:-1}
decks=${BENCH_DECKS:-49}
limit=${BENCH_TIMEOUT:-600}
if test $quick = 1; then
	cards=${BENCH_CARDS:-2000}
	reviews=${BENCH_REVIEWS:-20000}
	runs=1 tui_runs=1 tui_steps=10 fsrs_runs=1
	test -n "$out" || out=$builddir/bench/results-quick.md
else
	cards=${BENCH_CARDS:-100000}
	reviews=${BENCH_REVIEWS:-1000000}
	runs= tui_runs=11 tui_steps=100 fsrs_runs=5
	test -n "$out" || out=$srcdir/bench/results.md
fi

bin=$builddir/bench
work=$builddir/bench/work
logs=$work/logs
results=$work/results.tsv
notes=$work/notes.txt
nodedir=$builddir/bench/node
mkdir -p "$work" "$logs" || exit 1
: >"$results"
: >"$notes"
: >"$work/data.tsv"
export TZ=UTC LEMMA_NOW=2025-01-01T09:00:00Z
# Themes and the bundled deck from the source tree, as in make check: the
# program knows only its installed data folder.
LEMMA_DATADIR=$srcdir
export LEMMA_DATADIR

say() { printf '%s\n' "$*"; }
# data NAME TEXT: what benchmark NAME ran on, for the table's data column.
data() { printf '%s\t%s\n' "$1" "$2" >>"$work/data.tsv"; }
note() { printf -- '- %s\n' "$*" >>"$notes"; }

# A timer that works in dash: milliseconds since the epoch.
ms_now() { date +%s%3N; }

# ---- the machine ---------------------------------------------------------------

date_utc=$(date -u '+%Y-%m-%d %H:%M UTC')
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
test -n "$cpu" || cpu=$(uname -m)
ncpu=$(nproc 2>/dev/null || echo '?')
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
kernel=$(uname -srm)
cc_version=$(${CC:-cc} --version 2>/dev/null | head -1)
sqlite_version=$(sqlite3 --version 2>/dev/null | cut -d' ' -f1)
test -n "$sqlite_version" || sqlite_version="(no sqlite3 shell)"
node_version=$(node --version 2>/dev/null || echo "not installed")
fs=$(df -T "$work" 2>/dev/null | awk 'NR == 2 { print $2 }')
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
command=${BENCH_COMMAND:-"sh bench/run.sh"}
t_all=$(ms_now)

say "bench: $cpu, $ncpu cores, $mem, $kernel"
say "bench: $cards cards, $reviews reviews, seed $seed$(test $quick = 1 && echo ' (quick)')"

# ---- running one benchmark ----------------------------------------------------

# run NAME CMD...: run CMD with a time limit, output into logs/NAME.log;
# keep its RESULT lines, tagged with NAME.
run() {
	name=$1
	shift
	log=$logs/$name.log
	say "bench: $name ..."
	t0=$(ms_now)
	if command -v timeout >/dev/null 2>&1; then
		timeout "$limit" "$@" >"$log" 2>&1
	else
		"$@" >"$log" 2>&1
	fi
	status=$?
	secs=$(( ($(ms_now) - t0) / 1000 ))
	grep '^RESULT	' "$log" | sed "s/\$/	$name/" >"$work/$name.result"
	# Pad a line without the optional note field to 9 fields.
	awk -F'\t' 'BEGIN { OFS = "\t" } NF == 8 { $9 = $8; $8 = "" } { print }' \
	    "$work/$name.result" >>"$results"
	if test $status -ne 0; then
		note "$name exited with status $status after ${secs} s (log: bench/work/logs/$name.log; last line: $(tail -1 "$log" | tr -d '\t'))"
		say "bench: $name: exit status $status (see $log)"
	fi
	say "bench: $name done in ${secs} s"
	return $status
}

# parsed NAME: whether NAME printed RESULT lines itself.
printed_results() { test -s "$work/$1.result"; }

# emit NAME METRIC VALUE UNIT PEER TARGET SPREAD NOTE: one figure read
# from a program's own output.
emit() {
	printf 'RESULT\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$2" "$3" "$4" "$5" \
	    "$6" "$7" "$8" "$1" >>"$results"
}

# ---- the shared collection -----------------------------------------------------

gensum=$(cksum <"$bin/gen" | cut -d' ' -f1)
key=s$seed-c$cards-r$reviews-d$decks-g$gensum
coll=$work/collection-$key.db
tsv=$work/collection-$key.tsv
if test -s "$coll" && test -s "$coll.ok"; then
	say "bench: reusing $coll"
	cp "$coll.ok" "$logs/gen.log"
	data gen "-"
	grep '^RESULT	' "$coll.ok" | sed 's/$/ (cached: generated by an earlier run)	gen/' >>"$results"
else
	# Drop an older generator's file of the same size; keep other sizes.
	rm -f "$work"/collection-s$seed-c$cards-r$reviews-d$decks-g*
	data gen "-"
	run gen "$bin/gen" --cards "$cards" --reviews "$reviews" --seed "$seed" \
	    --decks "$decks" --db "$coll" --tsv "$tsv" || {
		say "bench: the generator failed; see $logs/gen.log"
		exit 1
	}
	cp "$logs/gen.log" "$coll.ok"
fi
gen_summary=$(grep '^gen:' "$logs/gen.log")
rows=$(sed -n 's/^gen: \([0-9][0-9]*\) review-log rows.*/\1/p' "$logs/gen.log")
test -n "$rows" || rows=$reviews

# A private copy per benchmark that writes (grades, indexes), so the
# cached file stays as generated.
copy() {
	rm -f "$2" "$2-wal" "$2-shm"
	rm -rf "$2.xdg"
	cp "$coll" "$2"
}

# ---- the full-screen program: start, keys, bytes, memory -----------------------

copy "$coll" "$work/tui.db"
rm -f "$work/tui-bundled.db" "$work/tui-bundled.db-wal" "$work/tui-bundled.db-shm"
rm -rf "$work/tui-bundled.db.xdg"
data tui "collection"
# Study "Computing" (about 200 reviews due today) when the tree has it.
tui_deck=
test "$decks" -lt 26 || tui_deck=Computing
run tui "$bin/bench_tui" --lemma "$builddir/src/lemma" --db "$work/tui.db" \
    --bundled-db "$work/tui-bundled.db" ${tui_deck:+--deck $tui_deck} \
    --runs "$tui_runs" --steps "$tui_steps"
rm -rf "$work/tui.db" "$work/tui.db-wal" "$work/tui.db-shm" "$work/tui.db.xdg" \
    "$work/backups"

# ---- the browser: search, first page, scrolling ------------------------------

if test "$cards" -eq 100000; then
	copy "$coll" "$work/search.db"
	search_db=$work/search.db
	data search "collection"
else
	# bench_search regenerates any file that does not hold exactly
	# 100,000 cards; let it keep its own.
	search_db=$work/search-own.db
	data search "own file, 100000 cards"
	note "bench_search: on its own 100,000-card file (it takes no other size yet)."
fi
run search "$bin/bench_search" "$search_db"
if ! printed_results search; then
	# "first page  WALL ms  [CPU cpu]  QUERY  [sort] SORT  FOUND"
	awk '
	/^  first page/ || /^  scroll/ {
		line = $0
		scroll = line ~ /^  scroll/
		sub(/^  (first page|scroll) +/, "", line)
		ms = line; sub(/ ms.*/, "", ms)
		sub(/^[0-9.]+ ms +/, "", line)
		cpu = "-"
		if (line ~ /^[0-9.]+ cpu/) {
			cpu = line; sub(/ cpu.*/, "", cpu)
			sub(/^[0-9.]+ cpu +/, "", line)
		}
		if (scroll) {
			printf "RESULT\tbrowser scroll, a page: %s\t%s\tms\t-\t<5\tCPU %s ms\tmedian over pages across the result\tsearch\n", last, ms, cpu
			next
		}
		n = split(line, a, / +/)
		q = ""
		for (i = 1; i <= n - 2; i++)
			if (!(i == n - 2 && a[i] == "sort"))
				q = q (q == "" ? "" : " ") a[i]
		last = q ", sort " (a[n - 1] == "sort" ? "field" : a[n - 1])
		printf "RESULT\tbrowser first page: %s\t%s\tms\t-\t<50\tCPU %s ms\tmedian of the runs; %s found\tsearch\n", last, ms, cpu, a[n]
	}' "$logs/search.log" >>"$results"
fi
rm -f "$work/search.db" "$work/search.db-wal" "$work/search.db-shm"

# ---- statistics --------------------------------------------------------------------

stats_db=
if command -v sqlite3 >/dev/null 2>&1; then
	# Two shims until bench_stats takes a file and a deck as they are:
	# it reuses a file only when it carries its own mark, and its
	# per-deck cases name a deck "Lang"; so a copy of the shared
	# collection gets the mark and "Languages" is renamed "Lang".
	copy "$coll" "$work/stats.db"
	sqlite3 "$work/stats.db" "INSERT OR REPLACE INTO settings (key, value) VALUES ('bench_stats', '$cards $rows'); UPDATE decks SET name = 'Lang' || substr(name, 10) WHERE name = 'Languages' OR name LIKE 'Languages::%'" &&
	    stats_db=$work/stats.db
fi
if test -n "$stats_db"; then
	data stats "collection"
	note "bench_stats: on a copy of the shared collection with its bench_stats mark (else it generates its own file) and the deck Languages renamed Lang (its per-deck cases name that deck: Lang is a fifth of the cards here)."
	run stats "$bin/bench_stats" --db "$stats_db" --cards "$cards" \
	    --reviews "$rows" ${runs:+--runs $runs}
else
	data stats "own file"
	note "bench_stats: on its own generated file (no sqlite3 shell to mark the shared one)."
	run stats "$bin/bench_stats" --cards "$cards" --reviews "$reviews" \
	    ${runs:+--runs $runs}
fi
if ! printed_results stats; then
	# "stats NAME cpu median C ms (min A, max B), wall median W ms, N runs
	# [OVER BUDGET | (budget 150 ms)]", or the older "stats NAME median
	# W ms (min A, max B, N runs)". The figure is the wall clock.
	awk '
	function after(line, key,    v) {
		if (!match(line, key " *[0-9.]+")) return ""
		v = substr(line, RSTART, RLENGTH); sub(/.*[^0-9.]/, "", v); return v
	}
	/^stats / {
		line = $0; sub(/^stats +/, "", line)
		name = line; sub(/ +(cpu median|median) .*/, "", name)
		lo = after(line, "\\(min"); hi = after(line, "max")
		n = line; sub(/ runs.*/, "", n); sub(/.*[^0-9]/, "", n)
		if (line ~ / cpu median /) {
			v = after(line, "wall median"); cpu = after(line, "cpu median")
			t = line ~ /OVER BUDGET|budget 150/ ? "<150" : "-"
			sp = "CPU " cpu " (" lo "-" hi "), " n " runs"
		} else {
			v = after(line, "median"); t = "<150"
			sp = lo "-" hi " (" n " runs)"
		}
		printf "RESULT\tall statistics: %s\t%s\tms\t-\t%s\t%s\twall clock\tstats\n", name, v, t, sp
	}' "$logs/stats.log" >>"$results"
fi
rm -f "$work/stats.db" "$work/stats.db-wal" "$work/stats.db-shm"

# ---- today's queue ----------------------------------------------------------------

data queue "own file, $cards cards"
note "bench_queue: on its own synthetic file of $cards cards (it rebuilds any file it is given)."
run queue "$bin/bench_queue" --cards "$cards" ${runs:+--runs $runs}
if ! printed_results queue; then
	awk '
	/ ms median / {
		name = $0
		sub(/^ +/, "", name); sub(/ +[0-9.]+ ms median.*/, "", name)
		ms = $0; sub(/ ms median.*/, "", ms); sub(/.* /, "", ms)
		sp = $0; sub(/.*median \(/, "", sp); sub(/\).*/, "", sp)
		sub(/\.\./, "-", sp)
		cpu = $0; sub(/.*CPU /, "", cpu)
		t = name ~ /study_open/ ? "<20" : "-"
		printf "RESULT\tqueue: %s\t%s\tms\t-\t%s\t%s\tCPU %s\tqueue\n", name, ms, t, sp, cpu
	}' "$logs/queue.log" >>"$results"
fi

# ---- the renderer ------------------------------------------------------------------

data render "own fields"
note "bench_render: its own fields (the bundled deck's backs and LaTeX), 100,000 of each kind."
run render "$bin/bench_render"
if ! printed_results render; then
	awk '
	/^render .*us\/field/ {
		name = $0; sub(/^render /, "", name); sub(/:.*/, "", name)
		us = $0; sub(/^[^:]*: /, "", us); sub(/ us.*/, "", us)
		sp = $0; sub(/.*spread /, "", sp); sub(/\).*/, "", sp)
		t = name ~ /plain/ ? "<2" : name ~ /display/ ? "<20" : "-"
		printf "RESULT\trenderer: %s\t%s\tus\t-\t%s\t%s\tper field\trender\n", name, us, t, sp
	}' "$logs/render.log" >>"$results"
fi

# ---- the scheduler, against ts-fsrs on Node -----------------------------------------

have_tsfsrs=no
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
	if test -d "$nodedir/node_modules/ts-fsrs" ||
	    npm install --no-audit --no-fund --prefix "$nodedir" ts-fsrs@5.4.2 \
	    >"$logs/npm.log" 2>&1; then
		have_tsfsrs=yes
	else
		note "ts-fsrs: npm install failed (bench/work/logs/npm.log): the scheduler replay runs lemma's half only."
	fi
else
	note "ts-fsrs: no node/npm on this machine: the scheduler replay runs lemma's half only."
fi
data fsrs "own sequence"
note "bench_fsrs: its own seeded sequence of $reviews reviews (not the shared review log)."
if test $have_tsfsrs = yes; then
	run fsrs "$bin/bench_fsrs" --reviews "$reviews" --runs "$fsrs_runs" \
	    --out "$work/fsrs-replay.bin" --node "$srcdir/bench/fsrs-replay.mjs" \
	    --node-modules "$nodedir"
else
	run fsrs "$bin/bench_fsrs" --reviews "$reviews" --runs "$fsrs_runs" \
	    --out "$work/fsrs-replay.bin"
fi
if ! printed_results fsrs; then
	awk -v n="$reviews" '
	function rate(line) { sub(/^[^:]*: +/, "", line); sub(/ rev\/s.*/, "", line); return line }
	function spread(line) { if (!match(line, /rev\/s \([^)]*\)/)) return "-"; line = substr(line, RSTART + 7, RLENGTH - 8); sub(/\.\./, "-", line); return line }
	/lemma, ts-fsrs rules:/ { c = rate($0); cs = spread($0) }
	/lemma, Anki rules:/ { a = rate($0); as = spread($0) }
	/ts-fsrs [0-9.]+ \(Node\):/ { p = rate($0); ps = spread($0); same = $0 ~ /same results/ ? "same results as lemma" : "RESULTS DIFFER" }
	END {
		if (a == "" && c == "") exit
		v = a; s = as; w = "Anki rules"
		if (c != "" && (a == "" || c + 0 < a + 0)) { v = c; s = cs; w = "ts-fsrs rules" }
		printf "RESULT\tscheduler replay of %d reviews\t%s\trev/s\t%s\t>=20x\t%s\tslower of lemma'"'"'s two modes (%s); peer: ts-fsrs 5.4.2 on Node %s%s\tfsrs\n", n, v, p == "" ? "-" : p, s, w, p == "" ? "not run" : ps, same == "" ? "" : ", " same
	}' "$logs/fsrs.log" >>"$results"
fi

# ---- the FSRS optimizer, against fsrs-rs (the npm binding) ------------------------

have_binding=no
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
	if test -d "$nodedir/node_modules/@open-spaced-repetition/binding" ||
	    npm install --no-audit --no-fund --prefix "$nodedir" \
	    @open-spaced-repetition/binding@0.5.0 >"$logs/npm-binding.log" 2>&1; then
		have_binding=yes
	else
		note "fsrs-rs binding: npm install failed (bench/work/logs/npm-binding.log): the optimizer runs lemma's half only."
	fi
else
	note "fsrs-rs binding: no node/npm on this machine: the optimizer runs lemma's half only."
fi
data optim "shared collection's review log"
if test $have_binding = yes; then
	run optim "$bin/bench_optim" --db "$coll" --work "$work" \
	    --node "$srcdir/bench/optim-oracle.cjs" \
	    --node-modules "$nodedir/node_modules"
else
	run optim "$bin/bench_optim" --db "$coll"
fi

# The workload simulator's sweep, one thread and two (no data needed).
run simulate "$bin/bench_simulate"

# ---- import, against sqlite3 .import ------------------------------------------------

data import "own TSV, $cards notes"
note "bench_import.sh: its own $cards-note TSV (it takes no file yet; the shared one is $(basename "$tsv"))."
BENCH_RUNS=${runs:-5}
export BENCH_RUNS
run import sh "$srcdir/bench/bench_import.sh" "$builddir" "$cards"
if ! printed_results import; then
	awk -v n="$cards" '
	function num(line, key) { if (!match(line, key " +[0-9.]+")) return ""; line = substr(line, RSTART, RLENGTH); sub(/.* /, "", line); return line }
	function mm(line) { if (!match(line, /\(min [0-9.]+, max [0-9.]+\)/)) return "-"; line = substr(line, RSTART + 5, RLENGTH - 6); sub(/, max /, "-", line); return line }
	/lemma import +wall/ { l = num($0, "median"); ls = mm($0); lc = num($0, "cpu median") }
	/lemma import on a terminal/ { t = num($0, "median"); tc = num($0, "cpu median") }
	/sqlite3 \.import/ { s = num($0, "median"); sc = num($0, "cpu median") }
	/sqlite3 into lemma tables/ { f = num($0, "median"); fs = mm($0); fc = num($0, "cpu median") }
	/peak RSS/ { r = num($0, "peak RSS") }
	END {
		if (l != "")
			printf "RESULT\timport of a %d-note TSV\t%s\tms\t%s\t<=1.1x\t%s%s\twall clock; peer: the floor below (sqlite3 .import into a bare table: %s ms)\timport\n", n, l, f == "" ? "-" : f, ls, lc == "" ? "" : "; CPU " lc " vs " fc " ms", s == "" ? "-" : s
		if (t != "")
			printf "RESULT\timport with its progress line on a terminal\t%s\tms\t%s\t<1%% more\tCPU %s vs %s ms\tlemma under script(1), stderr a pty, CPU of lemma alone; peer: the same import without a terminal\timport\n", t, l, tc, lc
		if (f != "")
			printf "RESULT\tfloor: sqlite3 shell writing the same rows into lemma tables\t%s\tms\t%s\t-\t%s; CPU %s ms\tits own .import into a temporary table, then INSERT ... SELECT into an empty progress file, indexes as lemma builds them: what any import into this schema costs\timport\n", f, s == "" ? "-" : s, fs, fc
		if (r != "")
			printf "RESULT\tpeak RSS, import\t%s\tMB\t-\t<64\t1 run\t%d notes\timport\n", r, n
	}' "$logs/import.log" >>"$results"
fi

# ---- Anki package import, against sqlite3 ATTACH + INSERT ... SELECT --------------

data pkgimport "own .colpkg, $cards cards, $reviews reviews"
run pkgimport sh "$srcdir/bench/bench_pkgimport.sh" "$builddir" "$cards" \
    "$reviews"

# ---- export as an Anki package, against sqlite3 INSERT ... SELECT ---------------------

data pkgexport "collection"
note "bench_pkgexport.sh: the shared collection exported as a .colpkg; the floor copies the same rows into Anki's schema-11 tables with the sqlite3 shell (ATTACH + INSERT ... SELECT), without zstd or zip."
run pkgexport sh "$srcdir/bench/bench_pkgexport.sh" "$builddir" "$coll"

# ---- the table --------------------------------------------------------------------------

load_end=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
total_s=$(( ($(ms_now) - t_all) / 1000 ))

# Fields of results.tsv: RESULT metric value unit peer target spread note source
table() {
	awk -F'\t' -v md="$1" '
	function fmt(v, u) {
		if (v == "" || v == "-") return "-"
		return v " " u
	}
	FNR == NR { src[$1] = $2; next }
	function check(t, v, r,    op, x) {
		if (t == "" || t == "-") return "-"
		op = t; sub(/[0-9.]+x?$/, "", op)
		x = t; sub(/^[<>=]+/, "", x)
		if (x ~ /x$/) { if (r == "") return "no peer"; sub(/x$/, "", x); v = r }
		if (v == "" || v == "-") return "-"
		v += 0; x += 0
		if (op == "<") ok = v < x
		else if (op == "<=") ok = v <= x
		else if (op == ">") ok = v > x
		else if (op == ">=") ok = v >= x
		else return "?"
		return ok ? "met" : "MISSED"
	}
	{
		metric = $2; v = $3; u = $4; p = $5; t = $6; sp = $7; nt = $8
		# A name printed twice (the same query sorted two ways) gets
		# a number, so rows stay distinct.
		if (++seen[metric] > 1)
			metric = metric " #" seen[metric]
		r = ""
		if (p != "" && p != "-" && p + 0 > 0 && v != "" && v != "-")
			r = sprintf("%.2f", v / p)
		st = check(t, v, r)
		d = $9 in src ? src[$9] : "?"
		if (metric ~ /bundled deck/)
			d = "bundled deck"
		if (md) {
			gsub(/\|/, "\\|", metric); gsub(/\|/, "\\|", nt); gsub(/\|/, "\\|", sp)
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", metric,
			    fmt(v, u), fmt(p, u), r == "" ? "-" : r "x", t == "" ? "-" : t,
			    st, sp == "" ? "-" : sp, d, nt == "" ? "-" : nt
		} else
			printf "%-52s %14s %13s %7s %7s %6s  %-22s %s\n", substr(metric, 1, 52),
			    fmt(v, u), fmt(p, u), r == "" ? "-" : r "x", t == "" ? "-" : t, st,
			    substr(d, 1, 22), sp
	}' "$work/data.tsv" "$results"
}

{
	printf '%-52s %14s %13s %7s %7s %6s  %-22s %s\n' metric lemma peer ratio target status data spread
	table 0
} | tee "$work/table.txt"

{
	if test $quick = 1; then
		echo "# lemma benchmarks (quick run: small sizes, one run each; not for comparison)"
	else
		echo "# lemma benchmarks"
	fi
	echo
	echo "Written by \`$command\` ($(basename "$0") in bench/) on $date_utc, in $total_s s."
	echo "Each timing is the median of repeated runs, with the spread (fastest-slowest"
	echo "run, or the p99) beside it; the ratio is lemma / peer; targets are the issues'."
	echo "Run on a shared machine, the figures are only as quiet as its load average"
	echo "below. bench/README.md says what each figure measures and how to read the log."
	echo
	echo "## Machine"
	echo
	echo "- CPU: $cpu; $ncpu cores (\`nproc\`)"
	echo "- Memory: $mem"
	echo "- Kernel: $kernel"
	echo "- Compiler: $cc_version"
	echo "- SQLite shell: $sqlite_version; Node: $node_version; ts-fsrs: $(test $have_tsfsrs = yes && echo 5.4.2 || echo 'not installed')"
	echo "- File system of the work directory: ${fs:-?}"
	echo "- Load average (1, 5, 15 min) at the start: $load_start; at the end: $load_end"
	echo "- Command: \`$command\` (\`sh bench/run.sh$(test $quick = 1 && echo ' --quick')\` in the build directory); seed $seed, $cards cards, $reviews reviews, $decks decks"
	echo
	echo "## The collection"
	echo
	echo '```'
	echo "$gen_summary"
	echo '```'
	echo
	echo "## Results"
	echo
	echo "| metric | lemma | peer | ratio | target | status | spread | data | notes |"
	echo "|---|---:|---:|---:|---|---|---|---|---|"
	table 1
	echo
	echo "## Notes"
	echo
	cat "$notes"
} >"$out"
say "bench: wrote $out ($total_s s)"
