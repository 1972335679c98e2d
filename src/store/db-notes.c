/* db-notes.c - notes and their cards; see db-notes.h. */
#include "config.h"

#include "lemma/store/db-notes.h"

#include <stdlib.h>
#include <string.h>

#include "db-int.h"
#include "lemma/base/html.h"
#include "lemma/base/text.h"
#include "lemma/model/cloze.h"
#include "lemma/model/notetype.h"
#include "lemma/store/db-notetypes.h"
#include "lemma/model/tags.h"

#define FIELD_SEP	'\x1f'

struct db_import {
	struct db	*db;
	sqlite3_stmt	*ins_note, *ins_card, *by_guid, *by_sort, *by_id;
	sqlite3_stmt	*upd_note, *card_ords, *set_empty;
	int		 was_empty;
	int64_t		 cache_was;	/* PRAGMA cache_size before */
	int		 cache_set;
	int64_t		 next_pos;	/* position of the next new note's cards */
	/*
	 * Bulk mode, for an import into an empty notes table (a new progress
	 * file, the first start): the secondary indexes of notes (sort_field
	 * order, random for a deck file) are dropped and built again at the
	 * end by sorting, and the cards of Basic notes are written with one
	 * INSERT ... SELECT in note order, which the cards indexes take as
	 * appends. Measured with callgrind on 20,000 notes: a quarter fewer
	 * instructions than row by row, and 6% fewer than also dropping the
	 * cards indexes. It all happens inside the caller's transaction, so a
	 * failed import restores the indexes.
	 */
	int		 bulk;
	char		**index_sql;	/* CREATE INDEX statements to run again */
	size_t		 nindex;
	int64_t		 first_id;	/* the first note added, in bulk mode */
	struct buf	 tags;		/* " a b " for the row being written */
	struct buf	 first;		/* its fields, split, for card ords */
	struct buf	 sort_text;	/* its type's sort field, as text */
	struct notetype	*nts;		/* the note types met so far */
	size_t		 nnts;
};

/* ---- small helpers ------------------------------------------------------- */

void
db_note_guid(uint64_t v, char *out)
{
	/* Anki's table (rslib guid()): base 91 without quotes or backslash. */
	static const char table[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~";
	char tmp[12];
	size_t n = 0;

	do {
		tmp[n++] = table[v % 91];
		v /= 91;
	} while (v != 0);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

/* SQLite's generator, which its VFS seeds from the system (/dev/urandom on
 * Unix): getrandom() is Linux's, and sqlite is linked anyway. */
uint64_t
db_note_guid_random(void)
{
	uint64_t v = 0;

	sqlite3_randomness((int)sizeof v, &v);
	return v;
}

void
db_note_sort_field(const char *field, size_t len, int is_html,
    struct buf *out)
{
	struct buf text;
	const char *s = field;
	int space = 0;

	buf_init(&text);
	if (is_html) {
		html_to_text(field, len, &text);
		s = text.data;
		len = text.len;
	}
	buf_reset(out);
	buf_add(out, "", 0);
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		size_t run = i;
		if (c == ' ' || (c >= '\t' && c <= '\r')) {
			space = out->len > 0;
			i++;
			continue;
		}
		if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) {
			space = out->len > 0;	/* U+00A0, &nbsp; */
			i += 2;
			continue;
		}
		if (space)
			buf_addc(out, ' ');
		space = 0;
		/* Copy the word in one go. */
		while (i < len && (c = (unsigned char)s[i]) != ' ' &&
		    (c < '\t' || c > '\r') && c != 0xC2)
			i++;
		if (i == run)
			i++;	/* a 0xC2 that does not start U+00A0 */
		buf_add(out, s + run, i - run);
	}
	buf_free(&text);
}

/* "a b" -> " a b " as notes.tags keeps them; "" stays "". */
static const char *
tags_store(struct buf *b, const char *tags)
{
	buf_reset(b);
	buf_add(b, "", 0);
	if (tags == NULL || tags[0] == '\0')
		return b->data;
	buf_addc(b, ' ');
	buf_adds(b, tags);
	buf_addc(b, ' ');
	return b->data;
}

/* " a b " -> "a b". */
static void
tags_load(struct buf *b, const unsigned char *s)
{
	size_t len;

	buf_reset(b);
	buf_add(b, "", 0);
	if (s == NULL)
		return;
	while (*s == ' ')
		s++;
	len = strlen((const char *)s);
	while (len > 0 && s[len - 1] == ' ')
		len--;
	buf_add(b, (const char *)s, len);
}

static void
col_buf(struct buf *b, sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	buf_reset(b);
	buf_add(b, s != NULL ? (const char *)s : "", s != NULL ?
	    (size_t)sqlite3_column_bytes(st, i) : 0);
}

