/* db-fsrs.c - the optimizer's reads and writes; see db-fsrs.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db-int.h"
#include "lemma/base/day.h"
#include "lemma/base/xmalloc.h"
#include "lemma/model/fsrs.h"
#include "lemma/store/db-fsrs.h"

static int
preset_by_id(struct db *db, int64_t id, struct db_fsrs_preset *out,
    struct err *e)
{
	sqlite3_stmt *st;
	int rc, secs[FSRS_MAX_STEPS], n = 1;
	struct err why;

	if ((st = db_prepare(db, "SELECT name, rollover_hour, relearning_steps, "
	    "coalesce(fsrs_params, ''), (SELECT count(*) FROM decks WHERE "
	    "config_id = deck_config.id) FROM deck_config WHERE id = ?", e)) ==
	    NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = id;
		snprintf(out->name, sizeof out->name, "%s",
		    sqlite3_column_text(st, 0));
		out->rollover_hour = sqlite3_column_int(st, 1);
		err_clear(&why);
		if (fsrs_steps_parse((const char *)sqlite3_column_text(st, 2),
		    secs, &n, &why) < 0)
			n = 1;
		out->relearning_steps = n;
		snprintf(out->params, sizeof out->params, "%s",
		    sqlite3_column_text(st, 3));
		out->decks = sqlite3_column_int(st, 4);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return err_set(e, NULL, 0, 0, "no preset with id %lld",
		    (long long)id);
	return rc == SQLITE_ROW ? 0 : db_sql_err(db, e, "cannot read the preset");
}

int
db_fsrs_preset(struct db *db, const char *preset, const char *deck,
    struct db_fsrs_preset *out, struct err *e)
{
	sqlite3_stmt *st;
	int64_t id = 1;
	int rc, found = 0;

	memset(out, 0, sizeof *out);
	if (preset != NULL || deck != NULL) {
		st = db_prepare(db, preset != NULL ?
		    "SELECT id FROM deck_config WHERE name = ?" :
		    "SELECT config_id FROM decks WHERE name = ?", e);
		if (st == NULL)
			return -1;
		sqlite3_bind_text(st, 1, preset != NULL ? preset : deck, -1,
		    SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			id = sqlite3_column_int64(st, 0);
			found++;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_sql_err(db, e, "cannot read the presets");
		/* Names come from files and the user: the caller prints
		 * them through termsafe. */
		if (found == 0)
			return err_set(e, NULL, 0, 0, "no %s named \"%s\"",
			    preset != NULL ? "preset" : "deck",
			    preset != NULL ? preset : deck);
		if (found > 1)
			return err_set(e, NULL, 0, 0, "%d presets are named "
			    "\"%s\": name a deck that uses one (--deck)", found,
			    preset);
	}
	return preset_by_id(db, id, out, e);
}

/* What a row was, for reviews_for_fsrs. kind 4 rows with the card left
 * new are resets (Anki: Manual with ease 0), others new due dates; a
 * grade that left the card's schedule as it was did not reschedule (cram:
 * Anki's Filtered with ease 0). */
static int
row_kind(int kind, int state, int unchanged)
{
	switch (kind) {
	case 0:
		return FSRS_LOG_LEARN;
	case 1:
		return FSRS_LOG_REVIEW;
	case 2:
		return FSRS_LOG_RELEARN;
	case 3:
		return unchanged ? FSRS_LOG_CRAM : FSRS_LOG_FILTERED;
	default:
		return state == 0 ? FSRS_LOG_RESET : FSRS_LOG_MANUAL;
	}
}

int
db_fsrs_load(struct db *db, const struct db_fsrs_preset *p, time_t now,
    struct fsrs_data *d, size_t *reviews, struct err *e)
{
	sqlite3_stmt *st;
	struct fsrs_log_row *rows = NULL;
	struct fsrs_review *hist = NULL;
	size_t n = 0, cap = 0, hcap = 0;
	int64_t card = 0, next_day_at;
	int rc;

	*reviews = 0;
	/* Anki counts whole days back from the start of the next study
	 * day (timing_today().next_day_at). */
	next_day_at = (int64_t)day_start(day_number(now, p->rollover_hour) + 1,
	    p->rollover_hour);
	if ((st = db_prepare(db, "SELECT r.card_id, r.id, r.rating, r.kind, "
	    "r.state, r.kind = 3 AND r.due = r.prev_due AND "
	    "r.stability = r.prev_stability FROM decks k JOIN cards c ON "
	    "c.deck_id = k.id JOIN revlog r ON r.card_id = c.id WHERE "
	    "k.config_id = ? ORDER BY r.card_id, r.id", e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, p->id);
	for (;;) {
		int64_t cid = 0;

		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			cid = sqlite3_column_int64(st, 0);
		if (n > 0 && (rc != SQLITE_ROW || cid != card)) {
			size_t k;

			VEC_RESERVE(hist, hcap, n, 64);
			k = fsrs_history_build(rows, n, next_day_at, hist);
			if (fsrs_data_add(d, hist, k) > 0)
				*reviews += k;
			n = 0;
		}
		if (rc != SQLITE_ROW)
			break;
		card = cid;
		VEC_RESERVE(rows, cap, n + 1, 64);
		rows[n].id = sqlite3_column_int64(st, 1);
		rows[n].rating = sqlite3_column_int(st, 2);
		rows[n].kind = row_kind(sqlite3_column_int(st, 3),
		    sqlite3_column_int(st, 4), sqlite3_column_int(st, 5));
		n++;
	}
	sqlite3_finalize(st);
	free(rows);
	free(hist);
	if (rc != SQLITE_DONE)
		return db_sql_err(db, e, "cannot read the review log");
	fsrs_data_finish(d);
	return 0;
}

int
db_fsrs_params_save(struct db *db, int64_t preset_id, const char *text,
    struct err *e)
{
	struct fsrs_params p;
	sqlite3_stmt *st;

	fsrs_params_default(&p);
	if (text[0] != '\0' && fsrs_params_parse_weights(&p, text, e) < 0)
		return -1;
	if (db_begin(db, e) < 0)
		return -1;
	if ((st = db_prepare(db, "UPDATE deck_config SET fsrs_params = "
	    "nullif(?, '') WHERE id = ?", e)) == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, preset_id);
	if (db_step_done(db, st, e) < 0)
		goto fail;
	if (sqlite3_changes(db->sql) != 1) {
		err_set(e, NULL, 0, 0, "no preset with id %lld",
		    (long long)preset_id);
		goto fail;
	}
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}
