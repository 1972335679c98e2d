/*
 * db-ankicol-write.c - writing an Anki collection (see ankicol.h).
 *
 * The tables are the ones Anki's own source makes: schema11.sql, then for
 * schema 18 the upgrades' tables (schema14_upgrade.sql: deck_config,
 * config, tags; schema15_upgrade.sql: fields, templates, notetypes, decks
 * and their indexes; schema17_upgrade.sql: tags with collapsed and
 * config; schema18_upgrade.sql: graves keyed by oid and type), written
 * out here in their final form. Rows follow what Anki writes: ids in ms,
 * mtimes in seconds, usn -1 on every object (changed since the last sync,
 * as Anki's client marks its own changes) and 0 in col and config, the
 * \x1f field separator, sfld from the sort field and csum from the first
 * field, both stripped of HTML as Anki strips them. Schema 11 keeps note types, decks, presets, the collection's
 * config and tags as JSON in the col row (what Anki writes to
 * collection.anki21 and the stub collection.anki2).
 */
#include "config.h"

#include "lemma/store/ankicol.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "db-ankicol-int.h"
#include "lemma/base/entity.h"
#include "lemma/base/jsonw.h"
#include "lemma/base/pbwire.h"
#include "lemma/base/sha1.h"
#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"

/* schema11.sql without its col row (the writer inserts that); Anki's
 * comment in the notes table is kept, as SQLite keeps it in the schema. */
static const char schema11_sql[] =
"CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL,"
" mod integer NOT NULL, scm integer NOT NULL, ver integer NOT NULL,"
" dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL,"
" conf text NOT NULL, models text NOT NULL, decks text NOT NULL,"
" dconf text NOT NULL, tags text NOT NULL);"
"CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL,"
" mid integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL,"
" tags text NOT NULL, flds text NOT NULL,\n"
"  -- The use of type integer for sfld is deliberate, because it means that integer values in this\n"
"  -- field will sort numerically.\n"
"  sfld integer NOT NULL,"
" csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);"
"CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL,"
" did integer NOT NULL, ord integer NOT NULL, mod integer NOT NULL,"
" usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL,"
" due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL,"
" reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL,"
" odue integer NOT NULL, odid integer NOT NULL, flags integer NOT NULL,"
" data text NOT NULL);"
"CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL,"
" usn integer NOT NULL, ease integer NOT NULL, ivl integer NOT NULL,"
" lastIvl integer NOT NULL, factor integer NOT NULL, time integer NOT NULL,"
" type integer NOT NULL);";

/* schema11.sql's indexes on notes, cards and the review log: made by
 * ankicol_writer_finish, after the rows, since building an index once
 * from sorted keys costs a fraction of keeping it up row by row: a
 * million review-log rows took 10.9 s of CPU with the indexes there
 * (the cid index's pages evicted from the 8 MiB cache again and again),
 * 4.0 s without them and 2.9 s to build every index at the end. */
static const char index11_sql[] =
"CREATE INDEX ix_notes_usn ON notes (usn);"
"CREATE INDEX ix_cards_usn ON cards (usn);"
"CREATE INDEX ix_revlog_usn ON revlog (usn);"
"CREATE INDEX ix_cards_nid ON cards (nid);"
"CREATE INDEX ix_cards_sched ON cards (did, queue, due);"
"CREATE INDEX ix_revlog_cid ON revlog (cid);"
"CREATE INDEX ix_notes_csum ON notes (csum);";

static const char graves11_sql[] =
"CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL,"
" type integer NOT NULL);";

/* The upgrades to 18, in their final form. */
static const char schema18_sql[] =
"CREATE TABLE deck_config (id integer PRIMARY KEY NOT NULL,"
" name text NOT NULL COLLATE unicase, mtime_secs integer NOT NULL,"
" usn integer NOT NULL, config blob NOT NULL);"
"CREATE TABLE config (KEY text NOT NULL PRIMARY KEY, usn integer NOT NULL,"
" mtime_secs integer NOT NULL, val blob NOT NULL) without rowid;"
"CREATE TABLE tags (tag text NOT NULL PRIMARY KEY COLLATE unicase,"
" usn integer NOT NULL, collapsed boolean NOT NULL, config blob NULL)"
" without rowid;"
"CREATE TABLE fields (ntid integer NOT NULL, ord integer NOT NULL,"
" name text NOT NULL COLLATE unicase, config blob NOT NULL,"
" PRIMARY KEY (ntid, ord)) without rowid;"
"CREATE UNIQUE INDEX idx_fields_name_ntid ON fields (name, ntid);"
"CREATE TABLE templates (ntid integer NOT NULL, ord integer NOT NULL,"
" name text NOT NULL COLLATE unicase, mtime_secs integer NOT NULL,"
" usn integer NOT NULL, config blob NOT NULL, PRIMARY KEY (ntid, ord))"
" without rowid;"
"CREATE UNIQUE INDEX idx_templates_name_ntid ON templates (name, ntid);"
"CREATE INDEX idx_templates_usn ON templates (usn);"
"CREATE TABLE notetypes (id integer NOT NULL PRIMARY KEY,"
" name text NOT NULL COLLATE unicase, mtime_secs integer NOT NULL,"
" usn integer NOT NULL, config blob NOT NULL);"
"CREATE UNIQUE INDEX idx_notetypes_name ON notetypes (name);"
"CREATE INDEX idx_notetypes_usn ON notetypes (usn);"
"CREATE TABLE decks (id integer PRIMARY KEY NOT NULL,"
" name text NOT NULL COLLATE unicase, mtime_secs integer NOT NULL,"
" usn integer NOT NULL, common blob NOT NULL, kind blob NOT NULL);"
"CREATE UNIQUE INDEX idx_decks_name ON decks (name);"
"CREATE TABLE graves (oid integer NOT NULL, type integer NOT NULL,"
" usn integer NOT NULL, PRIMARY KEY (oid, type)) WITHOUT ROWID;"
"CREATE INDEX idx_graves_pending ON graves (usn);";

