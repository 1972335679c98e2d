/*
 * test_screen_pkgimport.c - an Anki package imported with `lemma import`
 * and studied in the full-screen program: tests/data/apkg/anki21b-vocab.apkg
 * (made by make-fixtures.py with Python's zipfile and sqlite3, not lemma's
 * writer) has a note type of five fields and two card templates, one with
 * {{type:Word}}. Its new "Recognise" card and its learning "Type it" card
 * (due 10:00) are studied at 10:05: both sides of each, the typed answer
 * compared on reveal, and the grades in the review log after Anki's own.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen-util.h"

static long long
query_int(const char *db, const char *sql)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_open_v2(db, &s, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(s);
	return v;
}

/* The Recognise card of "maison": front "maison" and the gender, back
 * the meaning. */
static void
study_recognise(struct vt *vt)
{
	st_expect(vt, "maison");
	assert_false(vt_contains(vt, "house"));
	vt_send(vt, " ");
	st_expect(vt, "house");
	st_expect(vt, "Again");
	vt_send(vt, "3");
	st_expect_gone(vt, "house");
}

/* The Type it card of "chat": front the meaning and an answer line; a
 * wrong answer typed, Enter shows it compared with "chat" and the back's
 * sound placeholder. */
static void
study_type_it(struct vt *vt)
{
	int row, col, row2, col2;

	st_expect(vt, "cat");
	st_expect(vt, "Answer:");
	vt_send(vt, "chap");
	st_expect(vt, "Answer: chap");
	vt_send(vt, "\r");
	st_expect(vt, "Again");
	/* The typed line, and under it the arrow and the expected one. */
	assert_int_equal(vt_find(vt, "chap", &row, &col), 0);
	assert_int_equal(vt_find(vt, "chat", &row2, &col2), 0);
	assert_int_equal(row2, row + 2);
	st_expect(vt, "chat.mp3");
	vt_send(vt, "3");
	st_expect_gone(vt, "chat.mp3");
}

static void
test_study_imported(void **state)
{
	const char *db = st_path("pkg.db");
	char *pkg = NULL;
	const char *imp[] = { "import", NULL, NULL };
	const char *args[] = { "--now", "2025-01-01T10:05:00Z", NULL };
	char env_data[1024];
	const char *env[] = { env_data, NULL };
	char out[4096];
	struct vt *vt;
	int seen_type = 0, seen_rec = 0;

	(void)state;
	snprintf(env_data, sizeof env_data, "XDG_DATA_HOME=%s",
	    st_path("data"));
	setenv("XDG_DATA_HOME", st_path("data"), 1);
	if (asprintf(&pkg, "%s/tests/data/apkg/anki21b-vocab.apkg",
	    getenv("LEMMA_SRCDIR")) < 0)
		fail();
	imp[1] = pkg;
	assert_int_equal(st_run(db, imp, out, sizeof out), 0);
	assert_non_null(strstr(out, "notes 2 added"));
	assert_non_null(strstr(out, "review log 3 added"));
	assert_int_equal(query_int(db, "SELECT count(*) FROM cards"), 4);

	vt = st_start(db, args, env, 24, 80);
	/* The package's decks, French with Words under it, and no other. */
	st_expect(vt, "French");
	assert_false(vt_contains(vt, "Default"));
	vt_send(vt, "g\r");
	/* Anki's order of learning and new cards is the preset's: take
	 * them as they come. */
	for (int i = 0; i < 2; i++) {
		st_expect(vt, "show answer");
		if (vt_contains(vt, "Answer:")) {
			study_type_it(vt);
			seen_type = 1;
		} else {
			study_recognise(vt);
			seen_rec = 1;
		}
	}
	assert_true(seen_type && seen_rec);
	st_quit(vt);
	/* Anki's three rows and the two grades. */
	assert_int_equal(query_int(db, "SELECT count(*) FROM revlog"), 5);
	free(pkg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_study_imported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
