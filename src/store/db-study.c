/*
 * db-study.c - the scheduler's SQL; see db-study.h.
 */
#include "config.h"

#include "lemma/store/db-study.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db-int.h"
#include "lemma/base/xmalloc.h"

static int
step_rows(struct db *db, sqlite3_stmt *st, int (*row)(void *, sqlite3_stmt *),
    void *arg, struct err *e)
{
	int rc, stop = 0;

	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		stop = row(arg, st);
		if (stop < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	if (!stop && rc != SQLITE_DONE) {
		db_sql_err(db, e, "cannot read the cards");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

/* ---- decks and presets ------------------------------------------------ */

void
db_study_decks_free(struct db_study_deck *decks, size_t ndecks,
    struct db_study_conf *confs, size_t nconfs)
{
	for (size_t i = 0; i < ndecks; i++)
		free(decks[i].name);
	free(decks);
	for (size_t i = 0; i < nconfs; i++) {
		free(confs[i].name);
		free(confs[i].learning_steps);
		free(confs[i].relearning_steps);
		free(confs[i].fsrs_params);
	}
	free(confs);
}

int
db_study_load_decks(struct db *db, struct db_study_deck **decks,
    size_t *ndecks, struct db_study_conf **confs, size_t *nconfs,
    struct err *e)
{
	sqlite3_stmt *st;
	size_t nd = 0, nc = 0, cap = 0;
	struct db_study_deck *d = NULL;
	struct db_study_conf *c = NULL;
	int rc;

	st = db_prepare(db, "SELECT id, config_id, name FROM decks ORDER BY name",
	    e);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		VEC_RESERVE(d, cap, nd + 1, 16);
		d[nd].id = sqlite3_column_int64(st, 0);
		d[nd].config_id = sqlite3_column_int64(st, 1);
		d[nd].name = db_column_strdup(st, 2);
		nd++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto fail;
	st = db_prepare(db, "SELECT id, name, desired_retention, learning_steps, "
	    "relearning_steps, fsrs_params, max_interval, new_per_day, "
	    "reviews_per_day, rollover_hour, leech_threshold, leech_action, "
	    "bury_new, bury_reviews, bury_interday, min_interval, "
	    "new_gather_order, new_sort_order, new_mix, interday_mix, "
	    "review_order, limits_from_top FROM deck_config ORDER BY id", e);
	if (st == NULL)
		goto fail_quiet;
	cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_study_conf *x;
		VEC_RESERVE(c, cap, nc + 1, 4);
		x = &c[nc++];
		x->id = sqlite3_column_int64(st, 0);
		x->name = db_column_strdup(st, 1);
		x->desired_retention = sqlite3_column_double(st, 2);
		x->learning_steps = db_column_strdup(st, 3);
		x->relearning_steps = db_column_strdup(st, 4);
		x->fsrs_params = sqlite3_column_type(st, 5) == SQLITE_NULL ? NULL :
		    db_column_strdup(st, 5);
		x->max_interval = sqlite3_column_int(st, 6);
		x->new_per_day = sqlite3_column_int(st, 7);
		x->reviews_per_day = sqlite3_column_int(st, 8);
		x->rollover_hour = sqlite3_column_int(st, 9);
		x->leech_threshold = sqlite3_column_int(st, 10);
		x->leech_action = sqlite3_column_int(st, 11);
		x->bury_new = sqlite3_column_int(st, 12);
		x->bury_reviews = sqlite3_column_int(st, 13);
		x->bury_interday = sqlite3_column_int(st, 14);
		x->min_interval = sqlite3_column_int(st, 15);
		x->new_gather_order = sqlite3_column_int(st, 16);
		x->new_sort_order = sqlite3_column_int(st, 17);
		x->new_mix = sqlite3_column_int(st, 18);
		x->interday_mix = sqlite3_column_int(st, 19);
		x->review_order = sqlite3_column_int(st, 20);
		x->limits_from_top = sqlite3_column_int(st, 21);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto fail;
	*decks = d;
	*ndecks = nd;
	*confs = c;
	*nconfs = nc;
	return 0;
fail:
	db_sql_err(db, e, "cannot read the decks");
fail_quiet:
	db_study_decks_free(d, nd, c, nc);
	return -1;
}

void
db_study_globals(struct db *db, int *rollover_hour, int *learn_ahead)
{
	char v[32];

	*rollover_hour = 4;
	*learn_ahead = 1200;
	if (db_setting_get(db, "next_day_starts_at", v, sizeof v) == 0 &&
	    atoi(v) >= 0 && atoi(v) <= 23)
		*rollover_hour = atoi(v);
	if (db_setting_get(db, "learn_ahead_mins", v, sizeof v) == 0 &&
	    atoi(v) >= 0 && atoi(v) <= 1440)
		*learn_ahead = atoi(v) * 60;
}

/* ---- queues ------------------------------------------------------------ */

struct cards_ctx {
	db_study_row_fn	 fn;
	void		*arg;
};

static int
cards_row(void *arg, sqlite3_stmt *st)
{
	struct cards_ctx *ctx = arg;
	struct db_study_row r;

	r.id = sqlite3_column_int64(st, 0);
	r.note_id = sqlite3_column_int64(st, 1);
	r.deck_id = sqlite3_column_int64(st, 2);
	r.due = sqlite3_column_int64(st, 3);
	r.last_review = sqlite3_column_int64(st, 4);
	r.state = sqlite3_column_int(st, 5);
	r.scheduled_days = sqlite3_column_int(st, 6);
	r.stability = sqlite3_column_double(st, 7);
	r.difficulty = sqlite3_column_double(st, 8);
	r.position = sqlite3_column_int64(st, 9);
	r.ord = sqlite3_column_int(st, 10);
	return ctx->fn(ctx->arg, &r);
}

int
db_study_cards(struct db *db, enum db_study_kind kind, int64_t deck_id,
    long today, time_t before, db_study_row_fn fn, void *arg, struct err *e)
{
	static const char *const where[] = {
		[DB_STUDY_LEARN] = "state IN (1, 3) AND scheduled_days = 0 "
		    "AND due < ?3",
		[DB_STUDY_INTERDAY] = "state IN (1, 3) AND scheduled_days > 0 "
		    "AND due < ?3 ORDER BY due",
		[DB_STUDY_REVIEW] = "state = 2 AND due < ?3 ORDER BY due",
		[DB_STUDY_NEW] = "state = 0 AND ?3 = ?3 ORDER BY position, id",
	};
	struct cards_ctx ctx = { fn, arg };
	sqlite3_stmt *st;
	char sql[512];

	/* deck_id = ? first, so cards_deck_state_due and cards_deck_new
	 * serve every kind. An empty card (db-notes.h) is never studied. */
	snprintf(sql, sizeof sql, "SELECT id, note_id, deck_id, due, "
	    "coalesce(last_review, 0), state, scheduled_days, stability, "
	    "difficulty, position, ord FROM cards WHERE deck_id = ?1 AND suspended = 0 AND empty = 0 AND "
	    "buried_until <= ?2 AND %s", where[kind]);
	if ((st = db_prepare(db, sql, e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, deck_id);
	sqlite3_bind_int64(st, 2, today);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)before);
	return step_rows(db, st, cards_row, &ctx, e);
}

int
db_study_bury_siblings(struct db *db, int64_t card_id, int64_t note_id,
    int bury_new, int bury_reviews, int bury_interday, long until,
    time_t now, int64_t **ids, long **prev, size_t *n, struct err *e)
{
	sqlite3_stmt *st, *up;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*prev = NULL;
	*n = 0;
	if (!bury_new && !bury_reviews && !bury_interday)
		return 0;
	/* Anki's siblings_for_bury: the note's other cards in the new,
	 * review or interday learning queue, not suspended nor buried. An
	 * intraday learning sibling is never buried. */
	if ((st = db_prepare(db, "SELECT id, buried_until FROM cards WHERE "
	    "note_id = ?1 AND id != ?2 AND suspended = 0 AND empty = 0 AND "
	    "buried_until < ?6 AND ((?3 AND state = 0) OR (?4 AND state = 2) OR "
	    "(?5 AND state IN (1, 3) AND scheduled_days > 0)) ORDER BY id", e))
	    == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, note_id);
	sqlite3_bind_int64(st, 2, card_id);
	sqlite3_bind_int(st, 3, bury_new != 0);
	sqlite3_bind_int(st, 4, bury_reviews != 0);
	sqlite3_bind_int(st, 5, bury_interday != 0);
	sqlite3_bind_int64(st, 6, until);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = vec_cap_for(cap, *n + 1, 4);
			*ids = xreallocarray(*ids, cap, sizeof **ids);
			*prev = xreallocarray(*prev, cap, sizeof **prev);
		}
		(*ids)[*n] = sqlite3_column_int64(st, 0);
		(*prev)[*n] = (long)sqlite3_column_int64(st, 1);
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto fail;
	if ((up = db_prepare(db, "UPDATE cards SET buried_until = ?2, "
	    "modified = ?3, mod = mod + 1 WHERE id = ?1", e)) == NULL)
		goto fail_quiet;
	for (size_t i = 0; i < *n; i++) {
		sqlite3_bind_int64(up, 1, (*ids)[i]);
		sqlite3_bind_int64(up, 2, until);
		sqlite3_bind_int64(up, 3, (sqlite3_int64)now);
		if (sqlite3_step(up) != SQLITE_DONE) {
			sqlite3_finalize(up);
			goto fail;
		}
		sqlite3_reset(up);
	}
	sqlite3_finalize(up);
	return 0;
fail:
	db_sql_err(db, e, "cannot bury the card's siblings");
fail_quiet:
	free(*ids);
	free(*prev);
	*ids = NULL;
	*prev = NULL;
	*n = 0;
	return -1;
}

int
db_study_unbury_sibling(struct db *db, int64_t id, long until, long prev,
    time_t now, struct err *e)
{
	sqlite3_stmt *st;

	if ((st = db_prepare(db, "UPDATE cards SET buried_until = ?3, "
	    "modified = ?4, mod = mod + 1 WHERE id = ?1 AND buried_until = ?2",
	    e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, until);
	sqlite3_bind_int64(st, 3, prev);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	return db_step_done(db, st, e);
}

int
db_study_done_since(struct db *db, int64_t since_ms, db_study_done_fn fn,
    void *arg, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	/* Interday learning counts against the review limit, as in Anki.
	 * CROSS JOIN keeps the review log outside: today's rows are few,
	 * while the planner may otherwise walk every card (an empty or
	 * unanalysed revlog looks cheap to probe). */
	st = db_prepare(db, "SELECT c.deck_id, sum(r.prev_state = 0), "
	    "sum(r.prev_state = 2 OR (r.prev_state IN (1, 3) AND "
	    "r.prev_scheduled_days > 0)) FROM revlog r CROSS JOIN cards c ON "
	    "c.id = r.card_id WHERE r.id >= ?1 AND r.rating > 0 "
	    "GROUP BY c.deck_id", e);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, since_ms);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(arg, sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1),
		    sqlite3_column_int(st, 2));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_sql_err(db, e, "cannot read the review log");
	return 0;
}

int
db_study_count(struct db *db, enum db_study_kind kind, int64_t deck_id,
    long today, time_t before, int limit, struct err *e)
{
	static const char *const where[] = {
		[DB_STUDY_LEARN] = "state IN (1, 3) AND scheduled_days = 0 "
		    "AND due <= ?3",
		[DB_STUDY_INTERDAY] = "state IN (1, 3) AND scheduled_days > 0 "
		    "AND due < ?3",
		[DB_STUDY_REVIEW] = "state = 2 AND due < ?3",
		[DB_STUDY_NEW] = "state = 0 AND ?3 = ?3",
	};
	sqlite3_stmt *st;
	char sql[512];
	int rc, n;

	/* LIMIT inside: the deck list needs a count only up to the limit,
	 * so a big backlog costs no more than a small one. */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT 1 FROM cards "
	    "WHERE deck_id = ?1 AND suspended = 0 AND empty = 0 AND "
	    "buried_until <= ?2 AND %s LIMIT ?4)", where[kind]);
	if ((st = db_prepare(db, sql, e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, deck_id);
	sqlite3_bind_int64(st, 2, today);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)before);
	sqlite3_bind_int(st, 4, limit);
	rc = sqlite3_step(st);
	n = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (n < 0)
		return db_sql_err(db, e, "cannot count the cards");
	return n;
}

static int
query_int64(struct db *db, const char *sql, int64_t a, int64_t b, int64_t *out,
    struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL ?
	    sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_sql_err(db, e, "cannot read the cards");
	return 0;
}

int
db_study_next_due(struct db *db, int64_t deck_id, long today,
    struct db_study_next *out, struct err *e)
{
	int64_t v;

	/* Small targeted queries along cards_deck_state_due: a GROUP BY over
	 * every card reads the whole table in index order, hundreds of ms on
	 * 100,000 cards. A buried or over-limit card due today shows up as
	 * due today, which the caller turns into "tomorrow". */
	out->deck_id = deck_id;
	if (query_int64(db, "SELECT min(due) FROM cards WHERE deck_id = ?1 AND "
	    "state IN (1, 3) AND scheduled_days = 0 AND suspended = 0 AND "
	    "empty = 0 AND buried_until <= ?2", deck_id, today,
	    &out->learn_due, e) < 0 ||
	    query_int64(db, "SELECT min(due) FROM cards WHERE deck_id = ?1 AND "
	    "state IN (1, 3) AND scheduled_days > 0 AND suspended = 0 AND "
	    "empty = 0 AND ?2 = ?2", deck_id, today, &out->other_due, e) < 0 ||
	    query_int64(db, "SELECT due FROM cards WHERE deck_id = ?1 AND "
	    "state = 2 AND suspended = 0 AND empty = 0 AND ?2 = ?2 ORDER BY due "
	    "LIMIT 1", deck_id, today, &v, e) < 0)
		return -1;
	if (v >= 0 && (out->other_due < 0 || v < out->other_due))
		out->other_due = v;
	if (query_int64(db, "SELECT 1 FROM cards WHERE deck_id = ?1 AND "
	    "state = 0 AND suspended = 0 AND empty = 0 AND ?2 = ?2 LIMIT 1",
	    deck_id, today, &v, e) < 0)
		return -1;
	out->has_new = v > 0;
	if (query_int64(db, "SELECT 1 FROM cards WHERE deck_id = ?1 AND "
	    "state IN (1, 3) AND suspended = 0 AND empty = 0 AND "
	    "buried_until > ?2 LIMIT 1", deck_id, today, &v, e) < 0)
		return -1;
	out->has_buried = v > 0;
	return 0;
}

/* ---- today's extensions ------------------------------------------------ */

int
db_study_extend_get(struct db *db, int64_t deck_id, long day, int *extra_new,
    int *extra_review)
{
	char key[64], val[128];
	long d;
	int nw, rv;

	*extra_new = *extra_review = 0;
	snprintf(key, sizeof key, "study.extend.%lld", (long long)deck_id);
	if (db_setting_get(db, key, val, sizeof val) < 0)
		return 0;
	if (sscanf(val, "%ld %d %d", &d, &nw, &rv) != 3 || d != day)
		return 0;
	*extra_new = nw;
	*extra_review = rv;
	return 0;
}

int
db_study_extend_set(struct db *db, int64_t deck_id, long day, int extra_new,
    int extra_review, struct err *e)
{
	char key[64], val[128];

	snprintf(key, sizeof key, "study.extend.%lld", (long long)deck_id);
	snprintf(val, sizeof val, "%ld %d %d", day, extra_new, extra_review);
	return db_setting_set(db, key, val, e);
}

/* The undo of a raise: the setting's value before (had: 0 when there was
 * none) and after, which the undo expects to find. */
struct db_extend_undo {
	char	key[64];
	int	had;
	char	before[128], after[128];
};

int
db_study_extend_add(struct db *db, int64_t deck_id, long day, int add_new,
    int add_review, struct db_extend_undo **undo, struct err *e)
{
	struct db_extend_undo *u = xcalloc(1, sizeof *u);
	int xn, xr;

	*undo = NULL;
	snprintf(u->key, sizeof u->key, "study.extend.%lld",
	    (long long)deck_id);
	u->had = db_setting_get(db, u->key, u->before, sizeof u->before) == 0;
	db_study_extend_get(db, deck_id, day, &xn, &xr);
	if (db_study_extend_set(db, deck_id, day, xn + add_new, xr + add_review,
	    e) < 0 || db_setting_get(db, u->key, u->after, sizeof u->after) < 0) {
		free(u);
		return -1;
	}
	*undo = u;
	return 0;
}

/* Take key out of the settings table. */
static int
setting_delete(struct db *db, const char *key, struct err *e)
{
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM settings WHERE key = ?",
	    e);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	return db_step_done(db, st, e);
}