static int
query_int(struct db *db, const char *sql, int64_t *out, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, e)) == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_sql_err(db, e, "cannot read notes");
}

/* Note type id, read once per import. NULL and e when there is none. */
static const struct notetype *
dbi_notetype(struct db_import *dbi, int id, struct err *e)
{
	for (size_t i = 0; i < dbi->nnts; i++)
		if (dbi->nts[i].id == id)
			return &dbi->nts[i];
	dbi->nts = xreallocarray(dbi->nts, dbi->nnts + 1, sizeof *dbi->nts);
	if (db_notetype_get(dbi->db, id, &dbi->nts[dbi->nnts], e) < 0)
		return NULL;
	return &dbi->nts[dbi->nnts++];
}

/*
 * The ords a note's cards should have, by Anki's rule (notetype.h): Basic
 * always 0 (its one template names Front, and a note with no card gets card
 * 0); other types as their templates render with these fields and tags.
 * *ords is small (nsmall) or, when more are needed, a new array the caller
 * frees. Returns how many (0: a cloze note with no cloze), or -1 and e.
 */
static ssize_t
note_ords(struct db_import *dbi, int notetype, const char *fields,
    const char *tags, unsigned *small, size_t nsmall, unsigned **ords,
    struct err *e)
{
	const struct notetype *nt;
	const char *vsmall[16], **v = vsmall;
	size_t nv = 1, n;

	*ords = small;
	if (notetype == DB_NOTE_BASIC) {
		small[0] = 0;
		return 1;
	}
	if ((nt = dbi_notetype(dbi, notetype, e)) == NULL)
		return -1;
	buf_reset(&dbi->first);
	buf_adds(&dbi->first, fields);
	for (size_t i = 0; i < dbi->first.len; i++)
		nv += dbi->first.data[i] == FIELD_SEP;
	if (nv > 16)
		v = xreallocarray(NULL, nv, sizeof *v);
	nv = 0;
	v[nv++] = dbi->first.data;
	for (size_t i = 0; i < dbi->first.len; i++)
		if (dbi->first.data[i] == FIELD_SEP) {
			dbi->first.data[i] = '\0';
			v[nv++] = dbi->first.data + i + 1;
		}
	n = notetype_card_ords(nt, v, nv, tags, nt->kind != NOTETYPE_KIND_CLOZE,
	    small, nsmall);
	if (n > nsmall) {
		*ords = xreallocarray(NULL, n, sizeof **ords);
		notetype_card_ords(nt, v, nv, tags, 0, *ords, n);
	}
	if (v != vsmall)
		free(v);
	return (ssize_t)n;
}

/*
 * The note's sort field as the browser sorts and shows it (notes.sort_text)
 * when its type's sort field is not the first: db_note_sort_field() of
 * that field, in dbi->sort_text. NULL when it is the first (notes.
 * sort_field, written by the caller, is it) or on error (e filled, *failed
 * set).
 */
static const char *
sort_text(struct db_import *dbi, int notetype, const char *fields,
    int is_html, int *failed, struct err *e)
{
	const struct notetype *nt;
	const char *f = fields, *sep;
	size_t len;

	*failed = 0;
	if (notetype == DB_NOTE_BASIC)
		return NULL;
	if ((nt = dbi_notetype(dbi, notetype, e)) == NULL) {
		*failed = 1;
		return NULL;
	}
	if (nt->sort_field == 0)
		return NULL;
	for (unsigned i = 0; i < nt->sort_field && f != NULL; i++)
		f = (sep = strchr(f, FIELD_SEP)) != NULL ? sep + 1 : NULL;
	len = f == NULL ? 0 : (sep = strchr(f, FIELD_SEP)) != NULL ?
	    (size_t)(sep - f) : strlen(f);
	db_note_sort_field(f != NULL ? f : "", len, is_html, &dbi->sort_text);
	return dbi->sort_text.data;
}

/* ---- bulk import --------------------------------------------------------- */