/* Schema 18's indexes on notes and cards, made with index11_sql's. */
static const char index18_sql[] =
"CREATE INDEX idx_notes_mid ON notes (mid);"
"CREATE INDEX idx_cards_odid ON cards (odid) WHERE odid != 0;";

struct nt_check {
	int64_t		id;
	size_t		nfields;
	unsigned	sort_field;
};

struct ankicol_writer {
	sqlite3		*db;
	char		*path;
	int		 schema;
	time_t		 now;
	sqlite3_stmt	*note, *card, *rev, *tag;
	struct nt_check	*nts;
	size_t		 nnts, ntscap;
	int64_t		 first_notetype;
	int		 have_deck1, have_conf1;
	int		 have_settings;
	struct ankicol_settings settings;
	/* schema 11: the col row's JSON objects, built as rows come */
	struct buf	 models, decks, dconf;
};

static int
wfail(struct ankicol_writer *w, struct err *e, const char *what)
{
	return ankicol_sql_err(e, w->path, w->db, what);
}

static int
exec(struct ankicol_writer *w, const char *sql, struct err *e)
{
	char *msg = NULL;

	if (sqlite3_exec(w->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(e, w->path, 0, 0, "%s", msg != NULL ? msg :
		    "cannot write the collection");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
prep(struct ankicol_writer *w, const char *sql, sqlite3_stmt **st,
    struct err *e)
{
	if (sqlite3_prepare_v2(w->db, sql, -1, st, NULL) != SQLITE_OK)
		return wfail(w, e, "preparing the collection");
	return 0;
}

/* Step a bound insert once and reset it. */
static int
run(struct ankicol_writer *w, sqlite3_stmt *st, struct err *e,
    const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : wfail(w, e, what);
}

struct ankicol_writer *
ankicol_writer_create(const char *path, int schema, time_t now, struct err *e)
{
	struct ankicol_writer *w;
	int fd;

	if (schema != 11 && schema != 18) {
		err_set(e, path, 0, 0, "cannot write collection schema %d "
		    "(11 or 18)", schema);
		return NULL;
	}
	/* The file must be new: made here exclusively, so the writer never
	 * writes through a link or over someone's collection. */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0) {
		err_set(e, path, 0, 0, "cannot create: %s", strerror(errno));
		return NULL;
	}
	close(fd);
	w = xcalloc(1, sizeof *w);
	w->path = xstrdup(path);
	w->schema = schema;
	w->now = now;
	buf_init(&w->models);
	buf_init(&w->decks);
	buf_init(&w->dconf);
	if (sqlite3_open_v2(path, &w->db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK || ankicol_add_unicase(w->db) < 0) {
		wfail(w, e, "cannot open the new collection");
		ankicol_writer_abort(w);
		return NULL;
	}
	/* As Anki's collections: 4 KiB pages, a rollback-journal file (a
	 * package carries one file, never a WAL beside it). While it is being
	 * built no journal and no syncs: the file is new and only ours, and
	 * any failure removes it whole (ankicol_writer_abort), so there is
	 * nothing to roll back to; this makes a large collection I/O-bound
	 * no more. A cache of 8 MiB keeps the indexes' pages in memory. */
	if (exec(w, "PRAGMA page_size = 4096; PRAGMA journal_mode = off;"
	    "PRAGMA synchronous = off; PRAGMA cache_size = -8192;"
	    "PRAGMA legacy_file_format = off; BEGIN", e) < 0 ||
	    exec(w, schema11_sql, e) < 0 ||
	    exec(w, schema == 18 ? schema18_sql : graves11_sql, e) < 0 ||
	    (schema == 11 && exec(w, "CREATE TEMP TABLE tags (tag text NOT "
	    "NULL PRIMARY KEY COLLATE unicase, usn integer NOT NULL)", e) < 0) ||
	    prep(w, "INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, "
	    "sfld, csum, flags, data) VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, "
	    "?8, 0, '')", &w->note, e) < 0 ||
	    prep(w, "INSERT INTO cards (id, nid, did, ord, mod, usn, type, "
	    "queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, "
	    "data) VALUES (?1, ?2, ?3, ?4, ?5, -1, ?6, ?7, ?8, ?9, ?10, ?11, "
	    "?12, ?13, ?14, ?15, ?16, ?17)", &w->card, e) < 0 ||
	    prep(w, "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, "
	    "factor, time, type) VALUES (?1, ?2, -1, ?3, ?4, ?5, ?6, ?7, ?8)",
	    &w->rev, e) < 0 ||
	    prep(w, schema == 18 ? "INSERT OR IGNORE INTO tags (tag, usn, "
	    "collapsed, config) VALUES (?1, -1, 0, NULL)" :
	    "INSERT OR IGNORE INTO temp.tags (tag, usn) VALUES (?1, -1)",
	    &w->tag, e) < 0) {
		ankicol_writer_abort(w);
		return NULL;
	}
	return w;
}

void
ankicol_writer_abort(struct ankicol_writer *w)
{
	if (w == NULL)
		return;
	sqlite3_finalize(w->note);
	sqlite3_finalize(w->card);
	sqlite3_finalize(w->rev);
	sqlite3_finalize(w->tag);
	sqlite3_close(w->db);
	if (w->path != NULL) {
		char *journal = xasprintf("%s-journal", w->path);

		unlink(w->path);
		unlink(journal);
		free(journal);
	}
	buf_free(&w->models);
	buf_free(&w->decks);
	buf_free(&w->dconf);
	free(w->nts);
	free(w->path);
	free(w);
}

/* ---- helpers ---------------------------------------------------------------- */

static void
json_key(struct buf *b, const char *k)
{
	jsonw_str(b, k);
	buf_addc(b, ':');
}

static void
json_int(struct buf *b, const char *k, long long v)
{
	json_key(b, k);
	buf_printf(b, "%lld,", v);
}

static void
json_string(struct buf *b, const char *k, const char *v)
{
	json_key(b, k);
	jsonw_str(b, v != NULL ? v : "");
	buf_addc(b, ',');
}

static void
json_floats(struct buf *b, const char *k, const float *v, size_t n)
{
	json_key(b, k);
	buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(b, ',');
		jsonw_num(b, v[i]);
	}
	buf_adds(b, "],");
}

/* Drop a trailing comma before closing an object. */
static void
json_close(struct buf *b, char c)
{
	if (b->len > 0 && b->data[b->len - 1] == ',')
		b->len--;
	buf_addc(b, c);
	b->data[b->len] = '\0';
}

/* Open the next member of a JSON object being built in b, keyed by id. */
static void
json_member(struct buf *b, int64_t id)
{
	buf_addc(b, b->len == 0 ? '{' : ',');
	buf_printf(b, "\"%lld\":{", (long long)id);
}

/* Whether s[0..n) starts with tag name t (case-insensitive), followed by
 * a character that ends a name. */
static int
tag_is(const char *s, size_t n, const char *t)
{
	size_t k = strlen(t);

	if (n < k || strncasecmp(s, t, k) != 0)
		return 0;
	return n == k || !(isalnum((unsigned char)s[k]) || s[k] == '_');
}

/* The end of a tag or comment starting at s (past its last byte), or
 * NULL when it does not close. */
static const char *
tag_end(const char *s, const char *end)
{
	if (end - s >= 4 && memcmp(s, "<!--", 4) == 0) {
		for (const char *p = s + 4; end - p >= 3; p++)
			if (memcmp(p, "-->", 3) == 0)
				return p + 3;
		return NULL;
	}
	const char *gt = memchr(s, '>', (size_t)(end - s));

	return gt != NULL ? gt + 1 : NULL;
}

/* The filename of a media tag's src or data attribute, quoted or not. */
static int
media_src(const char *s, const char *end, const char **f, size_t *n)
{
	for (const char *p = s; p < end; p++) {
		size_t k;

		if (strncasecmp(p, "src=", 4) == 0)
			k = 4;
		else if (strncasecmp(p, "data=", 5) == 0)
			k = 5;
		else
			continue;
		if (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '-'))
			continue;
		p += k;
		if (p < end && (*p == '"' || *p == '\'')) {
			const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));

			if (q == NULL || q == p + 1)
				return 0;
			*f = p + 1;
			*n = (size_t)(q - p - 1);
			return 1;
		}
		*f = p;
		*n = strcspn(p, " >\t\n");
		if (*f + *n > end)
			*n = (size_t)(end - *f);
		return *n > 0;
	}
	return 0;
}

