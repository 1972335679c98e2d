/*
 * db-ankicol.c - reading an Anki collection (see ankicol.h).
 *
 * Schema 11 keeps note types, decks and presets as JSON objects in the
 * col row; SQLite's own JSON functions (json_each, json_extract) take
 * them apart, so no JSON parser of ours is involved. Schema 15 to 18 keep
 * them in tables whose blobs are protobuf messages (Anki's
 * notetypes.proto, decks.proto, deck_config.proto), read with pbwire.
 * Schema 12-14 existed only inside a running Anki (it always writes 11 or
 * 18 into a package), so they are refused like an unknown version.
 */
#include "config.h"

#include "lemma/store/ankicol.h"

#include <stdlib.h>
#include <string.h>

#include "db-ankicol-int.h"
#include "lemma/base/pbwire.h"
#include "lemma/base/text.h"
#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"

struct nt_fields {
	int64_t	id;
	size_t	nfields;
	char	*name;
};

struct ankicol {
	sqlite3			*db;
	char			*label;
	int			 schema;
	struct nt_fields	*nts;	/* for checking notes; sorted by id */
	size_t			 nnts, ntscap;
	int			 nts_loaded;
};

/* ---- shared with the writer ------------------------------------------- */

static int
unicase_cmp(void *arg, int n1, const void *p1, int n2, const void *p2)
{
	const char *a = p1, *b = p2;
	size_t i = 0, j = 0;

	(void)arg;
	while (i < (size_t)n1 && j < (size_t)n2) {
		uint32_t ca, cb;
		int oka, okb;

		i += utf8_decode(a + i, (size_t)n1 - i, &ca, &oka);
		j += utf8_decode(b + j, (size_t)n2 - j, &cb, &okb);
		ca = text_fold(ca);
		cb = text_fold(cb);
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	if (i < (size_t)n1)
		return 1;
	return j < (size_t)n2 ? -1 : 0;
}

int
ankicol_add_unicase(sqlite3 *db)
{
	return sqlite3_create_collation(db, "unicase", SQLITE_UTF8, NULL,
	    unicase_cmp) == SQLITE_OK ? 0 : -1;
}

int
ankicol_sql_err(struct err *e, const char *label, sqlite3 *db,
    const char *what)
{
	return err_set(e, label, 0, 0, "%s: %s", what,
	    db != NULL ? sqlite3_errmsg(db) : "out of memory");
}

/* ---- opening ----------------------------------------------------------- */

static int
sql_fail(struct ankicol *c, struct err *e, const char *what)
{
	return ankicol_sql_err(e, c->label, c->db, what);
}

static const char *
col_text(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s != NULL ? s : "";
}

struct ankicol *
ankicol_open(const char *path, const char *label, struct err *e)
{
	struct ankicol *c = xcalloc(1, sizeof *c);
	sqlite3_stmt *st = NULL;
	int rc;

	c->label = xstrdup(label);
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK || ankicol_add_unicase(c->db) < 0) {
		sql_fail(c, e, "cannot open the collection");
		ankicol_close(c);
		return NULL;
	}
	/* A file that is not SQLite fails here, at its first read. */
	rc = sqlite3_prepare_v2(c->db, "SELECT ver FROM col", -1, &st, NULL);
	if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		sql_fail(c, e, "not an Anki collection");
		sqlite3_finalize(st);
		ankicol_close(c);
		return NULL;
	}
	c->schema = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (c->schema != 11 && (c->schema < 15 || c->schema > 18)) {
		err_set(e, label, 0, 0, "collection schema %d is not supported "
		    "(11 and 15 to 18 are)", c->schema);
		ankicol_close(c);
		return NULL;
	}
	return c;
}

void
ankicol_close(struct ankicol *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nnts; i++)
		free(c->nts[i].name);
	free(c->nts);
	sqlite3_close(c->db);
	free(c->label);
	free(c);
}

int
ankicol_schema(const struct ankicol *c)
{
	return c->schema;
}

int
ankicol_integrity(struct ankicol *c, struct err *e)
{
	sqlite3_stmt *st;
	int ok;

	if (sqlite3_prepare_v2(c->db, "PRAGMA integrity_check", -1, &st,
	    NULL) != SQLITE_OK)
		return sql_fail(c, e, "integrity check");
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return sql_fail(c, e, "integrity check");
	}
	ok = strcmp(col_text(st, 0), "ok") == 0;
	if (!ok)
		err_set(e, c->label, 0, 0, "integrity check: %s",
		    col_text(st, 0));
	sqlite3_finalize(st);
	return ok ? 0 : -1;
}

