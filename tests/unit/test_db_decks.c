/*
 * test_db_decks.c - the deck tree (db-decks.c): names as Anki compares
 * them, add, rename, move, delete with counts, and undo of each, refused
 * after a change by another connection.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "lemma/base/paths.h"
#include "lemma/store/db-decks.h"
#include "lemma/store/db.h"

static char tmpdir[256];
static int nfile;

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "%s/lemma-test-decks-XXXXXX",
	    paths_tmpdir());
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A new progress file; its path in path. */
static struct db *
new_db(char *path, size_t len)
{
	struct err e;
	struct db *db;

	snprintf(path, len, "%s/t%d.db", tmpdir, nfile++);
	err_clear(&e);
	db = db_open(path, DB_CREATE, &e);
	if (db == NULL)
		fail_msg("%s", e.msg);
	return db;
}

/* One integer from sql on a second connection: what any reader sees. */
static long long
peek(const char *path, const char *sql)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(s));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(s);
	return v;
}

static void
poke(const char *path, const char *sql)
{
	sqlite3 *s;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	sqlite3_exec(s, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	if (sqlite3_exec(s, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(s);
}

/* The decks' names in order, joined by '|'. */
static void
names(struct db *db, char *out, size_t len)
{
	struct deck *d;
	size_t n;
	struct err e;

	out[0] = '\0';
	assert_int_equal(db_deck_list(db, &d, &n, &e), 0);
	for (size_t i = 0; i < n; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s%s",
		    i > 0 ? "|" : "", d[i].name);
	db_decks_free(d, n);
}

static void
test_normalize(void **state)
{
	static const struct {
		const char *in, *out, *error;
	} cases[] = {
		{ "Lang", "Lang", NULL },
		{ "Lang::French", "Lang::French", NULL },
		{ " Lang :: French ", "Lang::French", NULL },
		{ "", NULL, "needs a name" },
		{ "a::::b", NULL, "empty part" },
		{ "a:: ::b", NULL, "empty part" },
		{ "::a", NULL, "empty part" },
		{ "a::", NULL, "empty part" },
		{ "a\tb", NULL, "control character (U+0009)" },
		{ "a\x1f" "b", NULL, "control character (U+001F)" },
		{ "a\xc2\x85" "b", NULL, "control character (U+0085)" },
		{ "a\xff", NULL, "not valid UTF-8" },
		{ "Ünï::çödé", "Ünï::çödé", NULL },
	};
	struct buf out;
	struct err e;
	char deep[32 * 3 + 8];

	(void)state;
	buf_init(&out);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		err_clear(&e);
		if (cases[i].out != NULL) {
			assert_int_equal(db_deck_name_normalize(cases[i].in, &out,
			    &e), 0);
			assert_string_equal(out.data, cases[i].out);
		} else {
			assert_int_equal(db_deck_name_normalize(cases[i].in, &out,
			    &e), -1);
			if (strstr(e.msg, cases[i].error) == NULL)
				fail_msg("'%s': '%s' lacks '%s'", cases[i].in,
				    e.msg, cases[i].error);
		}
	}
	/* 32 levels are allowed, 33 are not. */
	deep[0] = '\0';
	for (int i = 0; i < 32; i++)
		strcat(deep, i ? "::a" : "a");
	assert_int_equal(db_deck_name_normalize(deep, &out, &e), 0);
	strcat(deep, "::a");
	assert_int_equal(db_deck_name_normalize(deep, &out, &e), -1);
	assert_non_null(strstr(e.msg, "more than 32 levels"));
	buf_free(&out);
	assert_true(db_deck_name_same("CS", "cs"));
	assert_true(db_deck_name_same("Straße::Ä", "STRASSE::ä") == 0);
	assert_true(db_deck_name_same("Ärger", "äRGER"));
}

static void
test_case_insensitive(void **state)
{
	char path[300], list[512];
	struct db *db = new_db(path, sizeof path);
	struct err e;
	int64_t cs, x, again;

	(void)state;
	err_clear(&e);
	cs = db_deck_ensure(db, "CS", 1000, &e);
	assert_true(cs > 0);
	/* The child goes under the stored spelling of its parent. */
	x = db_deck_ensure(db, "cs::Graphs", 1000, &e);
	assert_true(x > 0);
	assert_int_equal(db_deck_find(db, "cs", &e), cs);
	assert_int_equal(db_deck_find(db, "CS::GRAPHS", &e), x);
	again = db_deck_ensure(db, "cS", 1000, &e);
	assert_int_equal(again, cs);
	names(db, list, sizeof list);
	assert_string_equal(list, "CS|CS::Graphs");
	/* Adding a deck that exists in another case is refused. */
	assert_int_equal(db_deck_add(db, "cs", 1000, NULL, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "'CS' exists already"));
	db_close(db);
}

static void
test_add_rename_move_undo(void **state)
{
	char path[300], list[512];
	struct db *db = new_db(path, sizeof path);
	struct db_deck_undo *u1, *u2, *u3, *u4;
	struct err e;
	int64_t a, b, other;

	(void)state;
	err_clear(&e);
	assert_int_equal(db_deck_add(db, "A::B::C", 1000, &a, &u1, &e), 0);
	assert_string_equal(db_deck_undo_label(u1), "Add Deck");
	names(db, list, sizeof list);
	assert_string_equal(list, "A|A::B|A::B::C");
	a = db_deck_find(db, "A", &e);
	b = db_deck_find(db, "A::B", &e);
	assert_int_equal(db_deck_add(db, "Other", 1000, &other, &u2, &e), 0);

	/* Renaming to another parent moves the subtree and makes the
	 * parent; the own part's new spelling is kept. */
	assert_int_equal(db_deck_rename(db, b, "other::New::bee", 1000, &u3,
	    &e), 0);
	assert_string_equal(db_deck_undo_label(u3), "Rename Deck");
	names(db, list, sizeof list);
	assert_string_equal(list, "A|Other|Other::New|Other::New::bee|"
	    "Other::New::bee::C");
	/* Refused: into itself, onto another deck, too deep. */
	assert_int_equal(db_deck_rename(db, other, "Other::New::x", 1000, NULL,
	    &e), -1);
	assert_non_null(strstr(e.msg, "into itself"));
	assert_int_equal(db_deck_rename(db, a, "OTHER::new", 1000, NULL, &e),
	    -1);
	assert_non_null(strstr(e.msg, "exists already"));
	/* A case-only rename of a deck is its own name: allowed. */
	assert_int_equal(db_deck_rename(db, a, "a", 1000, NULL, &e), 0);
	assert_int_equal(db_deck_rename(db, a, "A", 1000, NULL, &e), 0);

	/* Move b to the top level. */
	assert_int_equal(db_deck_move(db, b, 0, 1000, &u4, &e), 0);
	assert_string_equal(db_deck_undo_label(u4), "Move Deck");
	names(db, list, sizeof list);
	assert_string_equal(list, "A|Other|Other::New|bee|bee::C");

	/* Undo, newest first, back to the start. */
	assert_int_equal(db_deck_undo_apply(db, u4, &e), 0);
	names(db, list, sizeof list);
	assert_string_equal(list, "A|Other|Other::New|Other::New::bee|"
	    "Other::New::bee::C");
	assert_int_equal(db_deck_undo_apply(db, u3, &e), 0);
	names(db, list, sizeof list);
	assert_string_equal(list, "A|A::B|A::B::C|Other");
	assert_int_equal(db_deck_find(db, "A::B", &e), b);
	assert_int_equal(db_deck_undo_apply(db, u2, &e), 0);
	assert_int_equal(db_deck_undo_apply(db, u1, &e), 0);
	names(db, list, sizeof list);
	assert_string_equal(list, "");
	db_deck_undo_free(u1);
	db_deck_undo_free(u2);
	db_deck_undo_free(u3);
	db_deck_undo_free(u4);
	db_close(db);
}

static void
test_undo_refused_after_other_change(void **state)
{
	char path[300], list[512];
	struct db *db = new_db(path, sizeof path);
	struct db_deck_undo *u;
	struct err e;
	int64_t id;

	(void)state;
	err_clear(&e);
	assert_int_equal(db_deck_add(db, "Mine", 1000, &id, NULL, &e), 0);
	assert_int_equal(db_deck_rename(db, id, "Yours", 1000, &u, &e), 0);
	/* Another program renames it again. */
	poke(path, "UPDATE decks SET name = 'Theirs'");
	assert_int_equal(db_deck_undo_apply(db, u, &e), -1);
	assert_non_null(strstr(e.msg, "cannot undo Rename Deck"));
	names(db, list, sizeof list);
	assert_string_equal(list, "Theirs");
	db_deck_undo_free(u);
	db_close(db);
}

static void
test_delete_counts_undo(void **state)
{
	char path[300], list[512];
	struct db *db = new_db(path, sizeof path);
	struct db_deck_doomed d;
	struct db_deck_undo *u;
	struct err e;
	int64_t a, ab, c;
	long long sums;
	char sql[1024];

	(void)state;
	err_clear(&e);
	a = db_deck_ensure(db, "A", 1000, &e);
	ab = db_deck_ensure(db, "A::b", 1000, &e);
	c = db_deck_ensure(db, "C", 1000, &e);
	/* Note 1: both cards in A. Note 2: filed under A::b, one card there
	 * and one in C (it stays, and moves to C). Note 3: in C only. */
	snprintf(sql, sizeof sql,
	    "INSERT INTO notes (id, guid, notetype, deck_id, fields, sort_field,"
	    " created, modified) VALUES (1, 'g1', 1, %lld, 'a\x1f" "b', 'a', 0, 0),"
	    " (2, 'g2', 1, %lld, 'c\x1f" "d', 'c', 0, 0),"
	    " (3, 'g3', 0, %lld, 'e\x1f" "f', 'e', 0, 0);"
	    "INSERT INTO cards (id, note_id, ord, deck_id, created, modified) "
	    "VALUES (10, 1, 0, %lld, 0, 0), (11, 1, 1, %lld, 0, 0),"
	    " (12, 2, 0, %lld, 0, 0), (13, 2, 1, %lld, 0, 0),"
	    " (14, 3, 0, %lld, 0, 0);"
	    "INSERT INTO revlog (id, card_id, rating, kind, state) VALUES "
	    "(1000, 10, 3, 0, 1), (2000, 12, 1, 1, 2), (3000, 14, 3, 1, 2);",
	    (long long)a, (long long)ab, (long long)c, (long long)a,
	    (long long)a, (long long)ab, (long long)c, (long long)c);
	poke(path, sql);
	sums = peek(path, "SELECT sum(n) FROM revlog_deck_sum");
	assert_int_equal(sums, 3);

	assert_int_equal(db_deck_delete_counts(db, a, &d, &e), 0);
	assert_int_equal(d.decks, 2);
	assert_int_equal(d.cards, 3);
	assert_int_equal(d.notes, 1);
	assert_int_equal(db_deck_delete(db, a, &d, &u, &e), 0);
	assert_string_equal(db_deck_undo_label(u), "Delete Deck");
	names(db, list, sizeof list);
	assert_string_equal(list, "C");
	assert_int_equal(peek(path, "SELECT count(*) FROM cards"), 2);
	assert_int_equal(peek(path, "SELECT count(*) FROM notes"), 2);
	snprintf(sql, sizeof sql, "SELECT deck_id = %lld FROM notes WHERE "
	    "id = 2", (long long)c);
	assert_int_equal(peek(path, sql), 1);
	assert_int_equal(peek(path, "SELECT count(*) FROM revlog"), 1);
	assert_int_equal(peek(path, "SELECT sum(n) FROM revlog_deck_sum"), 1);

	/* Undo brings back decks, notes, cards, history and its sums. */
	assert_int_equal(db_deck_undo_apply(db, u, &e), 0);
	names(db, list, sizeof list);
	assert_string_equal(list, "A|A::b|C");
	assert_int_equal(peek(path, "SELECT count(*) FROM cards"), 5);
	assert_int_equal(peek(path, "SELECT count(*) FROM notes"), 3);
	snprintf(sql, sizeof sql, "SELECT deck_id = %lld FROM notes WHERE "
	    "id = 2", (long long)ab);
	assert_int_equal(peek(path, sql), 1);
	assert_int_equal(peek(path, "SELECT count(*) FROM revlog"), 3);
	assert_int_equal(peek(path, "SELECT sum(n) FROM revlog_deck_sum"), 3);
	assert_int_equal(db_deck_find(db, "a::B", &e), ab);
	db_deck_undo_free(u);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_case_insensitive),
		cmocka_unit_test(test_add_rename_move_undo),
		cmocka_unit_test(test_undo_refused_after_other_change),
		cmocka_unit_test(test_delete_counts_undo),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
