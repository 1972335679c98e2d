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

/*
 * Pieces of migration 3 (the grades summed per quarter hour), so that its
 * 26 counters are written once. They are part of that migration's text:
 * like the migration, never change them once it has shipped.
 *
 * The counters: n grades and ms their answer time; then by kind and
 * rating: l1-l4 learn (kind 0), r1-r4 relearn (2), y1-y4 and m1-m4 review
 * (1) of young and mature cards (prev_scheduled_days < 21 or >= 21), ay
 * and am the same for reviews ahead (3).
 */
#define M3_COLS	"n, ms, l1, l2, l3, l4, r1, r2, r3, r4, y1, y2, y3, y4, m1, " \
	"m2, m3, m4, ay1, ay2, ay3, ay4, am1, am2, am3, am4"
#define M3_DEF(c)	c " INTEGER NOT NULL"
#define M3_DEF4(c)	M3_DEF(c "1") ", " M3_DEF(c "2") ", " M3_DEF(c "3") \
	", " M3_DEF(c "4")
#define M3_DEFS	M3_DEF("n") ", " M3_DEF("ms") ", " M3_DEF4("l") ", " \
	M3_DEF4("r") ", " M3_DEF4("y") ", " M3_DEF4("m") ", " M3_DEF4("ay") \
	", " M3_DEF4("am")
#define M3_PLUS(c)	c " = " c " + excluded." c
#define M3_PLUS4(c)	M3_PLUS(c "1") ", " M3_PLUS(c "2") ", " \
	M3_PLUS(c "3") ", " M3_PLUS(c "4")
#define M3_UPSERT(key)	" ON CONFLICT (" key ") DO UPDATE SET " \
	M3_PLUS("n") ", " M3_PLUS("ms") ", " M3_PLUS4("l") ", " \
	M3_PLUS4("r") ", " M3_PLUS4("y") ", " M3_PLUS4("m") ", " \
	M3_PLUS4("ay") ", " M3_PLUS4("am")
/* The quarter hour of revlog id (Unix ms), rounding down before 1970. */
#define M3_BUCKET(id)	"(" id " - (" id " < 0) * 899999) / 900000"
/* A grade: kinds 0-3 with a rating (kind 4 is a manual change). */
#define M3_GRADE(t)	t "kind BETWEEN 0 AND 3 AND " t "rating BETWEEN 1 AND 4"
/* The 24 counts by kind and rating, each wrapped by W, columns of t. */
#define M3_RATINGS(W, t, k, age) \
	W(t "kind = " k " AND " t "rating = 1" age) ", " \
	W(t "kind = " k " AND " t "rating = 2" age) ", " \
	W(t "kind = " k " AND " t "rating = 3" age) ", " \
	W(t "kind = " k " AND " t "rating = 4" age)
#define M3_CELLS(W, t) \
	M3_RATINGS(W, t, "0", "") ", " M3_RATINGS(W, t, "2", "") ", " \
	M3_RATINGS(W, t, "1", " AND " t "prev_scheduled_days < 21") ", " \
	M3_RATINGS(W, t, "1", " AND " t "prev_scheduled_days >= 21") ", " \
	M3_RATINGS(W, t, "3", " AND " t "prev_scheduled_days < 21") ", " \
	M3_RATINGS(W, t, "3", " AND " t "prev_scheduled_days >= 21")
#define M3_SUM(x)	"sum(" x ")"
#define M3_NEG_SUM(x)	"-sum(" x ")"
#define M3_ONE(x)	"(" x ")"
#define M3_NEG_ONE(x)	"-(" x ")"
/* The counters of a group of rows (t: their table's prefix), added or
 * taken away; and of the one row r ("NEW." or "OLD."). */