/* Drop the secondary indexes of notes, keeping their SQL. */
static int
bulk_begin(struct db_import *dbi, struct err *e)
{
	sqlite3_stmt *st;
	struct buf drop;
	int rc;

	if ((st = db_prepare(dbi->db, "SELECT name, sql FROM sqlite_schema WHERE "
	    "type = 'index' AND sql IS NOT NULL AND tbl_name = 'notes'", e))
	    == NULL)
		return -1;
	buf_init(&drop);
	buf_add(&drop, "", 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		dbi->index_sql = xreallocarray(dbi->index_sql, dbi->nindex + 1,
		    sizeof *dbi->index_sql);
		dbi->index_sql[dbi->nindex++] = db_column_strdup(st, 1);
		buf_printf(&drop, "DROP INDEX \"%s\";",
		    (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		buf_free(&drop);
		return db_sql_err(dbi->db, e, "cannot read the schema");
	}
	rc = db_exec(dbi->db, drop.data, e);
	buf_free(&drop);
	dbi->bulk = rc == 0;
	return rc;
}

int
db_import_finish(struct db_import *dbi, time_t now, struct err *e)
{
	sqlite3_stmt *st;

	if (!dbi->bulk)
		return 0;
	dbi->bulk = 0;
	if (dbi->first_id > 0) {
		/* Cards in note order, so positions and ids go together.
		 * Basic notes have card 0; Basic (and reversed card) notes
		 * with both cards were left here too, and those that make
		 * one card (an empty side) have it already: NOT EXISTS leaves
		 * them out (SQLite reads the cards as they were before this
		 * statement). */
		static const char *const sql[2] = {
			"INSERT INTO cards (note_id, ord, deck_id, position, "
			"created, modified) SELECT id, 0, deck_id, ?1 + id - ?2, "
			"?3, ?3 FROM notes WHERE id >= ?2 AND notetype = 0 "
			"ORDER BY id",
			"INSERT INTO cards (note_id, ord, deck_id, position, "
			"created, modified) SELECT id, o.ord, deck_id, "
			"?1 + id - ?2, ?3, ?3 FROM notes, (SELECT 0 AS ord UNION "
			"ALL SELECT 1) o WHERE id >= ?2 AND notetype = 1 AND NOT "
			"EXISTS (SELECT 1 FROM cards c WHERE c.note_id = notes.id) "
			"ORDER BY id, o.ord",
		};
		for (int i = 0; i < 2; i++) {
			if ((st = db_prepare(dbi->db, sql[i], e)) == NULL)
				return -1;
			sqlite3_bind_int64(st, 1, dbi->next_pos);
			sqlite3_bind_int64(st, 2, dbi->first_id);
			sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
			if (db_step_done(dbi->db, st, e) < 0)
				return -1;
		}
	}
	for (size_t i = 0; i < dbi->nindex; i++)
		if (db_exec(dbi->db, dbi->index_sql[i], e) < 0)
			return -1;
	return 0;
}

int
db_import_checks_off(struct db *db)
{
	int64_t empty;

	if (db->tx_depth > 0 || db->readonly ||
	    query_int(db, "SELECT NOT EXISTS (SELECT 1 FROM notes)", &empty,
	    NULL) < 0 || !empty)
		return 0;
	return db_exec(db, "PRAGMA foreign_keys = OFF", NULL) == 0;
}

void
db_import_checks_on(struct db *db)
{
	db_exec(db, "PRAGMA foreign_keys = ON", NULL);
}

struct db_import *
db_import_new(struct db *db, int bulk, struct err *e)
{
	struct db_import *dbi = xcalloc(1, sizeof *dbi);
	int64_t v;

	dbi->db = db;
#define NOTE_COLS "id, notetype, deck_id, is_html, guid, fields, sort_field, tags"
	if ((dbi->ins_note = db_prepare(db, "INSERT INTO notes (guid, notetype, "
	    "deck_id, fields, sort_field, tags, is_html, created, "
	    "modified, sort_key, sort_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	    "?9, ?9, ?10, ?11) "
	    "ON CONFLICT (guid) DO NOTHING", e)) == NULL ||
	    (dbi->ins_card = db_prepare(db, "INSERT INTO cards (note_id, ord, "
	    "deck_id, position, created, modified) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?5)", e)) == NULL ||
	    (dbi->by_guid = db_prepare(db, "SELECT " NOTE_COLS " FROM notes "
	    "WHERE guid = ?", e)) == NULL ||
	    (dbi->by_sort = db_prepare(db, "SELECT " NOTE_COLS " FROM notes "
	    "WHERE sort_field = ? AND notetype = ? AND id > ? ORDER BY id "
	    "LIMIT 1", e))
	    == NULL ||
	    (dbi->by_id = db_prepare(db, "SELECT " NOTE_COLS " FROM notes "
	    "WHERE id = ?", e)) == NULL ||
	    (dbi->upd_note = db_prepare(db, "UPDATE notes SET fields = ?2, "
	    "sort_field = ?3, tags = ?4, is_html = ?5, modified = ?6, "
	    "sort_key = ?7, sort_text = ?8 WHERE id = ?1", e)) == NULL ||
	    (dbi->card_ords = db_prepare(db, "SELECT ord, deck_id, empty FROM "
	    "cards WHERE note_id = ? ORDER BY ord", e)) == NULL ||
	    (dbi->set_empty = db_prepare(db, "UPDATE cards SET empty = ?3, "
	    "modified = ?4 WHERE note_id = ?1 AND ord = ?2", e)) == NULL)
		goto fail;
#undef NOTE_COLS
	/*
	 * A bigger page cache while importing: with SQLite's 2 MB default a
	 * large import spills dirty pages to the log and reads them back
	 * (measured: a third more CPU for 100,000 notes). 8 MB keeps the
	 * peak under 30 MB; db_import_free puts the old size back.
	 */
	if (query_int(db, "PRAGMA cache_size", &dbi->cache_was, e) < 0 ||
	    db_exec(db, "PRAGMA cache_size = -8192", e) < 0)
		goto fail;
	dbi->cache_set = 1;
	if (query_int(db, "SELECT NOT EXISTS (SELECT 1 FROM notes)", &v, e) < 0)
		goto fail;
	dbi->was_empty = v != 0;
	if (bulk && dbi->was_empty && bulk_begin(dbi, e) < 0)
		goto fail;
	if (query_int(db, "SELECT coalesce(max(position), 0) FROM cards", &v, e)
	    < 0)
		goto fail;
	dbi->next_pos = v + 1;
	return dbi;
fail:
	db_import_free(dbi);
	return NULL;
}

void
db_import_free(struct db_import *dbi)
{
	if (dbi != NULL) {
		for (size_t i = 0; i < dbi->nnts; i++)
			notetype_free(&dbi->nts[i]);
		free(dbi->nts);
	}
	if (dbi == NULL)
		return;
	if (dbi->cache_set) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld",
		    (long long)dbi->cache_was);
		db_exec(dbi->db, sql, NULL);
	}
	sqlite3_finalize(dbi->ins_note);
	sqlite3_finalize(dbi->ins_card);
	sqlite3_finalize(dbi->by_guid);
	sqlite3_finalize(dbi->by_sort);
	sqlite3_finalize(dbi->by_id);
	sqlite3_finalize(dbi->upd_note);
	sqlite3_finalize(dbi->card_ords);
	sqlite3_finalize(dbi->set_empty);
	for (size_t i = 0; i < dbi->nindex; i++)
		free(dbi->index_sql[i]);
	free(dbi->index_sql);
	buf_free(&dbi->tags);
	buf_free(&dbi->first);
	buf_free(&dbi->sort_text);
	free(dbi);
}

