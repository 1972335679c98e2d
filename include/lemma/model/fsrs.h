/*
 * fsrs.h - the FSRS-6 memory model and the scheduler layer above it.
 *
 * Owns the formulas (retrievability, stability, difficulty, intervals), the
 * learning and relearning steps, interval ordering, the maximum interval and
 * fuzz. Pure: no SQL, no I/O, no clock, no globals; every function is a
 * function of its arguments. The caller (study.c) supplies "now" and the
 * number of study days since the last review.
 *
 * By default lemma schedules as Anki does with FSRS (research/fsrs.md,
 * sections 5-7 and 11). params.tsfsrs switches to ts-fsrs 5.4.2's rules
 * (UTC days, ts-fsrs's Hard step, the maximum applied before ordering, its
 * 8-decimal rounding), so the reference vectors replay exactly.
 */
#ifndef LEMMA_FSRS_H
#define LEMMA_FSRS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lemma/base/err.h"

#define FSRS_NPARAMS		21
#define FSRS_MAX_STEPS		16
#define FSRS_S_MIN		0.001
#define FSRS_S_MAX		36500.0
#define FSRS_DEFAULT_RETENTION	0.9
#define FSRS_DEFAULT_MAX_IVL	36500

/* Card states, as stored in cards.state. */
enum fsrs_state {
	FSRS_NEW = 0,
	FSRS_LEARNING,
	FSRS_REVIEW,
	FSRS_RELEARNING,
};

/* Ratings are 1 (Again) .. 4 (Easy), as study.h's enum grade. */

struct fsrs_params {
	double	 w[FSRS_NPARAMS];
	double	 desired_retention;
	int	 max_interval;			/* days, >= 1 */
	int	 learn_steps[FSRS_MAX_STEPS];	/* seconds */
	int	 nlearn;
	int	 relearn_steps[FSRS_MAX_STEPS];	/* seconds */
	int	 nrelearn;
	int	 short_term;	/* 1: same-day reviews use the short-term formula */
	int	 fuzz;		/* 1: fuzz review intervals (Anki); 0: round */
	int	 tsfsrs;	/* 1: reproduce ts-fsrs 5.4.2 (the vector test) */
	int	 rollover_hour;	/* the study day starts here (local time) */

	/* Derived by fsrs_params_prepare(); never set by hand. */
	double	 decay, factor, ivl_modifier;
};

/* A card's scheduling state: the columns of the cards table that FSRS
 * reads and writes. A new card has stability = difficulty = 0. */
struct fsrs_card {
	int	 state;			/* enum fsrs_state */
	int	 step;			/* index of the current (re)learning step */
	double	 stability;		/* days */
	double	 difficulty;		/* 1..10 */
	int64_t	 due;			/* Unix seconds */
	int64_t	 last_review;		/* Unix seconds; 0 when never reviewed */
	int	 scheduled_days;	/* review interval; learning: whole days of the delay */
	int	 reps, lapses;
};

/* The memory state S, D; {0, 0} is a card never reviewed. */
struct fsrs_memory {
	double	s, d;
};

/* ---- parameters ------------------------------------------------------- */

/* The FSRS-6 defaults: the 21 published weights, retention 0.90, maximum
 * 36500 days, steps "1m 10m" / "10m", short-term on, fuzz on, Anki rules,
 * rollover 4. Prepared. */
void	fsrs_params_default(struct fsrs_params *p);

/* Recompute the derived fields after changing w or desired_retention. */
void	fsrs_params_prepare(struct fsrs_params *p);

/* Set the weights from n values: 21 are used as they are; 19 (FSRS-5) and
 * 17 (FSRS-4.5) are migrated as fsrs-rs does. Every value must be finite
 * and inside the published bounds. Returns 0, or -1 with e saying which
 * weight is wrong; p is unchanged on failure. */
int	fsrs_params_set_weights(struct fsrs_params *p, const double *w, size_t n,
	    struct err *e);

/* Parse a weight list ("0.212, 1.2931, ..." with commas and/or spaces,
 * optional [ ]) and set it as fsrs_params_set_weights does. NULL or an
 * empty string means the defaults. */
