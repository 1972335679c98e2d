/*
 * db-stats.h - private to src/core/stats.c: the SQL behind the statistics.
 *
 * A struct db_stats is one read session: a read transaction (so every
 * figure comes from the same snapshot), the scope (a deck and its sub-decks
 * as a temporary table of card ids, or the whole collection) and the
 * prepared statements, reused for each study day. Times are revlog ids
 * (Unix milliseconds); every range is half-open [lo, hi). The caller
 * computes the ranges with day_start(), so day boundaries are exact across
 * DST changes and the SQL never needs to know the time zone.
 */
#ifndef LEMMA_DB_STATS_H
#define LEMMA_DB_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "lemma/db.h"
#include "lemma/err.h"
#include "lemma/fsrs.h"
#include "lemma/stats.h"

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

/* The FSRS parameters that predicted retrievability uses for review-log
 * rows (a copy is kept). */
int	db_stats_set_params(struct db_stats *q, const struct fsrs_params *p,
	    struct err *e);

/* Grades in [lo, hi) by kind (0-3) and rating (1-4). */
struct db_stats_group {
	int64_t	 count;
	int64_t	 mature;	/* of them, previous interval >= 21 days */
	int64_t	 time_ms;
	double	 predicted;	/* sum of R at the grade, review kind only */
	int64_t	 predicted_n;	/* review-kind rows with a memory state */
};
int	db_stats_grades(struct db_stats *q, int64_t lo, int64_t hi,
	    struct db_stats_group g[4][4], struct err *e);

/* Review-kind grades in [lo, hi), passed and failed, young and mature. */
int	db_stats_review_pass(struct db_stats *q, int64_t lo, int64_t hi,
	    struct stats_pass *young, struct stats_pass *mature, struct err *e);

/* The number of grades in [lo, hi). */
int	db_stats_count(struct db_stats *q, int64_t lo, int64_t hi,
	    int64_t *n, struct err *e);

/* The number of distinct cards graded in [lo, hi). */
int	db_stats_cards_graded(struct db_stats *q, int64_t lo, int64_t hi,
	    int64_t *n, struct err *e);

/* The id of the first grade at or after lo and before hi: returns 1 and
 * sets *id, 0 when there is none, -1 on error. */
int	db_stats_next_grade(struct db_stats *q, int64_t lo, int64_t hi,
	    int64_t *id, struct err *e);

/* Local time as UTC offsets: offset[i] applies from start[i] (ms) until
 * start[i + 1]; start[0] is ignored (it applies to everything before). */
struct db_stats_zone {
	const int64_t	*start;
	const long	*offset;	/* seconds east of UTC */
	size_t		 n;
};
/* Grades in [lo, hi) by local hour of day, with how many passed. zone
 * must cover [lo, hi). */
int	db_stats_hours(struct db_stats *q, int64_t lo, int64_t hi,
	    const struct db_stats_zone *zone, struct stats_hour h[24],
	    struct err *e);

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

/* Create the indexes that make the statistics fast on a large collection
 * (for the tests and the benchmark until a migration adds them). */
int	db_stats_create_indexes(struct db *db, struct err *e);

#endif
