/* db-export.c - the rows of an export to an Anki package; see db-export.h. */
#include "config.h"

#include "lemma/store/db-export.h"

#include <stdlib.h>
#include <string.h>

#include "db-int.h"
#include "lemma/base/xmalloc.h"
#include "lemma/store/db-decks.h"
#include "lemma/store/db-notetypes.h"

struct db_export {
	struct db	*db;
	int		 open;	/* the read snapshot is held */
	int		 whole;	/* every deck, preset and note type */
};

int64_t
db_export_small_id(int64_t id)
{
	if (id >= DB_EXPORT_ANKI_ID_MIN)
		return id;
	return DB_EXPORT_ANKI_ID_MIN + id;
}

/*
 * Give every row of table (notes or cards) its Anki id into temp.name:
 * created * 1000 in (created, id) order, moved on past the one before;
 * an id that is Anki's already is where its row is taken. One pass over
 * the rows, whatever the selection, so that the ids do not depend on it.
 */
static int
assign_ids(struct db *db, const char *table, const char *name, struct err *e)
{
	sqlite3_stmt *rd = NULL, *wr = NULL;
	char sql[512];
	int64_t prev = 0;
	int rc, ret = -1;

	snprintf(sql, sizeof sql, "CREATE TEMP TABLE %s (id INTEGER PRIMARY "
	    "KEY, anki INTEGER NOT NULL, sel INTEGER NOT NULL DEFAULT 0)",
	    name);
	if (db_exec(db, sql, e) < 0)
		return -1;
	snprintf(sql, sizeof sql, "SELECT id, CASE WHEN id >= %lld THEN id "
	    "ELSE created * 1000 END AS k FROM main.%s ORDER BY k, id",
	    (long long)DB_EXPORT_ANKI_ID_MIN, table);
	if ((rd = db_prepare(db, sql, e)) == NULL)
		return -1;
	snprintf(sql, sizeof sql, "INSERT INTO temp.%s (id, anki) VALUES "
	    "(?1, ?2)", name);
	if ((wr = db_prepare(db, sql, e)) == NULL)
		goto out;
	while ((rc = sqlite3_step(rd)) == SQLITE_ROW) {
		int64_t k = sqlite3_column_int64(rd, 1);

		if (k <= prev)
			k = prev + 1;
		prev = k;
		sqlite3_bind_int64(wr, 1, sqlite3_column_int64(rd, 0));
		sqlite3_bind_int64(wr, 2, k);
		if (sqlite3_step(wr) != SQLITE_DONE) {
			db_sql_err(db, e, "cannot number the export");
			goto out;
		}
		sqlite3_reset(wr);
	}
	if (rc != SQLITE_DONE) {
		db_sql_err(db, e, "cannot read the rows to export");
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	return ret;
}

/* Mark the notes to export (with a card in the subtree of deck_id, or
 * all) and their cards. */
static int
select_rows(struct db *db, int64_t deck_id, struct err *e)
{
	sqlite3_stmt *st;
	int64_t *ids = NULL;
	size_t n = 0;

	if (deck_id == 0)
		return db_exec(db, "UPDATE temp.x_notes SET sel = 1; "
		    "UPDATE temp.x_cards SET sel = 1;", e);
	if (db_deck_subtree(db, deck_id, &ids, &n, e) < 0)
		return -1;
	if (db_exec(db, "CREATE TEMP TABLE x_decks (id INTEGER PRIMARY KEY)",
	    e) < 0 || (st = db_prepare(db, "INSERT INTO temp.x_decks (id) "
	    "VALUES (?)", e)) == NULL) {
		free(ids);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			free(ids);
			return db_sql_err(db, e, "cannot select the decks");
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	free(ids);
	/* Anki's gather: the notes a deck search finds, then all their
	 * cards, wherever they are filed. */
	return db_exec(db, "UPDATE temp.x_notes SET sel = 1 WHERE id IN "
	    "(SELECT note_id FROM main.cards WHERE deck_id IN "
	    "(SELECT id FROM temp.x_decks)); "
	    "UPDATE temp.x_cards SET sel = 1 WHERE id IN (SELECT c.id FROM "
	    "main.cards c JOIN temp.x_notes n ON n.id = c.note_id "
	    "WHERE n.sel);", e);
}

struct db_export *
db_export_open(struct db *db, int64_t deck_id, int whole, struct err *e)
{
	struct db_export *x = xcalloc(1, sizeof *x);

	x->db = db;
	x->whole = whole && deck_id == 0;
	/* A deferred transaction: the first read takes the snapshot every
	 * later read sees, and writes go to the temporary tables only. */
	if (db_exec(db, "BEGIN", e) < 0) {
		free(x);
		return NULL;
	}
	x->open = 1;
	if (assign_ids(db, "notes", "x_notes", e) < 0 ||
	    assign_ids(db, "cards", "x_cards", e) < 0 ||
	    select_rows(db, deck_id, e) < 0) {
		db_export_close(x);
		return NULL;
	}
	return x;
}

void
db_export_close(struct db_export *x)
{
	if (x == NULL)
		return;
	if (x->open) {
		struct err ignore;

		/* Rolls back the temporary tables too: nothing stays. */
		db_exec(x->db, "ROLLBACK", &ignore);
	}
	free(x);
}

static int
count_of(struct db_export *x, const char *sql, int64_t *out, struct err *e)
{
	sqlite3_stmt *st = db_prepare(x->db, sql, e);
	int rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_sql_err(x->db, e, "cannot count");
}

int
db_export_counts(struct db_export *x, struct db_export_counts *n,
    struct err *e)
{
	memset(n, 0, sizeof *n);
	if (count_of(x, "SELECT count(*) FROM temp.x_notes WHERE sel",
	    &n->notes, e) < 0 ||
	    count_of(x, "SELECT count(*) FROM temp.x_cards WHERE sel",
	    &n->cards, e) < 0 ||
	    count_of(x, "SELECT count(*) FROM main.revlog r JOIN temp.x_cards "
	    "x ON x.id = r.card_id WHERE x.sel", &n->revlog, e) < 0)
		return -1;
	return 0;
}

int
db_export_first_time(struct db_export *x, int64_t *when, struct err *e)
{
	return count_of(x, "SELECT coalesce(min(t), 0) FROM ("
	    "SELECT min(created) AS t FROM main.decks UNION ALL "
	    "SELECT min(created) FROM main.notes UNION ALL "
	    "SELECT min(created) FROM main.cards UNION ALL "
	    "SELECT min(id) / 1000 FROM main.revlog)", when, e);
}

int
db_export_max_position(struct db_export *x, int64_t *pos, struct err *e)
{
	return count_of(x, "SELECT coalesce(max(position), 0) FROM main.cards",
	    pos, e);
}

/* The ids the first column of sql gives, into a new array. */
static int
id_list(struct db_export *x, const char *sql, int64_t **ids, size_t *n,
    struct err *e)
{
	sqlite3_stmt *st = db_prepare(x->db, sql, e);
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		VEC_RESERVE(*ids, cap, *n + 1, 8);
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		return db_sql_err(x->db, e, "cannot read the export");
	}
	return 0;
}

int
db_export_each_notetype(struct db_export *x,
    int (*fn)(void *arg, const struct notetype *, int64_t, struct err *),
    void *arg, struct err *e)
{
	sqlite3_stmt *orig;
	int64_t *ids;
	size_t n;
	int rc = 0;

	if (id_list(x, x->whole ? "SELECT id FROM main.notetypes ORDER BY 1" :
	    "SELECT DISTINCT n.notetype FROM main.notes n JOIN temp.x_notes "
	    "x ON x.id = n.id WHERE x.sel ORDER BY 1", &ids, &n, e) < 0)
		return -1;
	if ((orig = db_prepare(x->db, "SELECT coalesce(original_id, 0) FROM "
	    "main.notetypes WHERE id = ?1", e)) == NULL) {
		free(ids);
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct notetype nt;
		int64_t from = 0;

		sqlite3_bind_int64(orig, 1, ids[i]);
		if (sqlite3_step(orig) == SQLITE_ROW)
			from = sqlite3_column_int64(orig, 0);
		sqlite3_reset(orig);
		if ((rc = db_notetype_get(x->db, ids[i], &nt, e)) < 0)
			break;
		rc = fn(arg, &nt, from, e);
		notetype_free(&nt);
	}
	sqlite3_finalize(orig);
	free(ids);
	return rc;
}

/* The decks of the selected cards, and every deck whose name is a parent
 * of one of theirs ("A" and "A::B" for "A::B::C"). */
#define EXPORT_DECKS \
	"WITH used(name) AS (SELECT name FROM main.decks WHERE id IN " \
	"(SELECT c.deck_id FROM main.cards c JOIN temp.x_cards x ON " \
	"x.id = c.id WHERE x.sel)) " \
	"SELECT d.id, d.name, d.config_id, d.created FROM main.decks d " \
	"WHERE EXISTS (SELECT 1 FROM used u WHERE u.name = d.name OR " \
	"substr(u.name, 1, length(d.name) + 2) = d.name || '::') "

int
db_export_each_deck(struct db_export *x,
    int (*fn)(void *arg, const struct db_export_deck *, struct err *),
    void *arg, struct err *e)
{
	sqlite3_stmt *st = db_prepare(x->db, x->whole ? "SELECT id, name, "
	    "config_id, created FROM main.decks ORDER BY name" : EXPORT_DECKS
	    "ORDER BY d.name", e);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_export_deck d;

		d.id = sqlite3_column_int64(st, 0);
		d.name = (const char *)sqlite3_column_text(st, 1);
		d.preset_id = sqlite3_column_int64(st, 2);
		d.created = sqlite3_column_int64(st, 3);
		if (d.name == NULL)
			d.name = "";
		if (fn(arg, &d, e) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_sql_err(x->db, e,
	    "cannot read the decks");
}

int
db_export_each_preset(struct db_export *x,
    int (*fn)(void *arg, const struct deckconf *, struct err *), void *arg,
    struct err *e)
{
	int64_t *ids;
	size_t n;
	int rc = 0;

	if (id_list(x, x->whole ? "SELECT id FROM main.deck_config ORDER BY 1" :
	    "SELECT DISTINCT config_id FROM (" EXPORT_DECKS ") ORDER BY 1",
	    &ids, &n, e) < 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct deckconf c;

		if ((rc = deckconf_get_preset(x->db, ids[i], &c, e)) < 0)
			break;
		rc = fn(arg, &c, e);
	}
	free(ids);
	return rc;
}

int
db_export_each_note(struct db_export *x,
    int (*fn)(void *arg, const struct db_export_note *, struct err *),
    void *arg, struct err *e)
{
	sqlite3_stmt *st = db_prepare(x->db, "SELECT x.anki, n.guid, "
	    "n.notetype, n.fields, n.tags, n.is_html, n.modified FROM "
	    "temp.x_notes x JOIN main.notes n ON n.id = x.id WHERE x.sel "
	    "ORDER BY x.id", e);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_export_note n;

		n.anki_id = sqlite3_column_int64(st, 0);
		n.guid = (const char *)sqlite3_column_text(st, 1);
		n.notetype = sqlite3_column_int64(st, 2);
		n.fields = (const char *)sqlite3_column_text(st, 3);
		n.tags = (const char *)sqlite3_column_text(st, 4);
		n.is_html = sqlite3_column_int(st, 5);
		n.modified = sqlite3_column_int64(st, 6);
		if (n.guid == NULL)
			n.guid = "";
		if (n.fields == NULL)
			n.fields = "";
		if (n.tags == NULL)
			n.tags = "";
		if (fn(arg, &n, e) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_sql_err(x->db, e,
	    "cannot read the notes");
}

/* A card's FSRS columns from column i on, in db_study_bind_card_state's
 * order: state, due, stability, difficulty, last_review, scheduled_days,
 * step, reps, lapses. */
static void
card_state(sqlite3_stmt *st, int i, struct fsrs_card *f)
{
	f->state = sqlite3_column_int(st, i);
	f->due = sqlite3_column_int64(st, i + 1);
	f->stability = sqlite3_column_double(st, i + 2);
	f->difficulty = sqlite3_column_double(st, i + 3);
	f->last_review = sqlite3_column_int64(st, i + 4);
	f->scheduled_days = sqlite3_column_int(st, i + 5);
	f->step = sqlite3_column_int(st, i + 6);
	f->reps = sqlite3_column_int(st, i + 7);
	f->lapses = sqlite3_column_int(st, i + 8);
}

int
db_export_each_card(struct db_export *x,
    int (*fn)(void *arg, const struct db_export_card *, struct err *),
    void *arg, struct err *e)
{
	sqlite3_stmt *st = db_prepare(x->db, "SELECT c.id, x.anki, xn.anki, "
	    "c.deck_id, c.ord, c.state, c.due, c.stability, c.difficulty, "
	    "coalesce(c.last_review, 0), c.scheduled_days, c.step, c.reps, "
	    "c.lapses, c.position, c.suspended, c.buried_until, c.flag, "
	    "c.created, c.modified FROM temp.x_cards x JOIN main.cards c ON "
	    "c.id = x.id JOIN temp.x_notes xn ON xn.id = c.note_id WHERE "
	    "x.sel ORDER BY x.id", e);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_export_card c;

		c.id = sqlite3_column_int64(st, 0);
		c.anki_id = sqlite3_column_int64(st, 1);
		c.anki_nid = sqlite3_column_int64(st, 2);
		c.deck_id = sqlite3_column_int64(st, 3);
		c.ord = sqlite3_column_int(st, 4);
		card_state(st, 5, &c.f);
		c.position = sqlite3_column_int64(st, 14);
		c.suspended = sqlite3_column_int(st, 15);
		c.buried_until = (long)sqlite3_column_int64(st, 16);
		c.flag = sqlite3_column_int(st, 17);
		c.created = sqlite3_column_int64(st, 18);
		c.modified = sqlite3_column_int64(st, 19);
		if (fn(arg, &c, e) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_sql_err(x->db, e,
	    "cannot read the cards");
}

int
db_export_each_revlog(struct db_export *x,
    int (*fn)(void *arg, const struct db_export_revlog *, struct err *),
    void *arg, struct err *e)
{
	/* The columns anki-sched's mapping reads, not the rest of the card
	 * before the grade (its step, counts, suspension), which only undo
	 * needs: a million rows read in a fifth less time. */
	sqlite3_stmt *st = db_prepare(x->db, "SELECT r.id, r.card_id, x.anki, "
	    "r.rating, r.kind, r.answer_ms, r.elapsed_days, r.scheduled_days, "
	    "r.state, r.due, r.stability, r.difficulty, r.prev_state, "
	    "r.prev_due, r.prev_stability, r.prev_difficulty, "
	    "coalesce(r.prev_last_review, 0), r.prev_scheduled_days "
	    "FROM main.revlog r JOIN temp.x_cards x ON x.id = r.card_id "
	    "WHERE x.sel ORDER BY r.id", e);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_export_revlog v;
		struct db_study_revlog *r = &v.r;

		memset(&v, 0, sizeof v);
		r->id = sqlite3_column_int64(st, 0);
		r->card_id = sqlite3_column_int64(st, 1);
		v.anki_cid = sqlite3_column_int64(st, 2);
		r->rating = sqlite3_column_int(st, 3);
		r->kind = sqlite3_column_int(st, 4);
		r->answer_ms = sqlite3_column_int(st, 5);
		r->elapsed_days = sqlite3_column_double(st, 6);
		r->scheduled_days = sqlite3_column_double(st, 7);
		/* The log keeps of the card after the grade its state, due
		 * and memory; the rest is the card before it, or derived. */
		r->after.state = sqlite3_column_int(st, 8);
		r->after.due = sqlite3_column_int64(st, 9);
		r->after.stability = sqlite3_column_double(st, 10);
		r->after.difficulty = sqlite3_column_double(st, 11);
		r->after.last_review = r->id / 1000;
		r->after.scheduled_days = (int)r->scheduled_days;
		r->prev.state = sqlite3_column_int(st, 12);
		r->prev.due = sqlite3_column_int64(st, 13);
		r->prev.stability = sqlite3_column_double(st, 14);
		r->prev.difficulty = sqlite3_column_double(st, 15);
		r->prev.last_review = sqlite3_column_int64(st, 16);
		r->prev.scheduled_days = sqlite3_column_int(st, 17);
		if (fn(arg, &v, e) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_sql_err(x->db, e,
	    "cannot read the review log");
}