static int
count_sql(struct ankicol *c, const char *sql, long long *n, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return sql_fail(c, e, "counting");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : sql_fail(c, e, "counting");
}

int
ankicol_count(struct ankicol *c, struct ankicol_counts *n, struct err *e)
{
	int v11 = c->schema == 11;

	memset(n, 0, sizeof *n);
	return count_sql(c, v11 ? "SELECT count(*) FROM col, json_each(col.models)" :
	    "SELECT count(*) FROM notetypes", &n->notetypes, e) < 0 ||
	    count_sql(c, v11 ? "SELECT count(*) FROM col, json_each(col.decks)" :
	    "SELECT count(*) FROM decks", &n->decks, e) < 0 ||
	    count_sql(c, v11 ? "SELECT count(*) FROM col, json_each(col.dconf)" :
	    "SELECT count(*) FROM deck_config", &n->deckconfs, e) < 0 ||
	    count_sql(c, "SELECT count(*) FROM notes", &n->notes, e) < 0 ||
	    count_sql(c, "SELECT count(*) FROM cards", &n->cards, e) < 0 ||
	    count_sql(c, "SELECT count(*) FROM revlog", &n->revlog, e) < 0 ?
	    -1 : 0;
}

int
ankicol_notetype_used(struct ankicol *c, int64_t mid, struct err *e)
{
	sqlite3_stmt *st;
	int rc, used = 0;

	if (sqlite3_prepare_v2(c->db, "SELECT EXISTS (SELECT 1 FROM notes "
	    "WHERE mid = ?)", -1, &st, NULL) != SQLITE_OK)
		return sql_fail(c, e, "reading notes");
	sqlite3_bind_int64(st, 1, mid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		used = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? used : sql_fail(c, e, "reading notes");
}

/* ---- note types ---------------------------------------------------------- */

static void
add_field(struct notetype *nt, size_t *cap, const char *name)
{
	VEC_RESERVE(nt->fields, *cap, nt->nfields + 1, 8);
	nt->fields[nt->nfields++] = xstrdup(name);
}

static void
add_template(struct notetype *nt, size_t *cap, const char *name,
    const char *q, const char *a)
{
	struct notetype_template *t;

	VEC_RESERVE(nt->templates, *cap, nt->ntemplates + 1, 4);
	t = &nt->templates[nt->ntemplates++];
	t->name = xstrdup(name);
	t->qfmt = xstrdup(q);
	t->afmt = xstrdup(a);
}

static char *
pb_strdup(const struct pb_field *f)
{
	return xstrndup((const char *)f->p, f->n);
}

/* Notetype.Config: kind 1, sort_field_idx 2, css 3. */
static int
parse_notetype_config(struct notetype *nt, const void *p, size_t n)
{
	struct pb_reader r;
	struct pb_field f;
	int rc;

	pb_reader_init(&r, p, n);
	while ((rc = pb_next(&r, &f)) > 0) {
		if (f.num == 1 && f.wire == PB_VARINT)
			nt->kind = f.v == 1 ? NOTETYPE_KIND_CLOZE :
			    NOTETYPE_NORMAL;
		else if (f.num == 2 && f.wire == PB_VARINT)
			nt->sort_field = (unsigned)f.v;
		else if (f.num == 3 && f.wire == PB_LEN) {
			free(nt->css);
			nt->css = pb_strdup(&f);
		}
	}
	return rc;
}

/* Template.Config: q_format 1, a_format 2. */
static int
parse_template_config(const void *p, size_t n, char **q, char **a)
{
	struct pb_reader r;
	struct pb_field f;
	int rc;

	pb_reader_init(&r, p, n);
	while ((rc = pb_next(&r, &f)) > 0) {
		if (f.num == 1 && f.wire == PB_LEN) {
			free(*q);
			*q = pb_strdup(&f);
		} else if (f.num == 2 && f.wire == PB_LEN) {
			free(*a);
			*a = pb_strdup(&f);
		}
	}
	return rc;
}

/* The fields and templates of one note type of schema 15-18. */
static int
load_v18_parts(struct ankicol *c, struct notetype *nt, sqlite3_stmt *fst,
    sqlite3_stmt *tst, struct err *e)
{
	size_t fcap = 0, tcap = 0;
	int rc;

	sqlite3_reset(fst);
	sqlite3_bind_int64(fst, 1, nt->id);
	while ((rc = sqlite3_step(fst)) == SQLITE_ROW)
		add_field(nt, &fcap, col_text(fst, 0));
	if (rc != SQLITE_DONE)
		return sql_fail(c, e, "reading fields");
	sqlite3_reset(tst);
	sqlite3_bind_int64(tst, 1, nt->id);
	while ((rc = sqlite3_step(tst)) == SQLITE_ROW) {
		char *q = NULL, *a = NULL;

		if (parse_template_config(sqlite3_column_blob(tst, 1),
		    (size_t)sqlite3_column_bytes(tst, 1), &q, &a) < 0) {
			free(q);
			free(a);
			return err_set(e, c->label, 0, 0, "note type %lld: "
			    "template %d: config is not a protobuf message",
			    (long long)nt->id, sqlite3_column_int(tst, 2));
		}
		add_template(nt, &tcap, col_text(tst, 0), q ? q : "",
		    a ? a : "");
		free(q);
		free(a);
	}
	if (rc != SQLITE_DONE)
		return sql_fail(c, e, "reading templates");
	return 0;
}

/* The fields and templates of one note type of schema 11, from its JSON
 * (the statements take the model's JSON text as ?1). */
static int
load_v11_parts(struct ankicol *c, struct notetype *nt, const char *json,
    sqlite3_stmt *fst, sqlite3_stmt *tst, struct err *e)
{
	size_t fcap = 0, tcap = 0;
	int rc;

	sqlite3_reset(fst);
	sqlite3_bind_text(fst, 1, json, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(fst)) == SQLITE_ROW)
		add_field(nt, &fcap, col_text(fst, 0));
	if (rc != SQLITE_DONE)
		return sql_fail(c, e, "reading a note type's fields");
	sqlite3_reset(tst);
	sqlite3_bind_text(tst, 1, json, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(tst)) == SQLITE_ROW)
		add_template(nt, &tcap, col_text(tst, 0), col_text(tst, 1),
		    col_text(tst, 2));
	if (rc != SQLITE_DONE)
		return sql_fail(c, e, "reading a note type's templates");
	return 0;
}

