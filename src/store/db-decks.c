/*
 * db-decks.c - the deck tree: names as Anki compares them, add, rename,
 * move, delete, and their undo. See db-decks.h; db_deck_find and
 * db_deck_ensure (db.h) live here too, so every way a deck is named goes
 * through one set of rules.
 */
#include "config.h"

#include "lemma/store/db-decks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db-int.h"
#include "lemma/base/text.h"
#include "lemma/base/utf8.h"

/* The decks at and under ?1 (id) named ?2: the deck, and those whose name
 * starts with its name and "::". Names of one subtree share the parent's
 * spelling (db_deck_ensure files children under the stored name), so the
 * prefix test is exact. length() and substr() count characters alike. */
#define SUBTREE	"(SELECT id FROM decks WHERE id = ?1 OR " \
	"substr(name, 1, length(?2) + 2) = ?2 || '::')"

/* ---- names -------------------------------------------------------------------------- */

static int
is_space(uint32_t cp)
{
	return cp == ' ' || cp == 0xA0 || cp == 0x3000;
}

int
db_deck_name_normalize(const char *name, struct buf *out, struct err *e)
{
	const char *p = name, *end = name + strlen(name);
	int depth = 0;

	buf_reset(out);
	buf_add(out, "", 0);
	if (utf8_invalid_offset(name, strlen(name)) < strlen(name))
		return err_set(e, NULL, 0, 0, "deck name is not valid UTF-8");
	for (;;) {
		const char *sep = strstr(p, "::"), *stop = sep != NULL ? sep : end;
		const char *a = p, *b = stop, *q;
		uint32_t cp;
		int ok;

		/* Control characters anywhere (a tab, a newline, U+001F that
		 * separates fields, C1 controls) are refused, not stripped:
		 * the person typed them, and a changed name would surprise. */
		for (q = p; q < stop; ) {
			size_t n = utf8_decode(q, (size_t)(stop - q), &cp, &ok);

			if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
				return err_set(e, NULL, 0, 0, "deck name has a "
				    "control character (U+%04X); names are "
				    "text only", (unsigned)cp);
			q += n > 0 ? n : 1;
		}
		/* Spaces around a part go, as in Anki ("A :: B" is "A::B"). */
		while (a < b) {
			size_t n = utf8_decode(a, (size_t)(b - a), &cp, &ok);

			if (!is_space(cp))
				break;
			a += n;
		}
		while (b > a) {
			const char *c = b - 1;

			while (c > a && ((unsigned char)*c & 0xC0) == 0x80)
				c--;
			utf8_decode(c, (size_t)(b - c), &cp, &ok);
			if (!is_space(cp))
				break;
			b = c;
		}
		if (a == b)
			return err_set(e, NULL, 0, 0, name[0] == '\0' ?
			    "a deck needs a name" : "deck name has an empty "
			    "part: each part between '::' needs a name");
		if (++depth > DB_DECK_DEPTH_MAX)
			return err_set(e, NULL, 0, 0, "deck name nests more "
			    "than %d levels", DB_DECK_DEPTH_MAX);
		if (depth > 1)
			buf_adds(out, "::");
		buf_add(out, a, (size_t)(b - a));
		if (sep == NULL)
			break;
		p = sep + 2;
	}
	return 0;
}

/* Case-insensitive equality of n bytes of a and all of b: folded code
 * points, as search compares text. */
static int
same_n(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;

	while (i < an && j < bn) {
		uint32_t ca, cb;
		int oka, okb;
		size_t la = utf8_decode(a + i, an - i, &ca, &oka);
		size_t lb = utf8_decode(b + j, bn - j, &cb, &okb);

		if (text_fold(ca) != text_fold(cb))
			return 0;
		i += la > 0 ? la : 1;
		j += lb > 0 ? lb : 1;
	}
	return i == an && j == bn;
}

int
db_deck_name_same(const char *a, const char *b)
{
	return same_n(a, strlen(a), b, strlen(b));
}

