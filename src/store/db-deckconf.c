/* db-deckconf.c - deck options presets; see deckconf.h. */
#include "config.h"

#include "lemma/store/deckconf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db-int.h"
#include "lemma/model/fsrs.h"
#include "lemma/store/db-decks.h"

int
deckconf_check(const struct deckconf *c, struct err *e)
{
	struct fsrs_params p;
	int secs[FSRS_MAX_STEPS], n;
	struct err why;

	if (!(c->desired_retention >= 0.70 && c->desired_retention <= 0.99))
		return err_set(e, NULL, 0, 0, "desired retention must be between "
		    "0.70 and 0.99 (it is %.3g)", c->desired_retention);
	err_clear(&why);
	if (fsrs_steps_parse(c->learning_steps, secs, &n, &why) < 0)
		return err_set(e, NULL, 0, 0, "learning steps: %s", why.msg);
	if (fsrs_steps_parse(c->relearning_steps, secs, &n, &why) < 0)
		return err_set(e, NULL, 0, 0, "relearning steps: %s", why.msg);
	if (c->max_interval < 1 || c->max_interval > 36500)
		return err_set(e, NULL, 0, 0, "maximum interval must be 1 to "
		    "36500 days");
	if (c->new_per_day < 0 || c->new_per_day > 9999 ||
	    c->reviews_per_day < 0 || c->reviews_per_day > 99999)
		return err_set(e, NULL, 0, 0, "daily limits must be 0 or more "
		    "(new up to 9999, reviews up to 99999)");
	if (c->leech_threshold < 1)
		return err_set(e, NULL, 0, 0, "the leech threshold must be 1 or "
		    "more lapses");
	if (c->fsrs_params[0] != '\0') {
		fsrs_params_default(&p);
		/* The parser's message names the FSRS parameters. */
		if (fsrs_params_parse_weights(&p, c->fsrs_params, &why) < 0)
			return err_set(e, NULL, 0, 0, "%s", why.msg);
	}
	return 0;
}

int
deckconf_get(struct db *db, int64_t deck_id, struct deckconf *out,
    struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	if ((st = db_prepare(db, "SELECT c.id, c.name, c.desired_retention, "
	    "c.learning_steps, c.relearning_steps, c.max_interval, c.new_per_day, "
	    "c.reviews_per_day, c.leech_threshold, c.bury_siblings, "
	    "coalesce(c.fsrs_params, ''), (SELECT count(*) FROM decks u WHERE "
	    "u.config_id = c.id) FROM decks d JOIN deck_config c ON "
	    "c.id = d.config_id WHERE d.id = ?", e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, deck_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		snprintf(out->name, sizeof out->name, "%s",
		    sqlite3_column_text(st, 1));
		out->desired_retention = sqlite3_column_double(st, 2);
		snprintf(out->learning_steps, sizeof out->learning_steps, "%s",
		    sqlite3_column_text(st, 3));
		snprintf(out->relearning_steps, sizeof out->relearning_steps, "%s",
		    sqlite3_column_text(st, 4));
		out->max_interval = sqlite3_column_int(st, 5);
		out->new_per_day = sqlite3_column_int(st, 6);
		out->reviews_per_day = sqlite3_column_int(st, 7);
		out->leech_threshold = sqlite3_column_int(st, 8);
		out->bury_siblings = sqlite3_column_int(st, 9);
		snprintf(out->fsrs_params, sizeof out->fsrs_params, "%s",
		    sqlite3_column_text(st, 10));
		out->decks_using = sqlite3_column_int(st, 11);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return err_set(e, NULL, 0, 0, "no such deck");
	return rc == SQLITE_ROW ? 0 : db_sql_err(db, e, "cannot read deck options");
}

int
deckconf_set(struct db *db, int64_t deck_id, const struct deckconf *c,
    struct err *e)
{
	struct deckconf old;
	sqlite3_stmt *st;

	if (deckconf_check(c, e) < 0 || deckconf_get(db, deck_id, &old, e) < 0)
		return -1;
	if ((st = db_prepare(db, "UPDATE deck_config SET desired_retention = ?, "
	    "learning_steps = ?, relearning_steps = ?, max_interval = ?, "
	    "new_per_day = ?, reviews_per_day = ?, leech_threshold = ?, "
	    "bury_siblings = ?, fsrs_params = nullif(?, '') WHERE id = ?", e))
	    == NULL)
		return -1;
	sqlite3_bind_double(st, 1, c->desired_retention);
	sqlite3_bind_text(st, 2, c->learning_steps, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->relearning_steps, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, c->max_interval);
	sqlite3_bind_int(st, 5, c->new_per_day);
	sqlite3_bind_int(st, 6, c->reviews_per_day);
	sqlite3_bind_int(st, 7, c->leech_threshold);
	sqlite3_bind_int(st, 8, c->bury_siblings != 0);
	sqlite3_bind_text(st, 9, c->fsrs_params, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, old.id);
	if (db_begin(db, e) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	if (db_step_done(db, st, e) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

int64_t
deckconf_find(struct db *db, const char *name, struct err *e)
{
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc;

	if ((st = db_prepare(db, "SELECT id, name FROM deck_config ORDER BY id",
	    e)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (db_deck_name_same((const char *)sqlite3_column_text(st, 1),
		    name)) {
			id = sqlite3_column_int64(st, 0);
			break;
		}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_sql_err(db, e, "cannot read the presets");
	return id;
}

int
deckconf_assign(struct db *db, int64_t deck_id, int64_t preset_id,
    int children, struct db_deck_undo **undo, struct err *e)
{
	struct db_deck_undo *u;
	sqlite3_stmt *st;
	int64_t *ids = NULL;
	size_t n = 0;

	if (undo != NULL)
		*undo = NULL;
	if (db_begin(db, e) < 0)
		return -1;
	if ((u = db_deck_undo_begin(db, "Options", e)) == NULL) {
		db_rollback(db);
		return -1;
	}
	if (children) {
		if (db_deck_subtree(db, deck_id, &ids, &n, e) < 0)
			goto fail;
	} else {
		ids = xmalloc(sizeof *ids);
		ids[0] = deck_id;
		n = 1;
	}
	if ((st = db_prepare(db, "UPDATE decks SET config_id = ?2 WHERE id = ?1",
	    e)) == NULL)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		sqlite3_bind_int64(st, 2, preset_id);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_sql_err(db, e, "cannot set the deck's preset");
			sqlite3_finalize(st);
			goto fail;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	free(ids);
	ids = NULL;
	if (db_deck_undo_end(db, u, e) < 0 || db_commit(db, e) < 0)
		goto fail;
	if (undo != NULL)
		*undo = u;
	else
		db_deck_undo_free(u);
	return 0;
fail:
	free(ids);
	db_rollback(db);
	db_deck_undo_free(u);
	return -1;
}