int
db_extend_undo_apply(struct db *db, const struct db_extend_undo *u,
    struct err *e)
{
	char now[128];

	if (db_setting_get(db, u->key, now, sizeof now) < 0 ||
	    strcmp(now, u->after) != 0)
		return err_set(e, NULL, 0, 0, "cannot undo Custom Study: today's "
		    "limits were changed since (by another lemma or program?); "
		    "nothing was undone");
	/* As it was: the day's value before, or none. */
	return u->had ? db_setting_set(db, u->key, u->before, e) :
	    setting_delete(db, u->key, e);
}

void
db_extend_undo_free(struct db_extend_undo *u)
{
	free(u);
}

/* ---- one card ------------------------------------------------------------ */

/* Step a statement that reads one row: 0 with the row there to read (the
 * caller finalizes), 1 when there is none, -1 on error; st is finalized
 * unless 0. */
static int
step_one(struct db *db, sqlite3_stmt *st, const char *what, struct err *e)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		db_sql_err(db, e, what);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 1 : -1;
}

void
db_study_card_clear(struct db_study_card *c)
{
	free(c->fields);
	free(c->tags);
	free(c->deck_name);
	memset(c, 0, sizeof *c);
}

int
db_study_card_get(struct db *db, int64_t id, struct db_study_card *out,
    struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	st = db_prepare(db, "SELECT c.id, c.note_id, c.deck_id, c.ord, "
	    "n.notetype, n.is_html, c.flag, c.suspended, c.buried_until, "
	    "c.state, c.step, c.stability, c.difficulty, c.due, "
	    "coalesce(c.last_review, 0), c.scheduled_days, c.reps, c.lapses, "
	    "n.fields, n.tags, d.name, c.mod FROM cards c JOIN notes n ON "
	    "n.id = c.note_id JOIN decks d ON d.id = c.deck_id WHERE c.id = ?1", e);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = step_one(db, st, "cannot read a card", e)) != 0)
		return rc;
	out->id = sqlite3_column_int64(st, 0);
	out->note_id = sqlite3_column_int64(st, 1);
	out->deck_id = sqlite3_column_int64(st, 2);
	out->ord = sqlite3_column_int(st, 3);
	out->notetype = sqlite3_column_int(st, 4);
	out->is_html = sqlite3_column_int(st, 5);
	out->flag = sqlite3_column_int(st, 6);
	out->suspended = sqlite3_column_int(st, 7);
	out->buried_until = (long)sqlite3_column_int64(st, 8);
	out->f.state = sqlite3_column_int(st, 9);
	out->f.step = sqlite3_column_int(st, 10);
	out->f.stability = sqlite3_column_double(st, 11);
	out->f.difficulty = sqlite3_column_double(st, 12);
	out->f.due = sqlite3_column_int64(st, 13);
	out->f.last_review = sqlite3_column_int64(st, 14);
	out->f.scheduled_days = sqlite3_column_int(st, 15);
	out->f.reps = sqlite3_column_int(st, 16);
	out->f.lapses = sqlite3_column_int(st, 17);
	out->fields = db_column_strdup(st, 18);
	out->tags = db_column_strdup(st, 19);
	out->deck_name = db_column_strdup(st, 20);
	out->mod = sqlite3_column_int64(st, 21);
	sqlite3_finalize(st);
	return 0;
}

