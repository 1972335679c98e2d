/*
 * db-notetypes.c - note types in the progress file (db-notetypes.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "lemma/base/xmalloc.h"
#include "lemma/model/template.h"
#include "lemma/store/db-notetypes.h"
#include "db-int.h"

/* Fill nt's fields and templates from their tables. */
static int
load_parts(struct db *db, struct notetype *nt, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "SELECT name FROM nt_fields WHERE notetype = ? "
	    "ORDER BY ord", e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, nt->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		nt->fields = xreallocarray(nt->fields, nt->nfields + 1,
		    sizeof *nt->fields);
		nt->fields[nt->nfields++] = db_column_strdup(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_sql_err(db, e, "cannot read note types");
	if ((st = db_prepare(db, "SELECT name, qfmt, afmt FROM nt_templates "
	    "WHERE notetype = ? ORDER BY ord", e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, nt->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct notetype_template *t;

		nt->templates = xreallocarray(nt->templates, nt->ntemplates + 1,
		    sizeof *nt->templates);
		t = &nt->templates[nt->ntemplates++];
		t->name = db_column_strdup(st, 0);
		t->qfmt = db_column_strdup(st, 1);
		t->afmt = db_column_strdup(st, 2);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_sql_err(db, e, "cannot read note types");
	return 0;
}

static void
head_from(sqlite3_stmt *st, struct notetype *nt)
{
	memset(nt, 0, sizeof *nt);
	nt->id = sqlite3_column_int64(st, 0);
	nt->name = db_column_strdup(st, 1);
	nt->kind = sqlite3_column_int(st, 2) == 1 ? NOTETYPE_KIND_CLOZE :
	    NOTETYPE_NORMAL;
	nt->sort_field = (unsigned)sqlite3_column_int(st, 3);
	nt->css = db_column_strdup(st, 4);
	nt->mtime = sqlite3_column_int64(st, 5);
}

int
db_notetype_get(struct db *db, int64_t id, struct notetype *out,
    struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	if ((st = db_prepare(db, "SELECT id, name, kind, sort_field, css, mtime "
	    "FROM notetypes WHERE id = ?", e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		head_from(st, out);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return err_set(e, db_path(db), 0, 0, "no note type with id %lld",
		    (long long)id);
	if (rc != SQLITE_ROW)
		return db_sql_err(db, e, "cannot read note types");
	if (load_parts(db, out, e) < 0) {
		notetype_free(out);
		return -1;
	}
	return 0;
}

int64_t
db_notetype_find(struct db *db, const char *name, struct err *e)
{
	sqlite3_stmt *st;
	int64_t id = -1;
	int rc;

	/* The exact name wins over one that differs in case only. */
	if ((st = db_prepare(db, "SELECT id FROM notetypes WHERE name = ?1 "
	    "COLLATE NOCASE ORDER BY name = ?1 DESC, id LIMIT 1", e)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return err_set(e, NULL, 0, 0, "no note type called '%s' (lemma "
		    "notetype list shows them)", name);
	if (rc != SQLITE_ROW)
		return db_sql_err(db, e, "cannot read note types");
	return id;
}

ssize_t
db_notetype_list(struct db *db, struct notetype **out, struct err *e)
{
	sqlite3_stmt *st;
	size_t n = 0;
	int rc;

	*out = NULL;
	if ((st = db_prepare(db, "SELECT id, name, kind, sort_field, css, mtime "
	    "FROM notetypes ORDER BY id", e)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xreallocarray(*out, n + 1, sizeof **out);
		head_from(st, &(*out)[n++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (load_parts(db, &(*out)[i], e) < 0)
			goto fail_parts;
	return (ssize_t)n;
fail:
	db_sql_err(db, e, "cannot read note types");
fail_parts:
	for (size_t i = 0; i < n; i++)
		notetype_free(&(*out)[i]);
	free(*out);
	*out = NULL;
	return -1;
}

int64_t
db_notetype_use_count(struct db *db, int64_t id, struct err *e)
{
	sqlite3_stmt *st;
	int64_t n = -1;

	if ((st = db_prepare(db, "SELECT count(*) FROM notes WHERE notetype = ?",
	    e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		db_sql_err(db, e, "cannot count notes");
	sqlite3_finalize(st);
	return n;
}

/* What makes a type unusable, before anything is written. */
static int
validate(struct db *db, const struct notetype *nt, struct err *e)
{
	char msg[200];

	if (nt->name == NULL || nt->name[0] == '\0')
		return err_set(e, NULL, 0, 0, "a note type needs a name");
	if (nt->nfields == 0)
		return err_set(e, NULL, 0, 0, "note type '%s' has no field",
		    nt->name);
	if (nt->ntemplates == 0)
		return err_set(e, NULL, 0, 0, "note type '%s' has no card "
		    "template", nt->name);
	if (nt->kind == NOTETYPE_KIND_CLOZE && nt->ntemplates != 1)
		return err_set(e, NULL, 0, 0, "cloze note type '%s' must have "
		    "one template", nt->name);
	if (nt->sort_field >= nt->nfields)
		return err_set(e, NULL, 0, 0, "note type '%s': sort field %u "
		    "is past its %zu fields", nt->name, nt->sort_field + 1,
		    nt->nfields);
	for (size_t i = 0; i < nt->nfields; i++) {
		if (nt->fields[i][0] == '\0' ||
		    strpbrk(nt->fields[i], ":{}#^/\"") != NULL)
			return err_set(e, NULL, 0, 0, "note type '%s': field "
			    "name '%s' is empty or holds one of : { } # ^ / \"",
			    nt->name, nt->fields[i]);
		for (size_t j = 0; j < i; j++)
			if (strcasecmp(nt->fields[i], nt->fields[j]) == 0)
				return err_set(e, NULL, 0, 0, "note type '%s' "
				    "has two fields called '%s'", nt->name,
				    nt->fields[i]);
	}
	for (size_t i = 0; i < nt->ntemplates; i++) {
		const struct notetype_template *t = &nt->templates[i];
		int *all = xcalloc(nt->nfields, sizeof *all);
		int renders;

		for (size_t j = 0; j < i; j++)
			if (strcasecmp(t->name, nt->templates[j].name) == 0) {
				free(all);
				return err_set(e, NULL, 0, 0, "note type '%s' "
				    "has two templates called '%s'", nt->name,
				    t->name);
			}
		if (template_check(t->qfmt, msg, sizeof msg) < 0 ||
		    template_check(t->afmt, msg, sizeof msg) < 0) {
			free(all);
			return err_set(e, NULL, 0, 0, "note type '%s', template "
			    "'%s': %s", nt->name, t->name, msg);
		}
		for (size_t f = 0; f < nt->nfields; f++)
			all[f] = 1;
		if (nt->kind == NOTETYPE_KIND_CLOZE) {
			/* Cloze cards come from the fields the front fills
			 * with cloze: (Anki warns of a cloze type without). */
			struct buf cf;

			buf_init(&cf);
			template_cloze_fields(t->qfmt, &cf);
			renders = cf.len > 0;
			buf_free(&cf);
			if (!renders) {
				free(all);
				return err_set(e, NULL, 0, 0, "cloze note type "
				    "'%s', template '%s': the front needs "
				    "{{cloze:Field}}", nt->name, t->name);
			}
		} else
			renders = template_renders(t->qfmt,
			    (const char *const *)nt->fields, all, nt->nfields,
			    1);
		free(all);
		if (!renders)
			return err_set(e, NULL, 0, 0, "note type '%s', template "
			    "'%s': the front names no field, so no card could "
			    "ever be made from it", nt->name, t->name);
	}
	(void)db;
	return 0;
}

int
db_notetype_add_parts(struct db *db, int64_t id, const struct notetype *nt,
    struct err *e)
{
	sqlite3_stmt *st;

	if ((st = db_prepare(db, "INSERT INTO nt_fields (notetype, ord, name) "
	    "VALUES (?, ?, ?)", e)) == NULL)
		return -1;
	for (size_t i = 0; i < nt->nfields; i++) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, (int)i);
		sqlite3_bind_text(st, 3, nt->fields[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto fail;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if ((st = db_prepare(db, "INSERT INTO nt_templates (notetype, ord, "
	    "name, qfmt, afmt) VALUES (?, ?, ?, ?, ?)", e)) == NULL)
		return -1;
	for (size_t i = 0; i < nt->ntemplates; i++) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, (int)i);
		sqlite3_bind_text(st, 3, nt->templates[i].name, -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 4, nt->templates[i].qfmt, -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 5, nt->templates[i].afmt, -1,
		    SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto fail;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return 0;
fail:
	db_sql_err(db, e, "cannot add the note type's fields and templates");
	sqlite3_finalize(st);
	return -1;
}

int64_t
db_notetype_add(struct db *db, const struct notetype *nt, time_t now,
    struct err *e)
{
	sqlite3_stmt *st = NULL;
	int64_t id;

	if (validate(db, nt, e) < 0)
		return -1;
	if (db_begin(db, e) < 0)
		return -1;
	/* User types after the built-in ids, which stay Anki's five. */
	if ((st = db_prepare(db, "INSERT INTO notetypes (id, name, kind, "
	    "sort_field, mtime, css) VALUES (max(?5, (SELECT coalesce(max(id), "
	    "0) + 1 FROM notetypes)), ?1, ?2, ?3, ?4, ?6)", e)) == NULL)
		goto fail;
	sqlite3_bind_text(st, 6, nt->css != NULL ? nt->css : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 1, nt->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, nt->kind == NOTETYPE_KIND_CLOZE);
	sqlite3_bind_int(st, 3, (int)nt->sort_field);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 5, NOTETYPE_BUILTIN);
	if (sqlite3_step(st) != SQLITE_DONE) {
		if (sqlite3_extended_errcode(db->sql) ==
		    SQLITE_CONSTRAINT_UNIQUE)
			err_set(e, NULL, 0, 0, "a note type called '%s' exists "
			    "already", nt->name);
		else
			db_sql_err(db, e, "cannot add the note type");
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	id = sqlite3_last_insert_rowid(db->sql);
	if (db_notetype_add_parts(db, id, nt, e) < 0)
		goto fail;
	if (db_commit(db, e) < 0)
		return -1;
	return id;
fail:
	sqlite3_finalize(st);
	db_rollback(db);
	return -1;
}
