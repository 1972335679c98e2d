/*
 * db-cardops.c - what the browser (and lemma check --empty-cards --delete)
 * does to the cards a search found: suspend, move, tag, reset, delete,
 * Empty Cards, and undo of a delete. See cardops.h. Each action is one
 * transaction.
 */
#include "config.h"

#include "lemma/query/cardops.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "../store/db-int.h"
#include "db-search.h"
#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"

/* ---- bulk actions ------------------------------------------------------------------ */

/*
 * Run sql once per card id, with ?1 the id and ?2, ?3 the values a and b
 * (when the statement has them), adding up the rows changed.
 */
static int
per_id(struct db *db, const char *sql, const int64_t *ids, size_t n,
    int64_t a, int64_t b, size_t *changed, struct err *e)
{
	sqlite3_stmt *st = db_prepare(db, sql, e);
	int nparams;

	if (st == NULL)
		return -1;
	nparams = sqlite3_bind_parameter_count(st);
	if (nparams >= 2)
		sqlite3_bind_int64(st, 2, a);
	if (nparams >= 3)
		sqlite3_bind_int64(st, 3, b);
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_sql_err(db, e, "cannot change the cards");
			sqlite3_finalize(st);
			return -1;
		}
		if (changed != NULL)
			*changed += (size_t)sqlite3_changes(db->sql);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return 0;
}

static void
set_changed(size_t *out, size_t n)
{
	if (out != NULL)
		*out = n;
}

int
cardops_suspend(struct db *db, const int64_t *ids, size_t n, int suspend,
    time_t now, size_t *changed, struct err *e)
{
	size_t count = 0;

	if (db_begin(db, e) < 0)
		return -1;
	if (per_id(db, "UPDATE cards SET suspended = ?2, modified = ?3, "
	    "mod = mod + 1 WHERE id = ?1 AND suspended != ?2", ids, n, suspend != 0,
	    (int64_t)now, &count, e) < 0 || db_commit(db, e) < 0) {
		db_rollback(db);
		return -1;
	}
	set_changed(changed, count);
	return 0;
}

int
cardops_flag(struct db *db, const int64_t *ids, size_t n, int flag,
    time_t now, size_t *changed, struct err *e)
{
	size_t count = 0;

	if (flag < 0 || flag > 7)
		return err_set(e, NULL, 0, 0, "a flag is 0 (none) to 7, not %d",
		    flag);
	if (db_begin(db, e) < 0)
		return -1;
	if (per_id(db, "UPDATE cards SET flag = ?2, modified = ?3, "
	    "mod = mod + 1 WHERE id = ?1 AND flag != ?2", ids, n, flag,
	    (int64_t)now, &count, e) < 0 || db_commit(db, e) < 0) {
		db_rollback(db);
		return -1;
	}
	set_changed(changed, count);
	return 0;
}

int
cardops_move(struct db *db, const int64_t *ids, size_t n, const char *deck,
    time_t now, size_t *changed, struct err *e)
{
	size_t count = 0;
	int64_t deck_id;

	if (db_begin(db, e) < 0)
		return -1;
	if ((deck_id = db_deck_ensure(db, deck, now, e)) < 0)
		goto fail;
	if (per_id(db, "UPDATE cards SET deck_id = ?2, modified = ?3, "
	    "mod = mod + 1 WHERE id = ?1 AND deck_id != ?2", ids, n, deck_id, (int64_t)now,
	    &count, e) < 0)
		goto fail;
	/* The note's deck is where its cards are, when they agree. */
	if (per_id(db, "UPDATE notes SET deck_id = ?2 WHERE id = (SELECT "
	    "note_id FROM cards WHERE id = ?1) AND deck_id != ?2 AND NOT EXISTS "
	    "(SELECT 1 FROM cards k WHERE k.note_id = notes.id AND "
	    "k.deck_id != ?2)", ids, n, deck_id, 0, NULL, e) < 0)
		goto fail;
	if (db_commit(db, e) < 0)
		goto fail;
	set_changed(changed, count);
	return 0;
fail:
	db_rollback(db);
	return -1;
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The distinct notes of the cards, sorted; caller frees. */
static int
note_ids(struct db *db, const int64_t *ids, size_t n, int64_t **out,
    size_t *nout, struct err *e)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT note_id FROM cards WHERE id = ?",
	    e);
	int64_t *notes;
	size_t k = 0;
	int rc;

	if (st == NULL)
		return -1;
	notes = xreallocarray(NULL, n + 1, sizeof *notes);
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			notes[k++] = sqlite3_column_int64(st, 0);
		else if (rc != SQLITE_DONE) {
			db_sql_err(db, e, "cannot read the cards");
			sqlite3_finalize(st);
			free(notes);
			return -1;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	qsort(notes, k, sizeof *notes, cmp_id);
	*nout = 0;
	for (size_t i = 0; i < k; i++)
		if (*nout == 0 || notes[*nout - 1] != notes[i])
			notes[(*nout)++] = notes[i];
	*out = notes;
	return 0;
}