int
db_study_card_mod(struct db *db, int64_t id, int64_t *mod, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	st = db_prepare(db, "SELECT mod FROM cards WHERE id = ?1", e);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = step_one(db, st, "cannot read a card", e)) != 0)
		return rc;
	*mod = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

void
db_study_bind_card_state(sqlite3_stmt *st, int first,
    const struct fsrs_card *f)
{
	sqlite3_bind_int(st, first, f->state);
	sqlite3_bind_int64(st, first + 1, f->due);
	sqlite3_bind_double(st, first + 2, f->stability);
	sqlite3_bind_double(st, first + 3, f->difficulty);
	if (f->last_review != 0)
		sqlite3_bind_int64(st, first + 4, f->last_review);
	else
		sqlite3_bind_null(st, first + 4);
	sqlite3_bind_int(st, first + 5, f->scheduled_days);
	sqlite3_bind_int(st, first + 6, f->step);
	sqlite3_bind_int(st, first + 7, f->reps);
	sqlite3_bind_int(st, first + 8, f->lapses);
}

int
db_study_card_put(struct db *db, int64_t id, const struct fsrs_card *f,
    int suspended, long buried_until, time_t now, struct err *e)
{
	sqlite3_stmt *st;

	st = db_prepare(db, "UPDATE cards SET state = ?2, due = ?3, "
	    "stability = ?4, difficulty = ?5, last_review = ?6, "
	    "scheduled_days = ?7, step = ?8, reps = ?9, lapses = ?10, "
	    "suspended = ?11, buried_until = ?12, modified = ?13, "
	    "mod = mod + 1 WHERE id = ?1", e);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	db_study_bind_card_state(st, 2, f);
	sqlite3_bind_int(st, 11, suspended);
	sqlite3_bind_int64(st, 12, buried_until);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)now);
	return db_step_done(db, st, e);
}

