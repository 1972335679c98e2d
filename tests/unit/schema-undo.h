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

#include "lemma/store/db.h"

static const char *const schema_undo[] = {
	/* [v]: from v + 1 back to v. */
	[0] = NULL,		/* the first schema is not undone */
	[1] = "DROP INDEX notes_sort; ALTER TABLE notes DROP COLUMN sort_key;",
	[2] = "DROP TRIGGER revlog_sum_insert; DROP TRIGGER revlog_sum_delete;"
	    " DROP TRIGGER revlog_sum_update; DROP TRIGGER revlog_deck_sum_move;"
	    " DROP TRIGGER revlog_deck_sum_card_delete;"
	    " DROP TABLE revlog_sum; DROP TABLE revlog_deck_sum;"
	    " DROP INDEX revlog_review_states;"
	    " CREATE INDEX revlog_stats ON revlog (kind, rating, id,"
	    " prev_scheduled_days, answer_ms, elapsed_days, prev_stability,"
	    " card_id);"
	    /* cards without AUTOINCREMENT, as migration 1 made it */
	    " CREATE TABLE cards_old AS SELECT * FROM cards; DROP TABLE cards;"
	    " CREATE TABLE cards ("
	    "  id INTEGER PRIMARY KEY,"
	    "  note_id INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE,"
	    "  ord INTEGER NOT NULL CHECK (ord >= 0),"
	    "  deck_id INTEGER NOT NULL REFERENCES decks (id),"
	    "  state INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 3),"
	    "  due INTEGER NOT NULL DEFAULT 0,"
	    "  position INTEGER NOT NULL DEFAULT 0,"
	    "  stability REAL NOT NULL DEFAULT 0,"
	    "  difficulty REAL NOT NULL DEFAULT 0,"
	    "  last_review INTEGER,"
	    "  scheduled_days INTEGER NOT NULL DEFAULT 0,"
	    "  step INTEGER NOT NULL DEFAULT 0,"
	    "  reps INTEGER NOT NULL DEFAULT 0,"
	    "  lapses INTEGER NOT NULL DEFAULT 0,"
	    "  suspended INTEGER NOT NULL DEFAULT 0,"
	    "  buried_until INTEGER NOT NULL DEFAULT 0,"
	    "  flag INTEGER NOT NULL DEFAULT 0 CHECK (flag BETWEEN 0 AND 7),"
	    "  created INTEGER NOT NULL,"
	    "  modified INTEGER NOT NULL,"
	    "  UNIQUE (note_id, ord));"
	    " INSERT INTO cards SELECT * FROM cards_old; DROP TABLE cards_old;"
	    " CREATE INDEX cards_deck_state_due ON cards (deck_id, state, due);"
	    " CREATE INDEX cards_deck_new ON cards (deck_id, position)"
	    " WHERE state = 0;"
	    " DELETE FROM sqlite_sequence WHERE name = 'cards';",
	[3] = "DROP INDEX notes_first_field;"
	    " CREATE INDEX notes_deck_sort ON notes (deck_id, sort_field);"
	    " ALTER TABLE cards DROP COLUMN empty;",
	[4] = "DROP TRIGGER cards_mod; ALTER TABLE cards DROP COLUMN mod;",
	/* notes with its CHECK (notetype BETWEEN 0 AND 2) again; the caller's
	 * connection has foreign keys off (SQLite's default), so no card goes
	 * with the old table */
	[5] = "CREATE TABLE notes_old ("
	    "  id INTEGER PRIMARY KEY,"
	    "  guid TEXT NOT NULL UNIQUE,"
	    "  notetype INTEGER NOT NULL DEFAULT 0"
	    "  CHECK (notetype BETWEEN 0 AND 2),"
	    "  deck_id INTEGER NOT NULL REFERENCES decks (id),"
	    "  fields TEXT NOT NULL,"
	    "  sort_field TEXT NOT NULL,"
	    "  tags TEXT NOT NULL DEFAULT '',"
	    "  is_html INTEGER NOT NULL DEFAULT 0,"
	    "  source TEXT,"
	    "  created INTEGER NOT NULL,"
	    "  modified INTEGER NOT NULL,"
	    "  sort_key INTEGER);"
	    " INSERT INTO notes_old SELECT * FROM notes; DROP TABLE notes;"
	    " ALTER TABLE notes_old RENAME TO notes;"
	    " CREATE INDEX notes_sort ON notes (sort_key);"
	    " CREATE INDEX notes_first_field ON notes (sort_field, notetype);"
	    " DROP TABLE nt_templates; DROP TABLE nt_fields;"
	    " DROP TABLE notetypes;",
	[6] = "ALTER TABLE deck_config DROP COLUMN bury_new;"
	    " ALTER TABLE deck_config DROP COLUMN bury_reviews;"
	    " ALTER TABLE deck_config DROP COLUMN bury_interday;"
	    " ALTER TABLE deck_config DROP COLUMN min_interval;"
	    " ALTER TABLE deck_config DROP COLUMN new_gather_order;"
	    " ALTER TABLE deck_config DROP COLUMN new_sort_order;"
	    " ALTER TABLE deck_config DROP COLUMN new_mix;"
	    " ALTER TABLE deck_config DROP COLUMN interday_mix;"
	    " ALTER TABLE deck_config DROP COLUMN review_order;"
	    " ALTER TABLE deck_config DROP COLUMN limits_from_top;"
	    " DELETE FROM settings WHERE key IN ('next_day_starts_at',"
	    " 'learn_ahead_mins');",
	[7] = "DROP INDEX notetypes_original;"
	    " ALTER TABLE notetypes DROP COLUMN original_id;",
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
