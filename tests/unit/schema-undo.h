/*
 * schema-undo.h - for the tests of a migration: the SQL that takes a file
 * of the current schema back one version, exactly as it was before that
 * migration (its own tables, columns, indexes and triggers gone, what it
 * dropped made again). undo_to(db, v) runs them from the newest down and
 * sets user_version = v, so a test can fill a file with today's API and
 * then let db_open upgrade it as it would upgrade a user's old file.
 *
 * A new migration adds its undo here; the assertion keeps the two lists
 * the same length.
 */
#ifndef LEMMA_TEST_SCHEMA_UNDO_H
#define LEMMA_TEST_SCHEMA_UNDO_H

#include <sqlite3.h>
#include <stdio.h>

#include "lemma/db.h"

static const char *const schema_undo[] = {
	/* [v]: from v + 1 back to v. */
	[0] = NULL,		/* the first schema is not undone */
	[1] = "DROP INDEX notes_sort; ALTER TABLE notes DROP COLUMN sort_key;",
	[2] = "DROP TRIGGER revlog_sum_insert; DROP TRIGGER revlog_sum_delete;"
	    " DROP TRIGGER revlog_sum_update; DROP TRIGGER revlog_deck_sum_move;"
	    " DROP TRIGGER revlog_deck_sum_card_delete;"
	    " DROP TRIGGER revlog_deck_sum_card_insert;"
	    " DROP TABLE revlog_sum; DROP TABLE revlog_deck_sum;"
	    " DROP INDEX revlog_review_states;"
	    " CREATE INDEX revlog_stats ON revlog (kind, rating, id,"
	    " prev_scheduled_days, answer_ms, elapsed_days, prev_stability,"
	    " card_id);",
};

typedef char schema_undo_covers_every_migration[
    sizeof schema_undo / sizeof schema_undo[0] == DB_SCHEMA_VERSION ? 1 : -1];

/* Take the file open in db back to schema version v (>= 1); 0, or -1 with
 * SQLite's message printed. */
static int
undo_to(sqlite3 *db, int v)
{
	char sql[64], *msg = NULL;

	for (int from = DB_SCHEMA_VERSION - 1; from >= v; from--) {
		if (sqlite3_exec(db, schema_undo[from], NULL, NULL, &msg) !=
		    SQLITE_OK) {
			fprintf(stderr, "undo to %d: %s\n", from, msg);
			sqlite3_free(msg);
			return -1;
		}
	}
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

#endif