/* The id and stored name of the deck named name[0..len), folded; 0 when
 * there is none. An exact match wins over a folded one (a file from before
 * names were folded may hold both "CS" and "cs"). */
static int64_t
find_n(struct db *db, const char *name, size_t len, struct buf *stored,
    struct err *e)
{
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc, exact = 0;
	size_t chars = 0;

	/* Folding maps one code point to one, so only names of as many code
	 * points can match: SQLite's length() counts them (names are valid
	 * UTF-8), which keeps a lookup among thousands of decks (a shared
	 * deck's tree) from folding every name in the file. */
	for (size_t i = 0; i < len; i++)
		chars += ((unsigned char)name[i] & 0xc0) != 0x80;
	if ((st = db_prepare(db, "SELECT id, name FROM decks WHERE "
	    "length(name) = ?", e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)chars);
	while (!exact && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *n = (const char *)sqlite3_column_text(st, 1);
		size_t nl = (size_t)sqlite3_column_bytes(st, 1);

		if (n == NULL || !same_n(n, nl, name, len))
			continue;
		exact = nl == len && memcmp(n, name, len) == 0;
		if (id == 0 || exact) {
			id = sqlite3_column_int64(st, 0);
			if (stored != NULL) {
				buf_reset(stored);
				buf_add(stored, n, nl);
			}
		}
	}
	if (!exact && rc != SQLITE_DONE)
		id = db_sql_err(db, e, "cannot read decks");
	sqlite3_finalize(st);
	return id;
}

int64_t
db_deck_find(struct db *db, const char *name, struct err *e)
{
	struct buf norm;
	struct err ignored;
	int64_t id;

	/* A name that cannot be a deck's names none. */
	buf_init(&norm);
	if (db_deck_name_normalize(name, &norm, &ignored) < 0) {
		buf_free(&norm);
		return 0;
	}
	id = find_n(db, norm.data, norm.len, NULL, e);
	buf_free(&norm);
	return id;
}

int
db_deck_name(struct db *db, int64_t id, struct buf *out, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "SELECT name FROM decks WHERE id = ?", e)) ==
	    NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		buf_reset(out);
		buf_add(out, (const char *)sqlite3_column_text(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0));
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return err_set(e, NULL, 0, 0, "no such deck (id %lld)",
		    (long long)id);
	return rc == SQLITE_ROW ? 0 : db_sql_err(db, e, "cannot read decks");
}

