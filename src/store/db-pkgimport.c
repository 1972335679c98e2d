/*
 * db-pkgimport.c - the SQL of an Anki package import (db-pkgimport.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db-int.h"
#include "lemma/base/text.h"
#include "lemma/base/xmalloc.h"
#include "lemma/store/db-pkgimport.h"

enum {
	NT_FROM, NT_NEXT_ID, NT_NAME, PRESET_EXISTS, DECK_PRESET, ANY_DECK,
	NOTE_GUID, NOTE_TEXT, NOTE_ID_TAKEN, NOTE_ADD, NOTE_UPDATE, NOTE_MARK,
	CARD_EXISTS, CARD_ID_TAKEN, CARD_ADD, CARD_MEMORY, NEXT_POS, REV_ADD,
	REV_FLUSH, REV_CLEAR, REV_EXISTS,
	NSTMT
};

static const char *const sql_text[NSTMT] = {
	[NT_FROM] = "SELECT id FROM notetypes WHERE original_id = ?1 "
	    "ORDER BY id",
	[NT_NEXT_ID] = "SELECT max(?1, coalesce(max(id), 0) + 1) FROM notetypes",
	[NT_NAME] = "SELECT 1 FROM notetypes WHERE name = ?1 COLLATE NOCASE",
	[PRESET_EXISTS] = "SELECT 1 FROM deck_config WHERE id = ?",
	[DECK_PRESET] = "UPDATE decks SET config_id = ?2 WHERE id = ?1",
	[ANY_DECK] = "SELECT coalesce(min(id), 0) FROM decks",
	[NOTE_GUID] = "SELECT id, notetype, modified FROM notes WHERE guid = ?",
	[NOTE_TEXT] = "SELECT fields, tags FROM notes WHERE id = ?",
	[NOTE_ID_TAKEN] = "SELECT 1 FROM notes WHERE id = ?",
	[NOTE_ADD] = "INSERT INTO notes (id, guid, notetype, deck_id, fields, "
	    "sort_field, sort_key, sort_text, tags, is_html, created, modified) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?10, ?11, ?7, 1, ?8, ?9)",
	[NOTE_UPDATE] = "UPDATE notes SET fields = ?2, sort_field = ?3, "
	    "sort_key = ?6, sort_text = ?7, tags = ?4, modified = ?5, "
	    "is_html = 1 WHERE id = ?1",
	[NOTE_MARK] = "INSERT INTO temp.pkgimport_notes (id) VALUES (?)",
	[CARD_EXISTS] = "SELECT 1 FROM cards WHERE note_id = ?1 AND ord = ?2",
	/* A card id is never used twice (db-schema.h, migration 3): not
	 * one a card has, nor one the log keeps for a deleted card. */
	[CARD_ID_TAKEN] = "SELECT 1 WHERE EXISTS (SELECT 1 FROM cards WHERE "
	    "id = ?1) OR EXISTS (SELECT 1 FROM revlog WHERE card_id = ?1)",
	/* The card's state in db_study_bind_card_state's order (?5-?13). */
	[CARD_ADD] = "INSERT INTO cards (id, note_id, ord, deck_id, state, "
	    "due, stability, difficulty, last_review, scheduled_days, step, "
	    "reps, lapses, position, suspended, buried_until, flag, created, "
	    "modified) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
	    "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
	[CARD_MEMORY] = "UPDATE cards SET stability = ?2, difficulty = ?3, "
	    "last_review = coalesce(?4, last_review), mod = mod + 1 "
	    "WHERE id = ?1",
	[NEXT_POS] = "SELECT coalesce(max(position), 0) + 1 FROM cards",
	[REV_ADD] = NULL,	/* db_study_revlog_insert_sql, into the stage */
	/* Anki adds a review-log row only if its id is not there. */
	[REV_FLUSH] = "INSERT OR IGNORE INTO revlog SELECT * FROM "
	    "temp.pkgimport_revlog ORDER BY rowid",
	[REV_CLEAR] = "DELETE FROM temp.pkgimport_revlog",
	[REV_EXISTS] = "SELECT 1 FROM revlog WHERE id = ?",
};

/* Review-log rows are staged in a temporary table and written in
 * batches of this many, one INSERT ... SELECT each: a statement per row
 * (its statement journal, its trigger program) cost twice the CPU of
 * sqlite3 copying the same rows. */
