/*
 * test_gen.c - the benchmarks' generator (bench/gen.c, linked in with its
 * main renamed gen_main): the same seed gives the same review log, another
 * seed another; the review log agrees with the cards row by row; lemma's
 * own check accepts the file; the TSV holds every note.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lemma/base/err.h"
#include "lemma/base/paths.h"
#include "lemma/base/text.h"
#include "lemma/store/db.h"

int	gen_main(int argc, char **argv);

static char	tmpdir[512];

static const char *
path(const char *name)
{
	static char buf[8][600];
	static int next;
	char *p = buf[next++ % 8];

	snprintf(p, sizeof buf[0], "%s/%s", tmpdir, name);
	return p;
}

/* Run the generator with its report on stdout silenced. */
static int
gen(const char *db, const char *tsv, const char *cards, const char *reviews,
    const char *seed)
{
	/* gen_main is a main(): its argv is char *[], as getopt wants. */
	char *argv[] = { (char *)"gen", (char *)"--cards", (char *)cards,
	    (char *)"--reviews", (char *)reviews, (char *)"--seed",
	    (char *)seed, (char *)"--db", (char *)db, (char *)"--tsv",
	    (char *)tsv, NULL };
	int out = dup(1), null = open("/dev/null", O_WRONLY), rc;

	fflush(stdout);
	dup2(null, 1);
	rc = gen_main(11, argv);
	fflush(stdout);
	dup2(out, 1);
	close(out);
	close(null);
	return rc;
}

