#!/bin/sh
# valgrind.sh BUILDDIR - the test programs under valgrind memcheck, for CI.
#
# BUILDDIR is a configured build without sanitizers (valgrind and ASan do
# not mix); its check programs are built first. Then:
#   - every unit test (tests/unit/test_*, tests/fuzz/replay_*) runs under
#     valgrind itself;
#   - the command-line and screen tests run as usual, but every lemma they
#     start runs under valgrind, through a wrapper given as $LEMMA_BIN.
#     (The test programs are only harnesses; lemma is what is checked.)
# Any invalid read or write, use of uninitialised memory, or definite or
# indirect leak fails the run: --error-exitcode, and for lemma, whose exit
# status the tests judge, any report in its valgrind log.
#
# Prints one line per program and ends with "N passed, N failed".
# VALGRIND_SCREEN_TESTS lists the screen tests to include; the default set
# (the CLI, studying, and the reliability tests without kill loops) takes
# about 8 minutes on 2 cores, and "all" (every screen test, 100 kills
# included) about 20.
set -u

if [ $# -ne 1 ] || [ ! -f "$1/Makefile" ]; then
	echo "usage: $0 BUILDDIR (a configured build without sanitizers)" >&2
	exit 2
fi
build=$(cd "$1" && pwd)
if grep -q '^SAN_FLAGS = .*sanitize' "$build/Makefile"; then
	echo "$0: $build is a sanitizer build; valgrind needs a plain one" >&2
	exit 2
fi
command -v valgrind >/dev/null 2>&1 || { echo "$0: valgrind not found" >&2; exit 2; }
src=$(sed -n 's/^abs_top_srcdir = //p' "$build/Makefile")
make -C "$build" -s -j"$(nproc 2>/dev/null || echo 2)" all >/dev/null &&
	make -C "$build" -s -j"$(nproc 2>/dev/null || echo 2)" check TESTS= >/dev/null ||
	{ echo "$0: build failed" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/lemma-valgrind.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
# Without --track-origins, which doubles the time: a run that finds an
# uninitialised value is repeated by hand with it (VALGRIND_EXTRA).
vg="valgrind -q --error-exitcode=97 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect ${VALGRIND_EXTRA:-}"

# lemma under valgrind, each run logging to its own file.
cat > "$work/lemma" <<EOF
#!/bin/sh
exec $vg --log-file="$work/logs/lemma.%p.log" "$build/src/lemma" "\$@"
EOF
chmod +x "$work/lemma"
mkdir -p "$work/logs"
# Tests that run lemma as nobody (test_faults, as root) need to reach the
# wrapper and write their logs.
chmod 755 "$work"
chmod 1777 "$work/logs"

# The environment make check gives the tests (Makefile.am).
export CMOCKA_MESSAGE_OUTPUT=TAP LEMMA_SRCDIR="$src" LEMMA_BUILDDIR="$build"
export LEMMA_DATADIR="$src"
export LEMMA_NOW=2025-01-01T09:00:00Z TZ=UTC ESCDELAY=25
export LEMMA_UNDER_VALGRIND=1	# tests that cannot work under it skip
unset XDG_DATA_HOME XDG_CONFIG_HOME LEMMA_DB NO_COLOR

# A log with anything but valgrind's note about ioctls it has no wrapper for
# (openpty's 0x5441; harmless) is a failure.
log_has_errors() {
	grep -v -e 'noted but unhandled ioctl' -e 'could cause spurious value' \
	    -e 'README_MISSING_SYSCALL_OR_IOCTL' "$1" | grep -q '^==[0-9]*== [^ ]'
}

passed=0
failed=0
report() {	# name status detail
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
		printf 'PASS: %s%s\n' "$1" "$3"
	else
		failed=$((failed + 1))
		printf 'FAIL: %s%s\n' "$1" "$3"
	fi
}

cd "$build" || exit 1
screen=${VALGRIND_SCREEN_TESTS:-tests/screen/test_cli tests/screen/test_screen_study tests/reliability/test_permissions tests/reliability/test_signals tests/reliability/test_hostile tests/reliability/test_faults}
if [ "$screen" = all ]; then
	screen=$(ls tests/screen/test_* tests/reliability/test_* 2>/dev/null |
	    grep -v '\.\(o\|log\|trs\)$')
fi
# The screen tests, one after another, print PASS:/FAIL: lines. They run
# beside the unit tests: a screen test keeps about one core busy (lemma
# under valgrind, the harness waiting on it), so alone it left the other
# idle for minutes.
screen_tests() {
	for t in $screen; do
		[ -x "$t" ] || { printf 'FAIL: %s (not built)\n' "$t"; continue; }
		rm -f "$work"/logs/*
		start=$(date +%s)
		LEMMA_BIN="$work/lemma" "./$t" > "$work/out.log" 2>&1
		status=$?
		runs=$(ls "$work/logs" | wc -l)
		for log in "$work"/logs/*; do
			[ -s "$log" ] && log_has_errors "$log" || continue
			status=1
			sed 's/^/    /' "$log" | head -n 60
		done
		[ "$status" -ne 0 ] && tail -n 30 "$work/out.log" | sed 's/^/    /'
		printf '%s: %s (%s runs of lemma, %s s)\n' \
		    "$([ "$status" -eq 0 ] && echo PASS || echo FAIL)" "$t" "$runs" \
		    "$(($(date +%s) - start))"
	done
}
screen_tests > "$work/screen.out" 2>&1 &
screen_pid=$!

# The unit tests, as many at once as there are cores (under valgrind a
# test runs 30-50 times slower; test_stats alone takes two minutes), each
# into its own files in $work/unit; reported in order afterwards.
mkdir -p "$work/unit"
export vg work build
for t in tests/unit/test_* tests/fuzz/replay_*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	case $t in *.o|*.log|*.trs) continue ;; esac
	echo "$t"
done > "$work/units"
xargs -P "$(nproc 2>/dev/null || echo 2)" -n 1 sh -c '
	n=$(echo "$1" | tr / _)
	start=$(date +%s)
	LEMMA_BIN="$build/src/lemma" $vg --log-file="$work/unit/$n.vg" \
	    "./$1" > "$work/unit/$n.out" 2>&1
	echo $? > "$work/unit/$n.status"
	echo $(($(date +%s) - start)) > "$work/unit/$n.time"
' sh < "$work/units"
while read -r t; do
	n=$(echo "$t" | tr / _)
	status=$(cat "$work/unit/$n.status" 2>/dev/null || echo 1)
	if [ -s "$work/unit/$n.vg" ] && log_has_errors "$work/unit/$n.vg"; then
		status=1
		sed 's/^/    /' "$work/unit/$n.vg" | head -n 60
	fi
	[ "$status" -ne 0 ] && tail -n 20 "$work/unit/$n.out" | sed 's/^/    /'
	report "$t" "$status" " ($(cat "$work/unit/$n.time" 2>/dev/null || echo ?) s)"
done < "$work/units"

wait "$screen_pid"
cat "$work/screen.out"
passed=$((passed + $(grep -c '^PASS: ' "$work/screen.out")))
failed=$((failed + $(grep -c '^FAIL: ' "$work/screen.out")))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
