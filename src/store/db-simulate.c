/* db-simulate.c - the simulator's reads; see db-simulate.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db-int.h"
#include "lemma/base/day.h"
#include "lemma/base/xmalloc.h"
#include "lemma/model/fsrs.h"
#include "lemma/store/db-simulate.h"
#include "lemma/store/deckconf.h"

/* The preset's options as the simulator takes them. */
static int
load_options(struct db *db, int64_t preset_id, struct db_simulate *s,
    struct err *e)
{
	struct deckconf dc;
	struct fsrs_params p;
	int secs[FSRS_MAX_STEPS], n;

	if (deckconf_get_preset(db, preset_id, &dc, e) < 0)
		return -1;
	fsrs_params_default(&p);
	if (fsrs_params_parse_weights(&p, dc.fsrs_params, e) < 0)
		return -1;
	memcpy(s->w, p.w, sizeof s->w);
	s->desired_retention = dc.desired_retention;
	s->cfg.new_limit = dc.new_per_day;
	s->cfg.review_limit = dc.reviews_per_day;
	/* Anki's default: new cards count against the review limit. */
	s->cfg.new_ignores_review_limit = 0;
	s->cfg.max_interval = dc.max_interval;
	n = 0;
	if (fsrs_steps_parse(dc.learning_steps, secs, &n, e) == 0)
		s->cfg.learn_steps = n;
	n = 0;
	if (fsrs_steps_parse(dc.relearning_steps, secs, &n, e) == 0)
		s->cfg.relearn_steps = n;
	return 0;
}

/* The preset's cards: new ones counted, studied ones converted. */
static int
load_cards(struct db *db, int64_t preset_id, long today, int roll,
    struct db_simulate *s, struct err *e)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = db_prepare(db, "SELECT c.state, c.stability, c.difficulty, "
	    "c.due, c.last_review FROM cards c JOIN decks k ON k.id = "
	    "c.deck_id WHERE k.config_id = ? AND c.suspended = 0", e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, preset_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int state = sqlite3_column_int(st, 0);
		double stab = sqlite3_column_double(st, 1);
		struct fsrs_sim_card *c;

		if (state == FSRS_NEW) {
			s->cfg.new_cards++;
			continue;
		}
		/* Anki computes a missing memory state; a lemma card
		 * studied has one, a card without is left out. */
		if (!(stab > 0))
			continue;
		VEC_RESERVE(s->cards, cap, s->ncards + 1, 256);
		c = &s->cards[s->ncards++];
		c->s = stab;
		c->d = sqlite3_column_double(st, 2);
		if (c->d < 1)
			c->d = 1;
		if (c->d > 10)
			c->d = 10;
		if (state == FSRS_REVIEW) {
			c->due = (double)(day_number((time_t)
			    sqlite3_column_int64(st, 3), roll) - today);
			c->last = sqlite3_column_type(st, 4) == SQLITE_NULL ?
			    0 : (double)(day_number((time_t)
			    sqlite3_column_int64(st, 4), roll) - today);
			if (c->last > 0)
				c->last = 0;
		} else {
			/* (Re)learning: Anki's today, last reviewed today. */
			c->due = 0;
			c->last = 0;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_sql_err(db, e, "cannot read the cards");
	return 0;
}

/* The habits, from the log of the preset's cards, card by card. */
static int
load_habits(struct db *db, int64_t preset_id, int roll, struct db_simulate *s,
    struct err *e)
{
	sqlite3_stmt *st;
	struct fsrs_sim_counts counts;
	struct fsrs_sim_log_row *rows = NULL;
	size_t n = 0, cap = 0;
	int rc;

	fsrs_sim_counts_init(&counts);
	/* Grades only (kinds 0..2: learning, review, relearning), as
	 * extract_simulator_config's state < 3. */
	if ((st = db_prepare(db, "SELECT r.card_id, r.id, r.kind, r.rating, "
	    "r.answer_ms FROM revlog r JOIN cards c ON c.id = r.card_id JOIN "
	    "decks k ON k.id = c.deck_id WHERE k.config_id = ? AND r.kind "
	    "BETWEEN 0 AND 2 AND r.rating BETWEEN 1 AND 4 ORDER BY r.card_id, "
	    "r.id", e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, preset_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t card = sqlite3_column_int64(st, 0);

		if (n > 0 && rows[n - 1].card != card) {
			fsrs_sim_counts_add(&counts, rows, n);
			n = 0;
		}
		VEC_RESERVE(rows, cap, n + 1, 64);
		rows[n].card = card;
		rows[n].day = day_number((time_t)(sqlite3_column_int64(st, 1) /
		    1000), roll);
		rows[n].state = sqlite3_column_int(st, 2);
		rows[n].rating = sqlite3_column_int(st, 3);
		rows[n].ms = sqlite3_column_int(st, 4);
		n++;
		s->log_rows++;
	}
	sqlite3_finalize(st);
	if (n > 0)
		fsrs_sim_counts_add(&counts, rows, n);
	free(rows);
	if (rc != SQLITE_DONE)
		return db_sql_err(db, e, "cannot read the review log");
	fsrs_sim_config_from_counts(&s->cfg, &counts);
	return 0;
}

int
db_simulate_load(struct db *db, int64_t preset_id, time_t now,
    struct db_simulate *s, struct err *e)
{
	struct deckconf_global g;
	long today;

	memset(s, 0, sizeof *s);
	fsrs_sim_config_default(&s->cfg);
	/* Anki's day is the collection's, not a preset's. */
	if (deckconf_global_get(db, &g, e) < 0)
		return -1;
	today = day_number(now, g.next_day_starts_at);
	if (load_options(db, preset_id, s, e) < 0 ||
	    load_cards(db, preset_id, today, g.next_day_starts_at, s, e) < 0 ||
	    load_habits(db, preset_id, g.next_day_starts_at, s, e) < 0) {
		db_simulate_free(s);
		return -1;
	}
	return 0;
}

void
db_simulate_free(struct db_simulate *s)
{
	free(s->cards);
	s->cards = NULL;
	s->ncards = 0;
}