int
db_study_card_set_flag(struct db *db, int64_t id, int flag, time_t now,
    struct err *e)
{
	sqlite3_stmt *st;

	st = db_prepare(db, "UPDATE cards SET flag = ?2, modified = ?3, "
	    "mod = mod + 1 WHERE id = ?1", e);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, flag);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	return db_step_done(db, st, e);
}

/* ---- the review log ------------------------------------------------------ */

const char db_study_revlog_insert_sql[] = "INSERT INTO revlog (id, card_id, "
    "rating, kind, state, elapsed_days, scheduled_days, stability, difficulty, "
    "due, answer_ms, prev_state, prev_due, prev_stability, prev_difficulty, "
    "prev_last_review, prev_scheduled_days, prev_step, prev_reps, "
    "prev_lapses, prev_suspended, prev_buried_until) VALUES (?1, ?2, ?3, "
    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
    "?19, ?20, ?21, ?22)";

void
db_study_revlog_bind(sqlite3_stmt *st, const struct db_study_revlog *r)
{
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, r->card_id);
	sqlite3_bind_int(st, 3, r->rating);
	sqlite3_bind_int(st, 4, r->kind);
	sqlite3_bind_int(st, 5, r->after.state);
	sqlite3_bind_double(st, 6, r->elapsed_days);
	sqlite3_bind_double(st, 7, r->scheduled_days);
	sqlite3_bind_double(st, 8, r->after.stability);
	sqlite3_bind_double(st, 9, r->after.difficulty);
	sqlite3_bind_int64(st, 10, r->after.due);
	sqlite3_bind_int(st, 11, r->answer_ms);
	db_study_bind_card_state(st, 12, &r->prev);
	sqlite3_bind_int(st, 21, r->prev_suspended);
	sqlite3_bind_int64(st, 22, r->prev_buried_until);
}

