#!/bin/sh
# run-all.sh SECONDS - every fuzz target (tests/fuzz/fuzz_*.c) for SECONDS
# each, two at a time, for CI.
#
# Each target is built as fuzz-lib.sh says (clang, libFuzzer, ASan and
# UBSan, the core sources named on its "fuzz-sources:" line, the libraries
# on an optional "fuzz-libs:" line). Before
# fuzzing, the inputs kept in tests/fuzz/regressions/NAME/ (crashes found
# before, and fixed) are replayed, and must all pass. Then libFuzzer runs
# from the seed corpus tests/fuzz/corpus/NAME for SECONDS. A crash, leak,
# timeout or out-of-memory input is saved in tests/fuzz/regressions/NAME/,
# to be fixed and kept as a regression case.
#
# Prints one line per target (executions, executions per second, the
# corpus before and after, new inputs found), then a total, and exits 1
# if any target failed. FUZZ_JOBS sets how many run at once (default 2);
# FUZZ_TARGETS="apkg theme" runs only those.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 SECONDS" >&2
	exit 2
fi
secs=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
jobs=${FUZZ_JOBS:-2}

work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-all.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
. "$top/tests/fuzz/fuzz-lib.sh"
[ -n "$CC" ] || { echo "$0: clang not found (Debian: clang and libclang-rt-N-dev for clang N)" >&2; exit 2; }

# One target: build, replay its regressions, fuzz. Writes $work/NAME.result
# ("ok" or "FAIL why") and $work/NAME.line (the summary line).
fuzz_one() {
	name=$1
	src=$top/tests/fuzz/fuzz_$name.c
	dir=$work/$name
	reg=$top/tests/fuzz/regressions/$name
	mkdir -p "$dir/corpus" "$dir/artifacts"
	echo "FAIL" > "$work/$name.result"

	if ! fuzz_build "$name" "$dir/fuzz" > "$dir/build.log" 2>&1; then
		cat "$dir/build.log" >&2
		echo "fuzz $name: does not build" > "$work/$name.line"
		return
	fi

	nreg=0
	if [ -d "$reg" ] && [ -n "$(ls -A "$reg" 2>/dev/null)" ]; then
		nreg=$(ls "$reg" | wc -l)
		if ! "$dir/fuzz" -runs=1 -timeout=10 -rss_limit_mb=2048 \
		    "$reg"/* > "$dir/replay.log" 2>&1; then
			tail -n 40 "$dir/replay.log" >&2
			echo "fuzz $name: a kept regression input fails again" \
			    > "$work/$name.line"
			return
		fi
	fi

	if [ -d "$top/tests/fuzz/corpus/$name" ]; then
		cp "$top/tests/fuzz/corpus/$name"/* "$dir/corpus/" 2>/dev/null || true
	fi
	seeds=$(ls "$dir/corpus" | wc -l)
	status=0
	"$dir/fuzz" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
	    -rss_limit_mb=2048 -artifact_prefix="$dir/artifacts/" \
	    "$dir/corpus" > "$dir/log" 2>&1 || status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -n 1)
	added=$(sed -n 's/^stat::new_units_added: *//p' "$dir/log" | tail -n 1)
	after=$(ls "$dir/corpus" | wc -l)
	if [ "$status" -ne 0 ]; then
		tail -n 60 "$dir/log" >&2
		mkdir -p "$reg"
		for a in "$dir"/artifacts/*; do
			[ -f "$a" ] || continue
			cp "$a" "$reg/"
			echo "fuzz $name: saved $(basename "$a") in tests/fuzz/regressions/$name" >&2
		done
		echo "fuzz $name: FAILED after ${runs:-?} executions" > "$work/$name.line"
		return
	fi
	echo "ok ${runs:-0}" > "$work/$name.result"
	printf 'fuzz %-9s %10s executions in %s s (%s/s); inputs: %s seeds -> %s in the corpus (%s new); %s regression inputs replayed\n' \
	    "$name" "${runs:-?}" "$secs" "${rate:-?}" "$seeds" "$after" \
	    "${added:-?}" "$nreg" > "$work/$name.line"
}

names=${FUZZ_TARGETS:-$(cd "$top/tests/fuzz" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')}
running=0
for name in $names; do
	fuzz_one "$name" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait

failed=0
total=0
for name in $names; do
	cat "$work/$name.line"
	read -r result runs < "$work/$name.result" || result=FAIL
	if [ "$result" = ok ]; then
		total=$((total + runs))
	else
		failed=$((failed + 1))
	fi
done
echo "fuzz: $(echo $names | wc -w) targets, $total executions, $failed failed"
[ "$failed" -eq 0 ]