void
db_note_found_free(struct db_note_found *f)
{
	buf_free(&f->guid);
	buf_free(&f->fields);
	buf_free(&f->sort_field);
	buf_free(&f->tags);
}

int
db_import_was_empty(const struct db_import *dbi)
{
	return dbi->was_empty;
}

/* Step a lookup (bound by the caller) and copy its row into out. */
static int
found_step(struct db_import *dbi, sqlite3_stmt *st, struct db_note_found *out,
    struct err *e)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->notetype = sqlite3_column_int(st, 1);
		out->deck_id = sqlite3_column_int64(st, 2);
		out->is_html = sqlite3_column_int(st, 3);
		col_buf(&out->guid, st, 4);
		col_buf(&out->fields, st, 5);
		col_buf(&out->sort_field, st, 6);
		tags_load(&out->tags, sqlite3_column_text(st, 7));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_sql_err(dbi->db, e, "cannot read notes");
}

int
db_import_by_guid(struct db_import *dbi, const char *guid,
    struct db_note_found *out, struct err *e)
{
	sqlite3_bind_text(dbi->by_guid, 1, guid, -1, SQLITE_STATIC);
	return found_step(dbi, dbi->by_guid, out, e);
}

int
db_import_by_sort(struct db_import *dbi, int notetype,
    const char *sort_field, int64_t after, struct db_note_found *out,
    struct err *e)
{
	sqlite3_bind_text(dbi->by_sort, 1, sort_field, -1, SQLITE_STATIC);
	sqlite3_bind_int(dbi->by_sort, 2, notetype);
	sqlite3_bind_int64(dbi->by_sort, 3, after);
	return found_step(dbi, dbi->by_sort, out, e);
}

int
db_import_by_id(struct db_import *dbi, int64_t id, struct db_note_found *out,
    struct err *e)
{
	sqlite3_bind_int64(dbi->by_id, 1, id);
	return found_step(dbi, dbi->by_id, out, e);
}

static int
step_reset(struct db_import *dbi, sqlite3_stmt *st, struct err *e)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_sql_err(dbi->db, e, "cannot write");
	return 0;
}