int
db_study_revlog_add(struct db *db, struct db_study_revlog *r, struct err *e)
{
	sqlite3_stmt *st;
	int64_t last = 0;

	/* revlog.id is the grade's Unix ms, unique: two grades within one
	 * millisecond (or one injected second) take the next free id, as
	 * Anki does. */
	if ((st = db_prepare(db, "SELECT max(id) FROM revlog", e)) == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		last = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r->id <= last)
		r->id = last + 1;
	if ((st = db_prepare(db, db_study_revlog_insert_sql, e)) == NULL)
		return -1;
	db_study_revlog_bind(st, r);
	return db_step_done(db, st, e);
}

int
db_study_revlog_get(struct db *db, int64_t id, struct db_study_revlog *r,
    struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	memset(r, 0, sizeof *r);
	st = db_prepare(db, "SELECT id, card_id, rating, kind, answer_ms, "
	    "prev_state, prev_due, prev_stability, prev_difficulty, "
	    "coalesce(prev_last_review, 0), prev_scheduled_days, prev_step, "
	    "prev_reps, prev_lapses, prev_suspended, prev_buried_until "
	    "FROM revlog WHERE id = ?1", e);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = step_one(db, st, "cannot read the review log", e)) != 0)
		return rc;
	r->id = sqlite3_column_int64(st, 0);
	r->card_id = sqlite3_column_int64(st, 1);
	r->rating = sqlite3_column_int(st, 2);
	r->kind = sqlite3_column_int(st, 3);
	r->answer_ms = sqlite3_column_int(st, 4);
	r->prev.state = sqlite3_column_int(st, 5);
	r->prev.due = sqlite3_column_int64(st, 6);
	r->prev.stability = sqlite3_column_double(st, 7);
	r->prev.difficulty = sqlite3_column_double(st, 8);
	r->prev.last_review = sqlite3_column_int64(st, 9);
	r->prev.scheduled_days = sqlite3_column_int(st, 10);
	r->prev.step = sqlite3_column_int(st, 11);
	r->prev.reps = sqlite3_column_int(st, 12);
	r->prev.lapses = sqlite3_column_int(st, 13);
	r->prev_suspended = sqlite3_column_int(st, 14);
	r->prev_buried_until = (long)sqlite3_column_int64(st, 15);
	sqlite3_finalize(st);
	return 0;
}

