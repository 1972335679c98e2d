/*
 * write-sample.c - write the sample collection (tests/unit/ankicol-sample.c)
 * as a package with lemma's writer, for tests that read it with other
 * programs (test_anki_reader.sh): write-sample [--legacy] OUT.apkg.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/ankicol-sample.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/apkg.h"

int
main(int argc, char **argv)
{
	int legacy = argc == 3 && strcmp(argv[1], "--legacy") == 0;
	const char *out = argv[argc - 1];
	struct apkg_writer *w;
	struct err e;
	char *col;

	if (argc != 2 && !legacy) {
		fputs("usage: write-sample [--legacy] OUT.apkg\n", stderr);
		return 2;
	}
	err_clear(&e);
	col = xasprintf("%s.col", out);
	unlink(col);
	if (sample_write(col, legacy ? 11 : 18, &e) < 0 ||
	    (w = apkg_writer_open(out, legacy, 1, &e)) == NULL) {
		err_print(&e, stderr);
		return 1;
	}
	if (apkg_writer_add_collection(w, col, SAMPLE_NOW, &e) < 0 ||
	    apkg_writer_commit(w, &e) < 0) {
		err_print(&e, stderr);
		unlink(col);
		return 1;
	}
	unlink(col);
	free(col);
	return 0;
}