static int
card_add(struct db_import *dbi, int64_t note_id, unsigned ord,
    int64_t deck_id, int64_t pos, time_t now, struct err *e)
{
	sqlite3_stmt *st = dbi->ins_card;

	sqlite3_bind_int64(st, 1, note_id);
	sqlite3_bind_int(st, 2, (int)ord);
	sqlite3_bind_int64(st, 3, deck_id);
	sqlite3_bind_int64(st, 4, pos);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
	return step_reset(dbi, st, e);
}

int64_t
db_import_add(struct db_import *dbi, const struct db_note_in *in, time_t now,
    struct err *e)
{
	sqlite3_stmt *st = dbi->ins_note;
	unsigned small[64], *ords;
	const char *stext;
	ssize_t n;
	int64_t id;
	int rc = 0, failed;

	if ((n = note_ords(dbi, in->notetype, in->fields, in->tags, small, 64,
	    &ords, e)) < 0)
		return -1;
	if (n == 0) {
		if (ords != small)
			free(ords);
		return err_set(e, NULL, 0, 0, "a cloze note needs a cloze "
		    "deletion such as {{c1::text}} in its first field");
	}
	sqlite3_bind_text(st, 1, in->guid, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, in->notetype);
	sqlite3_bind_int64(st, 3, in->deck_id);
	sqlite3_bind_text(st, 4, in->fields, in->fields_len > 0 ?
	    (int)in->fields_len : -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, in->sort_field, in->sort_len > 0 ?
	    (int)in->sort_len : -1, SQLITE_STATIC);
	tags_store(&dbi->tags, in->tags);
	sqlite3_bind_text(st, 6, dbi->tags.data, (int)dbi->tags.len,
	    SQLITE_STATIC);
	sqlite3_bind_int(st, 7, in->is_html != 0);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)now);
	/* The browser's order (search.h); written with every sort_field,
	 * from the type's sort field. */
	if ((stext = sort_text(dbi, in->notetype, in->fields, in->is_html,
	    &failed, e)) == NULL && failed) {
		if (ords != small)
			free(ords);
		return -1;
	}
	sqlite3_bind_int64(st, 10, stext != NULL ? text_sort_key(stext,
	    strlen(stext)) : text_sort_key(in->sort_field, in->sort_len > 0 ?
	    in->sort_len : strlen(in->sort_field)));
	if (stext != NULL)
		sqlite3_bind_text(st, 11, stext, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 11);
	if (step_reset(dbi, st, e) < 0) {
		id = -1;
		goto out;
	}
	if (sqlite3_changes(dbi->db->sql) == 0) {
		id = 0;		/* the GUID is taken */
		goto out;
	}
	id = sqlite3_last_insert_rowid(dbi->db->sql);
	if (dbi->bulk) {
		/* Positions follow note ids; Basic cards, and reversed ones
		 * with both sides, come at the end (db_import_finish). */
		int both = in->notetype == DB_NOTE_REVERSED && n == 2 &&
		    ords[0] == 0 && ords[1] == 1;

		if (dbi->first_id == 0)
			dbi->first_id = id;
		if (in->notetype != DB_NOTE_BASIC && !both)
			for (size_t i = 0; i < (size_t)n && rc == 0; i++)
				rc = card_add(dbi, id, ords[i], in->deck_id,
				    dbi->next_pos + id - dbi->first_id, now, e);
	} else {
		for (size_t i = 0; i < (size_t)n && rc == 0; i++)
			rc = card_add(dbi, id, ords[i], in->deck_id,
			    dbi->next_pos, now, e);
		dbi->next_pos++;
	}
	if (rc < 0)
		id = -1;
out:
	if (ords != small)
		free(ords);
	return id;
}

/* Mark card ord of note id empty (1) or not (0). */
static int
card_set_empty(struct db_import *dbi, int64_t id, unsigned ord, int empty,
    time_t now, struct err *e)
{
	sqlite3_bind_int64(dbi->set_empty, 1, id);
	sqlite3_bind_int(dbi->set_empty, 2, (int)ord);
	sqlite3_bind_int(dbi->set_empty, 3, empty);
	sqlite3_bind_int64(dbi->set_empty, 4, (sqlite3_int64)now);
	return step_reset(dbi, dbi->set_empty, e);
}

/*
 * Make a note's cards match what its type makes of its fields now, as Anki
 * does on an edit (cardgen.rs): a template or cloze number that renders
 * gets a new card; one that no longer does leaves its card empty (kept
 * with its state and history, out of study, until Empty Cards deletes it);
 * one back makes its card whole again. Returns how many cards this made
 * empty, or -1.
 */