#define M3_AGG(t)	"count(*), sum(" t "answer_ms), " M3_CELLS(M3_SUM, t)
#define M3_NEG_AGG	"-count(*), -sum(answer_ms), " M3_CELLS(M3_NEG_SUM, "")
#define M3_ROW(r)	"1, " r "answer_ms, " M3_CELLS(M3_ONE, r)
#define M3_NEG_ROW(r)	"-1, -" r "answer_ms, " M3_CELLS(M3_NEG_ONE, r)
/* Row r of the log added to the collection's sums and its card's deck's. */
#define M3_ADD_ROW(r) \
	"INSERT INTO revlog_sum (bucket, " M3_COLS ") SELECT " \
	M3_BUCKET(r "id") ", " M3_ROW(r) " WHERE " M3_GRADE(r) \
	M3_UPSERT("bucket") "; " \
	"INSERT INTO revlog_deck_sum (deck_id, bucket, " M3_COLS ") SELECT " \
	"c.deck_id, " M3_BUCKET(r "id") ", " M3_ROW(r) " FROM cards c WHERE " \
	"c.id = " r "card_id AND " M3_GRADE(r) M3_UPSERT("deck_id, bucket") ";"
/* Row r taken away from both, and the sums it leaves at 0 deleted. */
#define M3_TAKE_ROW(r) \
	"INSERT INTO revlog_sum (bucket, " M3_COLS ") SELECT " \
	M3_BUCKET(r "id") ", " M3_NEG_ROW(r) " WHERE " M3_GRADE(r) \
	M3_UPSERT("bucket") "; " \
	"DELETE FROM revlog_sum WHERE bucket = " M3_BUCKET(r "id") \
	" AND n = 0; " \
	"INSERT INTO revlog_deck_sum (deck_id, bucket, " M3_COLS ") SELECT " \
	"c.deck_id, " M3_BUCKET(r "id") ", " M3_NEG_ROW(r) " FROM cards c " \
	"WHERE c.id = " r "card_id AND " M3_GRADE(r) \
	M3_UPSERT("deck_id, bucket") "; " \
	"DELETE FROM revlog_deck_sum WHERE deck_id = (SELECT deck_id FROM " \
	"cards WHERE id = " r "card_id) AND bucket = " M3_BUCKET(r "id") \
	" AND n = 0;"
