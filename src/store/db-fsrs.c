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
#include "lemma/store/deckconf.h"

static int
preset_by_id(struct db *db, int64_t id, struct db_fsrs_preset *out,
    struct err *e)
{
	sqlite3_stmt *st;
	int rc, secs[FSRS_MAX_STEPS], n = 1;
	struct err why;
	struct deckconf_global g;

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
		/* Anki's day starts at the collection's hour
		 * (next_day_starts_at), whatever the preset says: read
		 * below. */
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
	if (rc != SQLITE_ROW)
		return db_sql_err(db, e, "cannot read the preset");
	if (deckconf_global_get(db, &g, e) < 0)
		return -1;
	out->rollover_hour = g.next_day_starts_at;
	return 0;
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

static int
id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The log's rows of the preset's cards, in time order: the card (an index
 * into the preset's sorted card ids), the row id, and its grade and kind
 * in one byte. */
struct rows {
	int64_t	 *id;
	uint32_t *card;
	uint8_t	 *rk;		/* rating << 4 | enum fsrs_log_kind */
	size_t	  n, cap;
};

int
db_fsrs_load(struct db *db, const struct db_fsrs_preset *p, time_t now,
    struct fsrs_data *d, size_t *reviews, struct err *e)
{
	sqlite3_stmt *st;
	struct rows r = { 0 };
	struct fsrs_log_row *rows = NULL;
	struct fsrs_review *hist = NULL;
	int64_t *cards = NULL, next_day_at;
	uint32_t *start = NULL, *order = NULL;
	size_t ncards = 0, ccap = 0, cap = 0, hcap = 0;
	int rc, ret = -1;

	*reviews = 0;
	/* Anki counts whole days back from the start of the next study
	 * day (timing_today().next_day_at). */
	next_day_at = (int64_t)day_start(day_number(now, p->rollover_hour) + 1,
	    p->rollover_hour);
	if ((st = db_prepare(db, "SELECT c.id FROM decks k JOIN cards c ON "
	    "c.deck_id = k.id WHERE k.config_id = ? ORDER BY c.id", e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, p->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		VEC_RESERVE(cards, ccap, ncards + 1, 1024);
		cards[ncards++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_sql_err(db, e, "cannot read the cards");
		goto out;
	}
	/*
	 * One pass over the log in its own order (time): reading it card by
	 * card through the index took 6 s for 1,000,000 rows (a table page
	 * per row), this 0.7 s. The rows are kept at 13 bytes each, put in
	 * card order by a counting sort, and dropped once the histories are
	 * built (which take about 9 bytes per review).
	 */
	/* A scan reads each page once: a small cache does as well, and
	 * keeps 14 MB of pages out of the peak. */
	if (db_exec(db, "PRAGMA cache_size = -1024", e) < 0)
		goto out;
	/* The count first, so the arrays are made once at their size. */
	if ((st = db_prepare(db, "SELECT count(*) FROM revlog", e)) == NULL)
		goto out;
	if (sqlite3_step(st) == SQLITE_ROW) {
		size_t total = (size_t)sqlite3_column_int64(st, 0) + 1;

		r.id = xreallocarray(NULL, total, sizeof *r.id);
		r.card = xreallocarray(NULL, total, sizeof *r.card);
		r.rk = xreallocarray(NULL, total, sizeof *r.rk);
		r.cap = total;
	}
	sqlite3_finalize(st);
	if ((st = db_prepare(db, "SELECT card_id, id, rating, kind, state, "
	    "kind = 3 AND due = prev_due AND stability = prev_stability "
	    "FROM revlog ORDER BY id", e)) == NULL)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t cid = sqlite3_column_int64(st, 0);
		int64_t *hit;
		int rating = sqlite3_column_int(st, 2);

		if (ncards == 0 || (hit = bsearch(&cid, cards, ncards,
		    sizeof *cards, id_cmp)) == NULL)
			continue;
		if (r.n == r.cap) {
			size_t c2 = r.cap;

			VEC_RESERVE(r.id, c2, r.n + 1, 65536);
			c2 = r.cap;
			VEC_RESERVE(r.card, c2, r.n + 1, 65536);
			VEC_RESERVE(r.rk, r.cap, r.n + 1, 65536);
		}
		r.id[r.n] = sqlite3_column_int64(st, 1);
		r.card[r.n] = (uint32_t)(hit - cards);
		r.rk[r.n] = (uint8_t)((rating >= 0 && rating <= 4 ? rating : 0)
		    << 4 | row_kind(sqlite3_column_int(st, 3),
		    sqlite3_column_int(st, 4), sqlite3_column_int(st, 5)));
		r.n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_sql_err(db, e, "cannot read the review log");
		goto out;
	}
	start = xcalloc(ncards + 1, sizeof *start);
	order = xreallocarray(NULL, r.n ? r.n : 1, sizeof *order);
	for (size_t i = 0; i < r.n; i++)
		start[r.card[i] + 1]++;
	for (size_t c = 0; c < ncards; c++)
		start[c + 1] += start[c];
	for (size_t i = 0; i < r.n; i++)
		order[start[r.card[i]]++] = (uint32_t)i;
	/* start[c] is now the end of card c's rows. */
	fsrs_data_reserve(d, ncards, r.n);
	for (size_t c = 0, a = 0; c < ncards; a = start[c], c++) {
		size_t n = start[c] - a, k;

		if (n == 0)
			continue;
		VEC_RESERVE(rows, cap, n, 64);
		VEC_RESERVE(hist, hcap, n, 64);
		for (size_t i = 0; i < n; i++) {
			uint32_t x = order[a + i];

			rows[i].id = r.id[x];
			rows[i].rating = r.rk[x] >> 4;
			rows[i].kind = r.rk[x] & 0xf;
		}
		k = fsrs_history_build(rows, n, next_day_at, hist);
		if (fsrs_data_add(d, hist, k) > 0)
			*reviews += k;
	}
	ret = 0;
out:
	free(cards);
	free(r.id);
	free(r.card);
	free(r.rk);
	free(start);
	free(order);
	free(rows);
	free(hist);
	/* The rows are gone before the ranking takes its room. */
	if (ret == 0)
		fsrs_data_finish(d);
	/* Back to the connection's usual cache (db.c); a failure to set a
	 * cache size costs speed, not data. */
	{
		struct err ignored;

		db_exec(db, "PRAGMA cache_size = -16384", &ignored);
	}
	return ret;
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
