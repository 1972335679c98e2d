/*
 * test_cardops_undo.c - undo of the browser's changes (cardops_change_*):
 * suspend, flag, move, tag and reset each put back exactly, a reset's
 * manual log row taken away, the decks a move made taken away, and an
 * undo refused, changing nothing, when another connection changed a card
 * since; and undo of a note edit (cardops_note_begin): fields, tags, the
 * cloze cards it made and the ones it left empty.
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
#include "lemma/query/cardops.h"
#include "lemma/store/db-notes.h"
#include "lemma/store/db.h"

#define NOW	((time_t)1735722000)

static char tmpdir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "%s/lemma-test-cardops-XXXXXX",
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

static void
poke(const char *path, const char *sql)
{
	sqlite3 *s;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	if (sqlite3_exec(s, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(s);
}

/* Every column of the cards, notes, decks and the log's rows, as one
 * text. */
static char *
dump(const char *path)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	char *out = calloc(1, 65536);
	static const char *const q[] = { "SELECT * FROM cards ORDER BY id",
	    "SELECT * FROM notes ORDER BY id", "SELECT * FROM revlog ORDER BY id",
	    "SELECT * FROM revlog_deck_sum ORDER BY 1, 2",
	    "SELECT * FROM decks ORDER BY id" };

	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	for (size_t k = 0; k < sizeof q / sizeof q[0]; k++) {
		assert_int_equal(sqlite3_prepare_v2(s, q[k], -1, &st, NULL),
		    SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW)
			for (int i = 0; i < sqlite3_column_count(st); i++)
				snprintf(out + strlen(out), 65536 - strlen(out),
				    "%s|", (const char *)(sqlite3_column_text(st,
				    i) != NULL ? (const char *)sqlite3_column_text(st,
				    i) : "-"));
		sqlite3_finalize(st);
	}
	sqlite3_close(s);
	return out;
}

static void
test_change_undo(void **state)
{
	static const char *const actions[] = { "suspend", "move", "tag",
	    "reset", "flag" };
	char path[300];
	struct db *db;
	struct cardops_undo *u;
	struct err e;
	int64_t ids[] = { 10, 11 };
	size_t changed;
	int64_t d;
	char *before, *after;

	(void)state;
	snprintf(path, sizeof path, "%s/c.db", tmpdir);
	err_clear(&e);
	db = db_open(path, DB_CREATE, &e);
	assert_non_null(db);
	d = db_deck_ensure(db, "A", NOW, &e);
	assert_true(d > 0);
	{
		char sql[1024];

		snprintf(sql, sizeof sql, "INSERT INTO notes (id, guid, notetype, "
		    "deck_id, fields, sort_field, tags, created, modified) VALUES "
		    "(1, 'g', 1, %lld, 'a' || char(31) || 'b', 'a', ' t ', 0, 0);"
		    "INSERT INTO cards (id, note_id, ord, deck_id, state, due, "
		    "stability, difficulty, last_review, scheduled_days, reps, "
		    "created, modified) VALUES (10, 1, 0, %lld, 2, %lld, 5, 5, "
		    "%lld, 5, 3, 0, 0), (11, 1, 1, %lld, 0, 0, 0, 0, NULL, 0, 0, "
		    "0, 0);"
		    "INSERT INTO revlog (id, card_id, rating, kind, state) VALUES "
		    "(1000, 10, 3, 1, 2);", (long long)d, (long long)d,
		    (long long)NOW, (long long)(NOW - 5 * 86400), (long long)d);
		poke(path, sql);
	}
	before = dump(path);
	for (size_t k = 0; k < sizeof actions / sizeof actions[0]; k++) {
		int rc;

		assert_int_equal(db_begin(db, &e), 0);
		u = cardops_change_begin(db, ids, 2, &e);
		assert_non_null(u);
		switch (k) {
		case 0:
			rc = cardops_suspend(db, ids, 2, 1, NOW, &changed, &e);
			break;
		case 1:
			rc = cardops_move(db, ids, 2, "B::C", NOW, &changed, &e);
			break;
		case 2:
			rc = cardops_tag_add(db, ids, 2, "new", NOW, &changed, &e);
			break;
		case 4:
			rc = cardops_flag(db, ids, 2, 5, NOW, &changed, &e);
			break;
		default:
			rc = cardops_reset(db, ids, 2, NOW, &changed, &e);
			break;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(cardops_change_end(db, u, &e), 0);
		assert_int_equal(db_commit(db, &e), 0);
		after = dump(path);
		if (strcmp(after, before) == 0)
			fail_msg("%s changed nothing", actions[k]);
		free(after);
		assert_int_equal(cardops_undo_apply(db, u, &e), 0);
		after = dump(path);
		if (strcmp(after, before) != 0)
			fail_msg("%s: undo left\n%s\nnot\n%s", actions[k], after,
			    before);
		free(after);
		cardops_undo_free(u);
	}

	/* Another program changes a card after the suspend: undo refuses
	 * and leaves both its change and the suspend. */
	assert_int_equal(db_begin(db, &e), 0);
	u = cardops_change_begin(db, ids, 2, &e);
	assert_int_equal(cardops_suspend(db, ids, 2, 1, NOW, &changed, &e), 0);
	assert_int_equal(cardops_change_end(db, u, &e), 0);
	assert_int_equal(db_commit(db, &e), 0);
	poke(path, "UPDATE cards SET flag = 3 WHERE id = 11");
	after = dump(path);
	assert_int_equal(cardops_undo_apply(db, u, &e), -1);
	assert_non_null(strstr(e.msg, "changed since"));
	{
		char *again = dump(path);

		assert_string_equal(again, after);
		free(again);
	}
	free(after);
	cardops_undo_free(u);
	free(before);
	db_close(db);
}

/* Edit a cloze note inside a record of it, then undo: as before. */
static void
edit_and_undo(struct db *db, const char *path, int64_t note,
    const char *text, const char *tags, int cards_after)
{
	const char *fields[] = { text, "" };
	struct cardops_undo *u;
	struct err e;
	char *before, *after, sql[128];

	err_clear(&e);
	before = dump(path);
	assert_int_equal(db_begin(db, &e), 0);
	assert_non_null(u = cardops_note_begin(db, note, &e));
	assert_int_equal(db_note_update(db, note, fields, 2, tags, NOW, &e), 0);
	assert_int_equal(cardops_change_end(db, u, &e), 0);
	assert_int_equal(db_commit(db, &e), 0);
	after = dump(path);
	assert_string_not_equal(after, before);
	free(after);
	{
		sqlite3 *s;
		sqlite3_stmt *st;

		snprintf(sql, sizeof sql, "SELECT count(*) FROM cards WHERE "
		    "note_id = %lld AND empty = 0", (long long)note);
		assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL),
		    SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), cards_after);
		sqlite3_finalize(st);
		sqlite3_close(s);
	}
	assert_int_equal(cardops_undo_apply(db, u, &e), 0);
	after = dump(path);
	if (strcmp(after, before) != 0)
		fail_msg("edit '%s': undo left\n%s\nnot\n%s", text, after,
		    before);
	free(after);
	free(before);
	cardops_undo_free(u);
}

