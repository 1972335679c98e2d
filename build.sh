#!/bin/sh
# build.sh - the two quick-start commands.
#
#   ./build.sh run [ARGS]   install what is missing, build, start lemma
#   ./build.sh test         install what is missing, build, run every test
#                           (unit + screen tests, then again under
#                           AddressSanitizer/UBSan, then under valgrind; each
#                           fuzz target for 20 s (FUZZ_SECONDS); make bench-quick; make
#                           distcheck); ends with "N passed, N failed"
#   ./build.sh bench        build and run the benchmarks (make bench)
#   ./build.sh test-unprivileged
#                           as root: the unit tests as an unprivileged user
#                           (part of test)
#
# Builds go to build/ (and build-asan/ for the sanitizer run), out of tree.
set -eu

top=$(cd "$(dirname "$0")" && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)

# Debian packages: the build needs the first line, make check the second
# (and clang's runtime libraries for the fuzzers: install_clang_runtime).
build_pkgs="build-essential autoconf automake pkg-config libncurses-dev libyaml-dev libsqlite3-dev libpcre2-dev libunistring-dev libzip-dev libzstd-dev"
test_pkgs="libcmocka-dev libvterm-dev sqlite3 clang valgrind"

install_missing() {
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "build.sh: installing$missing" >&2
	if [ "$(id -u)" -ne 0 ]; then
		sudo=sudo
	else
		sudo=
	fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
}

# Does clang link a libFuzzer target with ASan? That needs its runtime
# libraries, which are not part of the clang package.
clang_runtime_works() {
	probe=$(mktemp "${TMPDIR:-/tmp}/lemma-rt-probe.XXXXXX")
	printf '%s\n' '#include <stddef.h>' \
	    'int LLVMFuzzerTestOneInput(const unsigned char *d, size_t n);' \
	    'int LLVMFuzzerTestOneInput(const unsigned char *d, size_t n)' \
	    '{ (void)d; (void)n; return 0; }' >"$probe.c"
	clang -fsanitize=fuzzer,address,undefined -o "$probe" "$probe.c" \
	    >/dev/null 2>&1
	rt=$?
	rm -f "$probe" "$probe.c"
	return $rt
}

# Debian packages the runtime by clang's major version (libclang-rt-14-dev
# for clang 14; clang 13 and older had it in libclang-common-N-dev): take
# the one that matches the clang installed, whatever the distribution's
# default is. Nothing to do when it already links.
install_clang_runtime() {
	command -v clang >/dev/null 2>&1 || return 0
	clang_runtime_works && return 0
	major=$(clang --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' |
	    head -n 1)
	tried=
	for p in "libclang-rt-$major-dev" "libclang-common-$major-dev"; do
		[ -n "$major" ] || break
		# Only a package the archive has (a name another package
		# merely mentions shows nothing).
		apt-cache show "$p" 2>/dev/null | grep -q '^Package:' || continue
		install_missing "$p"
		clang_runtime_works && return 0
		tried="$tried $p"
	done
	echo "build.sh: clang ${major:-?} cannot link a fuzz target with its" \
	    "runtime (packages tried:${tried:- none found}); fuzzing will fail" >&2
}

configure_in() {
	dir=$1
	shift
	if [ ! -x configure ] || [ configure.ac -nt configure ] ||
	   [ Makefile.am -nt configure ]; then
		autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
	fi
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ] || [ configure -nt "$dir/Makefile" ]; then
		(cd "$dir" && "$top/configure" -q "$@")
	fi
}

# Count a make check run's results from its test-suite.log summary.
count_results() {
	log=$1/test-suite.log
	[ -f "$log" ] || { echo "0 0"; return; }
	awk '/^# PASS:/ {p=$3} /^# FAIL:/ {f+=$3} /^# ERROR:/ {f+=$3}
	     /^# XPASS:/ {f+=$3} END {print p+0, f+0}' "$log"
}