/* Card OLD's history taken away from its deck's sums. */
#define M3_TAKE_CARD \
	"INSERT INTO revlog_deck_sum (deck_id, bucket, " M3_COLS ") SELECT " \
	"OLD.deck_id, " M3_BUCKET("id") ", " M3_NEG_AGG " FROM revlog WHERE " \
	"card_id = OLD.id AND " M3_GRADE("") " GROUP BY 2" \
	M3_UPSERT("deck_id, bucket") "; " \
	"DELETE FROM revlog_deck_sum WHERE deck_id = OLD.deck_id AND n = 0 " \
	"AND bucket IN (SELECT " M3_BUCKET("id") " FROM revlog WHERE " \
	"card_id = OLD.id);"

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
	/* The statistics' walks of the review log by kind, rating and time;
	 * it holds every column they read, so they never touch the table.
	 * Migration 3 replaces it with sums and a narrower index. */
	"CREATE INDEX revlog_stats ON revlog (kind, rating, id,"
	"  prev_scheduled_days, answer_ms, elapsed_days, prev_stability, card_id);",

	/* 1 -> 2: the browser's sort by sort field: sort_key is
	 * text_sort_key(sort_field), the first 8 bytes of the case-folded
	 * text as an integer, so the first page of a search is a walk of
	 * notes_sort with the rest of a tie sorted in C (db-search.c). An
	 * integer index costs the import less than one on the text would.
	 * lemma_sort_key() is db.c's, registered before migrating. */
	"ALTER TABLE notes ADD COLUMN sort_key INTEGER;"
	"UPDATE notes SET sort_key = lemma_sort_key(sort_field);"
	"CREATE INDEX notes_sort ON notes (sort_key);",

	/*
	 * 2 -> 3: the grades summed per UTC quarter hour, for the statistics.
	 * Walking a year of the log a study day at a time cost 0.2-0.9 s on
	 * 1,000,000 rows; the sums hold the same counts in a few thousand
	 * rows. A quarter hour, not a day: study days begin at the rollover
	 * hour of local time and move with DST and the time zone, and every
	 * zone in use since 1972 is a whole number of quarter hours from UTC,
	 * so day and local-hour boundaries fall between buckets (a bucket a
	 * boundary splits is read from the log). bucket = floor(id / 900000).
	 * n grades (kind 0-3, rating 1-4) and ms their answer time; then
	 * counts by kind and rating: l learn (kind 0), r relearn (2), y and m
	 * review (1) young and mature (prev_scheduled_days < 21 or >= 21), ay
	 * and am ahead (3). revlog_sum is the collection's; revlog_deck_sum
	 * counts each row under its card's deck now (the statistics of a deck
	 * are its cards' history), so the triggers on cards move the sums
	 * with a card and drop them with a deleted one. Rows reaching n = 0
	 * are deleted.
	 * What the sums cannot hold is each review's memory state, which the
	 * predicted retrievability needs: revlog_review_states holds just
	 * those rows and columns in time order, a third of revlog_stats,
	 * which nothing reads any more.
	 */
	/* Card ids are never used twice: the history of a deleted card stays
	 * in the log under its id, and a new card with that id would take it
	 * over (in the sums, the card's own history, any replay). SQLite
	 * reuses the highest rowid once its row is gone; AUTOINCREMENT does
	 * not. The table is made again with it (nothing refers to cards by a
	 * foreign key), and the counter starts above every id in the log. A
	 * trigger on each inserted card did this job before, at a tenth of a
	 * large import. */
	"CREATE TABLE cards_new ("
	"  id             INTEGER PRIMARY KEY AUTOINCREMENT,"
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
	"INSERT INTO cards_new SELECT * FROM cards;"
	"DROP TABLE cards;"
	"ALTER TABLE cards_new RENAME TO cards;"
	"CREATE INDEX cards_deck_state_due ON cards (deck_id, state, due);"
	"CREATE INDEX cards_deck_new ON cards (deck_id, position) WHERE state = 0;"
	"DELETE FROM sqlite_sequence WHERE name = 'cards';"
	"INSERT INTO sqlite_sequence (name, seq) VALUES ('cards',"
	"  max(coalesce((SELECT max(id) FROM cards), 0),"
	"      coalesce((SELECT max(card_id) FROM revlog), 0)));"
	"DROP INDEX revlog_stats;"
	"CREATE INDEX revlog_review_states ON revlog (id, elapsed_days,"
	"  prev_stability, card_id)"
	"  WHERE kind = 1 AND rating BETWEEN 1 AND 4 AND prev_stability > 0;"
	"CREATE TABLE revlog_sum (bucket INTEGER PRIMARY KEY, " M3_DEFS ");"
	"CREATE TABLE revlog_deck_sum (deck_id INTEGER NOT NULL, bucket "
	"INTEGER NOT NULL, " M3_DEFS ", PRIMARY KEY (deck_id, bucket)) "
	"WITHOUT ROWID;"
	/* Filled from the history there is. */
	"INSERT INTO revlog_sum (bucket, " M3_COLS ") SELECT " M3_BUCKET("id")
	", " M3_AGG("") " FROM revlog WHERE " M3_GRADE("") " GROUP BY 1;"
	"INSERT INTO revlog_deck_sum (deck_id, bucket, " M3_COLS ") SELECT "
	"c.deck_id, " M3_BUCKET("r.id") ", " M3_AGG("r.") " FROM revlog r "
	"JOIN cards c ON c.id = r.card_id WHERE " M3_GRADE("r.")
	" GROUP BY 1, 2;"
	/* A grade adds itself; undo (a deleted row) takes itself away. */
	"CREATE TRIGGER revlog_sum_insert AFTER INSERT ON revlog BEGIN "
	M3_ADD_ROW("NEW.") " END;"
	"CREATE TRIGGER revlog_sum_delete AFTER DELETE ON revlog BEGIN "
	M3_TAKE_ROW("OLD.") " END;"
	/* An edited row (nothing in lemma edits one; a tool might). */
	"CREATE TRIGGER revlog_sum_update AFTER UPDATE OF id, card_id, rating, "
	"kind, answer_ms, prev_scheduled_days ON revlog BEGIN "
	M3_TAKE_ROW("OLD.") " " M3_ADD_ROW("NEW.") " END;"
	/* A card's history follows it to another deck and leaves with it. A
	 * new card never brings any: card ids are AUTOINCREMENT from here on
	 * (above), so no new card takes a deleted card's id. */
	"CREATE TRIGGER revlog_deck_sum_move AFTER UPDATE OF id, deck_id ON "
	"cards WHEN OLD.deck_id IS NOT NEW.deck_id OR OLD.id IS NOT NEW.id "
	"BEGIN " M3_TAKE_CARD " "
	"INSERT INTO revlog_deck_sum (deck_id, bucket, " M3_COLS ") SELECT "
	"NEW.deck_id, " M3_BUCKET("id") ", " M3_AGG("") " FROM revlog WHERE "
	"card_id = NEW.id AND " M3_GRADE("") " GROUP BY 2"
	M3_UPSERT("deck_id, bucket") "; END;"
	"CREATE TRIGGER revlog_deck_sum_card_delete AFTER DELETE ON cards "
	"BEGIN " M3_TAKE_CARD " END;",

	/*
	 * 3 -> 4: imports never drop progress (issue 14).
	 * cards.empty: 1 for a card whose cloze number is no longer in its
	 * note. Anki never deletes a card when a note changes: the card stays,
	 * with its state and history, until Empty Cards removes it, and comes
	 * back as it was when the number does. A column, not a test of the
	 * note's text, so that study's queries stay on the cards indexes;
	 * only db-notes.c sets it, from the numbers it reads anyway. The
	 * statistics' sums follow deck_id and id only, so they are untouched.
	 * notes_first_field: a re-import finds a note by note type and first
	 * field in the whole collection, as Anki does, where it looked in
	 * one deck (notes_deck_sort, which nothing else reads).
	 */
	"ALTER TABLE cards ADD COLUMN empty INTEGER NOT NULL DEFAULT 0;"
	"DROP INDEX notes_deck_sort;"
	"CREATE INDEX notes_first_field ON notes (sort_field, notetype);",

	/*
	 * 4 -> 5: cards.mod, a stamp that every change of a card row moves
	 * on, so that undo can tell whether the card is still as its grade
	 * left it. Two lemmas on one file (or the browser, or any tool) may
	 * change a card after a grade; undoing the grade then would restore
	 * the card over that change and drop its row from the log, leaving
	 * card and history out of step. A counter, not the time: grades
	 * within one second (or one --now) must still differ. lemma's own
	 * UPDATEs set mod = mod + 1; the trigger moves it on for any other
	 * (a tool, a statement that forgot), so no writer goes unseen. Its
	 * second UPDATE per row made a bulk change of 100,000 cards 3.5
	 * times slower (0.13 -> 0.47 s), hence lemma's own. Recursive
	 * triggers are off, so its own UPDATE does not fire it again.
	 */
	"ALTER TABLE cards ADD COLUMN mod INTEGER NOT NULL DEFAULT 0;"
	"CREATE TRIGGER cards_mod AFTER UPDATE ON cards WHEN NEW.mod IS OLD.mod "
	"BEGIN UPDATE cards SET mod = OLD.mod + 1 WHERE id = NEW.id; END;",

	/*
	 * 5 -> 6: note types as data, as Anki's schema 18 keeps them
	 * (rslib/src/storage/upgrades/schema15_upgrade.sql: notetypes,
	 * fields, templates): a type's name, kind (0 normal, 1 cloze), sort
	 * field and CSS (kept, not shown); its fields in order; its card
	 * templates with their question and answer formats. The five types
	 * Anki ships are rows here with stock.rs's field names and template
	 * texts; ids 0-2 are the ones notes.notetype already held (0 Basic,
	 * 1 Basic (and reversed card), 2 Cloze), so no note changes, and 3-4
	 * are new. notes is made again without its CHECK (notetype BETWEEN 0
	 * AND 2) and with notetype referring to notetypes: db.c runs
	 * migrations with foreign keys off, so dropping the old notes table
	 * takes no card with it, and checks them before the commit.
	 */
	"CREATE TABLE notetypes ("
	"  id         INTEGER PRIMARY KEY,"
	"  name       TEXT NOT NULL UNIQUE,"
	"  kind       INTEGER NOT NULL DEFAULT 0 CHECK (kind IN (0, 1)),"
	"  sort_field INTEGER NOT NULL DEFAULT 0 CHECK (sort_field >= 0),"
	"  css        TEXT NOT NULL DEFAULT '',"
	"  mtime      INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE nt_fields ("
	"  notetype INTEGER NOT NULL REFERENCES notetypes (id) ON DELETE CASCADE,"
	"  ord      INTEGER NOT NULL CHECK (ord >= 0),"
	"  name     TEXT NOT NULL,"
	"  PRIMARY KEY (notetype, ord),"
	"  UNIQUE (notetype, name)"
	") WITHOUT ROWID;"
	"CREATE TABLE nt_templates ("
	"  notetype INTEGER NOT NULL REFERENCES notetypes (id) ON DELETE CASCADE,"
	"  ord      INTEGER NOT NULL CHECK (ord >= 0),"
	"  name     TEXT NOT NULL,"
	"  qfmt     TEXT NOT NULL,"
	"  afmt     TEXT NOT NULL,"
	"  PRIMARY KEY (notetype, ord),"
	"  UNIQUE (notetype, name)"
	") WITHOUT ROWID;"
	"INSERT INTO notetypes (id, name, kind) VALUES"
	"  (0, 'Basic', 0), (1, 'Basic (and reversed card)', 0), (2, 'Cloze', 1),"
	"  (3, 'Basic (optional reversed card)', 0),"
	"  (4, 'Basic (type in the answer)', 0);"
	"INSERT INTO nt_fields (notetype, ord, name) VALUES"
	"  (0, 0, 'Front'), (0, 1, 'Back'), (1, 0, 'Front'), (1, 1, 'Back'),"
	"  (2, 0, 'Text'), (2, 1, 'Back Extra'), (3, 0, 'Front'), (3, 1, 'Back'),"
	"  (3, 2, 'Add Reverse'), (4, 0, 'Front'), (4, 1, 'Back');"
	"INSERT INTO nt_templates (notetype, ord, name, qfmt, afmt) VALUES"
	"  (0, 0, 'Card 1', '{{Front}}',"
	"   '{{FrontSide}}' || char(10, 10) || '<hr id=answer>' || char(10, 10)"
	"   || '{{Back}}'),"
	"  (1, 0, 'Card 1', '{{Front}}',"
	"   '{{FrontSide}}' || char(10, 10) || '<hr id=answer>' || char(10, 10)"
	"   || '{{Back}}'),"
	"  (1, 1, 'Card 2', '{{Back}}',"
	"   '{{FrontSide}}' || char(10, 10) || '<hr id=answer>' || char(10, 10)"
	"   || '{{Front}}'),"
	"  (2, 0, 'Cloze', '{{cloze:Text}}',"
	"   '{{cloze:Text}}<br>' || char(10) || '{{Back Extra}}'),"
	"  (3, 0, 'Card 1', '{{Front}}',"
	"   '{{FrontSide}}' || char(10, 10) || '<hr id=answer>' || char(10, 10)"
	"   || '{{Back}}'),"
	"  (3, 1, 'Card 2', '{{#Add Reverse}}{{Back}}{{/Add Reverse}}',"
	"   '{{FrontSide}}' || char(10, 10) || '<hr id=answer>' || char(10, 10)"
	"   || '{{Front}}'),"
	"  (4, 0, 'Card 1', '{{Front}}' || char(10, 10) || '{{type:Back}}',"
	"   '{{Front}}' || char(10, 10) || '<hr id=answer>' || char(10, 10)"
	"   || '{{type:Back}}');"
	"CREATE TABLE notes_new ("
	"  id         INTEGER PRIMARY KEY,"
	"  guid       TEXT NOT NULL UNIQUE,"
	"  notetype   INTEGER NOT NULL DEFAULT 0 REFERENCES notetypes (id),"
	"  deck_id    INTEGER NOT NULL REFERENCES decks (id),"
	"  fields     TEXT NOT NULL,"
	"  sort_field TEXT NOT NULL,"
	"  tags       TEXT NOT NULL DEFAULT '',"
	"  is_html    INTEGER NOT NULL DEFAULT 0,"
	"  source     TEXT,"
	"  created    INTEGER NOT NULL,"
	"  modified   INTEGER NOT NULL,"
	"  sort_key   INTEGER"
	");"
	"INSERT INTO notes_new (id, guid, notetype, deck_id, fields, sort_field,"
	"  tags, is_html, source, created, modified, sort_key)"
	"  SELECT id, guid, notetype, deck_id, fields, sort_field, tags,"
	"  is_html, source, created, modified, sort_key FROM notes;"
	"DROP TABLE notes;"
	"ALTER TABLE notes_new RENAME TO notes;"
	"CREATE INDEX notes_sort ON notes (sort_key);"
	"CREATE INDEX notes_first_field ON notes (sort_field, notetype);",

	/*
	 * 6 -> 7: deck options presets as Anki's v3 scheduler has them
	 * (issue 17). bury_siblings becomes Anki's three switches (new,
	 * review, interday learning siblings), the first two from it; the
	 * orders are Anki's enums' numbers (see deckconf.h); min_interval is
	 * the least interval of a review, in days; limits_from_top is Anki's
	 * "apply all parent limits". The day boundary is the collection's,
	 * as Anki's "next day starts at": it moves from the Default preset
	 * into the settings, beside the learn-ahead limit (minutes).
	 */
	"ALTER TABLE deck_config ADD COLUMN bury_new INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE deck_config ADD COLUMN bury_reviews INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE deck_config ADD COLUMN bury_interday INTEGER NOT NULL DEFAULT 0;"
	"UPDATE deck_config SET bury_new = bury_siblings != 0, "
	"  bury_reviews = bury_siblings != 0;"
	"ALTER TABLE deck_config ADD COLUMN min_interval INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE deck_config ADD COLUMN new_gather_order INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE deck_config ADD COLUMN new_sort_order INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE deck_config ADD COLUMN new_mix INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE deck_config ADD COLUMN interday_mix INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE deck_config ADD COLUMN review_order INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE deck_config ADD COLUMN limits_from_top INTEGER NOT NULL DEFAULT 0;"
	/* The presets there are keep the orders lemma had (new cards as
	 * gathered, interday learning before reviews); a new preset takes
	 * Anki's defaults (card type first, mixed with reviews). */
	"UPDATE deck_config SET new_sort_order = 1, interday_mix = 2;"
	"INSERT OR IGNORE INTO settings (key, value) SELECT 'next_day_starts_at', "
	"  rollover_hour FROM deck_config ORDER BY id != 1, id LIMIT 1;"
	"INSERT OR IGNORE INTO settings (key, value) VALUES ('learn_ahead_mins', "
	"  '20');",

	/*
	 * 7 -> 8: Anki package import (issue 16). notetypes.original_id is
	 * the id a note type had in the Anki collection it came from, as
	 * Anki's NotetypeConfig.original_id: a package whose type changed
	 * since an earlier import makes a new type, and importing it again
	 * finds that one instead of making a third. NULL for lemma's own.
	 */
	"ALTER TABLE notetypes ADD COLUMN original_id INTEGER;"
	"CREATE INDEX notetypes_original ON notetypes (original_id) "
	"  WHERE original_id IS NOT NULL;",
};

#define DB_NMIGRATIONS	(sizeof db_migrations / sizeof db_migrations[0])

#endif
