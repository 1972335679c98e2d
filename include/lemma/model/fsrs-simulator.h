/*
 * fsrs-simulator.h - the workload simulator behind "Help me decide": how
 * many minutes a day, how many reviews a day, and how many cards known at
 * the end, a preset's cards would cost over the next days at each desired
 * retention. A port of fsrs-rs's simulate() (src/simulation.rs), which
 * Anki's simulate_workload (rslib/src/scheduler/fsrs/simulator.rs) runs at
 * every retention from 70% to 99%.
 *
 * The user's own habits come in through struct fsrs_sim_config: the time
 * a grade takes in each state, how often each button is pressed first and
 * later, and the same-day step transitions. fsrs_sim_config_from_log()
 * derives them from the review log as fsrs-rs's extract_simulator_config
 * does (means of answer times, button counts, Markov transitions of
 * same-day ratings), pulled toward fsrs-rs's defaults where the log is
 * small (weight n / (50 + n)).
 *
 * Pure: no I/O, no clock (day numbers are relative to today, 0), no
 * globals. The seed makes a run reproducible bit for bit.
 */
#ifndef LEMMA_FSRS_SIMULATOR_H
#define LEMMA_FSRS_SIMULATOR_H

#include <stddef.h>
#include <stdint.h>

#include "lemma/base/err.h"
#include "lemma/base/progress.h"
#include "lemma/model/fsrs.h"

/* The states of a grade, as fsrs-rs indexes its cost table. */
enum fsrs_sim_state {
	FSRS_SIM_LEARN = 0,
	FSRS_SIM_REVIEW,
	FSRS_SIM_RELEARN,
};

#define FSRS_SIM_DEFAULT_DAYS	365
#define FSRS_SIM_MAX_DAYS	3650

struct fsrs_sim_config {
	int	 days;			/* days simulated, from today (0) */
	size_t	 new_cards;		/* new cards waiting to be learnt */
	int	 new_limit;		/* new cards a day */
	int	 review_limit;		/* reviews a day */
	int	 new_ignores_review_limit;	/* Anki's deck option */
	int	 max_interval;		/* days */
	double	 max_cost_per_day;	/* seconds: a day that has spent more
					 * takes no more cards (fsrs-rs's
					 * max_cost_perday; Anki: no limit) */
	int	 learn_steps, relearn_steps;	/* how many steps */
	double	 first_rating[4];	/* P(first grade = Again..Easy) */
	double	 review_rating[3];	/* P(Hard, Good, Easy | recalled) */
	double	 learn_trans[3][4];	/* same-day: P(next | Again, Hard, Good) */
	double	 relearn_trans[3][4];
	double	 cost[3][4];		/* seconds per grade, by state */
};

/* A card that has been studied, as the simulator starts it: memory state,
 * and its last review and due day relative to today (0; the last review
 * is <= 0, an overdue card's due < 0). */
struct fsrs_sim_card {
	double	s, d;
	double	last, due;
};

/* fsrs-rs's SimulatorConfig::default() for the habits (its published
 * averages), a year, no limit on reviews, 9999 new cards a day, and no
 * new cards. */
void	fsrs_sim_config_default(struct fsrs_sim_config *c);

/* A review-log row as the habits are counted from it: the study day (any
 * origin; one card's rows of one day make one same-day sequence), the
 * state it graded (enum fsrs_sim_state; other rows are left out by the
 * caller), grade 1..4 and the time taken. */
struct fsrs_sim_log_row {
	int64_t	 card;
	int64_t	 day;
	int	 state;
	int	 rating;
	int	 ms;
};

/*
 * The habits of c (first and later ratings, step transitions, costs) from
 * n rows sorted by card, then time, as extract_simulator_config does with
 * smoothing: rows with a time of 0 or 20 minutes and more are left out,
 * and every figure is pulled toward the default by 50 / (50 + its count),
 * so an empty log gives the defaults. The other fields of c are kept.
 */
void	fsrs_sim_config_from_log(struct fsrs_sim_config *c,
	    const struct fsrs_sim_log_row *rows, size_t n);

/* The same, streamed: counts_add takes rows a few at a time (a card's
 * day never split between two calls), config_from_counts ends. */
struct fsrs_sim_counts {
	double	ms_sum[3][4], n[3][4];
	double	learn_btn[4], review_btn[4];
	double	learn_trans[4][4], relearn_trans[4][4];
};
void	fsrs_sim_counts_init(struct fsrs_sim_counts *k);
void	fsrs_sim_counts_add(struct fsrs_sim_counts *k,
	    const struct fsrs_sim_log_row *rows, size_t n);
void	fsrs_sim_config_from_counts(struct fsrs_sim_config *c,
	    const struct fsrs_sim_counts *k);

/* What one retention costs and gives. */
struct fsrs_sim_result {
	double	 retention;
	double	 cost;			/* seconds, all days */
	double	 memorised;		/* sum of R over the cards, last day */
	uint64_t reviews;		/* grades, learning ones included */
	uint64_t learnt;		/* new cards introduced */
	double	 minutes_per_day;
	double	 reviews_per_day;
};

/*
 * Simulate c.days days at desired retention dr (0.70 .. 0.99) for the
 * weights w: the studied cards (n of them) and c.new_cards new ones taken
 * at c.new_limit a day. Deterministic in seed. Returns 0, or -1 with e for
 * a configuration out of range.
 */
int	fsrs_sim_run(const double *w, double dr, const struct fsrs_sim_config *c,
	    const struct fsrs_sim_card *cards, size_t n, uint64_t seed,
	    struct fsrs_sim_result *out, struct err *e);

/* The sum of R at the end of the days for the studied cards if they were
 * never reviewed again (Anki's reviewless_end_memorized). */
double	fsrs_sim_reviewless(const double *w, const struct fsrs_sim_config *c,
	    const struct fsrs_sim_card *cards, size_t n);

/* The sweep of "Help me decide": one run for each retention lo, lo + 0.01,
 * .. hi (percent, 70 .. 99), each with the same seed (common random
 * numbers keep the curve smooth, as Anki's). out holds hi - lo + 1. Reports
 * each retention through p (may be NULL); a stop fails with
 * progress_stopped. */
int	fsrs_sim_sweep(const double *w, const struct fsrs_sim_config *c,
	    const struct fsrs_sim_card *cards, size_t n, uint64_t seed, int lo,
	    int hi, struct progress *p, struct fsrs_sim_result *out,
	    struct err *e);

/* The retention of minimum workload: the least time per card known at the
 * end (fsrs-rs's optimal_retention target, cost / memorised), among the
 * results from 70% to 95% (Anki clamps its answer to that range). Returns
 * its index in out, or -1 when none has a card known. */
int	fsrs_sim_best(const struct fsrs_sim_result *out, size_t n);

#endif