static int
cards_sync(struct db_import *dbi, int64_t id, int notetype,
    int64_t note_deck, const char *fields, const char *tags, time_t now,
    struct err *e)
{
	unsigned small[64], *want;
	struct have { unsigned ord; int empty; } have_small[64],
	    *have = have_small;
	size_t nhave = 0, cap = 64, i, j;
	ssize_t nw;
	size_t nwant;
	int64_t deck = note_deck;
	int rc, emptied = 0;

	if ((nw = note_ords(dbi, notetype, fields, tags, small, 64, &want,
	    e)) < 0)
		return -1;
	nwant = (size_t)nw;
	if (nwant == 0) {
		rc = err_set(e, NULL, 0, 0, "a cloze note needs a cloze deletion "
		    "such as {{c1::text}} in its first field");
		goto out;
	}
	sqlite3_bind_int64(dbi->card_ords, 1, id);
	while ((rc = sqlite3_step(dbi->card_ords)) == SQLITE_ROW) {
		if (nhave == cap) {
			cap = vec_cap_for(cap, nhave + 1, cap);
			have = have == have_small ? memcpy(xreallocarray(NULL,
			    cap, sizeof *have), have_small, sizeof have_small) :
			    xreallocarray(have, cap, sizeof *have);
		}
		have[nhave].ord = (unsigned)sqlite3_column_int(dbi->card_ords, 0);
		have[nhave++].empty = sqlite3_column_int(dbi->card_ords, 2) != 0;
		/* New cards go where the note's cards are. */
		if (nhave == 1)
			deck = sqlite3_column_int64(dbi->card_ords, 1);
	}
	sqlite3_reset(dbi->card_ords);
	if (rc != SQLITE_DONE) {
		rc = db_sql_err(dbi->db, e, "cannot read cards");
		goto out;
	}
	rc = 0;
	/* Both lists are ascending: walk them together. */
	for (i = 0, j = 0; rc == 0 && (i < nwant || j < nhave);) {
		if (j >= nhave || (i < nwant && want[i] < have[j].ord)) {
			rc = card_add(dbi, id, want[i++], deck, dbi->next_pos, now, e);
		} else if (i >= nwant || have[j].ord < want[i]) {
			if (!have[j].empty) {
				rc = card_set_empty(dbi, id, have[j].ord, 1, now, e);
				emptied++;
			}
			j++;
		} else {
			if (have[j].empty)
				rc = card_set_empty(dbi, id, have[j].ord, 0, now, e);
			i++;
			j++;
		}
	}
	dbi->next_pos++;
out:
	if (want != small)
		free(want);
	if (have != have_small)
		free(have);
	return rc < 0 ? -1 : emptied;
}

int
db_import_update(struct db_import *dbi, int64_t id,
    const struct db_note_in *in, time_t now, struct err *e)
{
	sqlite3_stmt *st = dbi->upd_note;
	const char *stext;
	int failed;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, in->fields, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, in->sort_field, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, tags_store(&dbi->tags, in->tags), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(st, 5, in->is_html != 0);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
	if ((stext = sort_text(dbi, in->notetype, in->fields, in->is_html,
	    &failed, e)) == NULL && failed)
		return -1;
	sqlite3_bind_int64(st, 7, stext != NULL ? text_sort_key(stext,
	    strlen(stext)) : text_sort_key(in->sort_field,
	    strlen(in->sort_field)));
	if (stext != NULL)
		sqlite3_bind_text(st, 8, stext, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 8);
	if (step_reset(dbi, st, e) < 0)
		return -1;
	if (in->notetype != DB_NOTE_BASIC)
		return cards_sync(dbi, id, in->notetype, in->deck_id, in->fields,
		    in->tags, now, e);
	return 0;
}

/* ---- single notes, for the editor ------------------------------------------- */

/*
 * Fields as import stores them, so that an export reads back the same: at
 * least the note type's two, and no empty extra fields at the end.
 */
static char *
join_fields(const char *const *fields, size_t n, struct err *e)
{
	struct buf b;

	while (n > 2 && fields[n - 1][0] == '\0')
		n--;
	buf_init(&b);
	buf_add(&b, "", 0);
	if (n == 1) {
		if (strchr(fields[0], FIELD_SEP) != NULL) {
			err_set(e, NULL, 0, 0, "field 1 holds the character "
			    "U+001F, which separates fields");
			return NULL;
		}
		buf_adds(&b, fields[0]);
		buf_addc(&b, FIELD_SEP);
		return buf_steal(&b);
	}
	for (size_t i = 0; i < n; i++) {
		if (strchr(fields[i], FIELD_SEP) != NULL) {
			buf_free(&b);
			err_set(e, NULL, 0, 0, "field %zu holds the character "
			    "U+001F, which separates fields", i + 1);
			return NULL;
		}
		if (i > 0)
			buf_addc(&b, FIELD_SEP);
		buf_adds(&b, fields[i]);
	}
	return buf_steal(&b);
}