static void
test_note_edit_undo(void **state)
{
	/* The text, the tags, and the cards in study after the edit. */
	static const struct {
		const char *text, *tags;
		int cards;
	} edits[] = {
		{ "{{c1::Paris}} is in France", "geo", 1 },
		{ "{{c1::Paris}} is in {{c2::France}}", "", 2 },
		{ "{{c2::Paris}} is in France", "", 1 },	/* c1 empty */
		{ "{{c3::Paris}} {{c4::is}} in France", "x y", 2 },
	};
	const char *fields[] = { "{{c1::Paris}} is in France", "" };
	char path[300];
	struct db *db;
	struct err e;
	int64_t d, note;

	(void)state;
	snprintf(path, sizeof path, "%s/n.db", tmpdir);
	err_clear(&e);
	db = db_open(path, DB_CREATE, &e);
	assert_non_null(db);
	d = db_deck_ensure(db, "A", NOW, &e);
	assert_true(d > 0);
	note = db_note_add(db, d, 2, fields, 2, "", 0, NOW, &e);
	assert_true(note > 0);
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++)
		edit_and_undo(db, path, note, edits[i].text, edits[i].tags,
		    edits[i].cards);

	/* A card the edit made, studied since by another program: the
	 * undo refuses and changes nothing. */
	{
		const char *two[] = { "{{c1::Paris}} {{c2::x}}", "" };
		struct cardops_undo *u;
		char *after, *again;

		assert_int_equal(db_begin(db, &e), 0);
		assert_non_null(u = cardops_note_begin(db, note, &e));
		assert_int_equal(db_note_update(db, note, two, 2, "", NOW, &e), 0);
		assert_int_equal(cardops_change_end(db, u, &e), 0);
		assert_int_equal(db_commit(db, &e), 0);
		poke(path, "UPDATE cards SET reps = 1, state = 1 WHERE id = "
		    "(SELECT max(id) FROM cards)");
		after = dump(path);
		assert_int_equal(cardops_undo_apply(db, u, &e), -1);
		assert_non_null(strstr(e.msg, "changed since"));
		again = dump(path);
		assert_string_equal(again, after);
		free(again);
		free(after);
		cardops_undo_free(u);
	}
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_change_undo),
		cmocka_unit_test(test_note_edit_undo),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