#define REV_BATCH	4096

struct db_pkgimport {
	struct db	*db;
	sqlite3_stmt	*st[NSTMT];
	long		 staged;		/* rows in the stage */
	long		 rev_added, rev_there;	/* written, skipped */
	char		*fields, *tags;		/* db_pkgimport_note_text's */
};

int
db_pkgimport_tx_prepare(struct db *db, struct err *e)
{
	/* SQLite keeps a statement journal for each INSERT of a review-log
	 * row (its triggers on the sums may abort it), in a temporary file
	 * once one statement of the transaction has passed 64 KiB: 845,000
	 * writes for 100,000 rows, 30 of a 33 s import. In memory it is a
	 * few pages a row (the pager decides at BEGIN, hence before it). */
	return db_exec(db, "PRAGMA temp_store = MEMORY", e);
}

void
db_pkgimport_tx_done(struct db *db)
{
	struct err ignored;

	err_clear(&ignored);
	db_exec(db, "PRAGMA temp_store = DEFAULT", &ignored);
}

struct db_pkgimport *
db_pkgimport_new(struct db *db, struct err *e)
{
	struct db_pkgimport *p = xcalloc(1, sizeof *p);

	p->db = db;
	/* The notes this import adds, for fix_decks (a few MB at most). */
	if (db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS pkgimport_notes "
	    "(id INTEGER PRIMARY KEY); DELETE FROM temp.pkgimport_notes; "
	    "DROP TABLE IF EXISTS temp.pkgimport_revlog; "
	    "CREATE TEMP TABLE pkgimport_revlog AS SELECT * FROM revlog "
	    "WHERE 0", e) < 0) {
		free(p);
		return NULL;
	}
	for (int i = 0; i < NSTMT; i++) {
		char *sql = NULL;

		/* The log's one INSERT (db-study.c), made to skip a row whose
		 * id is there: Anki adds a review-log row only if unique. */
		if (i == REV_ADD)
			sql = xasprintf("INSERT INTO temp.pkgimport_revlog%s",
			    db_study_revlog_insert_sql +
			    strlen("INSERT INTO revlog"));
		p->st[i] = db_prepare(db, sql != NULL ? sql : sql_text[i], e);
		free(sql);
		if (p->st[i] == NULL) {
			db_pkgimport_free(p);
			return NULL;
		}
	}
	return p;
}

void
db_pkgimport_free(struct db_pkgimport *p)
{
	if (p == NULL)
		return;
	for (int i = 0; i < NSTMT; i++)
		sqlite3_finalize(p->st[i]);
	{
		struct err ignored;

		err_clear(&ignored);
		db_exec(p->db, "DROP TABLE IF EXISTS temp.pkgimport_notes; "
		    "DROP TABLE IF EXISTS temp.pkgimport_revlog", &ignored);
	}
	free(p->fields);
	free(p->tags);
	free(p);
}

/* Step st once for a row: 1 a row, 0 none, -1 (e). st is reset by the
 * caller (through done()). */
static int
row(struct db_pkgimport *p, sqlite3_stmt *st, struct err *e)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	sqlite3_reset(st);
	return db_sql_err(p->db, e, "cannot read the progress file");
}

static int
done(sqlite3_stmt *st, int rc)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

/* A statement of one bound id that answers whether a row exists. */
static int
exists(struct db_pkgimport *p, int which, int64_t id, struct err *e)
{
	sqlite3_stmt *st = p->st[which];

	sqlite3_bind_int64(st, 1, id);
	return done(st, row(p, st, e));
}

static int
write_done(struct db_pkgimport *p, sqlite3_stmt *st, const char *what,
    struct err *e)
{
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_sql_err(p->db, e, what);
		return done(st, -1);
	}
	return done(st, 0);
}

/* ---- note types ------------------------------------------------------------ */

int
db_pkgimport_notetypes_from(struct db_pkgimport *p, int64_t anki_id,
    int64_t *out, size_t max, struct err *e)
{
	sqlite3_stmt *st = p->st[NT_FROM];
	size_t n = 0;
	int rc;

	sqlite3_bind_int64(st, 1, anki_id);
	while ((rc = row(p, st, e)) == 1)
		if (n < max)
			out[n++] = sqlite3_column_int64(st, 0);
	return done(st, rc < 0 ? -1 : (int)n);
}