int
ankicol_each_notetype(struct ankicol *c,
    int (*fn)(void *, const struct notetype *, struct err *), void *arg,
    struct err *e)
{
	static const char v18[] =
	    "SELECT id, name, mtime_secs, config FROM notetypes ORDER BY id";
	static const char v18_fields[] =
	    "SELECT name FROM fields WHERE ntid = ?1 ORDER BY ord";
	static const char v18_templates[] =
	    "SELECT name, config, ord FROM templates WHERE ntid = ?1 ORDER BY ord";
	static const char v11[] =
	    "SELECT CAST(m.key AS INTEGER), json_extract(m.value, '$.name'), "
	    "json_extract(m.value, '$.mod'), m.value, "
	    "json_extract(m.value, '$.type'), json_extract(m.value, '$.sortf'), "
	    "json_extract(m.value, '$.css') "
	    "FROM col, json_each(col.models) AS m ORDER BY 1";
	static const char v11_fields[] =
	    "SELECT json_extract(value, '$.name') FROM json_each(?1, '$.flds') "
	    "ORDER BY CAST(key AS INTEGER)";
	static const char v11_templates[] =
	    "SELECT json_extract(value, '$.name'), json_extract(value, '$.qfmt'), "
	    "json_extract(value, '$.afmt') FROM json_each(?1, '$.tmpls') "
	    "ORDER BY CAST(key AS INTEGER)";
	int v11mode = c->schema == 11;
	sqlite3_stmt *st = NULL, *fst = NULL, *tst = NULL;
	struct notetype nt;
	int rc, ret = -1;

