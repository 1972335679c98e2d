#!/bin/sh
# run-fuzz.sh NAME SECONDS - build tests/fuzz/fuzz_NAME.c with libFuzzer and
# run it over a copy of tests/fuzz/corpus/NAME for SECONDS seconds.
#
# The target names the core sources it needs in a comment line
#   /* fuzz-sources: src/render/render.c src/base/utf8.c ... */
# (or " * fuzz-sources: ..." inside a block comment) and libraries on a
# "fuzz-libs:" line, so any module can add a target without touching this
# script (fuzz-lib.sh builds it). config.h comes from $LEMMA_BUILDDIR
# (a configured build directory) when set, else from the current directory,
# else a minimal one is written. Needs clang with libFuzzer (clang 14 and
# libclang-rt-14-dev on Debian 12). Prints the number of executions.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 NAME SECONDS" >&2
	exit 2
fi
name=$1
secs=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
src=$top/tests/fuzz/fuzz_$name.c
seeds=$top/tests/fuzz/corpus/$name
[ -f "$src" ] || { echo "$0: no $src" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-$name.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
. "$top/tests/fuzz/fuzz-lib.sh"
[ -n "$CC" ] || { echo "$0: clang not found" >&2; exit 2; }
fuzz_build "$name" "$work/fuzz_$name"

mkdir -p "$work/corpus"
if [ -d "$seeds" ]; then
	cp "$seeds"/* "$work/corpus/" 2>/dev/null || true
fi
echo "fuzz $name: $(ls "$work/corpus" | wc -l) seeds, $secs s"
status=0
"$work/fuzz_$name" -max_total_time="$secs" -print_final_stats=1 \
	-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/" \
	"$work/corpus" > "$work/log" 2>&1 || status=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
if [ "$status" -ne 0 ]; then
	tail -n 60 "$work/log" >&2
	for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
		[ -f "$a" ] || continue
		mkdir -p "$top/tests/fuzz/artifacts"
		cp "$a" "$top/tests/fuzz/artifacts/"
		echo "fuzz $name: kept $(basename "$a") in tests/fuzz/artifacts" >&2
	done
	echo "fuzz $name: FAILED after ${runs:-?} executions" >&2
	exit 1
fi
echo "fuzz $name: ${runs:-?} executions in $secs s, no failures"