/*
 * Anki's strip_html_preserving_media_filenames (rslib/src/text.rs): media
 * tags (img, audio, video, object, source) become " filename ", comments,
 * <style> and <script> with their contents and every other tag go, and
 * character references are decoded, a no-break space becoming a space.
 */
static void
anki_strip_html(const char *s, struct buf *out)
{
	static const char *const media[] = {
		"img", "audio", "video", "object", "source"
	};
	const char *end = s + strlen(s);

	while (s < end) {
		if (*s == '<') {
			const char *close = tag_end(s, end), *f;
			size_t n;

			if (close == NULL) {
				buf_add(out, s, (size_t)(end - s));
				break;
			}
			for (size_t i = 0; i < sizeof media / sizeof media[0];
			    i++)
				if (tag_is(s + 1, (size_t)(close - s - 1), media[i]) &&
				    media_src(s, close, &f, &n)) {
					buf_addc(out, ' ');
					buf_add(out, f, n);
					buf_addc(out, ' ');
					break;
				}
			if (tag_is(s + 1, (size_t)(close - s - 1), "style") ||
			    tag_is(s + 1, (size_t)(close - s - 1), "script")) {
				const char *name = tolower((unsigned char)s[2]) ==
				    't' ? "</style" : "</script";
				const char *p = close;

				while (p < end && strncasecmp(p, name,
				    strlen(name)) != 0)
					p++;
				close = p < end ? tag_end(p, end) : NULL;
				if (close == NULL)
					close = end;
			}
			s = close;
			continue;
		}
		if (*s == '&') {
			uint32_t cp[ENTITY_MAX_CPS];
			size_t ncp, k = entity_decode(s, (size_t)(end - s), cp,
			    &ncp);

			if (k > 0) {
				for (size_t i = 0; i < ncp; i++) {
					char enc[4];

					buf_add(out, enc, utf8_encode(cp[i] == 0xa0 ?
					    ' ' : cp[i], enc));
				}
				s += k;
				continue;
			}
		}
		buf_addc(out, *s++);
	}
	if (out->data == NULL)
		buf_adds(out, "");
}