static int64_t
insert_deck(struct db *db, const char *name, time_t now, struct err *e)
{
	sqlite3_stmt *st;

	if ((st = db_prepare(db, "INSERT INTO decks (name, created) VALUES "
	    "(?, ?)", e)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	if (db_step_done(db, st, e) < 0)
		return -1;
	return sqlite3_last_insert_rowid(db->sql);
}

/*
 * Find or make each level of a normal name, a child filed under its
 * parent's stored spelling ("cs::x" under "CS" is "CS::x"). *created
 * (may be NULL) is set when the last level was made here.
 */
static int64_t
ensure_norm(struct db *db, const char *name, time_t now, int *created,
    struct err *e)
{
	struct buf full, stored;
	const char *p = name;
	int64_t id = 0;

	buf_init(&full);
	buf_init(&stored);
	buf_add(&full, "", 0);
	for (;;) {
		const char *sep = strstr(p, "::");
		size_t n = sep != NULL ? (size_t)(sep - p) : strlen(p);

		if (full.len > 0)
			buf_adds(&full, "::");
		buf_add(&full, p, n);
		if (created != NULL)
			*created = 0;
		if ((id = find_n(db, full.data, full.len, &stored, e)) < 0)
			break;
		if (id == 0) {
			if ((id = insert_deck(db, full.data, now, e)) < 0)
				break;
			if (created != NULL)
				*created = 1;
		} else {
			buf_reset(&full);
			buf_add(&full, stored.data, stored.len);
		}
		if (sep == NULL)
			break;
		p = sep + 2;
	}
	buf_free(&full);
	buf_free(&stored);
	return id;
}

int64_t
db_deck_ensure(struct db *db, const char *name, time_t now, struct err *e)
{
	struct buf norm;
	int64_t id;

	buf_init(&norm);
	if (db_deck_name_normalize(name, &norm, e) < 0) {
		char msg[sizeof e->msg];

		snprintf(msg, sizeof msg, "%s", e->msg);
		buf_free(&norm);
		return err_set(e, NULL, 0, 0, "bad deck name '%.200s': %s",
		    name, msg);
	}
	if ((id = find_n(db, norm.data, norm.len, NULL, e)) != 0) {
		buf_free(&norm);
		return id;
	}
	if (db_begin(db, e) < 0) {
		buf_free(&norm);
		return -1;
	}
	id = ensure_norm(db, norm.data, now, NULL, e);
	buf_free(&norm);
	if (id < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e) < 0 ? -1 : id;
}

/* ---- undo records -------------------------------------------------------------------- */

struct db_deck_undo {
	char		 label[32];
	/* The tables as they were, and a print of them as the action left
	 * them: an undo finds that print, or refuses. */
	struct db_rows	 decks, presets;
	char		*after;
	/* A delete's rows; notes moved out of a deleted deck (id, deck). */
	struct db_rows	 notes, cards, revlog;
	int64_t		*moved;
	size_t		 nmoved;
};

/* Append every row of sql, each column's text, to b. */
static int
print_rows(struct db *db, const char *sql, struct buf *b, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, e)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *t = sqlite3_column_text(st, i);

			buf_adds(b, t != NULL ? (const char *)t : "\x02");
			buf_addc(b, '\x1f');
		}
		buf_addc(b, '\x1e');
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_sql_err(db, e, "cannot read decks");
}

/* The decks and presets as one string: what an undo expects to find.
 * collapsed is left out: it is the deck list's state, which the person
 * changes freely between an action and its undo. */
static char *
tables_print(struct db *db, struct err *e)
{
	struct buf b;

	buf_init(&b);
	buf_add(&b, "", 0);
	if (print_rows(db, "SELECT id, name, config_id FROM decks ORDER BY id",
	    &b, e) < 0 || print_rows(db, "SELECT * FROM deck_config ORDER BY "
	    "id", &b, e) < 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static int
keep_all(struct db *db, const char *sql, struct db_rows *rows, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, e)) == NULL)
		return -1;
	rc = db_rows_keep(db, st, rows, e);
	sqlite3_finalize(st);
	return rc;
}

struct db_deck_undo *
db_deck_undo_begin(struct db *db, const char *label, struct err *e)
{
	struct db_deck_undo *u = xcalloc(1, sizeof *u);

	snprintf(u->label, sizeof u->label, "%s", label);
	if (keep_all(db, "SELECT * FROM decks ORDER BY id", &u->decks, e) < 0 ||
	    keep_all(db, "SELECT * FROM deck_config ORDER BY id", &u->presets,
	    e) < 0) {
		db_deck_undo_free(u);
		return NULL;
	}
	return u;
}

int
db_deck_undo_end(struct db *db, struct db_deck_undo *u, struct err *e)
{
	free(u->after);
	u->after = tables_print(db, e);
	return u->after != NULL ? 0 : -1;
}

/* Whether row id is among rows (column 0 is the id). */
static int
rows_have(const struct db_rows *rows, int64_t id)
{
	for (size_t r = 0; r < rows->nrows; r++)
		if (sqlite3_value_int64(rows->vals[r * (size_t)rows->ncols]) == id)
			return 1;
	return 0;
}

/* Delete the rows of table whose id is not among rows. */
static int
drop_others(struct db *db, const char *table, const struct db_rows *rows,
    struct err *e)
{
	sqlite3_stmt *get, *del;
	char sql[128];
	int rc;