	memset(&nt, 0, sizeof nt);
	if (sqlite3_prepare_v2(c->db, v11mode ? v11 : v18, -1, &st, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(c->db, v11mode ? v11_fields :
	    v18_fields, -1, &fst, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, v11mode ? v11_templates : v18_templates,
	    -1, &tst, NULL) != SQLITE_OK) {
		sql_fail(c, e, "reading note types");
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		notetype_free(&nt);
		nt.id = sqlite3_column_int64(st, 0);
		nt.name = xstrdup(col_text(st, 1));
		nt.mtime = sqlite3_column_int64(st, 2);
		if (v11mode) {
			nt.kind = sqlite3_column_int(st, 4) == 1 ?
			    NOTETYPE_KIND_CLOZE : NOTETYPE_NORMAL;
			nt.sort_field = (unsigned)sqlite3_column_int(st, 5);
			nt.css = xstrdup(col_text(st, 6));
			if (load_v11_parts(c, &nt, col_text(st, 3), fst, tst,
			    e) < 0)
				goto out;
		} else {
			if (parse_notetype_config(&nt, sqlite3_column_blob(st, 3),
			    (size_t)sqlite3_column_bytes(st, 3)) < 0) {
				err_set(e, c->label, 0, 0, "note type %lld: "
				    "config is not a protobuf message",
				    (long long)nt.id);
				goto out;
			}
			if (nt.css == NULL)
				nt.css = xstrdup("");
			if (load_v18_parts(c, &nt, fst, tst, e) < 0)
				goto out;
		}
		if (nt.nfields == 0) {
			err_set(e, c->label, 0, 0, "note type %lld has no "
			    "fields", (long long)nt.id);
			goto out;
		}
		if (nt.sort_field >= nt.nfields)
			nt.sort_field = 0;	/* as Anki repairs it */
		if (fn(arg, &nt, e) < 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		sql_fail(c, e, "reading note types");
		goto out;
	}
	ret = 0;
out:
	notetype_free(&nt);
	sqlite3_finalize(st);
	sqlite3_finalize(fst);
	sqlite3_finalize(tst);
	return ret;
}

/* ---- decks ----------------------------------------------------------------- */

/* Deck.KindContainer: normal 1 {config_id 1, description 4}, filtered 2. */
static int
parse_deck_kind(struct anki_deck *d, const void *p, size_t n)
{
	struct pb_reader r, rn;
	struct pb_field f, g;
	int rc, rc2;

	pb_reader_init(&r, p, n);
	while ((rc = pb_next(&r, &f)) > 0) {
		if (f.wire != PB_LEN)
			continue;
		if (f.num == 2) {
			d->filtered = 1;
			continue;
		}
		if (f.num != 1)
			continue;
		pb_reader_init(&rn, f.p, f.n);
		while ((rc2 = pb_next(&rn, &g)) > 0) {
			if (g.num == 1 && g.wire == PB_VARINT)
				d->conf_id = (int64_t)g.v;
			else if (g.num == 4 && g.wire == PB_LEN) {
				free(d->description);
				d->description = pb_strdup(&g);
			}
		}
		if (rc2 < 0)
			return -1;
	}
	return rc;
}

int
ankicol_each_deck(struct ankicol *c,
    int (*fn)(void *, const struct anki_deck *, struct err *), void *arg,
    struct err *e)
{
	static const char v18[] =
	    "SELECT id, replace(name, char(31), '::'), mtime_secs, kind "
	    "FROM decks ORDER BY id";
	static const char v11[] =
	    "SELECT CAST(d.key AS INTEGER), json_extract(d.value, '$.name'), "
	    "json_extract(d.value, '$.mod'), NULL, "
	    "json_extract(d.value, '$.dyn'), json_extract(d.value, '$.conf'), "
	    "json_extract(d.value, '$.desc') "
	    "FROM col, json_each(col.decks) AS d ORDER BY 1";
	sqlite3_stmt *st;
	struct anki_deck d;
	int rc, ret = -1;

	if (sqlite3_prepare_v2(c->db, c->schema == 11 ? v11 : v18, -1, &st,
	    NULL) != SQLITE_OK)
		return sql_fail(c, e, "reading decks");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&d, 0, sizeof d);
		d.id = sqlite3_column_int64(st, 0);
		d.name = xstrdup(col_text(st, 1));
		d.mtime = sqlite3_column_int64(st, 2);
		if (c->schema == 11) {
			d.filtered = sqlite3_column_int(st, 4) != 0;
			d.conf_id = d.filtered ? 0 : sqlite3_column_int64(st, 5);
			d.description = xstrdup(col_text(st, 6));
		} else if (parse_deck_kind(&d, sqlite3_column_blob(st, 3),
		    (size_t)sqlite3_column_bytes(st, 3)) < 0) {
			err_set(e, c->label, 0, 0, "deck %lld: kind is not a "
			    "protobuf message", (long long)d.id);
			free(d.name);
			free(d.description);
			goto out;
		}
		if (d.description == NULL)
			d.description = xstrdup("");
		rc = fn(arg, &d, e);
		free(d.name);
		free(d.description);
		if (rc < 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		sql_fail(c, e, "reading decks");
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	return ret;
}

/* ---- presets ----------------------------------------------------------------- */

static void
deckconf_clear(struct anki_deckconf *dc)
{
	free(dc->name);
	free(dc->learn_steps);
	free(dc->relearn_steps);
	free(dc->params);
	memset(dc, 0, sizeof *dc);
}

/* DeckConfig.Config (deck_config.proto); the FSRS parameters are the
 * newest set present, as Anki picks them. */
static int
parse_deckconf(struct anki_deckconf *dc, const void *p, size_t n)
{
	float *v[3] = { NULL, NULL, NULL };	/* params 6, 5, 4 */
	size_t nv[3] = { 0, 0, 0 }, cap[3] = { 0, 0, 0 };
	size_t lcap = 0, rcap = 0;
	struct pb_reader r;
	struct pb_field f;
	int rc;

	pb_reader_init(&r, p, n);
	while ((rc = pb_next(&r, &f)) > 0) {
		int bad = 0;

		switch (f.num) {
		case 1:
			bad = pb_floats(&f, &dc->learn_steps, &dc->nlearn_steps,
			    &lcap);
			break;
		case 2:
			bad = pb_floats(&f, &dc->relearn_steps,
			    &dc->nrelearn_steps, &rcap);
			break;
		case 6:
			bad = pb_floats(&f, &v[0], &nv[0], &cap[0]);
			break;
		case 5:
			bad = pb_floats(&f, &v[1], &nv[1], &cap[1]);
			break;
		case 3:
			bad = pb_floats(&f, &v[2], &nv[2], &cap[2]);
			break;
		case 9: dc->new_per_day = (unsigned)f.v; break;
		case 10: dc->reviews_per_day = (unsigned)f.v; break;
		case 11: dc->initial_ease = pb_as_float(&f); break;
		case 16: dc->max_ivl = (unsigned)f.v; break;
		case 17: dc->min_lapse_ivl = (unsigned)f.v; break;
		case 21: dc->leech_action = (int)f.v; break;
		case 22: dc->leech_threshold = (unsigned)f.v; break;
		case 27: dc->bury_new = f.v != 0; break;
		case 28: dc->bury_reviews = f.v != 0; break;
		case 29: dc->bury_interday = f.v != 0; break;
		case 30: dc->new_mix = (int)f.v; break;
		case 31: dc->interday_mix = (int)f.v; break;
		case 32: dc->new_sort_order = (int)f.v; break;
		case 33: dc->review_order = (int)f.v; break;
		case 34: dc->new_gather_priority = (int)f.v; break;
		case 37: dc->desired_retention = pb_as_float(&f); break;
		default: break;
		}
		if (bad < 0) {
			rc = -1;
			break;
		}
	}
	for (int i = 0; i < 3; i++) {
		if (dc->params == NULL && nv[i] > 0) {
			dc->params = v[i];
			dc->nparams = nv[i];
			dc->fsrs_version = 6 - i;
			v[i] = NULL;
		}
		free(v[i]);
	}
	return rc;
}

/* A JSON array of numbers (text) into floats, through json_each. */
static int
json_floats(sqlite3_stmt *arr, const char *json, float **v, size_t *n)
{
	size_t cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	if (json == NULL)
		return 0;
	sqlite3_reset(arr);
	sqlite3_bind_text(arr, 1, json, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(arr)) == SQLITE_ROW) {
		VEC_RESERVE(*v, cap, *n + 1, 8);
		(*v)[(*n)++] = (float)sqlite3_column_double(arr, 0);
	}
	return rc == SQLITE_DONE ? 0 : -1;
}

static const char *
col_text_or_null(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int
ankicol_each_deckconf(struct ankicol *c,
    int (*fn)(void *, const struct anki_deckconf *, struct err *), void *arg,
    struct err *e)
{
	static const char v18[] =
	    "SELECT id, name, mtime_secs, config FROM deck_config ORDER BY id";
	static const char v11[] =
	    "SELECT CAST(key AS INTEGER), json_extract(value, '$.name'), "
	    "json_extract(value, '$.mod'), NULL, "
	    "json_extract(value, '$.new.perDay'), "		/* 4 */
	    "json_extract(value, '$.rev.perDay'), "
	    "json_extract(value, '$.new.delays'), "
	    "json_extract(value, '$.lapse.delays'), "
	    "json_extract(value, '$.rev.maxIvl'), "		/* 8 */
	    "json_extract(value, '$.lapse.leechFails'), "
	    "json_extract(value, '$.lapse.leechAction'), "
	    "json_extract(value, '$.desiredRetention'), "
	    "json_extract(value, '$.fsrsParams6'), "		/* 12 */
	    "json_extract(value, '$.fsrsParams5'), "
	    "json_extract(value, '$.fsrsWeights'), "
	    "json_extract(value, '$.new.bury'), "
	    "json_extract(value, '$.rev.bury'), "		/* 16 */
	    "json_extract(value, '$.buryInterdayLearning'), "
	    "json_extract(value, '$.newSortOrder'), "
	    "json_extract(value, '$.newGatherPriority'), "
	    "json_extract(value, '$.reviewOrder'), "		/* 20 */
	    "json_extract(value, '$.new.initialFactor'), "
	    "json_extract(value, '$.lapse.minInt'), "		/* 22 */
	    "json_extract(value, '$.newMix'), "
	    "json_extract(value, '$.interdayLearningMix') "
	    "FROM col, json_each(col.dconf) ORDER BY 1";
	sqlite3_stmt *st = NULL, *arr = NULL;
	struct anki_deckconf dc;
	int rc, ret = -1;

	memset(&dc, 0, sizeof dc);
	if (sqlite3_prepare_v2(c->db, c->schema == 11 ? v11 : v18, -1, &st,
	    NULL) != SQLITE_OK || sqlite3_prepare_v2(c->db,
	    "SELECT value FROM json_each(?1)", -1, &arr, NULL) != SQLITE_OK) {
		sql_fail(c, e, "reading deck presets");
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		deckconf_clear(&dc);
		dc.id = sqlite3_column_int64(st, 0);
		dc.name = xstrdup(col_text(st, 1));
		dc.mtime = sqlite3_column_int64(st, 2);
		if (c->schema != 11) {
			if (parse_deckconf(&dc, sqlite3_column_blob(st, 3),
			    (size_t)sqlite3_column_bytes(st, 3)) < 0) {
				err_set(e, c->label, 0, 0, "deck preset %lld: "
				    "config is not a protobuf message",
				    (long long)dc.id);
				goto out;
			}
			/* Schema 15 kept the starting ease as 250 for 2.5
			 * (Anki's upgrade_deck_conf_to_schema16). */
			if (c->schema == 15)
				dc.initial_ease /= 100.0f;
		} else {
			dc.new_per_day = (unsigned)sqlite3_column_int(st, 4);
			dc.reviews_per_day = (unsigned)sqlite3_column_int(st, 5);
			dc.max_ivl = (unsigned)sqlite3_column_int(st, 8);
			dc.leech_threshold = (unsigned)sqlite3_column_int(st, 9);
			dc.leech_action = sqlite3_column_int(st, 10);
			dc.desired_retention = (float)sqlite3_column_double(st, 11);
			dc.bury_new = sqlite3_column_int(st, 15) != 0;
			dc.bury_reviews = sqlite3_column_int(st, 16) != 0;
			dc.bury_interday = sqlite3_column_int(st, 17) != 0;
			dc.new_sort_order = sqlite3_column_int(st, 18);
			dc.new_gather_priority = sqlite3_column_int(st, 19);
			dc.review_order = sqlite3_column_int(st, 20);
			dc.initial_ease = (float)(sqlite3_column_double(st, 21) /
			    1000.0);
			dc.min_lapse_ivl = (unsigned)sqlite3_column_int(st, 22);
			dc.new_mix = sqlite3_column_int(st, 23);
			dc.interday_mix = sqlite3_column_int(st, 24);
			if (json_floats(arr, col_text_or_null(st, 6),
			    &dc.learn_steps, &dc.nlearn_steps) < 0 ||
			    json_floats(arr, col_text_or_null(st, 7),
			    &dc.relearn_steps, &dc.nrelearn_steps) < 0) {
				sql_fail(c, e, "reading deck presets' steps");
				goto out;
			}
			for (int i = 0; i < 3 && dc.nparams == 0; i++) {
				free(dc.params);
				if (json_floats(arr, col_text_or_null(st, 12 + i),
				    &dc.params, &dc.nparams) < 0) {
					sql_fail(c, e, "reading FSRS parameters");
					goto out;
				}
				if (dc.nparams > 0)
					dc.fsrs_version = 6 - i;
			}
		}
		if (fn(arg, &dc, e) < 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		sql_fail(c, e, "reading deck presets");
		goto out;
	}
	ret = 0;
out:
	deckconf_clear(&dc);
	sqlite3_finalize(st);
	sqlite3_finalize(arr);
	return ret;
}

/* ---- notes --------------------------------------------------------------- */

static int
nt_cmp(const void *a, const void *b)
{
	const struct nt_fields *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int
remember_nt(void *arg, const struct notetype *nt, struct err *e)
{
	struct ankicol *c = arg;

	(void)e;
	VEC_RESERVE(c->nts, c->ntscap, c->nnts + 1, 8);
	c->nts[c->nnts].id = nt->id;
	c->nts[c->nnts].nfields = nt->nfields;
	c->nts[c->nnts].name = xstrdup(nt->name);
	c->nnts++;
	return 0;
}

static int
load_nts(struct ankicol *c, struct err *e)
{
	if (c->nts_loaded)
		return 0;
	if (ankicol_each_notetype(c, remember_nt, c, e) < 0)
		return -1;
	qsort(c->nts, c->nnts, sizeof *c->nts, nt_cmp);
	c->nts_loaded = 1;
	return 0;
}

/* Split flds on \x1f into n->fields (n->nfields). */
static void
split_fields(struct anki_note *n, const char *flds, size_t len, size_t *cap)
{
	const char *p = flds, *end = flds + len;

	n->nfields = 0;
	for (;;) {
		const char *q = memchr(p, '\x1f', (size_t)(end - p));
		size_t l = q != NULL ? (size_t)(q - p) : (size_t)(end - p);

		VEC_RESERVE(n->fields, *cap, n->nfields + 1, 8);
		n->fields[n->nfields++] = xstrndup(p, l);
		if (q == NULL)
			break;
		p = q + 1;
	}
}

int
ankicol_each_note(struct ankicol *c,
    int (*fn)(void *, const struct anki_note *, struct err *), void *arg,
    struct err *e)
{
	sqlite3_stmt *st;
	struct anki_note n;
	size_t cap = 0;
	int rc, ret = -1;

	if (load_nts(c, e) < 0)
		return -1;
	if (sqlite3_prepare_v2(c->db, "SELECT id, guid, mid, mod, tags, flds "
	    "FROM notes ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return sql_fail(c, e, "reading notes");
	memset(&n, 0, sizeof n);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct nt_fields key, *nt;

		n.id = sqlite3_column_int64(st, 0);
		n.mid = sqlite3_column_int64(st, 2);
		n.mod = sqlite3_column_int64(st, 3);
		key.id = n.mid;
		nt = bsearch(&key, c->nts, c->nnts, sizeof *c->nts, nt_cmp);
		if (nt == NULL) {
			err_set(e, c->label, 0, 0, "note %lld: its note type "
			    "%lld is not in the collection", (long long)n.id,
			    (long long)n.mid);
			goto out;
		}
		for (size_t i = 0; i < n.nfields; i++)
			free(n.fields[i]);
		split_fields(&n, col_text(st, 5),
		    (size_t)sqlite3_column_bytes(st, 5), &cap);
		if (n.nfields != nt->nfields) {
			err_set(e, c->label, 0, 0, "note %lld has %zu fields, "
			    "its note type \"%s\" has %zu", (long long)n.id,
			    n.nfields, nt->name, nt->nfields);
			goto out;
		}
		n.guid = (char *)col_text(st, 1);
		n.tags = (char *)col_text(st, 4);
		if (fn(arg, &n, e) < 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		sql_fail(c, e, "reading notes");
		goto out;
	}
	ret = 0;
out:
	for (size_t i = 0; i < n.nfields; i++)
		free(n.fields[i]);
	free(n.fields);
	sqlite3_finalize(st);
	return ret;
}

/* ---- cards and the review log ---------------------------------------------- */

int
ankicol_each_card(struct ankicol *c,
    int (*fn)(void *, const struct anki_card *, struct err *), void *arg,
    struct err *e)
{
	/* The memory state is in data's JSON; a card whose data is not
	 * JSON (older clients wrote "") simply has none. */
	static const char sql[] =
	    "SELECT id, nid, did, odid, ord, type, queue, due, odue, ivl, "
	    "factor, reps, lapses, left, flags, mod, "
	    "json_extract(d, '$.s'), json_extract(d, '$.d'), "
	    "json_extract(d, '$.dr'), json_extract(d, '$.lrt'), "
	    "json_extract(d, '$.decay'), json_extract(d, '$.pos') FROM "
	    "(SELECT *, CASE WHEN json_valid(data) THEN data END AS d "
	    "FROM cards) ORDER BY id";
	sqlite3_stmt *st;
	struct anki_card k;
	int rc, ret = -1;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return sql_fail(c, e, "reading cards");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&k, 0, sizeof k);
		k.id = sqlite3_column_int64(st, 0);
		k.nid = sqlite3_column_int64(st, 1);
		k.did = sqlite3_column_int64(st, 2);
		k.odid = sqlite3_column_int64(st, 3);
		k.ord = sqlite3_column_int(st, 4);
		k.type = sqlite3_column_int(st, 5);
		k.queue = sqlite3_column_int(st, 6);
		k.due = sqlite3_column_int64(st, 7);
		k.odue = sqlite3_column_int64(st, 8);
		k.ivl = sqlite3_column_int(st, 9);
		k.factor = sqlite3_column_int(st, 10);
		k.reps = sqlite3_column_int(st, 11);
		k.lapses = sqlite3_column_int(st, 12);
		k.left = sqlite3_column_int(st, 13);
		k.flags = sqlite3_column_int(st, 14);
		k.mod = sqlite3_column_int64(st, 15);
		if (sqlite3_column_type(st, 16) != SQLITE_NULL &&
		    sqlite3_column_type(st, 17) != SQLITE_NULL) {
			k.has_memory = 1;
			k.stability = sqlite3_column_double(st, 16);
			k.difficulty = sqlite3_column_double(st, 17);
		}
		k.desired_retention = sqlite3_column_double(st, 18);
		k.last_review = sqlite3_column_int64(st, 19);
		k.decay = sqlite3_column_double(st, 20);
		k.original_position = sqlite3_column_int64(st, 21);
		if (fn(arg, &k, e) < 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		sql_fail(c, e, "reading cards");
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	return ret;
}

static int
each_revlog(struct ankicol *c, const char *order,
    int (*fn)(void *, const struct anki_revlog *, struct err *), void *arg,
    struct err *e)
{
	sqlite3_stmt *st;
	struct anki_revlog r;
	char sql[160];
	int rc, ret = -1;

	snprintf(sql, sizeof sql, "SELECT id, cid, ease, ivl, lastIvl, "
	    "factor, time, type FROM revlog ORDER BY %s", order);
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return sql_fail(c, e, "reading the review log");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(st, 0);
		r.cid = sqlite3_column_int64(st, 1);
		r.ease = sqlite3_column_int(st, 2);
		r.ivl = sqlite3_column_int(st, 3);
		r.last_ivl = sqlite3_column_int(st, 4);
		r.factor = sqlite3_column_int(st, 5);
		r.time = sqlite3_column_int(st, 6);
		r.type = sqlite3_column_int(st, 7);
		if (fn(arg, &r, e) < 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		sql_fail(c, e, "reading the review log");
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	return ret;
}

int
ankicol_each_revlog(struct ankicol *c,
    int (*fn)(void *, const struct anki_revlog *, struct err *), void *arg,
    struct err *e)
{
	return each_revlog(c, "id", fn, arg, e);
}

int
ankicol_each_revlog_by_card(struct ankicol *c,
    int (*fn)(void *, const struct anki_revlog *, struct err *), void *arg,
    struct err *e)
{
	/* Anki's ix_revlog_cid holds (cid, id): a walk of the index, no
	 * sort. */
	return each_revlog(c, "cid, id", fn, arg, e);
}

/* A number from Anki's config: the col row's conf JSON (schema 11) or
 * the config table's JSON value (14 and up); def when absent. */
static int
config_int(struct ankicol *c, const char *key, long long def, long long *out,
    struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	*out = def;
	if (sqlite3_prepare_v2(c->db, c->schema == 11 ?
	    "SELECT json_extract(conf, '$.' || ?1) FROM col" :
	    "SELECT json_extract(CAST(val AS TEXT), '$') FROM config "
	    "WHERE KEY = ?1", -1, &st, NULL) != SQLITE_OK)
		return sql_fail(c, e, "reading the collection's settings");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sql_fail(c, e, "reading the collection's settings");
	return 0;
}

int
ankicol_clock(struct ankicol *c, int64_t *crt, int *rollover, struct err *e)
{
	long long v;

	if (count_sql(c, "SELECT crt FROM col", &v, e) < 0)
		return -1;
	*crt = (int64_t)v;
	/* Anki's default next-day-starts-at is 4 (rollover). */
	if (config_int(c, "rollover", 4, &v, e) < 0)
		return -1;
	*rollover = v >= 0 && v <= 23 ? (int)v : 4;
	return 0;
}