int64_t
ankicol_field_checksum(const char *field)
{
	struct buf t;
	uint8_t d[SHA1_LEN];

	buf_init(&t);
	anki_strip_html(field, &t);
	sha1_digest(t.data, t.len, d);
	buf_free(&t);
	return (int64_t)((uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
	    (uint32_t)d[2] << 8 | d[3]);
}

static int
name_ok(struct ankicol_writer *w, const char *what, const char *name,
    struct err *e)
{
	if (name == NULL || *name == '\0')
		return err_set(e, w->path, 0, 0, "%s without a name", what);
	return 0;
}

/* ---- note types --------------------------------------------------------------- */

/* The legacy "req" of one template: which fields its question names (the
 * old clients generate a card when one of them is non-empty). */
static void
json_req(struct buf *b, const struct notetype *nt, size_t t)
{
	int any = 0;

	buf_printf(b, "[%zu,\"any\",[", t);
	for (size_t f = 0; f < nt->nfields; f++) {
		char *pat = xasprintf("%s}}", nt->fields[f]);

		if (strstr(nt->templates[t].qfmt, pat) != NULL) {
			buf_printf(b, "%s%zu", any ? "," : "", f);
			any = 1;
		}
		free(pat);
	}
	if (!any)
		buf_addc(b, '0');
	buf_adds(b, "]]");
}

static void
notetype_json(struct ankicol_writer *w, const struct notetype *nt)
{
	struct buf *b = &w->models;

	json_member(b, nt->id);
	json_int(b, "id", nt->id);
	json_string(b, "name", nt->name);
	json_int(b, "type", nt->kind == NOTETYPE_KIND_CLOZE);
	json_int(b, "mod", nt->mtime);
	json_int(b, "usn", -1);
	json_int(b, "sortf", nt->sort_field);
	buf_adds(b, "\"did\":null,\"tmpls\":[");
	for (size_t i = 0; i < nt->ntemplates; i++) {
		buf_adds(b, i > 0 ? ",{" : "{");
		json_string(b, "name", nt->templates[i].name);
		json_int(b, "ord", (long long)i);
		json_string(b, "qfmt", nt->templates[i].qfmt);
		json_string(b, "afmt", nt->templates[i].afmt);
		buf_adds(b, "\"bqfmt\":\"\",\"bafmt\":\"\",\"did\":null,"
		    "\"bfont\":\"\",\"bsize\":0}");
	}
	buf_adds(b, "],\"flds\":[");
	for (size_t i = 0; i < nt->nfields; i++) {
		buf_adds(b, i > 0 ? ",{" : "{");
		json_string(b, "name", nt->fields[i]);
		json_int(b, "ord", (long long)i);
		buf_adds(b, "\"sticky\":false,\"rtl\":false,\"font\":\"Arial\","
		    "\"size\":20,\"media\":[]}");
	}
	buf_adds(b, "],");
	json_string(b, "css", nt->css);
	buf_adds(b, "\"latexPre\":\"\",\"latexPost\":\"\",\"latexsvg\":false,"
	    "\"req\":[");
	for (size_t t = 0; nt->kind != NOTETYPE_KIND_CLOZE &&
	    t < nt->ntemplates; t++) {
		if (t > 0)
			buf_addc(b, ',');
		json_req(b, nt, t);
	}
	buf_adds(b, "],\"tags\":[],\"vers\":[]}");
}

static int
notetype_rows(struct ankicol_writer *w, const struct notetype *nt,
    struct err *e)
{
	sqlite3_stmt *st = NULL;
	struct buf cfg;
	int ret = -1;

	buf_init(&cfg);
	/* Notetype.Config: kind 1, sort_field_idx 2, css 3. */
	pb_put_varint(&cfg, 1, nt->kind == NOTETYPE_KIND_CLOZE);
	pb_put_varint(&cfg, 2, nt->sort_field);
	pb_put_str(&cfg, 3, nt->css);
	if (prep(w, "INSERT INTO notetypes (id, name, mtime_secs, usn, config) "
	    "VALUES (?1, ?2, ?3, -1, ?4)", &st, e) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, nt->id);
	sqlite3_bind_text(st, 2, nt->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, nt->mtime);
	sqlite3_bind_blob(st, 4, cfg.len ? cfg.data : "", (int)cfg.len,
	    SQLITE_STATIC);
	if (run(w, st, e, "adding a note type") < 0)
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	if (prep(w, "INSERT INTO fields (ntid, ord, name, config) "
	    "VALUES (?1, ?2, ?3, ?4)", &st, e) < 0)
		goto out;
	for (size_t i = 0; i < nt->nfields; i++) {
		/* Field.Config: font_name 3, font_size 4 (Anki's defaults). */
		buf_reset(&cfg);
		pb_put_str(&cfg, 3, "Arial");
		pb_put_varint(&cfg, 4, 20);
		sqlite3_bind_int64(st, 1, nt->id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_text(st, 3, nt->fields[i], -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 4, cfg.data, (int)cfg.len, SQLITE_STATIC);
		if (run(w, st, e, "adding a field") < 0)
			goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (prep(w, "INSERT INTO templates (ntid, ord, name, mtime_secs, usn, "
	    "config) VALUES (?1, ?2, ?3, ?4, -1, ?5)", &st, e) < 0)
		goto out;
	for (size_t i = 0; i < nt->ntemplates; i++) {
		/* Template.Config: q_format 1, a_format 2. */
		buf_reset(&cfg);
		pb_put_str(&cfg, 1, nt->templates[i].qfmt);
		pb_put_str(&cfg, 2, nt->templates[i].afmt);
		sqlite3_bind_int64(st, 1, nt->id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_text(st, 3, nt->templates[i].name, -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, nt->mtime);
		sqlite3_bind_blob(st, 5, cfg.len ? cfg.data : "", (int)cfg.len,
		    SQLITE_STATIC);
		if (run(w, st, e, "adding a card template") < 0)
			goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	buf_free(&cfg);
	return ret;
}

int
ankicol_add_notetype(struct ankicol_writer *w, const struct notetype *nt,
    struct err *e)
{
	if (name_ok(w, "a note type", nt->name, e) < 0)
		return -1;
	if (nt->nfields == 0 || nt->ntemplates == 0)
		return err_set(e, w->path, 0, 0, "note type \"%s\" needs a "
		    "field and a template", nt->name);
	if (nt->sort_field >= nt->nfields)
		return err_set(e, w->path, 0, 0, "note type \"%s\": sort field "
		    "%u out of range", nt->name, nt->sort_field);
	if (w->schema == 18) {
		if (notetype_rows(w, nt, e) < 0)
			return -1;
	} else
		notetype_json(w, nt);
	VEC_RESERVE(w->nts, w->ntscap, w->nnts + 1, 8);
	w->nts[w->nnts].id = nt->id;
	w->nts[w->nnts].nfields = nt->nfields;
	w->nts[w->nnts].sort_field = nt->sort_field;
	w->nnts++;
	if (w->first_notetype == 0)
		w->first_notetype = nt->id;
	return 0;
}

/* ---- decks ---------------------------------------------------------------------- */

static void
deck_json(struct ankicol_writer *w, const struct anki_deck *d)
{
	struct buf *b = &w->decks;

	json_member(b, d->id);
	json_int(b, "id", d->id);
	json_string(b, "name", d->name);
	json_int(b, "mod", d->mtime);
	json_int(b, "usn", -1);
	buf_adds(b, "\"lrnToday\":[0,0],\"revToday\":[0,0],\"newToday\":[0,0],"
	    "\"timeToday\":[0,0],\"collapsed\":false,\"browserCollapsed\":false,");
	json_string(b, "desc", d->description);
	json_int(b, "dyn", d->filtered != 0);
	if (d->filtered)
		buf_adds(b, "\"resched\":true,\"terms\":[[\"\",100,0]],"
		    "\"separate\":true,\"delays\":null,\"previewDelay\":0}");
	else {
		json_int(b, "conf", d->conf_id != 0 ? d->conf_id : 1);
		buf_adds(b, "\"extendNew\":0,\"extendRev\":0}");
	}
}

int
ankicol_add_deck(struct ankicol_writer *w, const struct anki_deck *d,
    struct err *e)
{
	sqlite3_stmt *st;
	struct buf kind, inner, name;
	int rc;

	if (name_ok(w, "a deck", d->name, e) < 0)
		return -1;
	if (d->id == 1)
		w->have_deck1 = 1;
	if (w->schema == 11) {
		deck_json(w, d);
		return 0;
	}
	buf_init(&kind);
	buf_init(&inner);
	buf_init(&name);
	/* Schema 18 separates levels with \x1f where the user sees "::". */
	for (const char *p = d->name; *p != '\0'; p++) {
		if (p[0] == ':' && p[1] == ':') {
			buf_addc(&name, '\x1f');
			p++;
		} else
			buf_addc(&name, *p);
	}
	/* Deck.KindContainer: normal 1 {config_id 1, description 4};
	 * filtered 2 {reschedule 1}. */
	if (d->filtered) {
		pb_put_varint(&inner, 1, 1);
		pb_put_len(&kind, 2, inner.data, inner.len);
	} else {
		pb_put_varint(&inner, 1, (uint64_t)(d->conf_id != 0 ?
		    d->conf_id : 1));
		pb_put_str(&inner, 4, d->description);
		pb_put_len(&kind, 1, inner.data, inner.len);
	}
	rc = prep(w, "INSERT INTO decks (id, name, mtime_secs, usn, common, "
	    "kind) VALUES (?1, ?2, ?3, -1, x'', ?4)", &st, e);
	if (rc == 0) {
		sqlite3_bind_int64(st, 1, d->id);
		sqlite3_bind_text(st, 2, name.data, (int)name.len, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, d->mtime);
		sqlite3_bind_blob(st, 4, kind.data, (int)kind.len, SQLITE_STATIC);
		rc = run(w, st, e, "adding a deck");
		sqlite3_finalize(st);
	}
	buf_free(&kind);
	buf_free(&inner);
	buf_free(&name);
	return rc;
}

/* ---- presets ----------------------------------------------------------------------- */

static void
deckconf_json(struct ankicol_writer *w, const struct anki_deckconf *dc)
{
	static const char *const params_key[] = {
		"fsrsWeights", "fsrsParams5", "fsrsParams6"
	};
	struct buf *b = &w->dconf;

	json_member(b, dc->id);
	json_int(b, "id", dc->id);
	json_string(b, "name", dc->name);
	json_int(b, "mod", dc->mtime);
	json_int(b, "usn", -1);
	buf_adds(b, "\"maxTaken\":60,\"autoplay\":true,\"timer\":0,"
	    "\"replayq\":true,\"dyn\":false,\"new\":{");
	buf_printf(b, "\"bury\":%s,", dc->bury_new ? "true" : "false");
	json_floats(b, "delays", dc->learn_steps, dc->nlearn_steps);
	json_int(b, "initialFactor", dc->initial_ease > 0 ?
	    (long long)(dc->initial_ease * 1000 + 0.5) : 2500);
	buf_adds(b, "\"ints\":[1,4,0],\"order\":1,");
	json_int(b, "perDay", dc->new_per_day);
	json_close(b, '}');
	buf_printf(b, ",\"rev\":{\"bury\":%s,\"ease4\":1.3,\"ivlFct\":1.0,"
	    "\"hardFactor\":1.2,", dc->bury_reviews ? "true" : "false");
	json_int(b, "maxIvl", dc->max_ivl > 0 ? dc->max_ivl : 36500);
	json_int(b, "perDay", dc->reviews_per_day);
	json_close(b, '}');
	buf_adds(b, ",\"lapse\":{");
	json_floats(b, "delays", dc->relearn_steps, dc->nrelearn_steps);
	json_int(b, "leechAction", dc->leech_action);
	json_int(b, "leechFails", dc->leech_threshold);
	json_int(b, "minInt", dc->min_lapse_ivl > 0 ? dc->min_lapse_ivl : 1);
	buf_adds(b, "\"mult\":0.0},");
	json_int(b, "newMix", dc->new_mix);
	json_int(b, "interdayLearningMix", dc->interday_mix);
	json_int(b, "newSortOrder", dc->new_sort_order);
	json_int(b, "newGatherPriority", dc->new_gather_priority);
	json_int(b, "reviewOrder", dc->review_order);
	buf_printf(b, "\"buryInterdayLearning\":%s,",
	    dc->bury_interday ? "true" : "false");
	json_key(b, "desiredRetention");
	jsonw_num(b, dc->desired_retention > 0 ? dc->desired_retention : 0.9);
	buf_addc(b, ',');
	if (dc->fsrs_version >= 4 && dc->fsrs_version <= 6)
		json_floats(b, params_key[dc->fsrs_version - 4], dc->params,
		    dc->nparams);
	json_close(b, '}');
}

/* DeckConfig.Config, with Anki's defaults for what the struct leaves
 * out, as a reader takes a missing field for 0. */
static void
deckconf_pb(struct buf *b, const struct anki_deckconf *dc)
{
	static const uint32_t params_field[] = { 3, 5, 6 };	/* 4, 5, 6 */

	pb_put_floats(b, 1, dc->learn_steps, dc->nlearn_steps);
	pb_put_floats(b, 2, dc->relearn_steps, dc->nrelearn_steps);
	if (dc->fsrs_version >= 4 && dc->fsrs_version <= 6)
		pb_put_floats(b, params_field[dc->fsrs_version - 4], dc->params,
		    dc->nparams);
	pb_put_varint(b, 9, dc->new_per_day);
	pb_put_varint(b, 10, dc->reviews_per_day);
	pb_put_float(b, 11, dc->initial_ease > 0 ? dc->initial_ease : 2.5f);
	pb_put_float(b, 12, 1.3f);	/* easy_multiplier */
	pb_put_float(b, 13, 1.2f);	/* hard_multiplier */
	pb_put_float(b, 15, 1.0f);	/* interval_multiplier */
	pb_put_varint(b, 16, dc->max_ivl > 0 ? dc->max_ivl : 36500);
	pb_put_varint(b, 17, dc->min_lapse_ivl > 0 ? dc->min_lapse_ivl : 1);
	pb_put_varint(b, 18, 1);	/* graduating_interval_good */
	pb_put_varint(b, 19, 4);	/* graduating_interval_easy */
	pb_put_varint(b, 21, (uint64_t)dc->leech_action);
	pb_put_varint(b, 22, dc->leech_threshold);
	pb_put_varint(b, 24, 60);	/* cap_answer_time_to_secs */
	pb_put_varint(b, 27, dc->bury_new != 0);
	pb_put_varint(b, 28, dc->bury_reviews != 0);
	pb_put_varint(b, 29, dc->bury_interday != 0);
	pb_put_varint(b, 30, (uint64_t)dc->new_mix);
	pb_put_varint(b, 31, (uint64_t)dc->interday_mix);
	pb_put_varint(b, 32, (uint64_t)dc->new_sort_order);
	pb_put_varint(b, 33, (uint64_t)dc->review_order);
	pb_put_varint(b, 34, (uint64_t)dc->new_gather_priority);
	pb_put_float(b, 37, dc->desired_retention > 0 ?
	    dc->desired_retention : 0.9f);
	pb_put_varint(b, 44, 1);	/* wait_for_audio */
}

int
ankicol_add_deckconf(struct ankicol_writer *w, const struct anki_deckconf *dc,
    struct err *e)
{
	sqlite3_stmt *st;
	struct buf cfg;
	int rc;

	if (name_ok(w, "a deck preset", dc->name, e) < 0)
		return -1;
	if (dc->id == 1)
		w->have_conf1 = 1;
	if (w->schema == 11) {
		deckconf_json(w, dc);
		return 0;
	}
	buf_init(&cfg);
	deckconf_pb(&cfg, dc);
	rc = prep(w, "INSERT INTO deck_config (id, name, mtime_secs, usn, "
	    "config) VALUES (?1, ?2, ?3, -1, ?4)", &st, e);
	if (rc == 0) {
		sqlite3_bind_int64(st, 1, dc->id);
		sqlite3_bind_text(st, 2, dc->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, dc->mtime);
		sqlite3_bind_blob(st, 4, cfg.data, (int)cfg.len, SQLITE_STATIC);
		rc = run(w, st, e, "adding a deck preset");
		sqlite3_finalize(st);
	}
	buf_free(&cfg);
	return rc;
}

/* ---- notes, cards, the review log ------------------------------------------------ */

static const struct nt_check *
find_nt(const struct ankicol_writer *w, int64_t id)
{
	for (size_t i = 0; i < w->nnts; i++)
		if (w->nts[i].id == id)
			return &w->nts[i];
	return NULL;
}

/* Each tag of " a b " (Anki's form, or "a b") into the tags table. */
static int
add_tags(struct ankicol_writer *w, const char *tags, struct err *e)
{
	const char *p = tags;

	while (p != NULL && *p != '\0') {
		size_t n;

		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (n == 0)
			break;
		sqlite3_bind_text(w->tag, 1, p, (int)n, SQLITE_STATIC);
		if (run(w, w->tag, e, "adding a tag") < 0)
			return -1;
		p += n;
	}
	return 0;
}

int
ankicol_add_note(struct ankicol_writer *w, const struct anki_note *n,
    struct err *e)
{
	const struct nt_check *nt = find_nt(w, n->mid);
	struct buf flds, sort, tags;
	int rc;

	if (nt == NULL)
		return err_set(e, w->path, 0, 0, "note %lld: note type %lld "
		    "was not added", (long long)n->id, (long long)n->mid);
	if (n->nfields != nt->nfields)
		return err_set(e, w->path, 0, 0, "note %lld has %zu fields, its "
		    "note type has %zu", (long long)n->id, n->nfields,
		    nt->nfields);
	buf_init(&flds);
	buf_init(&sort);
	buf_init(&tags);
	for (size_t i = 0; i < n->nfields; i++) {
		if (i > 0)
			buf_addc(&flds, '\x1f');
		buf_adds(&flds, n->fields[i]);
	}
	anki_strip_html(n->fields[nt->sort_field], &sort);
	/* Anki keeps tags as " a b ", spaces around, or "" for none. */
	if (n->tags != NULL && n->tags[strspn(n->tags, " ")] != '\0') {
		const char *t = n->tags + strspn(n->tags, " ");
		size_t len = strlen(t);

		while (len > 0 && t[len - 1] == ' ')
			len--;
		buf_addc(&tags, ' ');
		buf_add(&tags, t, len);
		buf_addc(&tags, ' ');
	}
	sqlite3_bind_int64(w->note, 1, n->id);
	sqlite3_bind_text(w->note, 2, n->guid != NULL ? n->guid : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(w->note, 3, n->mid);
	sqlite3_bind_int64(w->note, 4, n->mod);
	sqlite3_bind_text(w->note, 5, tags.len ? tags.data : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(w->note, 6, flds.len ? flds.data : "", (int)flds.len,
	    SQLITE_STATIC);
	sqlite3_bind_text(w->note, 7, sort.len ? sort.data : "", (int)sort.len,
	    SQLITE_STATIC);
	/* Anki's csum is of the first field, whatever the sort field is
	 * (Note::prepare_for_update): it finds duplicates. */
	sqlite3_bind_int64(w->note, 8, ankicol_field_checksum(n->fields[0]));
	rc = run(w, w->note, e, "adding a note");
	if (rc == 0)
		rc = add_tags(w, n->tags, e);
	buf_free(&flds);
	buf_free(&sort);
	buf_free(&tags);
	return rc;
}

int
ankicol_add_card(struct ankicol_writer *w, const struct anki_card *c,
    struct err *e)
{
	struct buf data;
	int rc;

	buf_init(&data);
	/* CardData (rslib/src/storage/card/data.rs), in its order: pos, s,
	 * d, dr, decay, lrt; what is not set is left out, as Anki does. */
	if (c->original_position > 0)
		buf_printf(&data, ",\"pos\":%lld", (long long)c->original_position);
	if (c->has_memory) {
		buf_adds(&data, ",\"s\":");
		jsonw_num(&data, c->stability);
		buf_adds(&data, ",\"d\":");
		jsonw_num(&data, c->difficulty);
		if (c->desired_retention > 0) {
			buf_adds(&data, ",\"dr\":");
			jsonw_num(&data, c->desired_retention);
		}
		if (c->decay > 0) {
			buf_adds(&data, ",\"decay\":");
			jsonw_num(&data, c->decay);
		}
		if (c->last_review > 0)
			buf_printf(&data, ",\"lrt\":%lld",
			    (long long)c->last_review);
	}
	if (data.len > 0) {
		data.data[0] = '{';	/* the first member's comma */
		buf_addc(&data, '}');
	}
	sqlite3_bind_int64(w->card, 1, c->id);
	sqlite3_bind_int64(w->card, 2, c->nid);
	sqlite3_bind_int64(w->card, 3, c->did);
	sqlite3_bind_int(w->card, 4, c->ord);
	sqlite3_bind_int64(w->card, 5, c->mod);
	sqlite3_bind_int(w->card, 6, c->type);
	sqlite3_bind_int(w->card, 7, c->queue);
	sqlite3_bind_int64(w->card, 8, c->due);
	sqlite3_bind_int(w->card, 9, c->ivl);
	sqlite3_bind_int(w->card, 10, c->factor);
	sqlite3_bind_int(w->card, 11, c->reps);
	sqlite3_bind_int(w->card, 12, c->lapses);
	sqlite3_bind_int(w->card, 13, c->left);
	sqlite3_bind_int64(w->card, 14, c->odue);
	sqlite3_bind_int64(w->card, 15, c->odid);
	sqlite3_bind_int(w->card, 16, c->flags);
	sqlite3_bind_text(w->card, 17, data.len ? data.data : "", -1,
	    SQLITE_STATIC);
	rc = run(w, w->card, e, "adding a card");
	buf_free(&data);
	return rc;
}

int
ankicol_add_revlog(struct ankicol_writer *w, const struct anki_revlog *r,
    struct err *e)
{
	sqlite3_bind_int64(w->rev, 1, r->id);
	sqlite3_bind_int64(w->rev, 2, r->cid);
	sqlite3_bind_int(w->rev, 3, r->ease);
	sqlite3_bind_int(w->rev, 4, r->ivl);
	sqlite3_bind_int(w->rev, 5, r->last_ivl);
	sqlite3_bind_int(w->rev, 6, r->factor);
	sqlite3_bind_int(w->rev, 7, r->time);
	sqlite3_bind_int(w->rev, 8, r->type);
	return run(w, w->rev, e, "adding a review");
}

/* ---- finishing ---------------------------------------------------------------------- */

/* The collection's config: schema11_config_as_string in Anki's source,
 * key and JSON value; curModel is the first note type added. */
static const char *const config_keys[][2] = {
	{ "activeDecks", "[1]" }, { "curDeck", "1" }, { "newSpread", "0" },
	{ "collapseTime", "1200" }, { "timeLim", "0" }, { "estTimes", "true" },
	{ "dueCounts", "true" }, { "curModel", NULL }, { "nextPos", "1" },
	{ "sortType", "\"noteFld\"" }, { "sortBackwards", "false" },
	{ "addToCur", "true" }, { "dayLearnFirst", "false" },
	{ "schedVer", "2" }, { "creationOffset", "0" }, { "sched2021", "true" },
	{ "rollover", "4" }, { "fsrs", "false" },
};

/* A key's value as the writer's settings have it, into v (len bytes):
 * the table's otherwise. */
static const char *
config_value(const struct ankicol_writer *w, const char *key,
    const char *dflt, char *v, size_t len)
{
	const struct ankicol_settings *s = &w->settings;

	if (!w->have_settings)
		return dflt;
	if (strcmp(key, "collapseTime") == 0)
		snprintf(v, len, "%d", s->learn_ahead_secs);
	else if (strcmp(key, "nextPos") == 0)
		snprintf(v, len, "%lld", (long long)s->next_pos);
	else if (strcmp(key, "creationOffset") == 0)
		snprintf(v, len, "%d", s->creation_offset);
	else if (strcmp(key, "rollover") == 0)
		snprintf(v, len, "%d", s->rollover);
	else if (strcmp(key, "fsrs") == 0)
		snprintf(v, len, "%s", s->fsrs ? "true" : "false");
	else
		return dflt;
	return v;
}

void
ankicol_writer_settings(struct ankicol_writer *w,
    const struct ankicol_settings *s)
{
	w->settings = *s;
	w->have_settings = 1;
}

/* Schema 11: one JSON object for the col row's conf; schema 18: one
 * config row a key (usn 0, mtime 0, as Anki's upgrade writes them). */
static int
write_config(struct ankicol_writer *w, struct buf *conf, struct err *e)
{
	sqlite3_stmt *st = NULL;
	char model[32];
	int rc = 0;

	if (w->first_notetype != 0)
		snprintf(model, sizeof model, "%lld",
		    (long long)w->first_notetype);
	else
		snprintf(model, sizeof model, "null");
	if (w->schema == 18 && prep(w, "INSERT INTO config (KEY, usn, "
	    "mtime_secs, val) VALUES (?1, 0, 0, ?2)", &st, e) < 0)
		return -1;
	buf_addc(conf, '{');
	for (size_t i = 0; i < sizeof config_keys / sizeof config_keys[0];
	    i++) {
		char own[32];
		const char *v;

		/* The last two keys are written only for given settings. */
		if (!w->have_settings && (strcmp(config_keys[i][0],
		    "rollover") == 0 || strcmp(config_keys[i][0], "fsrs") == 0))
			continue;
		v = config_keys[i][1] != NULL ?
		    config_value(w, config_keys[i][0], config_keys[i][1], own,
		    sizeof own) : model;

		if (w->schema == 11) {
			json_key(conf, config_keys[i][0]);
			buf_adds(conf, v);
			buf_addc(conf, ',');
			continue;
		}
		sqlite3_bind_text(st, 1, config_keys[i][0], -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, v, (int)strlen(v), SQLITE_STATIC);
		if ((rc = run(w, st, e, "writing the config")) < 0)
			break;
	}
	json_close(conf, '}');
	sqlite3_finalize(st);
	return rc;
}

int
ankicol_writer_finish(struct ankicol_writer *w, struct err *e)
{
	static const struct anki_deck deck1 = {
		.id = 1, .name = (char *)"Default", .conf_id = 1,
		.description = (char *)""
	};
	struct anki_deckconf conf1 = {
		.id = 1, .name = (char *)"Default", .new_per_day = 20,
		.reviews_per_day = 200, .max_ivl = 36500, .leech_threshold = 8,
		.leech_action = 1, .desired_retention = 0.9f,
		.initial_ease = 2.5f
	};
	float learn[] = { 1, 10 }, relearn[] = { 10 };
	sqlite3_stmt *st = NULL;
	struct buf conf;
	int64_t crt;
	int rc = -1;

	/* Anki's collections always have deck 1 and preset 1. */
	conf1.mtime = w->now;
	conf1.learn_steps = learn;
	conf1.nlearn_steps = 2;
	conf1.relearn_steps = relearn;
	conf1.nrelearn_steps = 1;
	if (!w->have_deck1 && ankicol_add_deck(w, &deck1, e) < 0)
		goto fail;
	if (!w->have_conf1 && ankicol_add_deckconf(w, &conf1, e) < 0)
		goto fail;
	/* Day 0 starts at 4:00 (Anki's rollover) on or before now, UTC,
	 * unless the rows were made for another (ankicol_writer_settings). */
	crt = (int64_t)w->now - ((int64_t)w->now % 86400) + 4 * 3600;
	if (crt > (int64_t)w->now)
		crt -= 86400;
	if (w->have_settings)
		crt = w->settings.crt;
	buf_init(&conf);
	if (write_config(w, &conf, e) < 0)
		goto fail_conf;
	if (w->schema == 11) {
		json_close(&w->models, w->models.len ? '}' : '{');
		json_close(&w->decks, '}');
		json_close(&w->dconf, '}');
		if (w->models.len == 1)
			buf_addc(&w->models, '}');
	}
	if (prep(w, "INSERT INTO col VALUES (1, ?1, ?2, ?2, ?3, 0, 0, 0, ?4, "
	    "?5, ?6, ?7, '{}')", &st, e) < 0)
		goto fail_conf;
	sqlite3_bind_int64(st, 1, crt);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)w->now * 1000);
	sqlite3_bind_int(st, 3, w->schema);
	sqlite3_bind_text(st, 4, w->schema == 11 ? conf.data : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 5, w->schema == 11 ? w->models.data : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 6, w->schema == 11 ? w->decks.data : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 7, w->schema == 11 ? w->dconf.data : "", -1,
	    SQLITE_STATIC);
	if (run(w, st, e, "writing the col row") < 0)
		goto fail_conf;
	if (w->schema == 11 && exec(w, "UPDATE col SET tags = (SELECT "
	    "json_group_object(tag, usn) FROM temp.tags)", e) < 0)
		goto fail_conf;
	if (exec(w, index11_sql, e) < 0 ||
	    (w->schema == 18 && exec(w, index18_sql, e) < 0) ||
	    exec(w, "COMMIT; ANALYZE", e) < 0)
		goto fail_conf;
	rc = 0;
fail_conf:
	buf_free(&conf);
fail:
	sqlite3_finalize(st);
	if (rc < 0) {
		ankicol_writer_abort(w);
		return -1;
	}
	sqlite3_finalize(w->note);
	sqlite3_finalize(w->card);
	sqlite3_finalize(w->rev);
	sqlite3_finalize(w->tag);
	w->note = w->card = w->rev = w->tag = NULL;
	if (sqlite3_close(w->db) != SQLITE_OK) {
		w->db = NULL;
		err_set(e, w->path, 0, 0, "cannot close the collection");
		ankicol_writer_abort(w);
		return -1;
	}
	w->db = NULL;
	free(w->path);
	w->path = NULL;
	ankicol_writer_abort(w);	/* frees the rest; the file stays */
	return 0;
}