/* A tag is one word: no spaces, no control characters, valid UTF-8. */
static int
tag_valid(const char *tag, struct err *e)
{
	size_t len = strlen(tag);

	if (len == 0)
		return err_set(e, NULL, 0, 0, "the tag is empty");
	for (const unsigned char *c = (const unsigned char *)tag; *c; c++)
		if (*c <= ' ' || *c == 0x7f)
			return err_set(e, NULL, 0, 0, "a tag is one word, without "
			    "spaces or control characters");
	if (utf8_invalid_offset(tag, len) != (size_t)-1)
		return err_set(e, NULL, 0, 0, "the tag is not valid UTF-8");
	return 0;
}

/* Whether tags[0..len) and tag are the same tag (case-insensitive). */
static int
tag_equal(const char *a, size_t alen, const char *b)
{
	return db_search_collate_fold(NULL, (int)alen, a, (int)strlen(b),
	    b) == 0;
}

/* tags (" a b ") with tag added (add) or removed; NULL when unchanged. */
static char *
tags_edit(const char *tags, const char *tag, int add)
{
	const char *s = tags, *t;
	struct buf b;
	int found = 0;

	buf_init(&b);
	buf_addc(&b, ' ');
	while (*s != '\0') {
		while (*s == ' ')
			s++;
		for (t = s; *t != '\0' && *t != ' '; t++)
			continue;
		if (t == s)
			break;
		if (tag_equal(s, (size_t)(t - s), tag)) {
			found = 1;
			if (!add) {
				s = t;
				continue;
			}
		}
		buf_add(&b, s, (size_t)(t - s));
		buf_addc(&b, ' ');
		s = t;
	}
	if (found == add) {
		buf_free(&b);
		return NULL;
	}
	if (add) {
		buf_adds(&b, tag);
		buf_addc(&b, ' ');
	}
	if (b.len == 1)
		buf_reset(&b);
	return buf_steal(&b);
}

static int
tag_edit(struct db *db, const int64_t *ids, size_t n, const char *tag,
    int add, time_t now, size_t *changed, struct err *e)
{
	sqlite3_stmt *get = NULL, *put = NULL;
	int64_t *notes = NULL;
	size_t nnotes = 0, count = 0;
	char *tags;

	if (tag_valid(tag, e) < 0)
		return -1;
	if (db_begin(db, e) < 0)
		return -1;
	if (note_ids(db, ids, n, &notes, &nnotes, e) < 0 ||
	    (get = db_prepare(db, "SELECT tags FROM notes WHERE id = ?", e)) == NULL ||
	    (put = db_prepare(db, "UPDATE notes SET tags = ?, modified = ? "
	    "WHERE id = ?", e)) == NULL)
		goto fail;
	for (size_t i = 0; i < nnotes; i++) {
		sqlite3_bind_int64(get, 1, notes[i]);
		if (sqlite3_step(get) != SQLITE_ROW) {
			db_sql_err(db, e, "cannot read a note");
			goto fail;
		}
		tags = tags_edit((const char *)sqlite3_column_text(get, 0), tag, add);
		sqlite3_reset(get);
		if (tags == NULL)
			continue;
		sqlite3_bind_text(put, 1, tags, -1, free);
		sqlite3_bind_int64(put, 2, (sqlite3_int64)now);
		sqlite3_bind_int64(put, 3, notes[i]);
		if (sqlite3_step(put) != SQLITE_DONE) {
			db_sql_err(db, e, "cannot change a note");
			goto fail;
		}
		sqlite3_reset(put);
		count++;
	}
	sqlite3_finalize(get);
	sqlite3_finalize(put);
	free(notes);
	if (db_commit(db, e) < 0)
		return -1;
	set_changed(changed, count);
	return 0;
fail:
	sqlite3_finalize(get);
	sqlite3_finalize(put);
	free(notes);
	db_rollback(db);
	return -1;
}