# The unit tests once more as an unprivileged user. CI runs as root, where
# a file's mode never stops a write: a test of modes or ownership would pass
# for the wrong reason, or not apply. The user (made if missing) builds and
# checks its own copy of the source (building the program and the unit
# tests only, not the screen tests, benchmarks and fuzz replays); prints
# "passed failed". The log is kept as build/unprivileged-test-suite.log.
unprivileged_user=lemmatest
unit_tests_unprivileged() {
	if ! id "$unprivileged_user" >/dev/null 2>&1 &&
	   ! useradd --system --user-group --no-create-home \
	     --shell /usr/sbin/nologin "$unprivileged_user" >&2; then
		echo "build.sh: cannot create the user $unprivileged_user" >&2
		echo "0 1"
		return
	fi
	udir=$(mktemp -d "${TMPDIR:-/tmp}/lemma-unprivileged.XXXXXX")
	tar cf - --exclude=./build --exclude=./build-asan --exclude=./.git \
	    --exclude=./autom4te.cache . | tar xf - -C "$udir"
	mkdir "$udir/build"
	chown -R "$unprivileged_user:" "$udir"
	units=$(printf 'print-unit-tests:\n\t@echo $(unit_tests)\n' |
	    make -s -C build -f Makefile -f - print-unit-tests)
	runuser -u "$unprivileged_user" -- env HOME="$udir" TMPDIR="${TMPDIR:-/tmp}" sh -c '
		cd "$1/build" && ../configure -q --enable-werror &&
		make -j"$2" -s check TESTS="$3" check_PROGRAMS="$3"' \
	    sh "$udir" "$jobs" "$units" \
	    >"$udir/check.out" 2>&1 || tail -n 30 "$udir/check.out" >&2
	if [ -f "$udir/build/test-suite.log" ]; then
		cp "$udir/build/test-suite.log" build/unprivileged-test-suite.log
		set -- $(count_results "$udir/build")
	else
		set -- 0 1
	fi
	[ "$1" -eq 0 ] && [ "$2" -eq 0 ] && set -- 0 1	# nothing ran
	rm -rf "$udir"
	echo "$1 $2"
}