static sqlite3 *
open_ro(const char *db)
{
	sqlite3 *s;

	assert_int_equal(sqlite3_open_v2(db, &s, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	return s;
}

static long long
query_int(sqlite3 *s, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* FNV-1a over the text of every column of the query's rows. */
static uint64_t
checksum(const char *db, const char *sql)
{
	sqlite3 *s = open_ro(db);
	sqlite3_stmt *st;
	uint64_t h = 0xcbf29ce484222325ULL;

	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *t = sqlite3_column_text(st, i);
			for (; t != NULL && *t != '\0'; t++)
				h = (h ^ *t) * 0x100000001b3ULL;
			h = (h ^ '|') * 0x100000001b3ULL;
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(s);
	return h;
}

static const char revlog_all[] = "SELECT * FROM revlog ORDER BY id";
static const char notes_all[] = "SELECT * FROM notes ORDER BY id";

static void
test_same_seed_same_file(void **state)
{
	(void)state;
	assert_int_equal(gen(path("a.db"), path("a.tsv"), "300", "3000", "7"), 0);
	assert_int_equal(gen(path("b.db"), path("b.tsv"), "300", "3000", "7"), 0);
	assert_int_equal(gen(path("c.db"), path("c.tsv"), "300", "3000", "8"), 0);
	assert_true(checksum(path("a.db"), revlog_all) ==
	    checksum(path("b.db"), revlog_all));
	assert_true(checksum(path("a.db"), notes_all) ==
	    checksum(path("b.db"), notes_all));
	assert_true(checksum(path("a.db"), "SELECT * FROM cards ORDER BY id") ==
	    checksum(path("b.db"), "SELECT * FROM cards ORDER BY id"));
	assert_false(checksum(path("a.db"), revlog_all) ==
	    checksum(path("c.db"), revlog_all));
}

static void
test_sizes(void **state)
{
	sqlite3 *s;
	char line[4096];
	long lines = 0;
	FILE *f;

	(void)state;
	s = open_ro(path("a.db"));
	assert_int_equal(query_int(s, "SELECT count(*) FROM notes"), 300);
	assert_int_equal(query_int(s, "SELECT count(*) FROM cards"), 300);
	assert_int_equal(query_int(s, "SELECT count(*) FROM revlog"), 3000);
	/* The deck tree, parents included; every card in one of them. */
	assert_int_equal(query_int(s, "SELECT count(*) FROM decks"), 49);
	/* Every note has the browser's sort key, and it is lemma's. */
	assert_int_equal(query_int(s, "SELECT count(*) FROM notes WHERE "
	    "sort_key IS NULL"), 0);
	{
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(s, "SELECT sort_field, "
		    "sort_key FROM notes", -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW)
			assert_true(sqlite3_column_int64(st, 1) ==
			    text_sort_key((const char *)
			    sqlite3_column_text(st, 0),
			    (size_t)sqlite3_column_bytes(st, 0)));
		sqlite3_finalize(st);
	}
	assert_int_equal(query_int(s, "SELECT count(*) FROM cards WHERE "
	    "deck_id NOT IN (SELECT id FROM decks)"), 0);
	/* Every kind of row: learn, review, relearn. */
	assert_int_equal(query_int(s, "SELECT count(DISTINCT kind) FROM revlog"),
	    3);
	/* The last day studied is yesterday: nothing after 2025-01-01
	 * 04:00 UTC, something on 2024-12-31. */
	assert_int_equal(query_int(s, "SELECT count(*) FROM revlog WHERE id >= "
	    "1735704000000"), 0);
	assert_true(query_int(s, "SELECT count(*) FROM revlog WHERE id >= "
	    "1735617600000") > 0);
	sqlite3_close(s);

	assert_non_null(f = fopen(path("a.tsv"), "r"));
	while (fgets(line, sizeof line, f) != NULL)
		if (line[0] != '#')
			lines++;
	fclose(f);
	assert_int_equal(lines, 300);
}

/* Each row's prev_* is the card after the row before it; the card is its
 * last row's outcome; a card with no row is new. */
static void
test_revlog_matches_cards(void **state)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	int64_t card = -1, last_id = 0;
	int state_after = 0, reps = 0, rows = 0;
	double s_after = 0, d_after = 0;
	int64_t due_after = 0;

	(void)state;
	s = open_ro(path("a.db"));
	assert_int_equal(sqlite3_prepare_v2(s, "SELECT r.card_id, r.id, "
	    "r.state, r.stability, r.difficulty, r.due, r.prev_state, "
	    "r.prev_stability, r.prev_difficulty, r.prev_due, r.prev_reps, "
	    "coalesce(r.prev_last_review, 0), r.kind, c.state, c.stability, "
	    "c.difficulty, c.due, c.reps, coalesce(c.last_review, 0) "
	    "FROM revlog r JOIN cards c ON c.id = r.card_id "
	    "ORDER BY r.card_id, r.id", -1, &st, NULL), SQLITE_OK);
	for (;;) {
		int rc = sqlite3_step(st);
		int64_t c = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -2;

		if (c != card && card >= 0) {
			/* The card as its last row left it. */
			sqlite3_stmt *cs;
			char q[128];
			snprintf(q, sizeof q, "SELECT state, stability, "
			    "difficulty, due, reps, last_review FROM cards "
			    "WHERE id = %lld", (long long)card);
			assert_int_equal(sqlite3_prepare_v2(s, q, -1, &cs, NULL),
			    SQLITE_OK);
			assert_int_equal(sqlite3_step(cs), SQLITE_ROW);
			assert_int_equal(sqlite3_column_int(cs, 0), state_after);
			assert_true(sqlite3_column_double(cs, 1) == s_after);
			assert_true(sqlite3_column_double(cs, 2) == d_after);
			assert_int_equal(sqlite3_column_int64(cs, 3), due_after);
			assert_int_equal(sqlite3_column_int(cs, 4), reps);
			assert_int_equal(sqlite3_column_int64(cs, 5),
			    last_id / 1000);
			sqlite3_finalize(cs);
		}
		if (rc != SQLITE_ROW)
			break;
		if (c != card) {
			card = c;
			reps = 0;
			/* The first grade finds a new card. */
			assert_int_equal(sqlite3_column_int(st, 6), 0);
			assert_int_equal(sqlite3_column_int(st, 10), 0);
			assert_int_equal(sqlite3_column_int64(st, 11), 0);
		} else {
			assert_int_equal(sqlite3_column_int(st, 6), state_after);
			assert_true(sqlite3_column_double(st, 7) == s_after);
			assert_true(sqlite3_column_double(st, 8) == d_after);
			assert_int_equal(sqlite3_column_int64(st, 9), due_after);
			assert_int_equal(sqlite3_column_int(st, 10), reps);
			assert_int_equal(sqlite3_column_int64(st, 11),
			    last_id / 1000);
			assert_true(sqlite3_column_int64(st, 1) > last_id);
		}
		/* kind: 0 learn (new, learning), 1 review, 2 relearn. */
		switch (sqlite3_column_int(st, 6)) {
		case 0: case 1:
			assert_int_equal(sqlite3_column_int(st, 12), 0);
			break;
		case 2:
			assert_int_equal(sqlite3_column_int(st, 12), 1);
			break;
		default:
			assert_int_equal(sqlite3_column_int(st, 12), 2);
		}
		last_id = sqlite3_column_int64(st, 1);
		state_after = sqlite3_column_int(st, 2);
		s_after = sqlite3_column_double(st, 3);
		d_after = sqlite3_column_double(st, 4);
		due_after = sqlite3_column_int64(st, 5);
		reps++;
		rows++;
	}
	sqlite3_finalize(st);
	assert_int_equal(rows, 3000);
	assert_int_equal(query_int(s, "SELECT count(*) FROM cards WHERE id NOT "
	    "IN (SELECT card_id FROM revlog) AND (state != 0 OR reps != 0 OR "
	    "last_review IS NOT NULL)"), 0);
	/* Leeches are suspended and tagged, as study_grade() does. */
	assert_int_equal(query_int(s, "SELECT count(*) FROM cards c JOIN notes n "
	    "ON n.id = c.note_id WHERE c.suspended = 1 AND n.tags NOT LIKE "
	    "'% leech %'"), 0);
	sqlite3_close(s);
}

static void
test_lemma_check_accepts(void **state)
{
	char report[4096] = "";
	struct err e;
	struct db *db;

	(void)state;
	err_clear(&e);
	db = db_open(path("a.db"), 0, &e);
	if (db == NULL)
		fail_msg("%s", e.msg);
	if (db_check(db, report, sizeof report, &e) != 0)
		fail_msg("db_check: %s %s", report, e.msg);
	db_close(db);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "%s/lemma-test-gen-XXXXXX",
	    paths_tmpdir());
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	static const char *const names[] = { "a", "b", "c" };
	static const char *const ext[] = { ".db", ".db-wal", ".db-shm", ".tsv" };
	char p[700];

	(void)state;
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < 4; j++) {
			snprintf(p, sizeof p, "%s/%s%s", tmpdir, names[i], ext[j]);
			unlink(p);
		}
	return rmdir(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_file),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_revlog_matches_cards),
		cmocka_unit_test(test_lemma_check_accepts),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