int
db_note_get(struct db *db, int64_t id, struct db_note *out, struct err *e)
{
	sqlite3_stmt *st;
	const char *f, *sep;
	int rc;

	memset(out, 0, sizeof *out);
	if ((st = db_prepare(db, "SELECT id, guid, notetype, deck_id, fields, "
	    "tags, is_html, created, modified FROM notes WHERE id = ?", e))
	    == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			err_set(e, db_path(db), 0, 0, "no note with id %lld",
			    (long long)id);
		else
			db_sql_err(db, e, "cannot read notes");
		sqlite3_finalize(st);
		return -1;
	}
	out->id = sqlite3_column_int64(st, 0);
	out->guid = db_column_strdup(st, 1);
	out->notetype = sqlite3_column_int(st, 2);
	out->deck_id = sqlite3_column_int64(st, 3);
	f = (const char *)sqlite3_column_text(st, 4);
	for (f = f != NULL ? f : "";; f = sep + 1) {
		sep = strchr(f, FIELD_SEP);
		out->fields = xreallocarray(out->fields, out->nfields + 1,
		    sizeof *out->fields);
		out->fields[out->nfields++] = sep != NULL ?
		    xstrndup(f, (size_t)(sep - f)) : xstrdup(f);
		if (sep == NULL)
			break;
	}
	{
		struct buf t;
		buf_init(&t);
		tags_load(&t, sqlite3_column_text(st, 5));
		out->tags = buf_steal(&t);
	}
	out->is_html = sqlite3_column_int(st, 6);
	out->created = sqlite3_column_int64(st, 7);
	out->modified = sqlite3_column_int64(st, 8);
	sqlite3_finalize(st);
	return 0;
}

void
db_note_free(struct db_note *n)
{
	if (n == NULL)
		return;
	free(n->guid);
	for (size_t i = 0; i < n->nfields; i++)
		free(n->fields[i]);
	free(n->fields);
	free(n->tags);
	memset(n, 0, sizeof *n);
}

int64_t
db_note_add(struct db *db, int64_t deck_id, int notetype,
    const char *const *fields, size_t nfields, const char *tags, int is_html,
    time_t now, struct err *e)
{
	struct db_import *dbi = NULL;
	struct db_note_in in;
	struct buf sort, tagn;
	char guid[12], *joined;
	int64_t id = -1;

	if (notetype < DB_NOTE_BASIC)
		return err_set(e, NULL, 0, 0, "unknown note type %d", notetype);
	if (nfields == 0)
		return err_set(e, NULL, 0, 0, "a note needs at least one field");
	if ((joined = join_fields(fields, nfields, e)) == NULL)
		return -1;
	buf_init(&sort);
	buf_init(&tagn);
	tags_normalize(tags != NULL ? tags : "", &tagn);
	db_note_sort_field(fields[0], strlen(fields[0]), is_html, &sort);
	if (db_begin(db, e) < 0)
		goto out;
	if ((dbi = db_import_new(db, 0, e)) == NULL)
		goto fail;
	memset(&in, 0, sizeof in);
	in.guid = guid;
	in.notetype = notetype;
	in.deck_id = deck_id;
	in.fields = joined;
	in.sort_field = sort.data;
	in.tags = tagn.data;
	in.is_html = is_html;
	/* A random 64-bit GUID that is taken already: try another. */
	do {
		db_note_guid(db_note_guid_random(), guid);
		id = db_import_add(dbi, &in, now, e);
	} while (id == 0);
	if (id < 0)
		goto fail;
	db_import_free(dbi);
	dbi = NULL;
	if (db_commit(db, e) < 0)
		id = -1;
	goto out;
fail:
	db_import_free(dbi);
	db_rollback(db);
	id = -1;
out:
	free(joined);
	buf_free(&sort);
	buf_free(&tagn);
	return id;
}

