#!/bin/sh
# check-tables.sh SRCDIR - run each table generator and diff its output
# with the checked-in C source it wrote; exit 1 on any difference.
set -u
src=${1:-.}
status=0
for pair in gen-entities.py:src/base/entity-table.c \
    gen-width.py:src/render/render-width-tab.c gen-fold.py:src/base/fold-tab.c \
    gen-nocombine.py:src/base/nocombine-tab.c
do
	gen=${pair%%:*}
	out=${pair#*:}
	if python3 "$src/tools/$gen" | diff -u "$src/$out" - >/dev/null; then
		echo "$out: the same as tools/$gen writes"
	else
		echo "$out: differs from what tools/$gen writes" >&2
		status=1
	fi
done
exit $status