int	fsrs_params_parse_weights(struct fsrs_params *p, const char *text,
	    struct err *e);

/* Set the desired retention; it must be within 0.70..0.99. */
int	fsrs_params_set_retention(struct fsrs_params *p, double dr, struct err *e);

/* Parse a step list such as "1m 10m" or "10m 1h 1d" (units s, m, h, d;
 * a bare number is minutes; empty is allowed) into at most FSRS_MAX_STEPS
 * delays in seconds. Returns 0, or -1 with e filled. */
int	fsrs_steps_parse(const char *text, int *secs, int *n, struct err *e);

/* ---- the memory model (section 3) ------------------------------------- */

/* R(t, S): the probability of recall after t days at stability s. */
double	fsrs_retrievability(const struct fsrs_params *p, double t, double s);

/* The interval at which R falls to the desired retention, unrounded. */
double	fsrs_interval_exact(const struct fsrs_params *p, double s);

/* clamp(round(I), 1, max_interval). */
int	fsrs_interval_days(const struct fsrs_params *p, double s);

double	fsrs_init_stability(const struct fsrs_params *p, int g);
double	fsrs_init_difficulty_raw(const struct fsrs_params *p, int g);
double	fsrs_init_difficulty(const struct fsrs_params *p, int g);	/* clamped */
double	fsrs_next_difficulty(const struct fsrs_params *p, double d, int g);
/* The branches of the stability update, each clamped to [S_MIN, S_MAX]. */
double	fsrs_stability_recall(const struct fsrs_params *p, double d, double s,
	    double r, int g);
double	fsrs_stability_forget(const struct fsrs_params *p, double d, double s,
	    double r);
double	fsrs_lapse_cap(const struct fsrs_params *p, double s);	/* unclamped */
double	fsrs_stability_short_term(const struct fsrs_params *p, double s, int g);

/* The memory state after grade g, t whole days after the last review
 * (t is ignored for a new card, m = {0, 0}). */
void	fsrs_memory_next(const struct fsrs_params *p, const struct fsrs_memory *m,
	    double t, int g, struct fsrs_memory *out);

/* ---- the scheduler layer (sections 5-7) ------------------------------- */

/* The study days between two instants: local days with the rollover hour,
 * or UTC calendar days with tsfsrs. */
long	fsrs_elapsed_days(const struct fsrs_params *p, time_t last, time_t now);

/* The (re)learning step for grade g on a card in state/step. Returns 1 and
 * sets *secs and *next_step when the card stays in (re)learning on a step;
 * 0 when it leaves the steps (graduates, or a Review card's pass). */
int	fsrs_step_delay(const struct fsrs_params *p, int state, int step, int g,
	    int *secs, int *next_step);

/* The outcome of grade g (1..4) on card c at now, t = elapsed study days
 * (ignored for a new card). fuzz_seed makes the fuzz reproducible: lemma
 * uses card id + reps, as Anki. reps and lapses are counted. */
void	fsrs_next(const struct fsrs_params *p, const struct fsrs_card *c,
	    time_t now, long t, uint64_t fuzz_seed, int g, struct fsrs_card *out);

/* All four outcomes: out[g - 1] for g = 1..4. */
void	fsrs_preview(const struct fsrs_params *p, const struct fsrs_card *c,
	    time_t now, long t, uint64_t fuzz_seed, struct fsrs_card out[4]);

/* Anki's fuzz window for interval ivl within [min, max] (fuzz.rs). */
void	fsrs_fuzz_bounds(double ivl, int min, int max, int *lo, int *hi);

/* ts-fsrs's fuzz window (get_fuzz_range), for the vector test. */
void	fsrs_fuzz_range_tsfsrs(double ivl, int elapsed, int max, int *lo, int *hi);

/* A number in [0, 1) from seed: the same seed gives the same number. */
double	fsrs_fuzz_factor(uint64_t seed);

/* Anki's leech rule: at threshold lapses, then every half threshold
 * (rounded up). threshold 0 turns it off. */
int	fsrs_is_leech(int lapses, int threshold);

#endif