	snprintf(sql, sizeof sql, "SELECT id FROM %s", table);
	if ((get = db_prepare(db, sql, e)) == NULL)
		return -1;
	snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id = ?", table);
	if ((del = db_prepare(db, sql, e)) == NULL) {
		sqlite3_finalize(get);
		return -1;
	}
	rc = SQLITE_DONE;
	/* Deleting while stepping a SELECT of the same table is allowed in
	 * SQLite; ids are read before each delete. */
	while ((rc = sqlite3_step(get)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(get, 0);

		if (rows_have(rows, id))
			continue;
		sqlite3_bind_int64(del, 1, id);
		if (sqlite3_step(del) != SQLITE_DONE) {
			rc = SQLITE_ERROR;
			break;
		}
		sqlite3_reset(del);
	}
	sqlite3_finalize(get);
	sqlite3_finalize(del);
	if (rc != SQLITE_DONE)
		return err_set(e, NULL, 0, 0, "cannot undo: a deck or preset "
		    "made by the action is in use now (%s)",
		    sqlite3_errmsg(db->sql));
	return 0;
}

int
db_deck_undo_apply(struct db *db, const struct db_deck_undo *u,
    struct err *e)
{
	sqlite3_stmt *st;
	char *now;
	int same;

	if (db_begin(db, e) < 0)
		return -1;
	if ((now = tables_print(db, e)) == NULL)
		goto fail;
	same = u->after != NULL && strcmp(now, u->after) == 0;
	free(now);
	if (!same) {
		err_set(e, NULL, 0, 0, "cannot undo %s: the decks or presets "
		    "were changed since (by another lemma or program?); nothing "
		    "was undone", u->label);
		goto fail;
	}
	/* Presets first (the decks point at them), then the decks: each
	 * moved aside to a name no deck has, so that renames that swap
	 * names never meet the UNIQUE constraint on the way back. */
	if (db_rows_put(db, "INSERT OR REPLACE", "deck_config", &u->presets,
	    e) < 0 ||
	    db_exec(db, "UPDATE decks SET name = char(1) || id", e) < 0 ||
	    db_rows_put(db, "INSERT OR REPLACE", "decks", &u->decks, e) < 0 ||
	    drop_others(db, "decks", &u->decks, e) < 0 ||
	    drop_others(db, "deck_config", &u->presets, e) < 0)
		goto fail;
	/* What a delete took, the log last so that the statistics' triggers
	 * count each row under its card's deck again. */
	if (db_rows_put(db, "INSERT", "notes", &u->notes, e) < 0 ||
	    db_rows_put(db, "INSERT", "cards", &u->cards, e) < 0 ||
	    db_rows_put(db, "INSERT", "revlog", &u->revlog, e) < 0)
		goto fail;
	if (u->nmoved > 0) {
		if ((st = db_prepare(db, "UPDATE notes SET deck_id = ?2 WHERE "
		    "id = ?1", e)) == NULL)
			goto fail;
		for (size_t i = 0; i < u->nmoved; i++) {
			sqlite3_bind_int64(st, 1, u->moved[2 * i]);
			sqlite3_bind_int64(st, 2, u->moved[2 * i + 1]);
			if (sqlite3_step(st) != SQLITE_DONE) {
				db_sql_err(db, e, "cannot undo");
				sqlite3_finalize(st);
				goto fail;
			}
			sqlite3_reset(st);
		}
		sqlite3_finalize(st);
	}
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}

/* ---- actions -------------------------------------------------------------------------- */

/* See db-int.h: a transaction and its undo record. */
struct db_deck_undo *
db_deck_action_begin(struct db *db, const char *label, struct err *e)
{
	struct db_deck_undo *u;

	if (db_begin(db, e) < 0)
		return NULL;
	if ((u = db_deck_undo_begin(db, label, e)) == NULL)
		db_rollback(db);
	return u;
}

int
db_deck_action_end(struct db *db, struct db_deck_undo *u,
    struct db_deck_undo **undo, struct err *e)
{
	if (db_deck_undo_end(db, u, e) < 0 || db_commit(db, e) < 0)
		return db_deck_action_fail(db, u);
	if (undo != NULL)
		*undo = u;
	else
		db_deck_undo_free(u);
	return 0;
}

int
db_deck_action_fail(struct db *db, struct db_deck_undo *u)
{
	db_rollback(db);
	db_deck_undo_free(u);
	return -1;
}

int
db_deck_add(struct db *db, const char *name, time_t now, int64_t *id,
    struct db_deck_undo **undo, struct err *e)
{
	struct db_deck_undo *u;
	struct buf norm, stored;
	int64_t got;
	int created = 0;

