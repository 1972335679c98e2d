/*
 * db-schema.h - private to db.c: the schema, one migration per version.
 *
 * Migration N takes a file from user_version N-1 to N. Never edit a
 * migration that has shipped; add the next one.
 *
 * Times: instants are Unix seconds (revlog.id is Unix milliseconds, as
 * Anki's revlog). Study days are days since 1970-01-01 as day.h defines.
 */
#ifndef LEMMA_DB_SCHEMA_H
#define LEMMA_DB_SCHEMA_H

static const char *const db_migrations[] = {
	/* 0 -> 1: the first schema. */
	"CREATE TABLE settings ("
	"  key   TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	") WITHOUT ROWID;"

	/* Deck options presets, as Anki's: several decks may share one. */
	"CREATE TABLE deck_config ("
	"  id                INTEGER PRIMARY KEY,"
	"  name              TEXT NOT NULL,"
	"  desired_retention REAL NOT NULL DEFAULT 0.9"
	"                    CHECK (desired_retention BETWEEN 0.7 AND 0.99),"
	"  learning_steps    TEXT NOT NULL DEFAULT '1m 10m',"
	"  relearning_steps  TEXT NOT NULL DEFAULT '10m',"
	"  max_interval      INTEGER NOT NULL DEFAULT 36500 CHECK (max_interval >= 1),"
	"  new_per_day       INTEGER NOT NULL DEFAULT 20 CHECK (new_per_day >= 0),"
	"  reviews_per_day   INTEGER NOT NULL DEFAULT 200 CHECK (reviews_per_day >= 0),"
	"  rollover_hour     INTEGER NOT NULL DEFAULT 4 CHECK (rollover_hour BETWEEN 0 AND 23),"
	"  leech_threshold   INTEGER NOT NULL DEFAULT 8,"
	"  leech_action      INTEGER NOT NULL DEFAULT 0,"	/* 0 suspend, 1 tag only */
	"  bury_siblings     INTEGER NOT NULL DEFAULT 1,"
	"  fsrs_params       TEXT"				/* NULL: the defaults */
	");"
	"INSERT INTO deck_config (id, name) VALUES (1, 'Default');"
	/* The program imports the bundled deck while this says pending. */
	"INSERT INTO settings (key, value) VALUES ('bundled', 'pending');"

	"CREATE TABLE decks ("
	"  id        INTEGER PRIMARY KEY,"
	"  name      TEXT NOT NULL UNIQUE,"
	"  config_id INTEGER NOT NULL DEFAULT 1 REFERENCES deck_config (id),"
	"  collapsed INTEGER NOT NULL DEFAULT 0,"
	"  created   INTEGER NOT NULL"
	");"

	/* notetype: 0 Basic, 1 Basic (and reversed card), 2 Cloze.
	 * fields: the note's fields joined by U+001F, as Anki stores them.
	 * sort_field: the first field, for the duplicate check and sorting.
	 * tags: space-separated with a space before and after (" a b "), so
	 * a tag matches as LIKE '% a %'.
	 * source: unused, left NULL. It held each note's file path, which
	 * nothing read, at 7% of a large import's bytes. */
	"CREATE TABLE notes ("
	"  id         INTEGER PRIMARY KEY,"
	"  guid       TEXT NOT NULL UNIQUE,"
	"  notetype   INTEGER NOT NULL DEFAULT 0 CHECK (notetype BETWEEN 0 AND 2),"
	"  deck_id    INTEGER NOT NULL REFERENCES decks (id),"
	"  fields     TEXT NOT NULL,"
	"  sort_field TEXT NOT NULL,"
	"  tags       TEXT NOT NULL DEFAULT '',"
	"  is_html    INTEGER NOT NULL DEFAULT 0,"
	"  source     TEXT,"
	"  created    INTEGER NOT NULL,"
	"  modified   INTEGER NOT NULL"
	");"
	"CREATE INDEX notes_deck_sort ON notes (deck_id, sort_field);"

	/* One card per template (ord 0, 1) or cloze number (ord = N - 1).
	 * state: 0 new, 1 learning, 2 review, 3 relearning.
	 * due: Unix seconds when the card is next due (new cards: 0).
	 * position: the order new cards are introduced in.
	 * step: the index of the current (re)learning step.
	 * buried_until: the study day on which a buried card returns. */
	"CREATE TABLE cards ("
	"  id             INTEGER PRIMARY KEY,"
	"  note_id        INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE,"
	"  ord            INTEGER NOT NULL CHECK (ord >= 0),"
	"  deck_id        INTEGER NOT NULL REFERENCES decks (id),"
	"  state          INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 3),"
	"  due            INTEGER NOT NULL DEFAULT 0,"
	"  position       INTEGER NOT NULL DEFAULT 0,"
	"  stability      REAL NOT NULL DEFAULT 0,"
	"  difficulty     REAL NOT NULL DEFAULT 0,"
	"  last_review    INTEGER,"
	"  scheduled_days INTEGER NOT NULL DEFAULT 0,"
	"  step           INTEGER NOT NULL DEFAULT 0,"
	"  reps           INTEGER NOT NULL DEFAULT 0,"
	"  lapses         INTEGER NOT NULL DEFAULT 0,"
	"  suspended      INTEGER NOT NULL DEFAULT 0,"
	"  buried_until   INTEGER NOT NULL DEFAULT 0,"
	"  flag           INTEGER NOT NULL DEFAULT 0 CHECK (flag BETWEEN 0 AND 7),"
	"  created        INTEGER NOT NULL,"
	"  modified       INTEGER NOT NULL,"
	"  UNIQUE (note_id, ord)"
	");"
	"CREATE INDEX cards_deck_state_due ON cards (deck_id, state, due);"
	"CREATE INDEX cards_deck_new ON cards (deck_id, position) WHERE state = 0;"

	/* One row per grade, like Anki's revlog (id = Unix ms of the grade).
	 * card_id has no foreign key: history outlives a deleted card.
	 * kind: 0 learn, 1 review, 2 relearn, 3 ahead (studied early),
	 * 4 manual (reset, reschedule).
	 * The prev_* columns are the card as it was before the grade, so undo
	 * can restore it exactly and stats can replay retrievability. */
	"CREATE TABLE revlog ("
	"  id              INTEGER PRIMARY KEY,"
	"  card_id         INTEGER NOT NULL,"
	"  rating          INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 4),"
	"  kind            INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 4),"
	"  state           INTEGER NOT NULL,"
	"  elapsed_days    REAL NOT NULL DEFAULT 0,"
	"  scheduled_days  REAL NOT NULL DEFAULT 0,"
	"  stability       REAL NOT NULL DEFAULT 0,"
	"  difficulty      REAL NOT NULL DEFAULT 0,"
	"  due             INTEGER NOT NULL DEFAULT 0,"
	"  answer_ms       INTEGER NOT NULL DEFAULT 0,"
	"  prev_state      INTEGER NOT NULL DEFAULT 0,"
	"  prev_due        INTEGER NOT NULL DEFAULT 0,"
	"  prev_stability  REAL NOT NULL DEFAULT 0,"
	"  prev_difficulty REAL NOT NULL DEFAULT 0,"
	"  prev_last_review INTEGER,"
	"  prev_scheduled_days INTEGER NOT NULL DEFAULT 0,"
	"  prev_step       INTEGER NOT NULL DEFAULT 0,"
	"  prev_reps       INTEGER NOT NULL DEFAULT 0,"
	"  prev_lapses     INTEGER NOT NULL DEFAULT 0,"
	"  prev_suspended  INTEGER NOT NULL DEFAULT 0,"
	"  prev_buried_until INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX revlog_card ON revlog (card_id, id);"
	/* The statistics walk a period's grades a study day at a time, by kind
	 * and rating; this index holds every column they read, so they never
	 * touch the table (all figures on 1,000,000 rows well under 150 ms). */
	"CREATE INDEX revlog_stats ON revlog (kind, rating, id,"
	"  prev_scheduled_days, answer_ms, elapsed_days, prev_stability, card_id);",

	/* The browser's sort by sort field: sort_key is
	 * search_sort_key(sort_field), the first 8 bytes of the case-folded
	 * text as an integer, so the first page of a search is a walk of
	 * notes_sort with the rest of a tie sorted in C (db-search.c). An
	 * integer index costs the import less than one on the text would.
	 * lemma_sort_key() is db.c's, registered before migrating. */
	"ALTER TABLE notes ADD COLUMN sort_key INTEGER;"
	"UPDATE notes SET sort_key = lemma_sort_key(sort_field);"
	"CREATE INDEX notes_sort ON notes (sort_key);",
};

#define DB_NMIGRATIONS	(sizeof db_migrations / sizeof db_migrations[0])

#endif