int64_t
db_pkgimport_notetype_next_id(struct db_pkgimport *p, struct err *e)
{
	sqlite3_stmt *st = p->st[NT_NEXT_ID];
	int rc;
	int64_t id;

	sqlite3_bind_int64(st, 1, NOTETYPE_BUILTIN);
	rc = row(p, st, e);
	id = rc == 1 ? sqlite3_column_int64(st, 0) : -1;
	return done(st, rc) < 0 ? -1 : id;
}

int
db_pkgimport_notetype_name_taken(struct db_pkgimport *p, const char *name,
    struct err *e)
{
	sqlite3_stmt *st = p->st[NT_NAME];

	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	return done(st, row(p, st, e));
}

int
db_pkgimport_notetype_add(struct db_pkgimport *p, const struct notetype *nt,
    int64_t id, int64_t original_id, struct err *e)
{
	sqlite3_stmt *st;

	if ((st = db_prepare(p->db, "INSERT INTO notetypes (id, name, kind, "
	    "sort_field, css, mtime, original_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
	    e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, nt->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, nt->kind == NOTETYPE_KIND_CLOZE);
	sqlite3_bind_int(st, 4, (int)nt->sort_field);
	sqlite3_bind_text(st, 5, nt->css != NULL ? nt->css : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, nt->mtime);
	sqlite3_bind_int64(st, 7, original_id);
	if (db_step_done(p->db, st, e) < 0)
		return -1;
	return db_notetype_add_parts(p->db, id, nt, e);
}

int
db_pkgimport_notetype_update(struct db_pkgimport *p, int64_t id,
    const struct notetype *nt, struct err *e)
{
	sqlite3_stmt *st;

	if ((st = db_prepare(p->db, "UPDATE notetypes SET css = ?2, mtime = ?3, "
	    "sort_field = ?4 WHERE id = ?1", e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, nt->css != NULL ? nt->css : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, nt->mtime);
	sqlite3_bind_int(st, 4, (int)nt->sort_field);
	if (db_step_done(p->db, st, e) < 0)
		return -1;
	if ((st = db_prepare(p->db, "UPDATE nt_templates SET qfmt = ?3, "
	    "afmt = ?4 WHERE notetype = ?1 AND ord = ?2", e)) == NULL)
		return -1;
	for (size_t i = 0; i < nt->ntemplates; i++) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, (int)i);
		sqlite3_bind_text(st, 3, nt->templates[i].qfmt, -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 4, nt->templates[i].afmt, -1,
		    SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_sql_err(p->db, e, "cannot update the note type");
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return 0;
}

/* ---- presets and decks ------------------------------------------------------ */

int
db_pkgimport_preset_exists(struct db_pkgimport *p, int64_t id, struct err *e)
{
	return exists(p, PRESET_EXISTS, id, e);
}

int
db_pkgimport_preset_add(struct db_pkgimport *p, int64_t id,
    const struct deckconf *c, struct err *e)
{
	sqlite3_stmt *st;

	if ((st = db_prepare(p->db, "INSERT INTO deck_config (id, name, "
	    "desired_retention, learning_steps, relearning_steps, "
	    "min_interval, max_interval, new_per_day, reviews_per_day, "
	    "limits_from_top, leech_threshold, leech_action, bury_siblings, "
	    "bury_new, bury_reviews, bury_interday, new_gather_order, "
	    "new_sort_order, new_mix, interday_mix, review_order, fsrs_params) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
	    "?13 OR ?14, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, "
	    "nullif(?21, ''))", e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 3, c->desired_retention);
	sqlite3_bind_text(st, 4, c->learning_steps, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c->relearning_steps, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, c->min_interval);
	sqlite3_bind_int(st, 7, c->max_interval);
	sqlite3_bind_int(st, 8, c->new_per_day);
	sqlite3_bind_int(st, 9, c->reviews_per_day);
	sqlite3_bind_int(st, 10, c->limits_from_top);
	sqlite3_bind_int(st, 11, c->leech_threshold);
	sqlite3_bind_int(st, 12, c->leech_action);
	sqlite3_bind_int(st, 13, c->bury_new);
	sqlite3_bind_int(st, 14, c->bury_reviews);
	sqlite3_bind_int(st, 15, c->bury_interday);
	sqlite3_bind_int(st, 16, c->new_gather_order);
	sqlite3_bind_int(st, 17, c->new_sort_order);
	sqlite3_bind_int(st, 18, c->new_mix);
	sqlite3_bind_int(st, 19, c->interday_mix);
	sqlite3_bind_int(st, 20, c->review_order);
	sqlite3_bind_text(st, 21, c->fsrs_params, -1, SQLITE_STATIC);
	return db_step_done(p->db, st, e);
}

int
db_pkgimport_deck_set_preset(struct db_pkgimport *p, int64_t deck_id,
    int64_t preset_id, struct err *e)
{
	sqlite3_stmt *st = p->st[DECK_PRESET];

	sqlite3_bind_int64(st, 1, deck_id);
	sqlite3_bind_int64(st, 2, preset_id);
	return write_done(p, st, "cannot set the deck's preset", e);
}

int64_t
db_pkgimport_any_deck(struct db_pkgimport *p, struct err *e)
{
	sqlite3_stmt *st = p->st[ANY_DECK];
	int rc = row(p, st, e);
	int64_t id = rc == 1 ? sqlite3_column_int64(st, 0) : 0;

	return done(st, rc) < 0 ? -1 : id;
}

/* ---- notes ------------------------------------------------------------------------ */

int
db_pkgimport_note_by_guid(struct db_pkgimport *p, const char *guid,
    int64_t *id, int64_t *notetype, int64_t *mtime, struct err *e)
{
	sqlite3_stmt *st = p->st[NOTE_GUID];
	int rc;

	sqlite3_bind_text(st, 1, guid, -1, SQLITE_STATIC);
	if ((rc = row(p, st, e)) == 1) {
		*id = sqlite3_column_int64(st, 0);
		*notetype = sqlite3_column_int64(st, 1);
		*mtime = sqlite3_column_int64(st, 2);
	}
	return done(st, rc);
}

int
db_pkgimport_note_text(struct db_pkgimport *p, int64_t id,
    const char **fields, const char **tags, struct err *e)
{
	sqlite3_stmt *st = p->st[NOTE_TEXT];
	int rc;

	sqlite3_bind_int64(st, 1, id);
	if ((rc = row(p, st, e)) == 1) {
		free(p->fields);
		free(p->tags);
		p->fields = db_column_strdup(st, 0);
		p->tags = db_column_strdup(st, 1);
		*fields = p->fields;
		*tags = p->tags;
	}
	return done(st, rc);
}

/* notes.sort_key: of the text the browser sorts by (db-notes.c). */
static int64_t
note_sort_key(const struct db_pkg_note *in)
{
	const char *t = in->sort_text != NULL ? in->sort_text : in->sort_field;

	return text_sort_key(t, strlen(t));
}

int64_t
db_pkgimport_note_add(struct db_pkgimport *p, const struct db_pkg_note *in,
    struct err *e)
{
	sqlite3_stmt *st = p->st[NOTE_ADD];
	int64_t id = in->id > 0 ? in->id : 1;
	int rc;

	/* Anki's uniquify_note_id: the next id 999 up that is free. */
	while ((rc = exists(p, NOTE_ID_TAKEN, id, e)) == 1)
		id += 999;
	if (rc < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, in->guid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, in->notetype);
	sqlite3_bind_int64(st, 4, in->deck_id);
	sqlite3_bind_text(st, 5, in->fields, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, in->sort_field, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, in->tags, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, in->created);
	sqlite3_bind_int64(st, 9, in->mtime);
	sqlite3_bind_int64(st, 10, note_sort_key(in));
	sqlite3_bind_text(st, 11, in->sort_text, -1, SQLITE_STATIC);
	if (write_done(p, st, "cannot add a note", e) < 0)
		return -1;
	sqlite3_bind_int64(p->st[NOTE_MARK], 1, id);
	if (write_done(p, p->st[NOTE_MARK], "cannot add a note", e) < 0)
		return -1;
	return id;
}

int
db_pkgimport_note_update(struct db_pkgimport *p, int64_t id,
    const struct db_pkg_note *in, struct err *e)
{
	sqlite3_stmt *st = p->st[NOTE_UPDATE];

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, in->fields, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, in->sort_field, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, in->tags, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, in->mtime);
	sqlite3_bind_int64(st, 6, note_sort_key(in));
	sqlite3_bind_text(st, 7, in->sort_text, -1, SQLITE_STATIC);
	return write_done(p, st, "cannot update a note", e);
}

int
db_pkgimport_fix_decks(struct db_pkgimport *p, struct err *e)
{
	return db_exec(p->db, "UPDATE notes SET deck_id = coalesce((SELECT "
	    "deck_id FROM cards c WHERE c.note_id = notes.id ORDER BY ord "
	    "LIMIT 1), deck_id) WHERE id IN (SELECT id FROM "
	    "temp.pkgimport_notes); DELETE FROM temp.pkgimport_notes", e);
}

/* ---- cards and the review log ------------------------------------------------------ */

int
db_pkgimport_card_exists(struct db_pkgimport *p, int64_t note_id, int ord,
    struct err *e)
{
	sqlite3_stmt *st = p->st[CARD_EXISTS];

	sqlite3_bind_int64(st, 1, note_id);
	sqlite3_bind_int(st, 2, ord);
	return done(st, row(p, st, e));
}

int64_t
db_pkgimport_card_add(struct db_pkgimport *p, const struct db_pkg_card *c,
    struct err *e)
{
	sqlite3_stmt *st = p->st[CARD_ADD];
	int64_t id = c->id > 0 ? c->id : 1;
	int rc;

	/* Anki's uniquify_card_id. */
	while ((rc = exists(p, CARD_ID_TAKEN, id, e)) == 1)
		id += 999;
	if (rc < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, c->note_id);
	sqlite3_bind_int(st, 3, c->ord);
	sqlite3_bind_int64(st, 4, c->deck_id);
	db_study_bind_card_state(st, 5, &c->f);
	sqlite3_bind_int64(st, 14, c->position);
	sqlite3_bind_int(st, 15, c->suspended);
	sqlite3_bind_int64(st, 16, c->buried_until);
	sqlite3_bind_int(st, 17, c->flag);
	sqlite3_bind_int64(st, 18, c->created);
	sqlite3_bind_int64(st, 19, c->modified);
	if (write_done(p, st, "cannot add a card", e) < 0)
		return -1;
	return id;
}

int
db_pkgimport_card_memory(struct db_pkgimport *p, int64_t id,
    double stability, double difficulty, int64_t last_review, struct err *e)
{
	sqlite3_stmt *st = p->st[CARD_MEMORY];

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_double(st, 2, stability);
	sqlite3_bind_double(st, 3, difficulty);
	if (last_review != 0)
		sqlite3_bind_int64(st, 4, last_review);
	return write_done(p, st, "cannot set a card's memory state", e);
}

int64_t
db_pkgimport_next_position(struct db_pkgimport *p, struct err *e)
{
	sqlite3_stmt *st = p->st[NEXT_POS];
	int rc = row(p, st, e);
	int64_t v = rc == 1 ? sqlite3_column_int64(st, 0) : 1;

	return done(st, rc) < 0 ? -1 : v;
}

int
db_pkgimport_rev_flush(struct db_pkgimport *p, struct err *e)
{
	long added;

	if (p->staged == 0)
		return 0;
	if (write_done(p, p->st[REV_FLUSH], "cannot add the review log",
	    e) < 0)
		return -1;
	added = (long)sqlite3_changes(p->db->sql);
	p->rev_added += added;
	p->rev_there += p->staged - added;
	p->staged = 0;
	return write_done(p, p->st[REV_CLEAR], "cannot add the review log", e);
}

int
db_pkgimport_rev_add(struct db_pkgimport *p, const struct db_study_revlog *r,
    struct err *e)
{
	sqlite3_stmt *st = p->st[REV_ADD];

	db_study_revlog_bind(st, r);
	if (write_done(p, st, "cannot add a review-log row", e) < 0)
		return -1;
	if (++p->staged >= REV_BATCH)
		return db_pkgimport_rev_flush(p, e);
	return 0;
}

void
db_pkgimport_rev_counts(const struct db_pkgimport *p, long *added,
    long *there)
{
	*added = p->rev_added;
	*there = p->rev_there;
}

int
db_pkgimport_rev_exists(struct db_pkgimport *p, int64_t id, struct err *e)
{
	return exists(p, REV_EXISTS, id, e);
}