int
db_study_revlog_delete(struct db *db, int64_t id, struct err *e)
{
	sqlite3_stmt *st;

	if ((st = db_prepare(db, "DELETE FROM revlog WHERE id = ?1", e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return db_step_done(db, st, e);
}

/* ---- tags ------------------------------------------------------------------ */

int
db_study_note_tag(struct db *db, int64_t note_id, const char *tag, int add,
    int *changed, time_t now, struct err *e)
{
	sqlite3_stmt *st;
	struct buf out;
	char *tags, *save = NULL, *tok;
	int found = 0, rc;

	*changed = 0;
	st = db_prepare(db, "SELECT tags FROM notes WHERE id = ?1", e);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, note_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		if (rc != SQLITE_DONE)
			db_sql_err(db, e, "cannot read a note");
		else
			err_set(e, db_path(db), 0, 0, "no note %lld",
			    (long long)note_id);
		sqlite3_finalize(st);
		return -1;
	}
	tags = db_column_strdup(st, 0);
	sqlite3_finalize(st);

	/* Tags are " a b ": rebuild the list without the tag (Anki compares
	 * tags without regard to case), then add it back when adding. */
	buf_init(&out);
	for (tok = strtok_r(tags, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if (strcasecmp(tok, tag) == 0) {
			found = 1;
			continue;
		}
		buf_addc(&out, ' ');
		buf_adds(&out, tok);
	}
	free(tags);
	if (found == add) {
		buf_free(&out);
		return 0;
	}
	if (add) {
		buf_addc(&out, ' ');
		buf_adds(&out, tag);
	}
	if (out.len > 0)
		buf_addc(&out, ' ');
	st = db_prepare(db, "UPDATE notes SET tags = ?2, modified = ?3 "
	    "WHERE id = ?1", e);
	if (st == NULL) {
		buf_free(&out);
		return -1;
	}
	sqlite3_bind_int64(st, 1, note_id);
	sqlite3_bind_text(st, 2, out.data != NULL ? out.data : "", -1,
	    SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	buf_free(&out);
	if (db_step_done(db, st, e) < 0)
		return -1;
	*changed = 1;
	return 0;
}