	if (undo != NULL)
		*undo = NULL;
	buf_init(&norm);
	buf_init(&stored);
	if (db_deck_name_normalize(name, &norm, e) < 0)
		goto fail_bufs;
	if ((got = find_n(db, norm.data, norm.len, &stored, e)) < 0)
		goto fail_bufs;
	if (got > 0) {
		err_set(e, NULL, 0, 0, "a deck named '%.200s' exists already",
		    stored.data);
		goto fail_bufs;
	}
	if ((u = db_deck_action_begin(db, "Add Deck", e)) == NULL)
		goto fail_bufs;
	if ((got = ensure_norm(db, norm.data, now, &created, e)) < 0) {
		db_deck_action_fail(db, u);
		goto fail_bufs;
	}
	buf_free(&norm);
	buf_free(&stored);
	if (id != NULL)
		*id = got;
	return db_deck_action_end(db, u, undo, e);
fail_bufs:
	buf_free(&norm);
	buf_free(&stored);
	return -1;
}

static int
depth_of(const char *name)
{
	int d = 1;

	for (const char *p = strstr(name, "::"); p != NULL; p = strstr(p + 2, "::"))
		d++;
	return d;
}

/* The deepest level under deck name (its own depth when it has none). */
static int
subtree_depth(struct db *db, int64_t id, const char *name, int *out,
    struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	*out = depth_of(name);
	if ((st = db_prepare(db, "SELECT name FROM decks WHERE id IN " SUBTREE,
	    e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int d = depth_of((const char *)sqlite3_column_text(st, 0));

		if (d > *out)
			*out = d;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_sql_err(db, e, "cannot read decks");
}

/* The rename itself, inside the caller's transaction. */
static int
rename_in(struct db *db, int64_t id, const char *new_name, time_t now,
    struct err *e)
{
	struct buf old, norm, stored, parent;
	sqlite3_stmt *st;
	int64_t other;
	int deepest, rc = -1;
	const char *last;

	buf_init(&old);
	buf_init(&norm);
	buf_init(&stored);
	buf_init(&parent);
	if (db_deck_name(db, id, &old, e) < 0 ||
	    db_deck_name_normalize(new_name, &norm, e) < 0)
		goto out;
	if ((other = find_n(db, norm.data, norm.len, &stored, e)) < 0)
		goto out;
	if (other != 0 && other != id) {
		err_set(e, NULL, 0, 0, "a deck named '%.200s' exists already",
		    stored.data);
		goto out;
	}
	/* Into itself: "A" to "A::B" would make A its own ancestor. */
	if (norm.len > old.len + 1 && same_n(norm.data, old.len, old.data,
	    old.len) && memcmp(norm.data + old.len, "::", 2) == 0) {
		err_set(e, NULL, 0, 0, "a deck cannot be moved into itself or "
		    "one of its sub-decks");
		goto out;
	}
	if (subtree_depth(db, id, old.data, &deepest, e) < 0)
		goto out;
	if (deepest - depth_of(old.data) + depth_of(norm.data) >
	    DB_DECK_DEPTH_MAX) {
		err_set(e, NULL, 0, 0, "the deck's sub-decks would nest more "
		    "than %d levels", DB_DECK_DEPTH_MAX);
		goto out;
	}
	/* The new parent, made if need be; the deck keeps the new spelling
	 * of its own part, and takes the parent's stored one. */
	last = norm.data;
	for (const char *p = strstr(norm.data, "::"); p != NULL;
	    p = strstr(p + 2, "::"))
		last = p + 2;
	if (last != norm.data) {
		buf_add(&parent, norm.data, (size_t)(last - 2 - norm.data));
		buf_addc(&parent, '\0');
		if (ensure_norm(db, parent.data, now, NULL, e) < 0 ||
		    find_n(db, parent.data, strlen(parent.data), &stored, e) < 0)
			goto out;
		buf_adds(&stored, "::");
		buf_adds(&stored, last);
		buf_reset(&norm);
		buf_add(&norm, stored.data, stored.len);
	}
	/* The deck and every deck under it: the old name's characters
	 * replaced by the new name. */
	if ((st = db_prepare(db, "UPDATE decks SET name = ?3 || substr(name, "
	    "length(?2) + 1) WHERE id IN " SUBTREE, e)) == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, old.data, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, norm.data, -1, SQLITE_STATIC);
	rc = db_step_done(db, st, e);
out:
	buf_free(&old);
	buf_free(&norm);
	buf_free(&stored);
	buf_free(&parent);
	return rc;
}

int
db_deck_rename(struct db *db, int64_t id, const char *new_name, time_t now,
    struct db_deck_undo **undo, struct err *e)
{
	struct db_deck_undo *u;

	if (undo != NULL)
		*undo = NULL;
	if ((u = db_deck_action_begin(db, "Rename Deck", e)) == NULL)
		return -1;
	if (rename_in(db, id, new_name, now, e) < 0)
		return db_deck_action_fail(db, u);
	return db_deck_action_end(db, u, undo, e);
}

int
db_deck_move(struct db *db, int64_t id, int64_t parent_id, time_t now,
    struct db_deck_undo **undo, struct err *e)
{
	struct db_deck_undo *u;
	struct buf name, parent;
	const char *last;
	int rc = -1;

	if (undo != NULL)
		*undo = NULL;
	buf_init(&name);
	buf_init(&parent);
	if (db_deck_name(db, id, &name, e) < 0 ||
	    (parent_id != 0 && db_deck_name(db, parent_id, &parent, e) < 0))
		goto out;
	last = name.data;
	for (const char *p = strstr(name.data, "::"); p != NULL;
	    p = strstr(p + 2, "::"))
		last = p + 2;
	if (parent_id != 0)
		buf_adds(&parent, "::");
	buf_adds(&parent, last);
	if ((u = db_deck_action_begin(db, "Move Deck", e)) == NULL)
		goto out;
	if (rename_in(db, id, parent.data, now, e) < 0)
		db_deck_action_fail(db, u);
	else
		rc = db_deck_action_end(db, u, undo, e);
out:
	buf_free(&name);
	buf_free(&parent);
	return rc;
}

int
db_deck_card_count(struct db *db, int64_t id, int64_t *n, struct err *e)
{
	sqlite3_stmt *st;

	if ((st = db_prepare(db, "SELECT count(*) FROM cards WHERE deck_id = ?",
	    e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_sql_err(db, e, "cannot count the deck's cards");
	}
	*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

int
db_deck_subtree(struct db *db, int64_t id, int64_t **ids, size_t *n,
    struct err *e)
{
	sqlite3_stmt *st;
	struct buf name;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	buf_init(&name);
	if (db_deck_name(db, id, &name, e) < 0 ||
	    (st = db_prepare(db, "SELECT id FROM decks WHERE id IN " SUBTREE
	    " ORDER BY name", e)) == NULL) {
		buf_free(&name);
		return -1;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, name.data, -1, SQLITE_TRANSIENT);
	buf_free(&name);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		VEC_RESERVE(*ids, cap, *n + 1, 8);
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		return db_sql_err(db, e, "cannot read decks");
	}
	return 0;
}

/* Notes that go with the subtree: a card in it, or filed under it, and no
 * card outside it. */
#define DOOMED_NOTES(cols)	"SELECT " cols " FROM notes n WHERE (n.deck_id IN " SUBTREE \
	" OR n.id IN (SELECT note_id FROM cards WHERE deck_id IN " SUBTREE \
	")) AND NOT EXISTS (SELECT 1 FROM cards c WHERE c.note_id = n.id AND " \
	"c.deck_id NOT IN " SUBTREE ")"

/* Prepare sql and bind the subtree's ?1 and ?2. */
static sqlite3_stmt *
subtree_stmt(struct db *db, const char *sql, int64_t id, const char *name,
    struct err *e)
{
	sqlite3_stmt *st = db_prepare(db, sql, e);

	if (st != NULL) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	}
	return st;
}

static int64_t
count_of(struct db *db, const char *sql, int64_t id, const char *name,
    struct err *e)
{
	sqlite3_stmt *st = subtree_stmt(db, sql, id, name, e);
	int64_t n;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_sql_err(db, e, "cannot count the deck's cards");
	}
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
db_deck_delete_counts(struct db *db, int64_t id, struct db_deck_doomed *out,
    struct err *e)
{
	struct buf name;
	int rc = -1;

	buf_init(&name);
	if (db_deck_name(db, id, &name, e) < 0)
		goto out;
	if ((out->decks = count_of(db, "SELECT count(*) FROM " SUBTREE, id,
	    name.data, e)) < 0 ||
	    (out->cards = count_of(db, "SELECT count(*) FROM cards WHERE "
	    "deck_id IN " SUBTREE, id, name.data, e)) < 0 ||
	    (out->notes = count_of(db, DOOMED_NOTES("count(*)"), id, name.data, e)) < 0)
		goto out;
	rc = 0;
out:
	buf_free(&name);
	return rc;
}

/* Run st (bound), keeping what it returns into rows. */
static int
keep_stmt(struct db *db, sqlite3_stmt *st, struct db_rows *rows,
    struct err *e)
{
	int rc;

	if (st == NULL)
		return -1;
	rc = db_rows_keep(db, st, rows, e);
	sqlite3_finalize(st);
	return rc;
}

static int
exec_stmt(struct db *db, sqlite3_stmt *st, struct err *e)
{
	if (st == NULL)
		return -1;
	return db_step_done(db, st, e);
}

int
db_deck_delete(struct db *db, int64_t id, struct db_deck_doomed *out,
    struct db_deck_undo **undo, struct err *e)
{
	struct db_deck_undo *u;
	struct db_deck_doomed counts;
	sqlite3_stmt *st;
	struct buf name;
	size_t cap = 0;
	int rc;

	if (undo != NULL)
		*undo = NULL;
	buf_init(&name);
	if (db_deck_name(db, id, &name, e) < 0) {
		buf_free(&name);
		return -1;
	}
	if ((u = db_deck_action_begin(db, "Delete Deck", e)) == NULL) {
		buf_free(&name);
		return -1;
	}
	if (db_deck_delete_counts(db, id, &counts, e) < 0)
		goto fail;
	/* Kept: the notes that go, the cards, their history. */
	if (keep_stmt(db, subtree_stmt(db, DOOMED_NOTES("*") " ORDER BY n.id", id,
	    name.data, e), &u->notes, e) < 0 ||
	    keep_stmt(db, subtree_stmt(db, "SELECT * FROM cards WHERE deck_id "
	    "IN " SUBTREE " ORDER BY id", id, name.data, e), &u->cards, e) < 0 ||
	    keep_stmt(db, subtree_stmt(db, "SELECT * FROM revlog WHERE card_id "
	    "IN (SELECT id FROM cards WHERE deck_id IN " SUBTREE ") ORDER BY id",
	    id, name.data, e), &u->revlog, e) < 0)
		goto fail;
	/* A note that keeps cards elsewhere moves to one of their decks. */
	if ((st = subtree_stmt(db, "SELECT n.id, n.deck_id, (SELECT c.deck_id "
	    "FROM cards c WHERE c.note_id = n.id AND c.deck_id NOT IN " SUBTREE
	    " ORDER BY c.ord LIMIT 1) FROM notes n WHERE n.deck_id IN " SUBTREE
	    " AND EXISTS (SELECT 1 FROM cards c WHERE c.note_id = n.id AND "
	    "c.deck_id NOT IN " SUBTREE ")", id, name.data, e)) == NULL)
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* (id, old deck, new deck) now; (id, old deck) kept. */
		VEC_RESERVE(u->moved, cap, 3 * u->nmoved + 3, 16);
		u->moved[3 * u->nmoved] = sqlite3_column_int64(st, 0);
		u->moved[3 * u->nmoved + 1] = sqlite3_column_int64(st, 1);
		u->moved[3 * u->nmoved + 2] = sqlite3_column_int64(st, 2);
		u->nmoved++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_sql_err(db, e, "cannot read the deck's notes");
		goto fail;
	}
	if (u->nmoved > 0) {
		if ((st = db_prepare(db, "UPDATE notes SET deck_id = ?2 WHERE "
		    "id = ?1", e)) == NULL)
			goto fail;
		for (size_t i = 0; i < u->nmoved; i++) {
			sqlite3_bind_int64(st, 1, u->moved[3 * i]);
			sqlite3_bind_int64(st, 2, u->moved[3 * i + 2]);
			if (sqlite3_step(st) != SQLITE_DONE) {
				sqlite3_finalize(st);
				db_sql_err(db, e, "cannot move a note");
				goto fail;
			}
			sqlite3_reset(st);
		}
		sqlite3_finalize(st);
		for (size_t i = 0; i < u->nmoved; i++) {
			u->moved[2 * i] = u->moved[3 * i];
			u->moved[2 * i + 1] = u->moved[3 * i + 1];
		}
	}
	/* The history first, while the statistics' triggers can still find
	 * the cards' deck; then the notes that go (their cards with them),
	 * the cards of notes that stay, the decks. */
	if (exec_stmt(db, subtree_stmt(db, "DELETE FROM revlog WHERE card_id IN "
	    "(SELECT id FROM cards WHERE deck_id IN " SUBTREE ")", id, name.data,
	    e), e) < 0 ||
	    exec_stmt(db, subtree_stmt(db, "DELETE FROM notes WHERE id IN ("
	    DOOMED_NOTES("n.id") ")", id, name.data, e), e) < 0 ||
	    exec_stmt(db, subtree_stmt(db, "DELETE FROM cards WHERE deck_id IN "
	    SUBTREE, id, name.data, e), e) < 0 ||
	    exec_stmt(db, subtree_stmt(db, "DELETE FROM decks WHERE id IN "
	    SUBTREE, id, name.data, e), e) < 0)
		goto fail;
	buf_free(&name);
	if (out != NULL)
		*out = counts;
	return db_deck_action_end(db, u, undo, e);
fail:
	buf_free(&name);
	return db_deck_action_fail(db, u);
}
void
db_deck_undo_free(struct db_deck_undo *u)
{
	if (u == NULL)
		return;
	db_rows_free(&u->decks);
	db_rows_free(&u->presets);
	db_rows_free(&u->notes);
	db_rows_free(&u->cards);
	db_rows_free(&u->revlog);
	free(u->after);
	free(u->moved);
	free(u);
}

const char *
db_deck_undo_label(const struct db_deck_undo *u)
{
	return u->label;
}
