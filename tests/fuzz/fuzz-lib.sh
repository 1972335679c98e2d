# fuzz-lib.sh - sourced by run-fuzz.sh and run-all.sh: how a fuzz target
# is built, in one place. Needs $top (the source tree) and $work (a
# scratch directory) set; sets $CC and $confdir.
#
# A target tests/fuzz/fuzz_NAME.c names the core sources it needs on a
# "fuzz-sources:" line and any libraries on a "fuzz-libs:" line; it is
# built with clang, libFuzzer, ASan and UBSan.

CC=${FUZZ_CC:-}
if [ -z "$CC" ]; then
	for c in clang clang-14 clang-15 clang-16; do
		if command -v "$c" >/dev/null 2>&1; then CC=$c; break; fi
	done
fi

builddir=${LEMMA_BUILDDIR:-$PWD}
if [ -f "$builddir/config.h" ]; then
	confdir=$builddir
else
	confdir=$work
	printf '#define _GNU_SOURCE 1\n' > "$confdir/config.h"
fi

# fuzz_line SRC KEY: the rest of the first "KEY:" line of SRC.
fuzz_line() {
	sed -n "s/.*$2:\\(.*\\)\$/\\1/p" "$1" | sed 's,\*/,,' | head -n 1
}

# fuzz_build NAME OUT: build target NAME into OUT; compiler output on
# stderr. Fails without a fuzz-sources line or when it does not build.
fuzz_build() {
	fb_src=$top/tests/fuzz/fuzz_$1.c
	fb_sources=$(fuzz_line "$fb_src" fuzz-sources)
	if [ -z "$fb_sources" ]; then
		echo "$fb_src: no fuzz-sources line" >&2
		return 1
	fi
	fb_files=
	for f in $fb_sources; do
		fb_files="$fb_files $top/$f"
	done
	# shellcheck disable=SC2086
	"$CC" -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined -I "$top/include" -I "$confdir" \
	    -o "$2" "$fb_src" $fb_files $(fuzz_line "$fb_src" fuzz-libs)
}