int
cardops_tag_add(struct db *db, const int64_t *ids, size_t n, const char *tag,
    time_t now, size_t *changed, struct err *e)
{
	return tag_edit(db, ids, n, tag, 1, now, changed, e);
}

int
cardops_tag_remove(struct db *db, const int64_t *ids, size_t n,
    const char *tag, time_t now, size_t *changed, struct err *e)
{
	return tag_edit(db, ids, n, tag, 0, now, changed, e);
}

int
cardops_reset(struct db *db, const int64_t *ids, size_t n, time_t now,
    size_t *changed, struct err *e)
{
	sqlite3_stmt *pos = NULL, *log = NULL, *upd = NULL;
	int64_t next_pos;
	size_t count = 0;

	if (db_begin(db, e) < 0)
		return -1;
	if ((pos = db_prepare(db, "SELECT coalesce(max(position), 0) + 1 "
	    "FROM cards", e)) == NULL)
		goto fail;
	if (sqlite3_step(pos) != SQLITE_ROW) {
		db_sql_err(db, e, "cannot read the cards");
		goto fail;
	}
	next_pos = sqlite3_column_int64(pos, 0);
	/*
	 * The manual entry records the card as it was, so the history shows
	 * the reset. revlog ids are Unix ms and must be unique: a bulk reset
	 * writes many in one millisecond, so each takes the next free id.
	 */
	if ((log = db_prepare(db, "INSERT INTO revlog (id, card_id, rating, kind, "
	    "state, due, prev_state, prev_due, prev_stability, prev_difficulty, "
	    "prev_last_review, prev_scheduled_days, prev_step, prev_reps, "
	    "prev_lapses, prev_suspended, prev_buried_until) SELECT "
	    "max(?2, (SELECT coalesce(max(id), 0) + 1 FROM revlog)), c.id, 0, 4, "
	    "0, 0, c.state, c.due, c.stability, c.difficulty, c.last_review, "
	    "c.scheduled_days, c.step, c.reps, c.lapses, c.suspended, "
	    "c.buried_until FROM cards c WHERE c.id = ?1 AND "
	    "(c.state != 0 OR c.reps != 0)", e)) == NULL)
		goto fail;
	if ((upd = db_prepare(db, "UPDATE cards SET state = 0, due = 0, "
	    "position = ?2, stability = 0, difficulty = 0, last_review = NULL, "
	    "scheduled_days = 0, step = 0, reps = 0, lapses = 0, "
	    "buried_until = 0, modified = ?3, mod = mod + 1 WHERE id = ?1 AND "
	    "(state != 0 OR reps != 0)", e)) == NULL)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(log, 1, ids[i]);
		sqlite3_bind_int64(log, 2, (sqlite3_int64)now * 1000);
		if (sqlite3_step(log) != SQLITE_DONE) {
			db_sql_err(db, e, "cannot reset the cards");
			goto fail;
		}
		sqlite3_reset(log);
		sqlite3_bind_int64(upd, 1, ids[i]);
		sqlite3_bind_int64(upd, 2, next_pos);
		sqlite3_bind_int64(upd, 3, (sqlite3_int64)now);
		if (sqlite3_step(upd) != SQLITE_DONE) {
			db_sql_err(db, e, "cannot reset the cards");
			goto fail;
		}
		sqlite3_reset(upd);
		if (sqlite3_changes(db->sql) > 0) {
			count++;
			next_pos++;
		}
	}
	sqlite3_finalize(pos);
	sqlite3_finalize(log);
	sqlite3_finalize(upd);
	if (db_commit(db, e) < 0)
		return -1;
	set_changed(changed, count);
	return 0;