int
db_note_update(struct db *db, int64_t id, const char *const *fields,
    size_t nfields, const char *tags, time_t now, struct err *e)
{
	struct db_import *dbi = NULL;
	struct db_note_found f;
	struct db_note_in in;
	struct buf sort, tagn;
	char *joined;
	int rc = -1;

	if (nfields == 0)
		return err_set(e, NULL, 0, 0, "a note needs at least one field");
	if ((joined = join_fields(fields, nfields, e)) == NULL)
		return -1;
	memset(&f, 0, sizeof f);
	buf_init(&sort);
	buf_init(&tagn);
	tags_normalize(tags != NULL ? tags : "", &tagn);
	if (db_begin(db, e) < 0)
		goto out;
	if ((dbi = db_import_new(db, 0, e)) == NULL)
		goto fail;
	if ((rc = db_import_by_id(dbi, id, &f, e)) <= 0) {
		if (rc == 0)
			err_set(e, db_path(db), 0, 0, "no note with id %lld",
			    (long long)id);
		goto fail;
	}
	db_note_sort_field(fields[0], strlen(fields[0]), f.is_html, &sort);
	memset(&in, 0, sizeof in);
	in.notetype = f.notetype;
	in.deck_id = f.deck_id;
	in.fields = joined;
	in.sort_field = sort.data;
	in.tags = tagn.data;
	in.is_html = f.is_html;
	if (db_import_update(dbi, id, &in, now, e) < 0)
		goto fail;
	db_import_free(dbi);
	dbi = NULL;
	rc = db_commit(db, e);
	goto out;
fail:
	db_import_free(dbi);
	db_rollback(db);
	rc = -1;
out:
	db_note_found_free(&f);
	free(joined);
	buf_free(&sort);
	buf_free(&tagn);
	return rc;
}

int
db_note_delete(struct db *db, int64_t id, struct err *e)
{
	sqlite3_stmt *st;

	if (db_begin(db, e) < 0)
		return -1;
	/* The history first, while the statistics' triggers can still find
	 * the cards' deck. */
	if ((st = db_prepare(db, "DELETE FROM revlog WHERE card_id IN (SELECT "
	    "id FROM cards WHERE note_id = ?)", e)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (db_step_done(db, st, e) < 0)
		goto fail;
	/* cards.note_id cascades, but only with foreign keys on; say it. */
	if ((st = db_prepare(db, "DELETE FROM cards WHERE note_id = ?", e))
	    == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (db_step_done(db, st, e) < 0)
		goto fail;
	if ((st = db_prepare(db, "DELETE FROM notes WHERE id = ?", e)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (db_step_done(db, st, e) < 0)
		goto fail;
	if (sqlite3_changes(db->sql) == 0) {
		err_set(e, db_path(db), 0, 0, "no note with id %lld",
		    (long long)id);
		goto fail;
	}
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}

/* ---- export ------------------------------------------------------------------ */

struct db_note_iter {
	struct db	*db;
	sqlite3_stmt	*st;
	struct buf	 tags;
};

struct db_note_iter *
db_note_iter_new(struct db *db, const char *deck, struct err *e)
{
	struct db_note_iter *it;
	int64_t id;

	if (deck != NULL) {
		if ((id = db_deck_find(db, deck, e)) < 0)
			return NULL;
		if (id == 0) {
			err_set(e, db_path(db), 0, 0, "no deck named '%s'", deck);
			return NULL;
		}
	}
	it = xcalloc(1, sizeof *it);
	it->db = db;
	if ((it->st = db_prepare(db, "SELECT n.id, n.guid, n.notetype, d.name, "
	    "n.fields, n.tags, n.is_html, (SELECT name FROM notetypes WHERE id = "
	    "n.notetype) FROM notes n JOIN decks d ON d.id = "
	    "n.deck_id WHERE ?1 IS NULL OR d.name = ?1 OR substr(d.name, 1, "
	    "length(?1) + 2) = ?1 || '::' ORDER BY d.name, n.id", e)) == NULL) {
		free(it);
		return NULL;
	}
	if (deck != NULL)
		sqlite3_bind_text(it->st, 1, deck, -1, SQLITE_TRANSIENT);
	return it;
}

int
db_note_iter_next(struct db_note_iter *it, struct db_note_out *out,
    struct err *e)
{
	int rc = sqlite3_step(it->st);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_sql_err(it->db, e, "cannot read notes");
	out->id = sqlite3_column_int64(it->st, 0);
	out->guid = (const char *)sqlite3_column_text(it->st, 1);
	out->notetype = sqlite3_column_int(it->st, 2);
	out->deck = (const char *)sqlite3_column_text(it->st, 3);
	out->fields = (const char *)sqlite3_column_text(it->st, 4);
	tags_load(&it->tags, sqlite3_column_text(it->st, 5));
	out->tags = it->tags.data;
	out->is_html = sqlite3_column_int(it->st, 6);
	out->notetype_name = (const char *)sqlite3_column_text(it->st, 7);
	if (out->notetype_name == NULL)
		out->notetype_name = "";
	if (out->fields == NULL)
		out->fields = "";
	return 1;
}

void
db_note_iter_free(struct db_note_iter *it)
{
	if (it == NULL)
		return;
	sqlite3_finalize(it->st);
	buf_free(&it->tags);
	free(it);
}
