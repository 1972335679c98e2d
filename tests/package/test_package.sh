#!/bin/sh
# test_package.sh - what a packager relies on, checked on the built program
# (TAP; make check runs it with LEMMA_BIN, LEMMA_SRCDIR and LEMMA_BUILDDIR):
#
#   1. lemma calls nothing that only Linux has (getrandom, unshare, ...)
#      unless configure checked for it (HAVE_NAME in config.h, with a
#      fallback in the code): its undefined symbols, from nm.
#   2. No folder of the build is in the binary: neither the source nor the
#      build folder (an installed lemma must not look there, and two builds
#      in different folders must give the same binary). test_paths checks
#      that the data folder is $(pkgdatadir) or $LEMMA_DATADIR.
#   3. Every file in themes/ and decks/ is in the Makefile's lists of data
#      to install and distribute (mk/package.am lists them by name, since
#      $(wildcard) is GNU make's), and every listed file exists.
set -u

bin=${LEMMA_BIN:?}
src=$(cd "${LEMMA_SRCDIR:?}" && pwd)
build=$(cd "${LEMMA_BUILDDIR:?}" && pwd)
n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=1
	echo "not ok $n - $1"
	shift
	for line in "$@"; do
		printf '# %s\n' "$line"
	done
}

echo "1..3"

# 1. Linux-only calls. nm -u lists them as getrandom@GLIBC_2.25 and the
# like; under the sanitizers the runtime's own references are in the
# binary too, so the sanitizer build is left to the plain one.
if grep -q '^SAN_FLAGS = .*sanitize' "$build/Makefile"; then
	ok "Linux-only calls # not applicable here: a sanitizer build"
elif ! command -v nm >/dev/null 2>&1; then
	ok "Linux-only calls # not applicable here: no nm"
else
	linux_only='getrandom|unshare|umount2|forkpty|openpty|login_tty|pipe2|accept4|epoll_[a-z]*|inotify_[a-z]*|signalfd|eventfd|sendfile|prctl|memfd_create|copy_file_range|syncfs|renameat2'
	found=
	for f in $(nm -u "$bin" | awk '{print $NF}' | sed 's/@.*//' |
	    grep -Ex "$linux_only"); do
		have=HAVE_$(echo "$f" | tr '[:lower:]' '[:upper:]')
		grep -q "^#define $have 1" "$build/config.h" ||
			found="$found $f"
	done
	if [ -z "$found" ]; then
		ok "lemma calls no Linux-only function unchecked"
	else
		not_ok "lemma calls no Linux-only function unchecked" \
		    "$bin calls, with no HAVE_ in config.h:$found"
	fi
fi

# 2. Folders in the binary: its printable runs, as strings(1) shows them,
# that hold either folder. The install prefix is allowed ($(pkgdatadir) is
# compiled in), and make distcheck installs under its source folder.
# AddressSanitizer's descriptions of globals carry the absolute source path
# (GCC 12 does not remap them), so only a plain build, the one that is
# installed, is held to this.
prefix=$(sed -n 's/^prefix = //p' "$build/Makefile")
leaks=
if grep -q '^SAN_FLAGS = .*sanitize' "$build/Makefile"; then
	leaks=sanitizer
else
	LC_ALL=C tr -c '[:print:]' '\n' <"$bin" >"${TMPDIR:-/tmp}/test_package.$$"
	for dir in "$src" "$build"; do
		hits=$(grep -F "$dir" "${TMPDIR:-/tmp}/test_package.$$" |
		    grep -v -F "$prefix/" | head -n 3)
		[ -z "$hits" ] || leaks="$leaks $hits"
	done
	rm -f "${TMPDIR:-/tmp}/test_package.$$"
fi
if [ "$leaks" = sanitizer ]; then
	ok "no build folder in the binary # not applicable here: a sanitizer build"
elif [ -z "$leaks" ]; then
	ok "the binary names neither the source nor the build folder"
else
	not_ok "the binary names neither the source nor the build folder" \
	    "found in $bin:$leaks"
fi

# 3. The data lists. make prints them; MAKEFLAGS from the make check that
# runs us is dropped, so that its -j and jobserver do not leak in.
listed=$(printf 'print-data:\n\t@echo $(dist_theme_DATA) $(dist_deck_DATA)\n' |
    (unset MAKEFLAGS MFLAGS MAKELEVEL
     make -s -C "$build" -f Makefile -f - print-data) 2>&1)
# A listed name is relative to the build folder or, through VPATH, to the
# source folder; both are compared as physical paths.
physical() {
	(cd "$(dirname "$1")" 2>/dev/null && echo "$(pwd -P)/$(basename "$1")")
}
found=
absent=
for f in $listed; do
	case $f in
	/*) p=$f ;;
	*) if [ -e "$build/$f" ]; then p=$build/$f; else p=$src/$f; fi ;;
	esac
	if [ -e "$p" ]; then
		found="$found
$(physical "$p")"
	else
		absent="$absent $f"
	fi
done
missing=
for f in "$src"/themes/* "$src"/decks/*; do
	[ -e "$f" ] || continue
	case "$found
" in
	*"
$(physical "$f")
"*) ;;
	*) missing="$missing ${f#"$src"/}" ;;
	esac
done
if [ -z "$listed" ]; then
	not_ok "themes/ and decks/ match the Makefile's data lists" \
	    "make printed no data lists"
elif [ -n "$missing" ]; then
	not_ok "themes/ and decks/ match the Makefile's data lists" \
	    "in the tree but not listed (add them to mk/package.am):$missing"
elif [ -n "$absent" ]; then
	not_ok "themes/ and decks/ match the Makefile's data lists" \
	    "listed in mk/package.am but not in the tree:$absent"
else
	ok "themes/ and decks/ match the Makefile's data lists"
fi

exit $failed