fail:
	sqlite3_finalize(pos);
	sqlite3_finalize(log);
	sqlite3_finalize(upd);
	db_rollback(db);
	return -1;
}

/* ---- delete and undo ---------------------------------------------------------------- */

/*
 * A delete keeps the rows it deleted. A change (cardops_change_begin)
 * keeps the cards' and their notes' rows as they were, the review log's
 * last id then (a reset adds rows after it), and a print of the rows as
 * the change left them: undo goes ahead only while they still are so.
 */
struct cardops_undo {
	struct db_rows		notes, cards, revlog;
	int			change;
	int64_t			*ids, *note_ids;
	size_t			 nids, nnotes;
	int64_t			 log_before;
	char			*after;
	/* A note edit's (cardops_note_begin): the note, and the cards the
	 * edit made (Anki's card generation), which its undo deletes. */
	int64_t			 note_id;
	int64_t			*added;
	size_t			 nadded;
	/* Decks the change made (a move to a deck that was not there):
	 * decks.id's largest before, and each new deck's id and name,
	 * which undo removes while they are still empty and so named. */
	int64_t			 deck_max;
	int64_t			*new_decks;
	char			**new_names;
	size_t			 nnew;
};

void
cardops_undo_free(struct cardops_undo *u)
{
	if (u == NULL)
		return;
	db_rows_free(&u->notes);
	db_rows_free(&u->cards);
	db_rows_free(&u->revlog);
	free(u->ids);
	free(u->note_ids);
	free(u->after);
	free(u->added);
	for (size_t i = 0; i < u->nnew; i++)
		free(u->new_names[i]);
	free(u->new_names);
	free(u->new_decks);
	free(u);
}

/* ---- undo of a change ------------------------------------------------------------ */

/* Keep the row of table with each id into rows. */
static int
keep_ids(struct db *db, const char *table, const int64_t *ids, size_t n,
    struct db_rows *rows, struct err *e)
{
	char sql[64];
	sqlite3_stmt *st;

	snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE id = ?", table);
	if ((st = db_prepare(db, sql, e)) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		if (db_rows_keep(db, st, rows, e) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return 0;
}

/* The rows of the cards and notes as one string. */
static char *
rows_print(struct db *db, const struct cardops_undo *u, struct err *e)
{
	struct db_rows now;
	struct buf b;
	int rc;

	buf_init(&b);
	buf_add(&b, "", 0);
	/* The cards, their notes, and the cards the change made (a note
	 * edit's): any of them changed since, by a grade or another
	 * program, and the undo refuses. */
	for (int t = 0; t < 3; t++) {
		memset(&now, 0, sizeof now);
		rc = t == 0 ? keep_ids(db, "cards", u->ids, u->nids, &now, e) :
		    t == 1 ? keep_ids(db, "notes", u->note_ids, u->nnotes, &now,
		    e) : keep_ids(db, "cards", u->added, u->nadded, &now, e);
		if (rc < 0) {
			db_rows_free(&now);
			buf_free(&b);
			return NULL;
		}
		for (size_t i = 0; i < now.nrows * (size_t)now.ncols; i++) {
			const unsigned char *v = sqlite3_value_text(now.vals[i]);

			buf_adds(&b, v != NULL ? (const char *)v : "\x02");
			buf_addc(&b, '\x1f');
		}
		buf_addc(&b, '\x1e');
		db_rows_free(&now);
	}
	return buf_steal(&b);
}

/* One int64 column of every row st returns (then finalized): *out (free
 * it), *n rows. */
static int
ids_of(struct db *db, sqlite3_stmt *st, int64_t **out, size_t *n,
    struct err *e)
{
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		VEC_RESERVE(*out, cap, *n + 1, 8);
		(*out)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return db_sql_err(db, e, "cannot read the cards");
	}
	return 0;
}

/* The largest id of sql's one value (0 for none) into *out. */
static int
max_of(struct db *db, const char *sql, int64_t *out, struct err *e)
{
	sqlite3_stmt *st = db_prepare(db, sql, e);

	if (st == NULL)
		return -1;
	*out = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* A change record of cards ids and, for a note edit, of note_id (its row
 * kept even when it has no card). */
static struct cardops_undo *
change_new(struct db *db, const int64_t *ids, size_t n, int64_t note_id,
    struct err *e)
{
	struct cardops_undo *u = xcalloc(1, sizeof *u);

	u->change = 1;
	u->note_id = note_id;
	u->ids = xreallocarray(NULL, n + 1, sizeof *u->ids);
	if (n > 0)
		memcpy(u->ids, ids, n * sizeof *ids);
	u->nids = n;
	if (note_id != 0) {
		u->note_ids = xmalloc(sizeof *u->note_ids);
		u->note_ids[0] = note_id;
		u->nnotes = 1;
	} else if (note_ids(db, ids, n, &u->note_ids, &u->nnotes, e) < 0)
		goto fail;
	if (keep_ids(db, "cards", u->ids, u->nids, &u->cards, e) < 0 ||
	    keep_ids(db, "notes", u->note_ids, u->nnotes, &u->notes, e) < 0 ||
	    max_of(db, "SELECT coalesce(max(id), 0) FROM revlog",
	    &u->log_before, e) < 0 ||
	    max_of(db, "SELECT coalesce(max(id), 0) FROM decks", &u->deck_max,
	    e) < 0)
		goto fail;
	return u;
fail:
	cardops_undo_free(u);
	return NULL;
}

struct cardops_undo *
cardops_change_begin(struct db *db, const int64_t *ids, size_t n,
    struct err *e)
{
	return change_new(db, ids, n, 0, e);
}

struct cardops_undo *
cardops_note_begin(struct db *db, int64_t note_id, struct err *e)
{
	struct cardops_undo *u;
	sqlite3_stmt *st;
	int64_t *ids;
	size_t n;

	if ((st = db_prepare(db, "SELECT id FROM cards WHERE note_id = ? "
	    "ORDER BY id", e)) != NULL)
		sqlite3_bind_int64(st, 1, note_id);
	if (ids_of(db, st, &ids, &n, e) < 0)
		return NULL;
	u = change_new(db, ids, n, note_id, e);
	free(ids);
	return u;
}

/* What the change made: a note edit's new cards, a move's new decks. */
static int
change_made(struct db *db, struct cardops_undo *u, struct err *e)
{
	sqlite3_stmt *st;
	int64_t *all;
	size_t nall;
	int rc;

	free(u->added);
	u->added = NULL;
	u->nadded = 0;
	if (u->note_id != 0) {
		if ((st = db_prepare(db, "SELECT id FROM cards WHERE note_id = "
		    "? ORDER BY id", e)) != NULL)
			sqlite3_bind_int64(st, 1, u->note_id);
		if (ids_of(db, st, &all, &nall, e) < 0)
			return -1;
		u->added = xreallocarray(NULL, nall + 1, sizeof *u->added);
		for (size_t i = 0; i < nall; i++) {
			size_t j = 0;

			while (j < u->nids && u->ids[j] != all[i])
				j++;
			if (j == u->nids)
				u->added[u->nadded++] = all[i];
		}
		free(all);
	}
	if ((st = db_prepare(db, "SELECT id, name FROM decks WHERE id > ? "
	    "ORDER BY id", e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, u->deck_max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		u->new_decks = xreallocarray(u->new_decks, u->nnew + 1,
		    sizeof *u->new_decks);
		u->new_names = xreallocarray(u->new_names, u->nnew + 1,
		    sizeof *u->new_names);
		u->new_decks[u->nnew] = sqlite3_column_int64(st, 0);
		u->new_names[u->nnew++] = db_column_strdup(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_sql_err(db, e, "cannot read decks");
}

int
cardops_change_end(struct db *db, struct cardops_undo *u, struct err *e)
{
	if (change_made(db, u, e) < 0)
		return -1;
	free(u->after);
	u->after = rows_print(db, u, e);
	return u->after != NULL ? 0 : -1;
}

/* Write each kept row back over its row of table, column by column (an
 * UPDATE, so that the cards' triggers move the statistics with a card
 * that changes deck, and no ON DELETE cascade runs). */
static int
rows_update(struct db *db, const char *table, const struct db_rows *rows,
    struct err *e)
{
	sqlite3_stmt *names, *st;
	struct buf sql;
	char q[64];

	if (rows->nrows == 0)
		return 0;
	snprintf(q, sizeof q, "SELECT * FROM %s LIMIT 0", table);
	if ((names = db_prepare(db, q, e)) == NULL)
		return -1;
	buf_init(&sql);
	buf_printf(&sql, "UPDATE %s SET ", table);
	for (int i = 1; i < rows->ncols; i++)
		buf_printf(&sql, "%s\"%s\" = ?%d", i > 1 ? ", " : "",
		    sqlite3_column_name(names, i), i + 1);
	/* Only rows that differ: writing a card back as it is would move
	 * its mod on (the cards_mod trigger), and undo must leave it as it
	 * was. */
	buf_printf(&sql, " WHERE id = ?1 AND NOT (");
	for (int i = 1; i < rows->ncols; i++)
		buf_printf(&sql, "%s\"%s\" IS ?%d", i > 1 ? " AND " : "",
		    sqlite3_column_name(names, i), i + 1);
	buf_addc(&sql, ')');
	sqlite3_finalize(names);
	st = db_prepare(db, sql.data, e);
	buf_free(&sql);
	if (st == NULL)
		return -1;
	for (size_t r = 0; r < rows->nrows; r++) {
		for (int i = 0; i < rows->ncols; i++)
			sqlite3_bind_value(st, i + 1,
			    rows->vals[r * (size_t)rows->ncols + (size_t)i]);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_sql_err(db, e, "cannot undo");
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return 0;
}

/*
 * The decks the change made, newest (deepest) first, each only while it
 * is as the change left it: the same name, no card, note or sub-deck. One
 * that is in use now stays, as a deck made by hand would.
 */
static int
drop_new_decks(struct db *db, const struct cardops_undo *u, struct err *e)
{
	sqlite3_stmt *st;

	if (u->nnew == 0)
		return 0;
	if ((st = db_prepare(db, "DELETE FROM decks WHERE id = ?1 AND name = ?2 "
	    "AND NOT EXISTS (SELECT 1 FROM cards WHERE deck_id = ?1) AND NOT "
	    "EXISTS (SELECT 1 FROM notes WHERE deck_id = ?1) AND NOT EXISTS "
	    "(SELECT 1 FROM decks d WHERE substr(d.name, 1, length(?2) + 2) = "
	    "?2 || '::')", e)) == NULL)
		return -1;
	for (size_t i = u->nnew; i-- > 0; ) {
		sqlite3_bind_int64(st, 1, u->new_decks[i]);
		sqlite3_bind_text(st, 2, u->new_names[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return db_sql_err(db, e, "cannot undo");
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return 0;
}

static int
change_apply(struct db *db, const struct cardops_undo *u, struct err *e)
{
	char *now;
	int same;

	if ((now = rows_print(db, u, e)) == NULL)
		return -1;
	same = strcmp(now, u->after) == 0;
	free(now);
	if (!same)
		return err_set(e, NULL, 0, 0, "cannot undo: the cards or notes "
		    "were changed since (by another lemma or program?); nothing "
		    "was undone");
	/* What the change added to the log (a reset's manual rows) goes
	 * first, while the cards are where the rows were counted. */
	if (per_id(db, "DELETE FROM revlog WHERE card_id = ?1 AND id > ?2",
	    u->ids, u->nids, u->log_before, 0, NULL, e) < 0)
		return -1;
	/* The cards a note edit made: unchanged since (the print says so),
	 * so never studied, and with no history to keep. */
	if (per_id(db, "DELETE FROM cards WHERE id = ?1", u->added, u->nadded,
	    0, 0, NULL, e) < 0)
		return -1;
	if (rows_update(db, "notes", &u->notes, e) < 0 ||
	    rows_update(db, "cards", &u->cards, e) < 0)
		return -1;
	return drop_new_decks(db, u, e);
}

int
cardops_delete(struct db *db, const int64_t *ids, size_t n,
    struct cardops_undo **undo, size_t *nnotes_out, size_t *ncards_out,
    struct err *e)
{
	sqlite3_stmt *get_note = NULL, *get_cards = NULL, *del_cards = NULL,
	    *del_note = NULL, *get_log = NULL, *del_log = NULL;
	struct cardops_undo *u = xcalloc(1, sizeof *u);
	int64_t *notes = NULL;
	size_t nnotes = 0;

	*undo = NULL;
	if (db_begin(db, e) < 0) {
		free(u);
		return -1;
	}
	if (note_ids(db, ids, n, &notes, &nnotes, e) < 0 ||
	    (get_note = db_prepare(db, "SELECT * FROM notes WHERE id = ?", e)) ==
	    NULL ||
	    (get_cards = db_prepare(db, "SELECT * FROM cards WHERE note_id = ? "
	    "ORDER BY id", e)) == NULL ||
	    (del_cards = db_prepare(db, "DELETE FROM cards WHERE note_id = ?", e)) ==
	    NULL ||
	    (del_note = db_prepare(db, "DELETE FROM notes WHERE id = ?", e)) == NULL ||
	    (get_log = db_prepare(db, "SELECT * FROM revlog WHERE card_id IN "
	    "(SELECT id FROM cards WHERE note_id = ?) ORDER BY id", e)) == NULL ||
	    (del_log = db_prepare(db, "DELETE FROM revlog WHERE card_id IN "
	    "(SELECT id FROM cards WHERE note_id = ?)", e)) == NULL)
		goto fail;
	for (size_t i = 0; i < nnotes; i++) {
		sqlite3_bind_int64(get_note, 1, notes[i]);
		sqlite3_bind_int64(get_cards, 1, notes[i]);
		sqlite3_bind_int64(get_log, 1, notes[i]);
		sqlite3_bind_int64(del_log, 1, notes[i]);
		sqlite3_bind_int64(del_cards, 1, notes[i]);
		sqlite3_bind_int64(del_note, 1, notes[i]);
		if (db_rows_keep(db, get_note, &u->notes, e) < 0 ||
		    db_rows_keep(db, get_cards, &u->cards, e) < 0 ||
		    db_rows_keep(db, get_log, &u->revlog, e) < 0)
			goto fail;
		/* The history goes with its cards (no review-log row may
		 * point at a card that is not there), first, while the
		 * statistics' triggers can still find the cards' deck. */
		if (sqlite3_step(del_log) != SQLITE_DONE ||
		    sqlite3_step(del_cards) != SQLITE_DONE ||
		    sqlite3_step(del_note) != SQLITE_DONE) {
			db_sql_err(db, e, "cannot delete the notes");
			goto fail;
		}
		sqlite3_reset(del_log);
		sqlite3_reset(del_cards);
		sqlite3_reset(del_note);
	}
	sqlite3_finalize(get_note);
	sqlite3_finalize(get_cards);
	sqlite3_finalize(del_cards);
	sqlite3_finalize(del_note);
	sqlite3_finalize(get_log);
	sqlite3_finalize(del_log);
	free(notes);
	if (db_commit(db, e) < 0) {
		cardops_undo_free(u);
		return -1;
	}
	set_changed(nnotes_out, u->notes.nrows);
	set_changed(ncards_out, u->cards.nrows);
	*undo = u;
	return 0;
fail:
	sqlite3_finalize(get_note);
	sqlite3_finalize(get_cards);
	sqlite3_finalize(del_cards);
	sqlite3_finalize(del_note);
	sqlite3_finalize(get_log);
	sqlite3_finalize(del_log);
	free(notes);
	cardops_undo_free(u);
	db_rollback(db);
	return -1;
}

int
cardops_delete_empty(struct db *db, const int64_t *ids, size_t n,
    struct cardops_undo **undo, size_t *ncards_out, struct err *e)
{
	/* Empty, and not the last card its note has that is not: a note
	 * always keeps a card (Anki's "keep notes with no valid cards"). */
	static const char *const which = "id = ?1 AND empty = 1 AND EXISTS "
	    "(SELECT 1 FROM cards o WHERE o.note_id = cards.note_id AND "
	    "o.empty = 0)";
	sqlite3_stmt *get_card = NULL, *get_log = NULL, *del_log = NULL,
	    *del_card = NULL;
	struct cardops_undo *u = xcalloc(1, sizeof *u);
	struct buf sql;
	size_t before;

	*undo = NULL;
	if (db_begin(db, e) < 0) {
		free(u);
		return -1;
	}
	buf_init(&sql);
	buf_printf(&sql, "SELECT * FROM cards WHERE %s", which);
	get_card = db_prepare(db, sql.data, e);
	buf_reset(&sql);
	buf_printf(&sql, "DELETE FROM revlog WHERE card_id = (SELECT id FROM "
	    "cards WHERE %s)", which);
	if (get_card != NULL)
		del_log = db_prepare(db, sql.data, e);
	buf_free(&sql);
	if (get_card == NULL || del_log == NULL ||
	    (get_log = db_prepare(db, "SELECT * FROM revlog WHERE card_id = ?1 "
	    "ORDER BY id", e)) == NULL ||
	    (del_card = db_prepare(db, "DELETE FROM cards WHERE id = ?1", e)) ==
	    NULL)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(get_card, 1, ids[i]);
		before = u->cards.nrows;
		if (db_rows_keep(db, get_card, &u->cards, e) < 0)
			goto fail;
		if (u->cards.nrows == before)
			continue;	/* gone, not empty, or its note's last */
		sqlite3_bind_int64(get_log, 1, ids[i]);
		sqlite3_bind_int64(del_log, 1, ids[i]);
		sqlite3_bind_int64(del_card, 1, ids[i]);
		/* The log first, while its triggers can find the card's deck. */
		if (db_rows_keep(db, get_log, &u->revlog, e) < 0)
			goto fail;
		if (sqlite3_step(del_log) != SQLITE_DONE ||
		    sqlite3_step(del_card) != SQLITE_DONE) {
			db_sql_err(db, e, "cannot delete the empty cards");
			goto fail;
		}
		sqlite3_reset(del_log);
		sqlite3_reset(del_card);
	}
	sqlite3_finalize(get_card);
	sqlite3_finalize(get_log);
	sqlite3_finalize(del_log);
	sqlite3_finalize(del_card);
	if (db_commit(db, e) < 0) {
		cardops_undo_free(u);
		return -1;
	}
	set_changed(ncards_out, u->cards.nrows);
	*undo = u;
	return 0;
fail:
	sqlite3_finalize(get_card);
	sqlite3_finalize(get_log);
	sqlite3_finalize(del_log);
	sqlite3_finalize(del_card);
	cardops_undo_free(u);
	db_rollback(db);
	return -1;
}

int
cardops_undo_apply(struct db *db, const struct cardops_undo *u, struct err *e)
{
	if (db_begin(db, e) < 0)
		return -1;
	if (u->change) {
		if (change_apply(db, u, e) < 0 || db_commit(db, e) < 0) {
			db_rollback(db);
			return -1;
		}
		return 0;
	}
	/* The log after the cards, so that the statistics' triggers count
	 * each row under its card's deck again. */
	if (db_rows_put(db, "INSERT", "notes", &u->notes, e) < 0 ||
	    db_rows_put(db, "INSERT", "cards", &u->cards, e) < 0 ||
	    db_rows_put(db, "INSERT", "revlog", &u->revlog, e) < 0 || db_commit(db, e) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}
