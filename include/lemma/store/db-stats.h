/*
 * db-stats.h - for src/stats/stats.c only: the SQL behind the statistics.
 *
 * A struct db_stats is one read session: a read transaction (so every
 * figure comes from the same snapshot), the scope (a deck and its sub-decks
 * as a temporary table of card ids, or the whole collection) and the
 * prepared statements. The counts come from the per-quarter-hour sums of
 * migration 2 (revlog_sum, revlog_deck_sum); the review log itself is read
 * only where a sum cannot answer: the predicted retrievability, today's
 * distinct cards, and quarter hours that a day boundary splits. Times are
 * revlog ids (Unix milliseconds); every range is half-open [lo, hi). The
 * caller maps instants to study days with day_start(), so day boundaries
 * are exact across DST changes and the SQL never needs the time zone.
 */
#ifndef LEMMA_DB_STATS_H
#define LEMMA_DB_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "lemma/base/err.h"
#include "lemma/model/fsrs.h"
#include "lemma/store/db.h"

struct db_stats;

/* Open a session over deck (and its sub-decks), or the whole collection
 * when deck is NULL or "". Fails when there is no such deck. */
struct db_stats	*db_stats_open(struct db *db, const char *deck,
		    struct err *e);
/* End the read transaction, drop the temporary tables. */
void		 db_stats_close(struct db_stats *q);

/* The options preset of the scope: the deck's, or preset 1. */
int64_t		 db_stats_scope_preset(const struct db_stats *q);

/* An options preset; weights is NULL for the default weights. */
struct db_stats_preset {
	int64_t	 id;
	double	 desired_retention;
	int	 rollover_hour;
	char	*weights;
};
/* All presets, by id; free with db_stats_presets_free. */
int	db_stats_presets(struct db_stats *q, struct db_stats_preset **out,
	    size_t *n, struct err *e);
void	db_stats_presets_free(struct db_stats_preset *p, size_t n);

/* Grades summed: over one quarter hour of the summary tables, or one
 * review-log row. count and mature are by kind (0-3) and rating - 1;
 * mature (previous interval >= 21 days) is kept for kinds 1 and 3 only. */
struct db_stats_sums {
	int64_t	 key;		/* the bucket, or the row's id */
	int64_t	 n;		/* grades */
	int64_t	 ms;		/* their answer time */
	int64_t	 count[4][4];
	int64_t	 mature[4][4];
};

/* Buckets are UTC quarter hours: bucket b holds the grades with ids in
 * [b * DB_STATS_BUCKET_MS, (b + 1) * DB_STATS_BUCKET_MS). */
#define DB_STATS_BUCKET_MS	900000

/* Every bucket of the scope in [lo, hi) with grades, in no promised order
 * (a deck's sub-decks come one after another); a bucket may come once per
 * deck of the scope. */
int	db_stats_buckets(struct db_stats *q, int64_t lo, int64_t hi,
	    void (*fn)(void *arg, const struct db_stats_sums *b), void *arg,
	    struct err *e);

/* Every grade of the scope with an id in [lo, hi), one row each, in id
 * order; key is the id. */
int	db_stats_rows(struct db_stats *q, int64_t lo, int64_t hi,
	    void (*fn)(void *arg, const struct db_stats_sums *b), void *arg,
	    struct err *e);

/* The first bucket of the scope with grades: returns 1 and sets *bucket,
 * 0 when there is none, -1 on error. */
int	db_stats_first_bucket(struct db_stats *q, int64_t *bucket,
	    struct err *e);

/* The review-kind grades in [lo, hi) with a memory state (prev_stability
 * > 0), for the predicted retrievability: id, elapsed days and the
 * stability before the grade, in id order. */
int	db_stats_review_states(struct db_stats *q, int64_t lo, int64_t hi,
	    void (*fn)(void *arg, int64_t id, double elapsed, double stability),
	    void *arg, struct err *e);

/* The number of distinct cards graded in [lo, hi). */
int	db_stats_cards_graded(struct db_stats *q, int64_t lo, int64_t hi,
	    int64_t *n, struct err *e);

/* The id of the first grade at or after lo and before hi: returns 1 and
 * sets *id, 0 when there is none, -1 on error. */
int	db_stats_next_grade(struct db_stats *q, int64_t lo, int64_t hi,
	    int64_t *id, struct err *e);

/* Every card in scope, one call each (a stream: the cards are not kept).
 * Without want_preset, preset is 0 (for a collection with one preset). */
struct db_stats_card {
	int	 state;
	int	 suspended;
	long	 buried_until;
	int	 scheduled_days;
	double	 stability, difficulty;
	int64_t	 last_review;	/* Unix seconds; 0 when never */
	int64_t	 due;		/* Unix seconds */
	int64_t	 preset;	/* the options preset of its deck */
};
int	db_stats_cards(struct db_stats *q, int want_preset,
	    void (*fn)(void *arg, const struct db_stats_card *c), void *arg,
	    struct err *e);

/* Create the review-log index the statistics read (migration 2 has it;
 * for a file where someone dropped it, and the benchmark's --no-index). */
int	db_stats_create_indexes(struct db *db, struct err *e);

#endif
