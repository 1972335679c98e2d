#!/bin/sh
# layering.sh - make check: calls and includes point down the layers only.
#
# The layers of src/, bottom first (HACKING.md draws them; mk/layers.am
# builds one static library each). A layer may use the layers below it and
# never one above. Two checks per layer, as TAP:
#  - includes: every "lemma/<layer>/..." (or "../<layer>/...") header a
#    file of src/<layer>/ or include/lemma/<layer>/ includes is of its own
#    layer or a lower one; only ui includes curses, panel or term.h; only
#    the db*.c files (store, and query's search runner) include
#    <sqlite3.h>; only base and app include <yaml.h>;
#  - symbols: every symbol a layer's library leaves undefined (nm) that a
#    lemma layer defines is defined in a lower layer or its own. Linking
#    the libraries top first catches most calls upward, but not one that
#    an object already pulled in happens to satisfy: nm catches that too.
# Also: every folder of src/ is a layer, and each layer has its library.
#
# Environment: LEMMA_SRCDIR, LEMMA_BUILDDIR (make check sets both), NM.
LAYERS="base render model store sched formats query app stats ui cli"

srcdir=${LEMMA_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${LEMMA_BUILDDIR:-.}
nm=${NM:-nm}
tmp=${TMPDIR:-/tmp}/layering.$$
mkdir "$tmp" || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

rank() {
	r=0
	for l in $LAYERS; do
		r=$((r + 1))
		if [ "$l" = "$1" ]; then
			echo $r
			return
		fi
	done
	echo 0
}

n=0
failed=0
plan=$(( $(echo $LAYERS | wc -w) * 2 + 1 ))
echo "1..$plan"

result() {	# result OK|FAIL description < diagnostics
	n=$((n + 1))
	if [ "$1" = OK ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		sed 's/^/# /'
		failed=1
	fi
}

# Every folder of src/ is a layer.
: >"$tmp/dirs"
for d in "$srcdir"/src/*/; do
	d=$(basename "$d")
	[ "$(rank "$d")" -gt 0 ] || echo "src/$d is not a layer (tests/layering.sh LAYERS)" >>"$tmp/dirs"
done
if [ -s "$tmp/dirs" ]; then
	result FAIL "every folder of src/ is a layer" <"$tmp/dirs"
else
	result OK "every folder of src/ is a layer" </dev/null
fi

# ---- includes -----------------------------------------------------------
for layer in $LAYERS; do
	me=$(rank "$layer")
	: >"$tmp/bad"
	for f in "$srcdir"/src/"$layer"/*.[ch] "$srcdir"/include/lemma/"$layer"/*.h; do
		[ -f "$f" ] || continue
		rel=${f#"$srcdir"/}
		base=$(basename "$f")
		grep -n '^[[:space:]]*#[[:space:]]*include' "$f" |
		    sed 's/^\([0-9]*\):[[:space:]]*#[[:space:]]*include[[:space:]]*/\1 /' |
		    while read -r line what rest; do
			case $what in
			\"lemma/*/*\"|\"../*/*\")
				to=${what#\"}
				to=${to#lemma/}
				to=${to#../}
				to=${to%%/*}
				r=$(rank "$to")
				if [ "$r" -eq 0 ]; then
					echo "$rel:$line: $what: no layer $to"
				elif [ "$r" -gt "$me" ]; then
					echo "$rel:$line: $what: $to is above $layer"
				fi ;;
			\"lemma/*\")
				echo "$rel:$line: $what: a public header outside a layer's folder" ;;
			\<curses.h\>|\<ncurses.h\>|\<ncursesw/*|\<panel.h\>|\<term.h\>)
				[ "$layer" = ui ] ||
				    echo "$rel:$line: $what: only ui uses curses" ;;
			\<sqlite3.h\>)
				case $layer/$base in
				store/db*.[ch]|query/db*.[ch]) ;;
				*) echo "$rel:$line: $what: only the db*.c files use SQLite" ;;
				esac ;;
			\<yaml.h\>)
				case $layer in
				base|app) ;;
				*) echo "$rel:$line: $what: only base and app read YAML" ;;
				esac ;;
			esac
		done >>"$tmp/bad"
	done
	if [ -s "$tmp/bad" ]; then
		result FAIL "includes: $layer" <"$tmp/bad"
	else
		result OK "includes: $layer" </dev/null
	fi
done

# ---- symbols --------------------------------------------------------------
# Every global symbol a layer's library defines, as "symbol rank layer".
: >"$tmp/defs"
: >"$tmp/missing"
for layer in $LAYERS; do
	lib=$builddir/src/$layer/lib$layer.a
	if [ ! -f "$lib" ]; then
		echo "$lib: not built" >>"$tmp/missing"
		continue
	fi
	"$nm" -g --defined-only "$lib" 2>/dev/null |
	    awk -v r="$(rank "$layer")" -v l="$layer" 'NF == 3 { print $3, r, l }' \
	    >>"$tmp/defs"
done
for layer in $LAYERS; do
	lib=$builddir/src/$layer/lib$layer.a
	if [ ! -f "$lib" ]; then
		echo "$lib: not built" | result FAIL "symbols: $layer"
		continue
	fi
	# nm -A -u: "lib.a:member.o:  U symbol".
	"$nm" -A -u "$lib" 2>/dev/null |
	    awk -v me="$(rank "$layer")" -v l="$layer" '
		FILENAME == ARGV[1] { at[$1] = $2; name[$1] = $3; next }
		{
			sym = $NF
			obj = $1; sub(/:$/, "", obj)
			if ((sym in at) && at[sym] > me)
				printf "%s: %s is defined in %s, above %s\n",
				    obj, sym, name[sym], l
		}' "$tmp/defs" - >"$tmp/bad"
	if [ -s "$tmp/bad" ]; then
		result FAIL "symbols: $layer" <"$tmp/bad"
	else
		result OK "symbols: $layer" </dev/null
	fi
done
exit $failed