# The tests write thousands of small progress files, each commit synced to
# disk; on a shared CI disk those syncs were a third of the wall time. When
# TMPDIR is not set and /dev/shm is a tmpfs with room (4 GiB), the test
# files go there, in a folder of this run (removed at the end) that the
# unprivileged user can write to as well.
test_tmpdir() {
	[ -z "${TMPDIR:-}" ] || return 0
	[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] || return 0
	free_kb=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 {print $4}')
	[ "${free_kb:-0}" -ge 4194304 ] || return 0
	run_tmp=$(mktemp -d /dev/shm/lemma-test.XXXXXX) || return 0
	chmod 1777 "$run_tmp"
	TMPDIR=$run_tmp
	export TMPDIR
	trap 'rm -rf "$run_tmp"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# The time since the test run began, for each stage's line (a stage took
# the difference from the line before).
took() {
	t=$(($(date +%s) - stage_t0))
	printf '(at %d min %02d s)' $((t / 60)) $((t % 60))
}

cmd=${1:-run}
[ $# -gt 0 ] && shift
case $cmd in
run)
	install_missing $build_pkgs
	configure_in build
	make -C build -j"$jobs" -s
	# Themes and the bundled deck from this tree: the program itself
	# knows only the folder it is installed to.
	LEMMA_DATADIR=$top
	export LEMMA_DATADIR
	exec build/src/lemma "$@"
	;;
test)
	install_missing $build_pkgs $test_pkgs
	install_clang_runtime
	test_tmpdir
	stage_t0=$(date +%s)
	passed=0
	failed=0
	status=0
	configure_in build --enable-werror
	make -C build -j"$jobs" -s check || status=1
	set -- $(count_results build)
	passed=$((passed + $1)); failed=$((failed + $2))
	echo "build.sh: normal build: $1 passed, $2 failed $(took)" >&2

	if [ "$(id -u)" -eq 0 ]; then
		set -- $(unit_tests_unprivileged)
		passed=$((passed + $1)); failed=$((failed + $2))
		echo "build.sh: unit tests as the unprivileged user" \
		    "$unprivileged_user: $1 passed, $2 failed $(took)" >&2
	fi

	# Every test again with ASan and UBSan, but the two kill loops (100
	# and 36 SIGKILLs of lemma, for crash safety, which the normal build
	# has just shown): a kill finds no memory error, and they cost
	# minutes under the sanitizers.
	configure_in build-asan --enable-werror --enable-sanitizers
	asan_tests=$(printf 'print-tests:\n\t@echo $(TESTS)\n' |
	    make -s -C build -f Makefile -f - print-tests | tr ' ' '\n' |
	    grep -v -e '^tests/reliability/test_crash$' \
	        -e '^tests/reliability/test_import_kill$' | tr '\n' ' ')
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		make -C build-asan -j"$jobs" -s check TESTS="$asan_tests" ||
		status=1
	set -- $(count_results build-asan)
	passed=$((passed + $1)); failed=$((failed + $2))
	echo "build.sh: sanitizer build: $1 passed, $2 failed $(took)" >&2

	# valgrind memcheck over the unit tests and the program (plain build).
	# The unit tests, and lemma itself in the CLI and study screen tests
	# (about two minutes); VALGRIND_SCREEN_TESTS=all for every screen test.
	: "${VALGRIND_SCREEN_TESTS:=tests/screen/test_cli tests/screen/test_screen_study}"
	export VALGRIND_SCREEN_TESTS
	if out=$(tests/valgrind.sh build 2>&1); then vg=0; else vg=1; status=1; fi
	printf '%s\n' "$out" | tail -n 40 >&2
	set -- $(printf '%s\n' "$out" | awk '/^[0-9]+ passed, [0-9]+ failed/ {p=$1; f=$3} END {print p+0, f+0}')
	[ "$vg" -ne 0 ] && [ "$2" -eq 0 ] && set -- "$1" 1
	passed=$((passed + $1)); failed=$((failed + $2))
	echo "build.sh: valgrind: $1 passed, $2 failed $(took)" >&2

	# Each fuzz target for FUZZ_SECONDS (20 in CI), two at a time.
	fuzz_secs=${FUZZ_SECONDS:-20}
	if out=$(tests/fuzz/run-all.sh "$fuzz_secs" 2>&1); then fz=0; else fz=1; status=1; fi
	printf '%s\n' "$out" | grep '^fuzz' >&2 || true
	set -- $(printf '%s\n' "$out" | awk '/^fuzz: [0-9]+ targets/ {t=$2; f=$(NF-1)} END {print t-f, f+0}')
	[ "$fz" -ne 0 ] && [ "$2" -eq 0 ] && set -- "$1" 1
	passed=$((passed + $1)); failed=$((failed + $2))
	echo "build.sh: fuzzing ${fuzz_secs}s per target: $1 passed, $2 failed $(took)" >&2

	# The benchmarks at small sizes, so their code does not rot.
	if make -C build -s bench-quick >build/bench-quick.log 2>&1; then
		passed=$((passed + 1))
		echo "build.sh: bench-quick: passed $(took)" >&2
	else
		failed=$((failed + 1)); status=1
		tail -n 30 build/bench-quick.log >&2
		echo "build.sh: bench-quick: FAILED $(took)" >&2
	fi

	# make distcheck: the release tarball builds out of tree from read-only
	# sources, passes make check, installs, uninstalls and cleans up
	# without leftovers. Counted as one test.
	# Inside it, make check runs the unit tests and the screen tests that
	# read the installed data (themes, the bundled deck, the manual); the
	# kill and fault loops already ran above on the same sources.
	units=$(printf 'print-unit-tests:\n\t@echo $(unit_tests)\n' |
	    make -s -C build -f Makefile -f - print-unit-tests)
	if make -C build -j"$jobs" -s distcheck \
	    DISTCHECK_CONFIGURE_FLAGS=--enable-werror \
	    TESTS="$units tests/screen/test_cli tests/screen/test_screen_basic tests/screen/test_screen_study tests/screen/test_screen_themes tests/package/test_package.sh tests/layering.sh" \
	    >build/distcheck.log 2>&1; then
		passed=$((passed + 1))
		echo "build.sh: distcheck: passed $(took)" >&2
	else
		failed=$((failed + 1)); status=1
		grep -A 12 '^FAIL\|^ERROR\|rror' build/distcheck.log | head -n 60 >&2
		tail -n 30 build/distcheck.log >&2
		echo "build.sh: distcheck: FAILED (build/distcheck.log) $(took)" >&2
	fi

	for log in build/test-suite.log build/unprivileged-test-suite.log \
	    build-asan/test-suite.log; do
		if [ -f $log ] && grep -q '^# FAIL: *[1-9]\|^# ERROR: *[1-9]' $log; then
			sed -n '/^FAIL\|^ERROR/,$p' $log | head -200 >&2
		fi
	done
	[ "$failed" -gt 0 ] && status=1
	echo "$passed passed, $failed failed"
	exit $status
	;;
test-unprivileged)
	[ "$(id -u)" -eq 0 ] || { echo "build.sh: test-unprivileged needs root" >&2; exit 2; }
	install_missing $build_pkgs $test_pkgs
	configure_in build --enable-werror
	set -- $(unit_tests_unprivileged)
	echo "$1 passed, $2 failed"
	[ "$2" -eq 0 ]
	;;
bench)
	install_missing $build_pkgs $test_pkgs
	# The ts-fsrs peer needs node and npm; a machine with its own node keeps it.
	command -v npm >/dev/null 2>&1 || install_missing nodejs npm
	configure_in build
	make -C build -j"$jobs" -s
	make -C build bench
	;;
*)
	echo "usage: ./build.sh run [ARGS] | test | test-unprivileged | bench" >&2
	exit 2
	;;
esac
